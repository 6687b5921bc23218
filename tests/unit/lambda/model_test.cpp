// Lambda's pure rules: function names and ARNs, qualifiers, routing weights, event-stream framing,
// function URL events and responses, event filtering.
#include "services/lambda/filter.hpp"
#include "services/lambda/model.hpp"

#include <stratus/aws_error.hpp>
#include <stratus/crypto.hpp>

#include <gtest/gtest.h>

using namespace stratus;
using namespace stratus::lambda;

TEST(LambdaModel, ParsesEveryFunctionNameForm) {
  auto a = parse_function_name("my-fn", "111122223333", "eu-west-1");
  EXPECT_EQ(a.name, "my-fn");
  EXPECT_EQ(a.account, "111122223333");
  EXPECT_EQ(a.region, "eu-west-1");
  EXPECT_FALSE(a.qualifier);
  auto b = parse_function_name("my-fn:live", "111122223333", "eu-west-1");
  EXPECT_EQ(*b.qualifier, "live");
  auto c = parse_function_name("arn:aws:lambda:us-west-2:123456789012:function:f1:$LATEST", "0", "x");
  EXPECT_EQ(c.region, "us-west-2");
  EXPECT_EQ(c.account, "123456789012");
  EXPECT_EQ(c.name, "f1");
  EXPECT_EQ(*c.qualifier, "$LATEST");
  auto d = parse_function_name("123456789012:function:f2", "0", "us-east-1");
  EXPECT_EQ(d.account, "123456789012");
  EXPECT_EQ(d.name, "f2");
}

TEST(LambdaModel, RejectsMalformedNames) {
  EXPECT_THROW(parse_function_name("bad name", "0", "r"), AwsError);
  EXPECT_THROW(parse_function_name("arn:aws:s3:::bucket", "0", "r"), AwsError);
  EXPECT_THROW(parse_function_name("a:b:c:d:e", "0", "r"), AwsError);
  EXPECT_THROW(parse_function_name(std::string(65, 'a'), "0", "r"), AwsError);
}

TEST(LambdaModel, VersionsAndAliases) {
  EXPECT_TRUE(is_version_number("12"));
  EXPECT_FALSE(is_version_number("$LATEST"));
  EXPECT_FALSE(is_version_number("v1"));
  EXPECT_TRUE(valid_alias_name("live"));
  EXPECT_FALSE(valid_alias_name("123"));
  EXPECT_FALSE(valid_alias_name("has space"));
}

TEST(LambdaModel, TimestampsUseLambdasFormat) {
  EXPECT_EQ(lambda_timestamp(1700000000.123), "2023-11-14T22:13:20.123+0000");
}

TEST(LambdaModel, RuntimesAndReservedVariables) {
  EXPECT_EQ(runtime_family("nodejs20.x"), RuntimeFamily::nodejs);
  EXPECT_EQ(runtime_family("python3.12"), RuntimeFamily::python);
  EXPECT_EQ(runtime_family("provided.al2023"), RuntimeFamily::provided);
  EXPECT_EQ(runtime_family("java21"), RuntimeFamily::other);
  EXPECT_TRUE(runtime_deprecated("nodejs12.x"));
  EXPECT_FALSE(runtime_deprecated("nodejs22.x"));
  EXPECT_TRUE(reserved_variable("AWS_REGION"));
  EXPECT_FALSE(reserved_variable("MY_SETTING"));
}

TEST(LambdaModel, WeightedRoutingPicksByCumulativeWeight) {
  std::vector<std::pair<std::string, double>> w{{"2", 0.25}};
  EXPECT_EQ(pick_version("1", w, 0.10), "2");
  EXPECT_EQ(pick_version("1", w, 0.30), "1");
  EXPECT_EQ(pick_version("1", {}, 0.0), "1");
}

TEST(LambdaModel, EventStreamFramingHasValidCrcs) {
  std::string m = event_stream_message({{":event-type", "PayloadChunk"}, {":message-type", "event"}}, "hello");
  auto be32 = [&](size_t at) {
    return (static_cast<uint32_t>(static_cast<unsigned char>(m[at])) << 24) |
           (static_cast<uint32_t>(static_cast<unsigned char>(m[at + 1])) << 16) |
           (static_cast<uint32_t>(static_cast<unsigned char>(m[at + 2])) << 8) |
           static_cast<uint32_t>(static_cast<unsigned char>(m[at + 3]));
  };
  ASSERT_EQ(be32(0), m.size());
  uint32_t headers = be32(4);
  EXPECT_EQ(be32(8), crypto::crc32(m.substr(0, 8)));
  EXPECT_EQ(m.substr(12 + headers, 5), "hello");
  EXPECT_EQ(be32(m.size() - 4), crypto::crc32(m.substr(0, m.size() - 4)));
  // Header: name length, name, type 7 (string), 2-byte length, value.
  EXPECT_EQ(m[12], 11);
  EXPECT_EQ(m.substr(13, 11), ":event-type");
  EXPECT_EQ(m[24], 7);
}

