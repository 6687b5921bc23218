// Input transformation: https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-transform-target-input.html
#include "transform.hpp"

#include <gtest/gtest.h>

namespace {
using namespace stratus::events;

const char* kEvent =
    R"({"version":"0","id":"7bf73129-1428-4cd3-a780-95db273d1602","detail-type":"EC2 Instance State-change Notification",)"
    R"("source":"aws.ec2","account":"123456789012","time":"2015-11-11T21:29:54Z","region":"us-east-1",)"
    R"("resources":["arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111"],)"
    R"("detail":{"instance-id":"i-0123456789","state":"RUNNING","count":3,"tags":{"a":"b"}}})";

std::string apply(const std::string& tmpl, std::map<std::string, std::string> paths = {
                                               {"instance", "$.detail.instance-id"},
                                               {"state", "$.detail.state"},
                                               {"count", "$.detail.count"},
                                               {"resource", "$.resources[0]"},
                                               {"missing", "$.detail.nothing"},
                                               {"tags", "$.detail.tags"}}) {
  transform::InputTransformer t(paths, tmpl);
  return t.apply(*json_text::parse(kEvent), {"arn:aws:events:us-east-1:123456789012:rule/r", "r", "2015-11-11T21:29:54Z"});
}

TEST(InputTransformer, StringTemplates) {
  EXPECT_EQ(apply(R"("<instance> is in state <state>")"), R"("i-0123456789 is in state RUNNING")");
  EXPECT_EQ(apply(R"("<instance> is in state \"<state>\"")"), R"("i-0123456789 is in state \"RUNNING\"")");
  // A variable whose path matches nothing becomes empty text.
  EXPECT_EQ(apply(R"("x<missing>y")"), R"("xy")");
  // Plain text templates take values as they are.
  EXPECT_EQ(apply("Instance <instance> has <count> volumes"), "Instance i-0123456789 has 3 volumes");
}

TEST(InputTransformer, JsonTemplates) {
  EXPECT_EQ(apply(R"({"instance" : <instance>, "state": <state>})"), R"({"instance" : "i-0123456789", "state": "RUNNING"})");
  EXPECT_EQ(apply(R"({"instance" : "<instance>", "state": "<state>"})"),
            R"({"instance" : "i-0123456789", "state": "RUNNING"})");
  EXPECT_EQ(apply(R"({"instance" : <instance>, "state": [ 9, <state>, true ], "Transformed" : "Yes"})"),
            R"({"instance" : "i-0123456789", "state": [ 9, "RUNNING", true ], "Transformed" : "Yes"})");
  EXPECT_EQ(apply(R"({"n": <count>, "tags": <tags>, "r": "<resource>"})"),
            R"({"n": 3, "tags": {"a":"b"}, "r": "arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111"})");
  // An object inside a string literal is escaped into it.
  EXPECT_EQ(apply(R"({"t": "<tags>"})"), R"({"t": "{\"a\":\"b\"}"})");
  EXPECT_EQ(apply(R"({"m": <missing>})"), R"({"m": null})");
  // Text that is not a variable stays as written.
  EXPECT_EQ(apply(R"({"html": "<b>bold</b>"})"), R"({"html": "<b>bold</b>"})");
}

TEST(InputTransformer, PredefinedVariables) {
  EXPECT_EQ(apply(R"({"rule": "<aws.events.rule-name>", "arn": <aws.events.rule-arn>, "at": "<aws.events.event.ingestion-time>"})", {}),
            R"({"rule": "r", "arn": "arn:aws:events:us-east-1:123456789012:rule/r", "at": "2015-11-11T21:29:54Z"})");
  auto whole = apply(R"({"e": <aws.events.event.json>})", {});
  EXPECT_EQ(whole, std::string(R"({"e": )") + kEvent + "}");
  auto no_detail = apply(R"({"e": <aws.events.event>})", {});
  EXPECT_EQ(no_detail.find("detail\":"), std::string::npos);
  EXPECT_NE(no_detail.find("\"detail-type\""), std::string::npos);
}

TEST(JsonPath, Subset) {
  auto doc = *json_text::parse(kEvent);
  EXPECT_EQ(json_text::write(*json_text::JsonPath::parse("$.detail.state")->eval(doc)), R"("RUNNING")");
  EXPECT_EQ(json_text::write(*json_text::JsonPath::parse("$.resources[0]")->eval(doc)),
            R"("arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111")");
  EXPECT_EQ(json_text::write(*json_text::JsonPath::parse("$.detail.tags.*")->eval(doc)), R"(["b"])");
  EXPECT_EQ(json_text::write(*json_text::JsonPath::parse("$['detail']['count']")->eval(doc)), "3");
  EXPECT_FALSE(json_text::JsonPath::parse("$.detail.none")->eval(doc).has_value());
  EXPECT_FALSE(json_text::JsonPath::parse("detail").has_value());
  EXPECT_FALSE(json_text::JsonPath::parse("$..x").has_value());
}

TEST(JsonText, CompactKeepsNumbersAsWritten) {
  EXPECT_EQ(json_text::compact(R"({ "a" : 1.50, "b": [1E2, -0], "c": "\u00e9\/\n" })"),
            "{\"a\":1.50,\"b\":[1E2,-0],\"c\":\"\xc3\xa9/\\n\"}");
  EXPECT_FALSE(json_text::compact(R"({"a":})").has_value());
  EXPECT_FALSE(json_text::compact(R"({"a":1} x)").has_value());
}

}  // namespace
