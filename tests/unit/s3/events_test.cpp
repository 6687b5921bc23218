// Lifecycle timing and notification matching/records: services/s3/lifecycle.hpp, notifications.hpp.
#include "services/s3/lifecycle.hpp"
#include "services/s3/notifications.hpp"

#include <stratus/aws_error.hpp>
#include <stratus/clock.hpp>

#include <gtest/gtest.h>

using namespace stratus;
using namespace stratus::s3;

namespace {
double at(const char* iso) {
  double t = 0;
  parse_time(iso, t);
  return t;
}
json::object obj(const char* text) { return json::parse(text).as_object(); }
}  // namespace

TEST(S3Lifecycle, DaysRoundUpToMidnight) {
  auto rule = obj(R"({"ID":"r","Status":"Enabled","Filter":{"Prefix":"logs/"},"Expiration":{"Days":1}})");
  EXPECT_EQ(*expiration_time(rule, at("2024-01-01T10:00:00Z")), at("2024-01-03T00:00:00Z"));
  EXPECT_EQ(next_midnight(at("2024-01-01T00:00:00Z")), at("2024-01-01T00:00:00Z"));
  EXPECT_TRUE(rule_applies(rule, "logs/a", 1, {}));
  EXPECT_FALSE(rule_applies(rule, "data/a", 1, {}));
  auto tagged = obj(R"({"Status":"Enabled","Filter":{"And":{"Prefix":"a/","Tags":[{"Key":"t","Value":"1"}],
                      "ObjectSizeGreaterThan":10}},"Expiration":{"Days":2}})");
  EXPECT_TRUE(rule_applies(tagged, "a/x", 11, {{"t", "1"}}));
  EXPECT_FALSE(rule_applies(tagged, "a/x", 11, {{"t", "2"}}));
  EXPECT_FALSE(rule_applies(tagged, "a/x", 10, {{"t", "1"}}));
  auto disabled = obj(R"({"Status":"Disabled","Prefix":"","Expiration":{"Days":1}})");
  EXPECT_FALSE(rule_applies(disabled, "x", 1, {}));
  auto cfg = obj(R"({"Rules":[{"ID":"late","Status":"Enabled","Prefix":"","Expiration":{"Days":5}},
                              {"ID":"early","Status":"Enabled","Prefix":"","Expiration":{"Days":2}}]})");
  auto e = earliest_expiration(cfg, "k", 1, {}, at("2024-01-01T10:00:00Z"));
  ASSERT_TRUE(e);
  EXPECT_EQ(e->rule_id, "early");
}

TEST(S3Lifecycle, Validation) {
  auto code = [](const char* text) {
    try {
      validate_lifecycle(obj(text));
    } catch (const AwsError& e) {
      return e.code;
    }
    return std::string("ok");
  };
  EXPECT_EQ(code(R"({"Rules":[{"Status":"Enabled","Filter":{},"Expiration":{"Days":1}}]})"), "ok");
  EXPECT_EQ(code(R"({"Rules":[{"Status":"Enabled","Filter":{},"Expiration":{"Days":0}}]})"), "InvalidArgument");
  EXPECT_EQ(code(R"({"Rules":[{"Status":"On","Filter":{},"Expiration":{"Days":1}}]})"), "MalformedXML");
  EXPECT_EQ(code(R"({"Rules":[{"Status":"Enabled","Expiration":{"Days":1}}]})"), "MalformedXML");
  EXPECT_EQ(code(R"({"Rules":[{"Status":"Enabled","Filter":{}}]})"), "InvalidRequest");
  EXPECT_EQ(code(R"({"Rules":[{"ID":"a","Status":"Enabled","Filter":{},"Expiration":{"Days":1}},
                              {"ID":"a","Status":"Enabled","Filter":{},"Expiration":{"Days":1}}]})"),
            "InvalidArgument");
  EXPECT_EQ(code(R"({"Rules":[]})"), "MalformedXML");
}

TEST(S3Notifications, EventAndFilterMatching) {
  json::array events{"s3:ObjectCreated:*", "s3:ObjectRemoved:Delete"};
  EXPECT_TRUE(event_selected(events, "ObjectCreated:Put"));
  EXPECT_TRUE(event_selected(events, "ObjectCreated:CompleteMultipartUpload"));
  EXPECT_TRUE(event_selected(events, "ObjectRemoved:Delete"));
  EXPECT_FALSE(event_selected(events, "ObjectRemoved:DeleteMarkerCreated"));
  auto filter = obj(R"({"Key":{"FilterRules":[{"Name":"Prefix","Value":"img/"},{"Name":"suffix","Value":".png"}]}})");
  EXPECT_TRUE(key_filter_matches(&filter, "img/a.png"));
  EXPECT_FALSE(key_filter_matches(&filter, "img/a.jpg"));
  EXPECT_FALSE(key_filter_matches(&filter, "doc/a.png"));
  EXPECT_TRUE(key_filter_matches(nullptr, "anything"));
  EXPECT_TRUE(valid_event_name("s3:ObjectCreated:Put"));
  EXPECT_FALSE(valid_event_name("s3:ObjectCreated"));
}