TEST(LambdaModel, UrlEventFollowsPayloadFormat2) {
  UrlRequest r;
  r.method = "POST";
  r.raw_path = "/a/b";
  r.raw_query = "x=1&x=2&y=3";
  r.body = "{\"k\":1}";
  r.source_ip = "127.0.0.1";
  r.user_agent = "ua";
  r.headers = {{"content-type", "application/json"}, {"cookie", "a=1; b=2"}, {"x-multi", "1"}, {"x-multi", "2"}};
  auto ev = url_event(r, "abcdefghijklmnopqrstuvwxyz012345", "us-east-1", "000000000000", "rid", 1583348638.390, nullptr);
  EXPECT_EQ(ev["version"], "2.0");
  EXPECT_EQ(ev["routeKey"], "$default");
  EXPECT_EQ(ev["rawPath"], "/a/b");
  EXPECT_EQ(ev["rawQueryString"], "x=1&x=2&y=3");
  EXPECT_EQ(ev["queryStringParameters"].as_object().at("x"), "1,2");
  EXPECT_EQ(ev["headers"].as_object().at("x-multi"), "1,2");
  EXPECT_FALSE(ev["headers"].as_object().contains("cookie"));
  EXPECT_EQ(ev["cookies"].as_array().size(), 2u);
  EXPECT_EQ(ev["body"], "{\"k\":1}");
  EXPECT_EQ(ev["isBase64Encoded"], false);
  auto& ctx = ev["requestContext"].as_object();
  EXPECT_EQ(ctx.at("accountId"), "anonymous");
  EXPECT_EQ(ctx.at("domainName"), "abcdefghijklmnopqrstuvwxyz012345.lambda-url.us-east-1.on.aws");
  EXPECT_EQ(ctx.at("time"), "04/Mar/2020:19:03:58 +0000");
  EXPECT_EQ(ctx.at("timeEpoch"), 1583348638390);
  EXPECT_EQ(ctx.at("http").as_object().at("method"), "POST");
}

TEST(LambdaModel, UrlResponsesMapStatusHeadersCookiesAndDefaults) {
  auto r = url_response(R"({"statusCode":201,"headers":{"x-a":"1"},"cookies":["c=1"],"body":"aGk=","isBase64Encoded":true})");
  EXPECT_EQ(r.status, 201);
  EXPECT_EQ(r.body, "hi");
  bool cookie = false;
  for (auto& [k, v] : r.headers) cookie = cookie || (k == "Set-Cookie" && v == "c=1");
  EXPECT_TRUE(cookie);
  auto plain = url_response(R"({"message":"hello"})");
  EXPECT_EQ(plain.status, 200);
  EXPECT_EQ(plain.body, R"({"message":"hello"})");
  EXPECT_EQ(plain.headers.front().second, "application/json");
}

TEST(LambdaFilter, EventBridgePatternsOverRecords) {
  auto p = parse_pattern(R"({"body":{"kind":["order"],"total":[{"numeric":[">",10]}]}})");
  auto yes = json::parse(R"({"body":{"kind":"order","total":12}})");
  auto no = json::parse(R"({"body":{"kind":"order","total":5}})");
  EXPECT_TRUE(pattern_matches(p, yes));
  EXPECT_FALSE(pattern_matches(p, no));
  auto prefix = parse_pattern(R"({"eventName":[{"prefix":"INS"}]})");
  EXPECT_TRUE(pattern_matches(prefix, json::parse(R"({"eventName":"INSERT"})")));
  auto but = parse_pattern(R"({"eventName":[{"anything-but":["REMOVE"]}]})");
  EXPECT_TRUE(pattern_matches(but, json::parse(R"({"eventName":"MODIFY"})")));
  EXPECT_FALSE(pattern_matches(but, json::parse(R"({"eventName":"REMOVE"})")));
  auto exists = parse_pattern(R"({"dynamodb":{"NewImage":{"x":[{"exists":false}]}}})");
  EXPECT_TRUE(pattern_matches(exists, json::parse(R"({"dynamodb":{"NewImage":{}}})")));
  EXPECT_TRUE(any_pattern_matches({}, json::parse("{}")));
  EXPECT_THROW(parse_pattern("not json"), std::invalid_argument);
}
