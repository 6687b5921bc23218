// The Parameter Store's store: versions, labels, tags and listing by prefix, scoped by account and region.
#include "services/ssm/store.hpp"

#include <gtest/gtest.h>

using namespace stratus;

TEST(SsmStore, VersionsLabelsTagsAndListing) {
  store::Database db("ssm", std::nullopt);
  ssm::Store st;
  st.open(db);
  ssm::Scope us{"111111111111", "us-east-1"}, eu{"111111111111", "eu-west-1"};
  std::vector<std::pair<std::string, std::string>> tags{{"b", "2"}, {"a", "1"}};
  ssm::Version v;
  v.type = "String";
  v.value = "one";
  v.version = 1;
  v.modified = 10.5;
  st.put_version(us, "/app/x", v, &tags);
  v.value = "two";
  v.version = 2;
  st.put_version(us, "/app/x", v, nullptr);
  st.put_version(us, "/app/y/z", v, &tags);
  st.put_version(us, "top", v, &tags);
  st.put_version(eu, "/app/x", v, &tags);
  st.set_labels(us, "/app/x", 1, {"prod", "blue"});

  auto p = st.get(us, "/app/x");
  ASSERT_TRUE(p);
  ASSERT_EQ(p->versions.size(), 2u);
  EXPECT_EQ(p->latest().value, "two");
  EXPECT_EQ(p->versions[0].modified, 10.5);
  EXPECT_EQ(p->tags, tags);  // insertion order kept
  ASSERT_TRUE(p->labelled("blue"));
  EXPECT_EQ(p->labelled("blue")->version, 1);
  EXPECT_FALSE(p->labelled("green"));
  EXPECT_FALSE(p->find(3));

  auto names = [&](std::string_view prefix, std::string_view after) {
    std::vector<std::string> out;
    for (auto& q : st.all(us, prefix, after)) out.push_back(q.name);
    return out;
  };
  EXPECT_EQ(names("", ""), (std::vector<std::string>{"/app/x", "/app/y/z", "top"}));
  EXPECT_EQ(names("/app/", ""), (std::vector<std::string>{"/app/x", "/app/y/z"}));
  EXPECT_EQ(names("/app/", "/app/x"), (std::vector<std::string>{"/app/y/z"}));
  EXPECT_EQ(names("/app%", ""), std::vector<std::string>{});  // no LIKE wildcards

  st.delete_version(us, "/app/x", 1);
  EXPECT_EQ(st.get(us, "/app/x")->versions.size(), 1u);
  st.set_tags(us, "/app/x", {});
  EXPECT_TRUE(st.get(us, "/app/x")->tags.empty());
  EXPECT_TRUE(st.remove(us, "/app/x"));
  EXPECT_FALSE(st.remove(us, "/app/x"));
  EXPECT_FALSE(st.get(us, "/app/x"));
  EXPECT_TRUE(st.get(eu, "/app/x"));  // another region's parameter stays
}
