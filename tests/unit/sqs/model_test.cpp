// SQS domain rules: digests pinned to values AWS returned (recorded in LocalStack's AWS-validated
// snapshots of test_sqs.py), queue names, URLs, attributes and receipt handles.
#include "services/sqs/errors.hpp"
#include "services/sqs/model.hpp"

#include <gtest/gtest.h>

using namespace stratus;
using namespace stratus::sqs;

namespace {
json::object str_attr(std::string_view v, std::string_view type = "String") {
  return json::object{{"DataType", type}, {"StringValue", v}};
}
std::string code_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const AwsError& e) {
    return e.code + ": " + e.message;
  }
  return "";
}
}  // namespace

TEST(SqsMd5, MessageAttributesMatchAws) {
  json::object three{{"General", str_attr("Kenobi")}, {"Hello", str_attr("There")}, {"Help.Me", str_attr("Me")}};
  EXPECT_EQ(md5_of_message_attributes(three), "4c360f3fdafd970e05fae2f149d997f5");
  json::object two{{"Hello", str_attr("There")}, {"General", str_attr("Kenobi")}};
  EXPECT_EQ(md5_of_message_attributes(two), "fca026605781cb4126a1e9044df24232");
  EXPECT_EQ(md5_of_message_attributes(json::object{{"Hello", str_attr("There")}}), "a311262e065454b75da111d535b8dacd");
  EXPECT_EQ(md5_of_message_attributes(json::object{{"Hello", str_attr("There")}, {"Help.Me", str_attr("Me")}}),
            "83fee93c1bcd8b9a5a923ffacdc636c7");
  EXPECT_EQ(md5_of_message_attributes(json::object{{"Foo", str_attr("Bar")}}), "ae7155c6026991b6d54b11589678bf9c");
  EXPECT_EQ(md5_of_message_attributes(json::object{}), "");
}

TEST(SqsMd5, BinaryAttributeMatchesAws) {
  std::string raw = "traceparent\x1e" "00-774062d6c37081a5a0b9b5b88e30627c-2d2482211f6489da-01";
  json::object a{{"attr1", json::object{{"DataType", "Binary"}, {"BinaryValue", raw}}}};
  EXPECT_EQ(md5_of_message_attributes(a), "8cbe4db156db8a94db8b801b7addb984");
}

TEST(SqsNames, QueueNames) {
  EXPECT_TRUE(valid_queue_name("orders-1_x", false));
  EXPECT_FALSE(valid_queue_name("", false));
  EXPECT_FALSE(valid_queue_name("bad.name", false));
  EXPECT_FALSE(valid_queue_name(std::string(81, 'a'), false));
  EXPECT_TRUE(valid_queue_name(std::string(80, 'a'), false));
  EXPECT_TRUE(valid_queue_name("jobs.fifo", true));
  EXPECT_FALSE(valid_queue_name("jobs", true));
  EXPECT_FALSE(valid_queue_name(".fifo", true));
  EXPECT_TRUE(valid_queue_name(std::string(75, 'a') + ".fifo", true));
  EXPECT_FALSE(valid_queue_name(std::string(76, 'a') + ".fifo", true));
}

TEST(SqsUrls, ParsesAwsStratusAndLocalStackForms) {
  auto a = parse_queue_url("https://sqs.eu-west-1.amazonaws.com/123456789012/q1");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->account, "123456789012");
  EXPECT_EQ(a->region, "eu-west-1");
  EXPECT_EQ(a->name, "q1");
  auto b = parse_queue_url("http://127.0.0.1:4566/000000000000/jobs.fifo");
  ASSERT_TRUE(b);
  EXPECT_EQ(b->region, "");
  EXPECT_EQ(b->name, "jobs.fifo");
  auto c = parse_queue_url("http://sqs.us-west-2.localhost.localstack.cloud:4566/000000000000/q");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->region, "us-west-2");
  auto d = parse_queue_url("http://localhost:4566/queue/ap-south-1/000000000000/q");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->region, "ap-south-1");
  EXPECT_EQ(d->account, "000000000000");
  auto e = parse_queue_url("http://eu-central-1.queue.localhost.localstack.cloud:4566/000000000000/q");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->region, "eu-central-1");
  EXPECT_FALSE(parse_queue_url("q"));
  EXPECT_FALSE(parse_queue_url("http://localhost:4566/q"));
}

TEST(SqsAttributes, DefaultsAndValidation) {
  QueueConfig c;
  EXPECT_EQ(c.get("MaximumMessageSize"), "1048576");
  EXPECT_EQ(c.get("VisibilityTimeout"), "30");
  EXPECT_EQ(c.get("SqsManagedSseEnabled"), "true");
  EXPECT_FALSE(c.get("FifoQueue"));
  c.apply(json::object{{"VisibilityTimeout", "45"}, {"DelaySeconds", "5"}}, true);
  EXPECT_EQ(c.visibility_timeout, 45);
  EXPECT_EQ(code_of([&] { c.apply(json::object{{"VisibilityTimeout", "43201"}}, false); }),
            "InvalidAttributeValue: Invalid value for the parameter VisibilityTimeout.");
  EXPECT_EQ(code_of([&] { c.apply(json::object{{"Bogus", "1"}}, false); }), "InvalidAttributeName: Unknown Attribute Bogus.");
  EXPECT_EQ(code_of([&] { c.apply(json::object{{"QueueArn", "x"}}, false); }), "InvalidAttributeName: Unknown Attribute QueueArn.");
  EXPECT_EQ(code_of([&] { c.apply(json::object{{"DeduplicationScope", "queue"}}, false); }),
            "InvalidAttributeName: You can specify the DeduplicationScope only when FifoQueue is set to true.");
}

