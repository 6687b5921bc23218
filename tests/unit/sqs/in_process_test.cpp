// SQS as other services use it, without HTTP: Bus::call (Lambda's event-source mappings receive
// and delete this way, naming the queue by ARN) and the "sqs" delivery target (S3 notifications,
// EventBridge, SNS), including a long poll woken by a bus delivery and a dead-letter delivery.
#include "services/sqs/sqs_service.hpp"

#include <stratus/blocking.hpp>
#include <stratus/bus.hpp>
#include <stratus/clock.hpp>
#include <stratus/config.hpp>
#include <stratus/identity.hpp>
#include <stratus/store.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <gtest/gtest.h>

using namespace stratus;
namespace asio = boost::asio;

namespace {

struct Harness {
  asio::io_context io;
  Config config;
  Clock clock{io.get_executor()};
  Bus bus{clock};
  Storage storage{std::nullopt};
  BlockingPool pool{1};
  Identities identities;
  ServiceRegistry services;
  Env env{io, config, clock, bus, storage, pool, identities, services};

  Harness() {
    services.add(std::make_unique<sqs::SqsService>());
    services.find("sqs")->start(env);
    bus.attach(services, "http://127.0.0.1:4566");
  }
  ~Harness() { services.find("sqs")->stop(); }

  template <class T>
  T run(asio::awaitable<T> a) {
    auto f = asio::co_spawn(io, std::move(a), asio::use_future);
    io.restart();
    while (f.wait_for(std::chrono::seconds(0)) != std::future_status::ready) io.run_one();
    return f.get();
  }
  json::object call(std::string_view op, json::object in) {
    return run(bus.call("sqs", op, std::move(in), "000000000000", "us-east-1"));
  }
};

const char* kArn = "arn:aws:sqs:us-east-1:000000000000:inproc";

}  // namespace

TEST(SqsInProcess, BusCallsByArn) {
  Harness h;
  auto created = h.call("CreateQueue", {{"QueueName", "inproc"}});
  EXPECT_EQ(created.at("QueueUrl").as_string(), "http://127.0.0.1:4566/000000000000/inproc");
  h.call("SendMessage", {{"QueueUrl", kArn}, {"MessageBody", "hello"}});
  auto got = h.call("ReceiveMessage", {{"QueueUrl", kArn},
                                      {"MaxNumberOfMessages", 10},
                                      {"AttributeNames", json::array{"All"}},
                                      {"MessageAttributeNames", json::array{"All"}}});
  ASSERT_EQ(got.at("Messages").as_array().size(), 1u);
  const auto& m = got.at("Messages").as_array()[0].as_object();
  EXPECT_EQ(m.at("Body").as_string(), "hello");
  EXPECT_EQ(m.at("Attributes").as_object().at("ApproximateReceiveCount").as_string(), "1");
  auto del = h.call("DeleteMessageBatch",
                    {{"QueueUrl", kArn},
                     {"Entries", json::array{json::object{{"Id", "1"}, {"ReceiptHandle", m.at("ReceiptHandle")}}}}});
  EXPECT_EQ(del.at("Successful").as_array().size(), 1u);
  auto attrs = h.call("GetQueueAttributes", {{"QueueUrl", kArn}, {"AttributeNames", json::array{"All"}}});
  EXPECT_EQ(attrs.at("Attributes").as_object().at("ApproximateNumberOfMessagesNotVisible").as_string(), "0");
  try {
    h.call("ReceiveMessage", {{"QueueUrl", "arn:aws:sqs:us-east-1:000000000000:missing"}});
    FAIL();
  } catch (const AwsError& e) {
    EXPECT_EQ(e.code, "QueueDoesNotExist");
    EXPECT_EQ(e.query_code, "AWS.SimpleQueueService.NonExistentQueue");
  }
}

TEST(SqsInProcess, DeliveryTargetWakesLongPoll) {
  Harness h;
  h.call("CreateQueue", {{"QueueName", "inproc"}});
  auto poll = asio::co_spawn(
      h.io, h.bus.call("sqs", "ReceiveMessage", {{"QueueUrl", kArn}, {"WaitTimeSeconds", 20}}, "000000000000", "us-east-1"),
      asio::use_future);
  h.io.restart();
  for (int i = 0; i < 50; ++i) h.io.poll();  // the poll parks
  ASSERT_NE(poll.wait_for(std::chrono::seconds(0)), std::future_status::ready);
  Delivery d;
  d.target_arn = kArn;
  d.payload = R"({"Records":[]})";
  d.source_arn = "arn:aws:s3:::bucket";
  d.attributes["MessageAttributes"] = json::object{{"k", json::object{{"DataType", "String"}, {"StringValue", "v"}}}};
  auto answer = h.run(h.bus.deliver(d));
  EXPECT_TRUE(answer.as_object().contains("MessageId"));
  while (poll.wait_for(std::chrono::seconds(0)) != std::future_status::ready) h.io.run_one();
  auto got = poll.get();
  EXPECT_EQ(got.at("Messages").as_array()[0].as_object().at("Body").as_string(), R"({"Records":[]})");
}

TEST(SqsInProcess, DeadLetterDeliveryGetsEventBridgeAttributes) {
  Harness h;
  h.call("CreateQueue", {{"QueueName", "inproc"}});
  Delivery d;
  d.target_arn = kArn;
  d.payload = "{}";
  d.source_arn = "arn:aws:events:us-east-1:000000000000:rule/r";
  d.attributes["dead_letter"] = json::object{{"error_code", "ResourceNotFoundException"},
                                            {"error_message", "no such function"},
                                            {"source_arn", d.source_arn},
                                            {"target_arn", "arn:aws:lambda:us-east-1:000000000000:function:f"}};
  h.run(h.bus.deliver(d));
  auto got = h.call("ReceiveMessage", {{"QueueUrl", kArn}, {"MessageAttributeNames", json::array{"All"}}});
  const auto& attrs = got.at("Messages").as_array()[0].as_object().at("MessageAttributes").as_object();
  EXPECT_EQ(attrs.at("ERROR_CODE").as_object().at("StringValue").as_string(), "ResourceNotFoundException");
  EXPECT_EQ(attrs.at("RULE_ARN").as_object().at("StringValue").as_string(), "arn:aws:events:us-east-1:000000000000:rule/r");
  EXPECT_EQ(attrs.at("TARGET_ARN").as_object().at("StringValue").as_string(),
            "arn:aws:lambda:us-east-1:000000000000:function:f");
}
