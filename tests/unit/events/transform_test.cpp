// Input transformation: https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-transform-target-input.html
#include "transform.hpp"

#include <gtest/gtest.h>

namespace {
using namespace stratus::events;

const char* kEvent =
    R"({"version":"0","id":"7bf73129-1428-4cd3-a780-95db273d1602","detail-type":"EC2 Instance State-change Notification",)"
    R"("source":"aws.ec2","account":"123456789012","time":"2015-11-11T21:29:54Z","region":"us-east-1",)"
    R"("resources":["arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111"],)"
    R"("detail":{"instance-id":"i-0123456789","state":"RUNNING","count":3,"tags":{"a":"b"},"quote":"a \"b\""}})";

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
  // "If a JSON path references a JSON object or array, but the variable is referenced in a string,
  // EventBridge removes any internal quotes to ensure a valid string."
  EXPECT_EQ(apply(R"({"t": "tags <tags>"})"), R"({"t": "tags {a:b}"})");
  EXPECT_EQ(apply(R"({"r": "<resource>", "all": "<instance> / <tags>"})"),
            R"({"r": "arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111", "all": "i-0123456789 / {a:b}"})");
  // A path that matches nothing: AWS delivered {"command": ""} for <command> outside quotes
  // (LocalStack's AWS-validated snapshot test_put_events_with_input_transformer_input_template_json).
  EXPECT_EQ(apply(R"({"m": <missing>})"), R"({"m": ""})");
  EXPECT_EQ(apply(R"({"m": "<missing>"})"), R"({"m": ""})");
  // "EventBridge doesn't escape values extracted by Input Path, when populating the Input
  // Template": inside a string literal the value goes in as it is; as a JSON value it gets quotes.
  EXPECT_EQ(apply(R"({"q": "say <q>"})", {{"q", "$.detail.quote"}}), R"({"q": "say a "b""})");
  EXPECT_EQ(apply(R"({"q": <q>})", {{"q", "$.detail.quote"}}), R"({"q": "a \"b\""})");
  // Text that is not a placeholder (not a variable-name character between the brackets) stays as written.
  EXPECT_EQ(apply(R"({"html": "a < b > c", "x": "<instance>"})"), R"({"html": "a < b > c", "x": "i-0123456789"})");
}

TEST(InputTransformer, InvalidPlaceholders) {
  std::map<std::string, std::string> paths{{"detail-type", "$.detail-type"}, {"command", "$.detail.command"}};
  // AWS: "InputTemplate for target <id> contains invalid placeholder notdefinedkey."
  EXPECT_EQ(transform::invalid_placeholder(R"("Event of <detail-type> type, with not defined key <notdefinedkey>")", paths),
            "notdefinedkey");
  EXPECT_EQ(transform::invalid_placeholder(R"({"b": "<b>bold</b>"})", paths), "b");
  EXPECT_FALSE(transform::invalid_placeholder(R"({"t": <detail-type>, "c": "<command>", "r": <aws.events.rule-arn>})", paths));
  EXPECT_FALSE(transform::invalid_placeholder(R"({"e": <aws.events.event>, "j": <aws.events.event.json>})", {}));
  EXPECT_FALSE(transform::invalid_placeholder("a < b and c > d, <> and <a b>", {}));
}

TEST(InputTransformer, PredefinedVariables) {
  EXPECT_EQ(apply(R"({"rule": "<aws.events.rule-name>", "arn": <aws.events.rule-arn>, "at": "<aws.events.event.ingestion-time>"})", {}),
            R"({"rule": "r", "arn": "arn:aws:events:us-east-1:123456789012:rule/r", "at": "2015-11-11T21:29:54Z"})");
  auto whole = apply(R"({"e": <aws.events.event.json>})", {});
  EXPECT_EQ(whole, std::string(R"({"e": )") + kEvent + "}");
  // The event without detail, in the shape AWS delivered it (LocalStack's AWS-validated snapshot
  // test_input_transformer_predefined_variables): detail-type as detailType, version last.
  EXPECT_EQ(apply(R"({"e": <aws.events.event>})", {}),
            R"({"e": {"id":"7bf73129-1428-4cd3-a780-95db273d1602","account":"123456789012",)"
            R"("detailType":"EC2 Instance State-change Notification","time":"2015-11-11T21:29:54Z","source":"aws.ec2",)"
            R"("region":"us-east-1","resources":["arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111"],"version":"0"}})");
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
