// SNS filter policies: the matching rules of
// https://docs.aws.amazon.com/sns/latest/dg/sns-subscription-filter-policies.html and AWS's
// InvalidParameter messages for bad policies.
#include "services/sns/filter_policy.hpp"

#include <stratus/aws_error.hpp>

#include <gtest/gtest.h>

using namespace stratus;
using namespace stratus::sns;

namespace {
json::object attrs(std::initializer_list<std::tuple<const char*, const char*, const char*>> list) {
  json::object o;
  for (auto& [k, type, v] : list) o[k] = json::object{{"DataType", type}, {"StringValue", v}};
  return o;
}
bool match(const char* policy, const json::object& a) {
  return FilterPolicy::parse(policy, FilterScope::message_attributes).matches_attributes(a);
}
bool body(const char* policy, const char* message) {
  return FilterPolicy::parse(policy, FilterScope::message_body).matches_body(message);
}
std::string error(const char* policy, FilterScope scope = FilterScope::message_attributes, const char* ctx = "") {
  try {
    FilterPolicy::parse(policy, scope, ctx);
  } catch (const AwsError& e) {
    return e.code + ": " + e.message;
  }
  return "";
}
}  // namespace

TEST(SnsFilter, ExactStringsAndNumbers) {
  auto red = attrs({{"color", "String", "red"}, {"size", "Number", "10"}});
  EXPECT_TRUE(match(R"({"color":["red","blue"]})", red));
  EXPECT_FALSE(match(R"({"color":["blue"]})", red));
  EXPECT_TRUE(match(R"({"size":[10]})", red));
  EXPECT_TRUE(match(R"({"size":[10.0]})", red));
  EXPECT_FALSE(match(R"({"size":["10"]})", red));  // a string does not match a Number attribute
  EXPECT_FALSE(match(R"({"missing":["x"]})", red));
  EXPECT_TRUE(match(R"({"color":["red"],"size":[10]})", red));
  EXPECT_FALSE(match(R"({"color":["red"],"size":[11]})", red));
  EXPECT_TRUE(match("{}", red));
}

TEST(SnsFilter, Operators) {
  auto a = attrs({{"s", "String", "order-placed"}, {"n", "Number", "150"}, {"ip", "String", "10.0.0.42"}});
  EXPECT_TRUE(match(R"({"s":[{"prefix":"order-"}]})", a));
  EXPECT_TRUE(match(R"({"s":[{"suffix":"-placed"}]})", a));
  EXPECT_TRUE(match(R"({"s":[{"equals-ignore-case":"ORDER-PLACED"}]})", a));
  EXPECT_FALSE(match(R"({"s":[{"anything-but":["order-placed","x"]}]})", a));
  EXPECT_TRUE(match(R"({"s":[{"anything-but":"other"}]})", a));
  EXPECT_FALSE(match(R"({"s":[{"anything-but":{"prefix":"order"}}]})", a));
  EXPECT_TRUE(match(R"({"s":[{"anything-but":{"suffix":"cancelled"}}]})", a));
  EXPECT_TRUE(match(R"({"n":[{"numeric":[">",100,"<=",150]}]})", a));
  EXPECT_FALSE(match(R"({"n":[{"numeric":[">",150]}]})", a));
  EXPECT_TRUE(match(R"({"n":[{"numeric":["=",150]}]})", a));
  EXPECT_FALSE(match(R"({"n":[{"anything-but":[150]}]})", a));
  EXPECT_TRUE(match(R"({"n":[{"anything-but":[100]}]})", a));
  EXPECT_TRUE(match(R"({"ip":[{"cidr":"10.0.0.0/24"}]})", a));
  EXPECT_FALSE(match(R"({"ip":[{"cidr":"10.0.1.0/24"}]})", a));
  EXPECT_TRUE(match(R"({"s":[{"exists":true}],"zz":[{"exists":false}]})", a));
  EXPECT_FALSE(match(R"({"zz":[{"exists":true}]})", a));
  EXPECT_FALSE(match(R"({"zz":[{"anything-but":"x"}]})", a));  // anything-but needs the attribute
}