TEST(SqsAttributes, RedrivePolicyNormalisedAndChecked) {
  QueueConfig c;
  c.apply(json::object{{"RedrivePolicy", R"({"maxReceiveCount":"3","deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:dlq"})"}}, false);
  EXPECT_EQ(c.get("RedrivePolicy"), R"({"deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:dlq","maxReceiveCount":3})");
  EXPECT_EQ(c.max_receive_count, 3);
  std::string bad = R"({"deadLetterTargetArn": "dummy", "maxReceiveCount": 42})";
  EXPECT_EQ(code_of([&] { c.apply(json::object{{"RedrivePolicy", bad}}, false); }),
            "InvalidParameterValue: Value " + bad + " for parameter RedrivePolicy is invalid. Reason: Invalid value for deadLetterTargetArn.");
  c.apply(json::object{{"RedrivePolicy", ""}}, false);
  EXPECT_FALSE(c.get("RedrivePolicy"));
}

TEST(SqsMessages, CharactersAndAttributes) {
  EXPECT_TRUE(valid_message_characters("hello \t\n\r ü 日本 😀"));
  EXPECT_FALSE(valid_message_characters(std::string("a\x01" "b")));
  EXPECT_FALSE(valid_message_characters("\xef\xbf\xbf"));  // U+FFFF
  EXPECT_FALSE(valid_message_characters("\xff"));
  EXPECT_EQ(code_of([] { validate_message_attributes(json::object{{"a", str_attr("")}}); }),
            "InvalidParameterValue: The message attribute 'a' must contain non-empty message attribute value for "
            "message attribute type 'String'.");
  EXPECT_EQ(code_of([] { validate_message_attributes(json::object{{"n", str_attr("x1", "Number")}}); }),
            "InvalidParameterValue: Can't cast the value 'x1' of message attribute 'n' to a number.");
  EXPECT_EQ(code_of([] { validate_message_attributes(json::object{{"n", str_attr("1", "Float")}}); }).substr(0, 22),
            "InvalidParameterValue:");
  EXPECT_EQ(code_of([] { validate_message_attributes(json::object{{"n.custom", str_attr("1", "Number.int")}}); }), "");
  json::object eleven;
  for (int i = 0; i < 11; ++i) eleven["a" + std::to_string(i)] = str_attr("v");
  EXPECT_EQ(code_of([&] { validate_message_attributes(eleven); }),
            "InvalidParameterValue: Number of message attributes [11] exceeds the allowed maximum [10].");
}

TEST(SqsMessages, SelectionAndIds) {
  std::vector<std::string> sel{"Hello", "Help.*"};
  EXPECT_TRUE(message_attribute_selected(sel, "Hello"));
  EXPECT_TRUE(message_attribute_selected(sel, "Help.Me"));
  EXPECT_FALSE(message_attribute_selected(sel, "General"));
  EXPECT_TRUE(message_attribute_selected({"All"}, "x"));
  EXPECT_TRUE(message_attribute_selected({".*"}, "x"));
  EXPECT_TRUE(valid_batch_entry_id("a-b_1"));
  EXPECT_FALSE(valid_batch_entry_id("invalid:id"));
  EXPECT_FALSE(valid_batch_entry_id(std::string(81, 'a')));
  EXPECT_TRUE(valid_fifo_id("group!#$%"));
  EXPECT_FALSE(valid_fifo_id("has space"));
}

TEST(SqsHandles, RoundTrip) {
  Receipt r{7, 12345, 987654321, "0b5f3c1e-1111-4222-8333-944445555666", "arn:aws:sqs:us-east-1:000000000000:q"};
  auto h = encode_receipt(r);
  EXPECT_TRUE(h.starts_with("AQEB"));
  auto d = decode_receipt(h);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->queue_id, 7);
  EXPECT_EQ(d->message_row, 12345);
  EXPECT_EQ(d->nonce, 987654321u);
  EXPECT_EQ(d->queue_arn, r.queue_arn);
  EXPECT_EQ(d->message_id, r.message_id);
  EXPECT_FALSE(decode_receipt("garbage"));
  EXPECT_FALSE(decode_receipt("AQEB!!!"));
  auto t = decode_task_handle(encode_task_handle("id-1", "arn:aws:sqs:us-east-1:000000000000:dlq"));
  ASSERT_TRUE(t);
  EXPECT_EQ(t->first, "id-1");
}
