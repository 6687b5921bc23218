// SNS pure rules: names, endpoints, message structures, envelopes and signatures.
#include "services/sns/model.hpp"
#include "services/sns/signing.hpp"

#include <stratus/aws_error.hpp>

#include <gtest/gtest.h>

using namespace stratus;
using namespace stratus::sns;

TEST(SnsModel, TopicNamesAndPhones) {
  EXPECT_TRUE(valid_topic_name("orders_1-x", false));
  EXPECT_FALSE(valid_topic_name("a.fifo", false));
  EXPECT_TRUE(valid_topic_name("a.fifo", true));
  EXPECT_FALSE(valid_topic_name(std::string(257, 'a'), false));
  EXPECT_TRUE(valid_phone_number("+15555550100"));
  EXPECT_FALSE(valid_phone_number("15555550100"));
  EXPECT_FALSE(valid_phone_number("+1555abc"));
}

TEST(SnsModel, Endpoints) {
  EXPECT_NO_THROW(validate_endpoint("sqs", "arn:aws:sqs:us-east-1:000000000000:q"));
  EXPECT_THROW(validate_endpoint("sqs", "http://x"), AwsError);
  EXPECT_NO_THROW(validate_endpoint("http", "http://localhost:8080/hook"));
  EXPECT_THROW(validate_endpoint("https", "http://localhost/hook"), AwsError);
  EXPECT_NO_THROW(validate_endpoint("email", "a@b.c"));
  EXPECT_THROW(validate_endpoint("email", "nope"), AwsError);
  EXPECT_NO_THROW(validate_endpoint("lambda", "arn:aws:lambda:us-east-1:000000000000:function:f"));
}

TEST(SnsModel, MessageStructure) {
  auto s = parse_message_structure(R"({"default":"d","sqs":"q"})");
  EXPECT_EQ(message_for(s, "sqs"), "q");
  EXPECT_EQ(message_for(s, "email"), "d");
  try {
    parse_message_structure(R"({"sqs":"q"})");
    FAIL();
  } catch (const AwsError& e) {
    EXPECT_EQ(e.message, "Invalid parameter: Message Structure - No default entry in JSON message body");
  }
}

TEST(SnsModel, EnvelopeTextAndSignature) {
  json::object e{{"Type", "Notification"}, {"MessageId", "id"}, {"TopicArn", "arn"}, {"Message", "m"},
                 {"Timestamp", "2024-01-01T00:00:00.000Z"}};
  EXPECT_EQ(string_to_sign(e), "Message\nm\nMessageId\nid\nTimestamp\n2024-01-01T00:00:00.000Z\nTopicArn\narn\nType\nNotification\n");
  e["Subject"] = "s";
  EXPECT_EQ(string_to_sign(e),
            "Message\nm\nMessageId\nid\nSubject\ns\nTimestamp\n2024-01-01T00:00:00.000Z\nTopicArn\narn\nType\nNotification\n");
  EXPECT_EQ(pretty_json(json::object{{"A", "x"}, {"B", json::object{{"c", 1}}}}), "{\n  \"A\" : \"x\",\n  \"B\" : {\"c\":1}\n}");
  Signer signer("", "");
  auto sig1 = signer.sign("text", "1");
  EXPECT_TRUE(signer.verify("text", sig1, "1"));
  EXPECT_FALSE(signer.verify("other", sig1, "1"));
  EXPECT_TRUE(signer.verify("text", signer.sign("text", "2"), "2"));
  EXPECT_TRUE(signer.cert_file_name().starts_with("SimpleNotificationService-"));
  Signer again(signer.key_pem(), signer.cert_pem());
  EXPECT_TRUE(again.verify("text", sig1, "1"));
  EXPECT_EQ(again.cert_file_name(), signer.cert_file_name());
}
