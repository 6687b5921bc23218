#pragma once
// Amazon SNS (query protocol): topics, subscriptions, publishing with filter policies and fan-out
// to SQS, Lambda (bus targets), HTTP/HTTPS endpoints (outgoing HTTP client) and recorded
// email/SMS/mobile-push deliveries (GET /_stratus/sns/messages). Deliveries are signed with a
// local certificate served at SigningCertURL.
#include <stratus/bus.hpp>
#include <stratus/service.hpp>

#include <boost/asio/awaitable.hpp>

#include <memory>
#include <optional>
#include <string>

namespace stratus {
class AsyncEvent;
}

namespace stratus::sns {

class Store;
class Signer;
struct Topic;
struct Subscription;

class SnsService final : public Service {
 public:
  SnsService();
  ~SnsService() override;
  void start(Env& env) override;
  void reset() override;
  void stop() override;
  bool serves_http() const override { return true; }
  Claim claim(HttpRequest& req) const override;
  boost::asio::awaitable<HttpResponse> handle_http(RequestContext& ctx, HttpRequest& req) override;

  // One published message, as fan-out sees it.
  struct Message {
    std::string message_id;
    std::string message;                  // the text (or the MessageStructure JSON)
    std::optional<json::object> structure;  // MessageStructure=json: per-protocol texts
    std::string subject;
    json::object attributes;              // SNS MessageAttributeValue documents
    std::optional<std::string> group_id, dedup_id, sequence_number;
    double timestamp = 0;                 // epoch seconds
    std::string endpoint;                 // http://host:port the publisher used (for URLs)
    std::string account, region;          // the publisher's
  };

 private:
  // ops_topics.cpp
  Output create_topic(Call& c);
  Output delete_topic(Call& c);
  Output list_topics(Call& c);
  Output get_topic_attributes(Call& c);
  Output set_topic_attributes(Call& c);
  Output add_permission(Call& c);
  Output remove_permission(Call& c);
  Output tag_resource(Call& c);
  Output untag_resource(Call& c);
  Output list_tags_for_resource(Call& c);
  Output get_data_protection_policy(Call& c);
  Output put_data_protection_policy(Call& c);
  // ops_subscriptions.cpp
  Output subscribe(Call& c);
  Output confirm_subscription(Call& c);
  Output unsubscribe(Call& c);
  Output list_subscriptions(Call& c);
  Output list_subscriptions_by_topic(Call& c);
  Output get_subscription_attributes(Call& c);
  Output set_subscription_attributes(Call& c);
  // ops_publish.cpp
  // The first Publish waits (off the loop) for the signing key; the rest is synchronous.
  boost::asio::awaitable<Output> publish(Call& c);
  boost::asio::awaitable<Output> publish_batch(Call& c);
  Output publish_now(Call& c);
  Output publish_batch_now(Call& c);
  // ops_platform.cpp (mobile push and SMS)
  Output create_platform_application(Call& c);
  Output delete_platform_application(Call& c);
  Output list_platform_applications(Call& c);
  Output get_platform_application_attributes(Call& c);
  Output set_platform_application_attributes(Call& c);
  Output create_platform_endpoint(Call& c);
  Output delete_endpoint(Call& c);
  Output get_endpoint_attributes(Call& c);
  Output set_endpoint_attributes(Call& c);
  Output list_endpoints_by_platform_application(Call& c);
  Output set_sms_attributes(Call& c);
  Output get_sms_attributes(Call& c);
  Output check_if_phone_number_is_opted_out(Call& c);
  Output list_phone_numbers_opted_out(Call& c);
  Output opt_in_phone_number(Call& c);
  Output get_sms_sandbox_account_status(Call& c);
  Output create_sms_sandbox_phone_number(Call& c);
  Output delete_sms_sandbox_phone_number(Call& c);
  Output verify_sms_sandbox_phone_number(Call& c);
  Output list_sms_sandbox_phone_numbers(Call& c);
  Output list_origination_numbers(Call& c);

  // Shared helpers.
  Topic& topic_for(const Call& c, std::string_view arn);
  int64_t now_ms() const;
  // Validates one entry of Publish/PublishBatch and builds the message; throws AwsError.
  Message prepare(const Call& c, Topic& topic, const json::object& in);
  // FIFO topics: true for a duplicate (the message then carries the original's ids); else numbers it.
  bool deduplicate(Topic& topic, Message& m);
  // Sends a message to every matching subscription of a topic (asynchronously).
  void fan_out(const Topic& topic, const Message& m);
  void deliver(const Topic& topic, const Subscription& s, const Message& m, const std::string& signature);
  void record(const Subscription* s, std::string_view protocol, std::string_view endpoint, std::string_view topic_arn,
              const Message& m, std::string_view text, std::string_view kind);
  json::object envelope(const Topic& topic, const Subscription& s, const Message& m, const std::string& text,
                         const std::string& signature, bool lambda_shape);
  std::string sign(const Topic& topic, const Message& m);
  // The signing key, loaded or generated on first use (start-up stays free of RSA work).
  Signer& signer();
  // Generates the key on the blocking pool ahead of the first delivery (on the first CreateTopic).
  void prepare_signer();
  boost::asio::awaitable<void> ensure_signer();
  // Subscription (un)confirmation messages to http/https endpoints and email logs.
  void send_confirmation(const Topic& topic, const Subscription& s, std::string_view endpoint_url,
                         std::string_view type);
  boost::asio::awaitable<void> http_post(std::string url, std::string body, Headers headers, std::string dlq_arn,
                                         std::string topic_arn, int attempts, int delay_seconds);
  // Bus target "sns": Publish from other services (S3/EventBridge/CloudWatch alarms ...).
  boost::asio::awaitable<json::value> deliver_from_bus(const Delivery& d);

  std::unique_ptr<Store> store_;
  std::unique_ptr<Signer> signer_;
  bool stopping_ = false;
  bool key_pending_ = false;
  std::unique_ptr<AsyncEvent> key_ready_;
};

}  // namespace stratus::sns