TEST(SnsFilter, StringArraysAndOr) {
  auto a = attrs({{"tags", "String.Array", R"(["a","b",3])"}, {"kind", "String", "x"}});
  EXPECT_TRUE(match(R"({"tags":["b"]})", a));
  EXPECT_TRUE(match(R"({"tags":[3]})", a));
  EXPECT_FALSE(match(R"({"tags":["c"]})", a));
  EXPECT_TRUE(match(R"({"$or":[{"kind":["y"]},{"tags":["a"]}]})", a));
  EXPECT_FALSE(match(R"({"$or":[{"kind":["y"]},{"tags":["z"]}]})", a));
}

TEST(SnsFilter, MessageBody) {
  const char* msg = R"({"order":{"status":"paid","total":120,"items":[{"sku":"a1"},{"sku":"b2"}]},"flag":true,"none":null})";
  EXPECT_TRUE(body(R"({"order":{"status":["paid"]}})", msg));
  EXPECT_TRUE(body(R"({"order":{"total":[{"numeric":[">=",100]}]}})", msg));
  EXPECT_TRUE(body(R"({"order":{"items":{"sku":["b2"]}}})", msg));
  EXPECT_FALSE(body(R"({"order":{"items":{"sku":["c3"]}}})", msg));
  EXPECT_TRUE(body(R"({"flag":[true],"none":[null]})", msg));
  EXPECT_FALSE(body(R"({"order":{"status":["paid"]}})", "not json"));
  EXPECT_FALSE(body(R"({"order":{"status":["paid"]}})", "[1,2]"));
}

TEST(SnsFilter, ValidationMessages) {
  EXPECT_EQ(error(R"({"a":"b"})"), R"(InvalidParameterException: Invalid parameter: FilterPolicy: "a" must be an object or an array)");
  EXPECT_EQ(error(R"({"a":[{"numeric":[">","x"]}]})", FilterScope::message_attributes, "Attributes Reason: "),
            "InvalidParameterException: Invalid parameter: Attributes Reason: FilterPolicy: Value of > must be numeric");
  EXPECT_EQ(error(R"({"a":[{"numeric":["<",1,">",0]}]})"),
            "InvalidParameterException: Invalid parameter: FilterPolicy: Too many elements in numeric expression");
  EXPECT_EQ(error(R"({"a":[{"numeric":[">",5,"<",1]}]})"),
            "InvalidParameterException: Invalid parameter: FilterPolicy: Bottom must be less than top");
  EXPECT_EQ(error(R"({"a":[{"numeric":["!",1]}]})"),
            "InvalidParameterException: Invalid parameter: FilterPolicy: Unrecognized numeric range operator: !");
  EXPECT_EQ(error(R"({"a":[{"exists":"yes"}]})"),
            "InvalidParameterException: Invalid parameter: FilterPolicy: exists match pattern must be either true or false.");
  EXPECT_EQ(error(R"({"a":[{"cidr":"10.0.0.0"}]})"),
            "InvalidParameterException: Invalid parameter: FilterPolicy: Malformed CIDR, one '/' required");
  EXPECT_EQ(error(R"({"a":[]})"), "InvalidParameterException: Invalid parameter: FilterPolicy: Empty arrays are not allowed");
  EXPECT_EQ(error(R"({"a":[{"prefix":"x","suffix":"y"}]})"),
            "InvalidParameterException: Invalid parameter: FilterPolicy: Only one key allowed in match expression");
  EXPECT_EQ(error(R"({"a":{"b":["c"]}})"),
            "InvalidParameterException: Invalid parameter: Filter policy scope MessageAttributes does not support nested filter policy");
  EXPECT_EQ(error(R"({"a":{"b":["c"]}})", FilterScope::message_body), "");
  EXPECT_EQ(error(R"({"a":[1],"b":[1],"c":[1],"d":[1],"e":[1],"f":[1]})"),
            "InvalidParameterException: Invalid parameter: FilterPolicy: Filter policy can not have more than 5 keys");
  // 151 combinations: over the limit of 150.
  std::string big = R"({"a":[)";
  for (int i = 0; i < 151; ++i) big += (i ? "," : "") + std::to_string(i);
  big += "]}";
  EXPECT_EQ(error(big.c_str()), "InvalidParameterException: Invalid parameter: FilterPolicy: Filter policy is too complex");
}
