// Parameter Store's name, path, selector and label rules:
// https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-parameter-name-constraints.html
#include "services/ssm/model.hpp"

#include <gtest/gtest.h>

#include <stratus/aws_error.hpp>

#include <string>

using namespace stratus::ssm;

namespace {
const std::string kPrefix = "arn:aws:ssm:us-east-1:000000000000:parameter/";

std::string new_name_error(const std::string& name) {
  try {
    check_new_name(name, kPrefix);
  } catch (const stratus::AwsError& e) {
    return e.code + ": " + e.message;
  }
  return "";
}
}  // namespace

TEST(SsmModel, ArnDropsTheLeadingSlash) {
  EXPECT_EQ(parameter_arn("eu-west-1", "123456789012", "/app/db/password"),
            "arn:aws:ssm:eu-west-1:123456789012:parameter/app/db/password");
  EXPECT_EQ(parameter_arn("us-east-1", "000000000000", "plain"), "arn:aws:ssm:us-east-1:000000000000:parameter/plain");
}

TEST(SsmModel, ValidNames) {
  EXPECT_EQ(new_name_error("plain"), "");
  EXPECT_EQ(new_name_error("/Dev/Production/East/Project-ABC/MyParameter"), "");
  EXPECT_EQ(new_name_error("a.b-c_d"), "");
  EXPECT_EQ(new_name_error("/myssm"), "");  // only a prefix is reserved
}

TEST(SsmModel, InvalidCharactersAndShapes) {
  std::string invalid = "ValidationException: " + std::string(kInvalidNameMessage);
  EXPECT_EQ(new_name_error("has space"), invalid);
  EXPECT_EQ(new_name_error("/a/b@c"), invalid);
  EXPECT_EQ(new_name_error("/a//b"), invalid);
  EXPECT_EQ(new_name_error("/a/"), invalid);
  EXPECT_EQ(new_name_error("a/b"), "ValidationException: Parameter name must be a fully qualified name.");
}

TEST(SsmModel, ReservedPrefixesAreCaseInsensitive) {
  EXPECT_EQ(new_name_error("awsThing"),
            "ValidationException: Parameter name: can't be prefixed with \"aws\" or \"ssm\" (case-insensitive).");
  EXPECT_EQ(new_name_error("SSM-x"),
            "ValidationException: Parameter name: can't be prefixed with \"aws\" or \"ssm\" (case-insensitive).");
  EXPECT_EQ(new_name_error("/ssm/x"), "ValidationException: " + std::string(kInvalidNameMessage));
  EXPECT_EQ(new_name_error("/aws/x"), "AccessDeniedException: No access to reserved parameter name: /aws/x.");
}

TEST(SsmModel, HierarchyDepthAndLength) {
  std::string fifteen, sixteen;
  for (int i = 0; i < 15; ++i) fifteen += "/l" + std::to_string(i);
  sixteen = fifteen + "/x";
  EXPECT_EQ(hierarchy_depth(fifteen), 15);
  EXPECT_EQ(hierarchy_depth("plain"), 1);
  EXPECT_EQ(new_name_error(fifteen), "");
  EXPECT_EQ(new_name_error(sixteen).substr(0, 36), "HierarchyLevelLimitExceededException");
  std::string longest(1011 - kPrefix.size(), 'n');
  EXPECT_EQ(new_name_error(longest), "");
  EXPECT_EQ(new_name_error("/" + longest), "");  // the leading slash is not in the ARN
  EXPECT_EQ(new_name_error(longest + "n").substr(0, 19), "ValidationException");
}

TEST(SsmModel, Selectors) {
  auto plain = parse_selector("/a/b");
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->name, "/a/b");
  EXPECT_FALSE(plain->version);
  EXPECT_EQ(plain->text, "");
  auto v = parse_selector("/a/b:12");
  ASSERT_TRUE(v);
  EXPECT_EQ(v->name, "/a/b");
  EXPECT_EQ(v->version, 12);
  EXPECT_EQ(v->text, ":12");
  auto l = parse_selector("p:prod");
  ASSERT_TRUE(l);
  EXPECT_EQ(l->label, "prod");
  EXPECT_EQ(l->text, ":prod");
  EXPECT_FALSE(parse_selector("p:"));
  EXPECT_FALSE(parse_selector("p:0"));
  EXPECT_FALSE(parse_selector("p:a:b"));
  EXPECT_FALSE(parse_selector("p:awsLabel"));
}

TEST(SsmModel, Labels) {
  EXPECT_TRUE(valid_label("prod"));
  EXPECT_TRUE(valid_label("Release_1.2-rc"));
  EXPECT_FALSE(valid_label("1st"));
  EXPECT_FALSE(valid_label("AWSlabel"));
  EXPECT_FALSE(valid_label("ssm-x"));
  EXPECT_FALSE(valid_label("has space"));
  EXPECT_FALSE(valid_label("a/b"));
  EXPECT_FALSE(valid_label(std::string(101, 'a')));
  EXPECT_TRUE(valid_label(std::string(100, 'a')));
}

TEST(SsmModel, Paths) {
  EXPECT_TRUE(under_path("/a", "/a/b", false));
  EXPECT_TRUE(under_path("/a/", "/a/b", false));
  EXPECT_FALSE(under_path("/a", "/a/b/c", false));
  EXPECT_TRUE(under_path("/a", "/a/b/c", true));
  EXPECT_FALSE(under_path("/a", "/ab", true));
  EXPECT_FALSE(under_path("/a", "/a", true));
  EXPECT_TRUE(under_path("/", "/top", false));
  EXPECT_FALSE(under_path("/", "/top/x", false));
  EXPECT_TRUE(valid_path("/"));
  EXPECT_TRUE(valid_path("/a/b"));
  EXPECT_TRUE(valid_path("/a/b/"));
  EXPECT_FALSE(valid_path("a/b"));
  EXPECT_FALSE(valid_path("/a//b"));
  EXPECT_FALSE(valid_path("/a b"));
}

TEST(SsmModel, TiersAndCiphertext) {
  EXPECT_EQ(value_limit("Standard"), 4096u);
  EXPECT_EQ(value_limit("Advanced"), 8192u);
  auto a = opaque_ciphertext("/p", 1, "secret");
  EXPECT_EQ(a, opaque_ciphertext("/p", 1, "secret"));
  EXPECT_NE(a, opaque_ciphertext("/p", 2, "secret"));
  EXPECT_EQ(a.find("secret"), std::string::npos);
  EXPECT_EQ(a.substr(0, 6), "AQICAH");
}

TEST(SsmModel, Tokens) {
  auto t = encode_token("/a/b");
  EXPECT_EQ(decode_token(t), "/a/b");
  EXPECT_FALSE(decode_token("garbage!"));
  EXPECT_FALSE(decode_token("Zm9v"));
}