TEST(S3Notifications, ValidationAssignsIds) {
  auto cfg = obj(R"({"QueueConfigurations":[{"QueueArn":"arn:aws:sqs:us-east-1:1:q","Events":["s3:ObjectCreated:*"]}]})");
  validate_notification(cfg);
  EXPECT_FALSE(cfg.at("QueueConfigurations").as_array()[0].as_object().at("Id").as_string().empty());
  auto bad = obj(R"({"QueueConfigurations":[{"QueueArn":"not-an-arn","Events":["s3:ObjectCreated:*"]}]})");
  EXPECT_THROW(validate_notification(bad), AwsError);
  auto bad_rule = obj(R"({"TopicConfigurations":[{"TopicArn":"arn:aws:sns:us-east-1:1:t","Events":["s3:ObjectCreated:*"],
                         "Filter":{"Key":{"FilterRules":[{"Name":"middle","Value":"x"}]}}}]})");
  EXPECT_THROW(validate_notification(bad_rule), AwsError);
}

TEST(S3Notifications, RecordFormat) {
  EventInfo e;
  e.event_name = "ObjectCreated:Put";
  e.region = "eu-west-1";
  e.bucket = "photos";
  e.bucket_owner = "123456789012";
  e.key = "holiday pics/a+b.jpg";
  e.size = 1024;
  e.etag = "d41d8cd98f00b204e9800998ecf8427e";
  e.sequencer = "0055AED6DCD90281E5";
  e.request_id = "C3D13FE58DE4C810";
  e.host_id = "FMyUVURIY8/IgAtTv8xRjskZQpcIZ9KG4V5Wp6S7S/JRWeUWerMUE5JgHvANOjpD";
  e.source_ip = "127.0.0.1";
  e.principal = "AWS:AIDAJDPLRKLG7UEXAMPLE";
  e.time = at("2024-05-06T07:08:09.123Z");
  auto rec = event_record(e, "cfg-1");
  EXPECT_EQ(rec.at("eventVersion").as_string(), "2.1");
  EXPECT_EQ(rec.at("eventSource").as_string(), "aws:s3");
  EXPECT_EQ(rec.at("eventTime").as_string(), "2024-05-06T07:08:09.123Z");
  const auto& s3 = rec.at("s3").as_object();
  EXPECT_EQ(s3.at("configurationId").as_string(), "cfg-1");
  EXPECT_EQ(s3.at("bucket").as_object().at("arn").as_string(), "arn:aws:s3:::photos");
  EXPECT_EQ(s3.at("object").as_object().at("key").as_string(), "holiday+pics/a%2Bb.jpg");
  EXPECT_EQ(s3.at("object").as_object().at("size").as_int64(), 1024);
  EXPECT_FALSE(s3.at("object").as_object().contains("versionId"));
  e.removal = true;
  e.event_name = "ObjectRemoved:Delete";
  EXPECT_FALSE(event_record(e, "c").at("s3").as_object().at("object").as_object().contains("size"));
  auto eb = eventbridge_entry(e, "123456789012");
  EXPECT_EQ(eb.at("Source").as_string(), "aws.s3");
  EXPECT_EQ(eb.at("DetailType").as_string(), "Object Deleted");
  auto detail = json::parse(eb.at("Detail").as_string()).as_object();
  EXPECT_EQ(detail.at("object").as_object().at("key").as_string(), "holiday pics/a+b.jpg");
  EXPECT_EQ(detail.at("deletion-type").as_string(), "Permanently Deleted");
  // Tagging and ACL events have their own detail types: never "Object Deleted".
  e.removal = false;
  e.event_name = "ObjectTagging:Put";
  e.version_id = "v1";
  eb = eventbridge_entry(e, "123456789012");
  EXPECT_EQ(eb.at("DetailType").as_string(), "Object Tags Added");
  detail = json::parse(eb.at("Detail").as_string()).as_object();
  EXPECT_EQ(detail.at("object").as_object().at("etag").as_string(), e.etag);
  EXPECT_EQ(detail.at("object").as_object().at("version-id").as_string(), "v1");
  EXPECT_FALSE(detail.contains("reason"));
  EXPECT_FALSE(detail.contains("deletion-type"));
  e.event_name = "ObjectTagging:Delete";
  EXPECT_EQ(eventbridge_entry(e, "1").at("DetailType").as_string(), "Object Tags Deleted");
  e.event_name = "ObjectAcl:Put";
  EXPECT_EQ(eventbridge_entry(e, "1").at("DetailType").as_string(), "Object ACL Updated");
  auto t = test_event("photos", "R", "H", 0);
  EXPECT_EQ(t.at("Event").as_string(), "s3:TestEvent");
  EXPECT_EQ(t.at("Service").as_string(), "Amazon S3");
}
