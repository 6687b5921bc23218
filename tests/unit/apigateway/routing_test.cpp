// Route precedence of REST resources and HTTP API routes: exact > parameter > greedy, with
// backtracking, ANY as a fallback for a specific method.
// https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-routes.html
#include "services/apigateway/routing.hpp"

#include <gtest/gtest.h>

using namespace stratus::apigateway;

namespace {
std::string hit(const PathTree<std::string>& t, std::string_view path, std::string_view method = "GET") {
  auto m = t.match(path, method);
  return m ? *m->target : "-";
}
}  // namespace

TEST(ApigwRouting, ExactBeatsParameterBeatsGreedy) {
  PathTree<std::string> t;
  t.add("/pets/{id}", "GET", "param");
  t.add("/pets/dog", "GET", "exact");
  t.add("/{proxy+}", "ANY", "greedy");
  EXPECT_EQ(hit(t, "/pets/dog"), "exact");
  EXPECT_EQ(hit(t, "/pets/cat"), "param");
  EXPECT_EQ(hit(t, "/pets/cat/toys"), "greedy");
  EXPECT_EQ(hit(t, "/other"), "greedy");
}

TEST(ApigwRouting, ParametersAndGreedyValues) {
  PathTree<std::string> t;
  t.add("/items/{id}/parts/{part}", "GET", "a");
  t.add("/files/{path+}", "GET", "b");
  auto m = t.match("/items/42/parts/x", "GET");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->template_path, "/items/{id}/parts/{part}");
  ASSERT_EQ(m->params.size(), 2u);
  EXPECT_EQ(m->params[0], (std::pair<std::string, std::string>{"id", "42"}));
  EXPECT_EQ(m->params[1], (std::pair<std::string, std::string>{"part", "x"}));
  m = t.match("/files/a/b/c.txt", "GET");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->params[0].second, "a/b/c.txt");
  // A greedy variable needs at least one segment.
  EXPECT_EQ(hit(t, "/files"), "-");
}

TEST(ApigwRouting, MethodSpecificBeatsAnyAndBacktracks) {
  PathTree<std::string> t;
  t.add("/items", "GET", "get-items");
  t.add("/items", "ANY", "any-items");
  t.add("/{proxy+}", "ANY", "greedy");
  t.add("/a/b", "GET", "ab");
  t.add("/{x}/c", "GET", "xc");
  EXPECT_EQ(hit(t, "/items", "GET"), "get-items");
  EXPECT_EQ(hit(t, "/items", "POST"), "any-items");
  // The literal branch /a has no "c" child: the parameter branch matches.
  EXPECT_EQ(hit(t, "/a/c"), "xc");
  // No method on the literal resource: the greedy route takes it.
  EXPECT_EQ(hit(t, "/a/b", "DELETE"), "greedy");
}

TEST(ApigwRouting, RootAndTrailingSlashes) {
  PathTree<std::string> t;
  t.add("/", "GET", "root");
  t.add("/x", "GET", "x");
  EXPECT_EQ(hit(t, "/"), "root");
  EXPECT_EQ(hit(t, "/x/"), "x");
  EXPECT_EQ(hit(t, "/y"), "-");
}
