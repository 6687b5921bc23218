// SNS fan-out through the integrations bus without HTTP: the Lambda event (Records[].Sns, as
// https://docs.aws.amazon.com/lambda/latest/dg/with-sns.html shows it) delivered to a stand-in
// "lambda" target, and the "sns" target other services publish through.
#include "services/sns/sns_service.hpp"

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
  std::vector<Delivery> lambda_calls;

  Harness() {
    services.add(std::make_unique<sns::SnsService>());
    services.find("sns")->start(env);
    bus.attach(services, "http://127.0.0.1:4566");
    bus.register_target("lambda", [this](const Delivery& d) -> asio::awaitable<json::value> {
      lambda_calls.push_back(d);
      co_return json::object{{"StatusCode", 202}};
    });
  }
  ~Harness() { services.find("sns")->stop(); }

  template <class T>
  T run(asio::awaitable<T> a) {
    auto f = asio::co_spawn(io, std::move(a), asio::use_future);
    io.restart();
    while (f.wait_for(std::chrono::seconds(0)) != std::future_status::ready) io.run_one();
    return f.get();
  }
  json::object call(std::string_view op, json::object in) {
    return run(bus.call("sns", op, std::move(in), "000000000000", "us-east-1"));
  }
  void drain() {
    io.restart();
    io.poll();
  }
};

}  // namespace

TEST(SnsInProcess, LambdaSubscriptionGetsTheRecordsEvent) {
  Harness h;
  std::string topic(h.call("CreateTopic", {{"Name", "orders"}}).at("TopicArn").as_string());
  const char* fn = "arn:aws:lambda:us-east-1:000000000000:function:handler";
  std::string sub(h.call("Subscribe", {{"TopicArn", topic}, {"Protocol", "lambda"}, {"Endpoint", fn}})
                      .at("SubscriptionArn")
                      .as_string());
  auto pub = h.call("Publish", {{"TopicArn", topic},
                                {"Message", "order placed"},
                                {"MessageAttributes", json::object{{"kind", json::object{{"DataType", "String"},
                                                                                         {"StringValue", "new"}}}}}});
  h.drain();
  ASSERT_EQ(h.lambda_calls.size(), 1u);
  const Delivery& d = h.lambda_calls[0];
  EXPECT_EQ(d.target_arn, fn);
  EXPECT_EQ(d.attributes.at("InvocationType").as_string(), "Event");
  json::value event = json::parse(d.payload);
  const auto& record = event.at("Records").as_array()[0].as_object();
  EXPECT_EQ(record.at("EventSource").as_string(), "aws:sns");
  EXPECT_EQ(record.at("EventVersion").as_string(), "1.0");
  EXPECT_EQ(record.at("EventSubscriptionArn").as_string(), sub);
  const auto& s = record.at("Sns").as_object();
  EXPECT_EQ(s.at("Type").as_string(), "Notification");
  EXPECT_EQ(s.at("MessageId").as_string(), pub.at("MessageId").as_string());
  EXPECT_EQ(s.at("TopicArn").as_string(), topic);
  EXPECT_TRUE(s.at("Subject").is_null());
  EXPECT_EQ(s.at("Message").as_string(), "order placed");
  EXPECT_EQ(s.at("SignatureVersion").as_string(), "1");
  EXPECT_TRUE(s.contains("Signature"));
  EXPECT_TRUE(s.at("SigningCertUrl").as_string().starts_with("http://127.0.0.1:4566/SimpleNotificationService-"));
  EXPECT_EQ(s.at("UnsubscribeUrl").as_string(), "http://127.0.0.1:4566/?Action=Unsubscribe&SubscriptionArn=" + sub);
  EXPECT_EQ(s.at("MessageAttributes").as_object().at("kind").as_object().at("Value").as_string(), "new");
}

TEST(SnsInProcess, BusTargetPublishesWithFilterPolicies) {
  Harness h;
  std::string topic(h.call("CreateTopic", {{"Name", "alerts"}}).at("TopicArn").as_string());
  h.call("Subscribe", {{"TopicArn", topic},
                       {"Protocol", "lambda"},
                       {"Endpoint", "arn:aws:lambda:us-east-1:000000000000:function:f"},
                       {"Attributes", json::object{{"FilterPolicy", R"({"severity":["high"]})"}}}});
  Delivery d;
  d.target_arn = topic;
  d.source_arn = "arn:aws:cloudwatch:us-east-1:000000000000:alarm:a";
  d.payload = "low";
  d.attributes["MessageAttributes"] = json::object{{"severity", json::object{{"DataType", "String"}, {"StringValue", "low"}}}};
  h.run(h.bus.deliver(d));
  d.payload = "high";
  d.attributes["MessageAttributes"] = json::object{{"severity", json::object{{"DataType", "String"}, {"StringValue", "high"}}}};
  d.attributes["Subject"] = "ALARM";
  auto answer = h.run(h.bus.deliver(d));
  EXPECT_TRUE(answer.as_object().contains("MessageId"));
  h.drain();
  ASSERT_EQ(h.lambda_calls.size(), 1u);
  json::value event = json::parse(h.lambda_calls[0].payload);
  const auto& s = event.at("Records").as_array()[0].at("Sns").as_object();
  EXPECT_EQ(s.at("Message").as_string(), "high");
  EXPECT_EQ(s.at("Subject").as_string(), "ALARM");
}
