#pragma once
// The integrations bus: in-process delivery of a payload to a target addressed by ARN. Each
// service registers the targets it owns ("sqs", "lambda", "sns", "events", "states", "logs");
// producers (S3 notifications, EventBridge rules, SNS subscriptions, Lambda destinations) never
// call another service's HTTP endpoint. Retries follow the delivery's policy on the Clock, and a
// delivery that keeps failing goes to its dead-letter target.
#include <stratus/aws_error.hpp>
#include <stratus/json.hpp>

#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <unordered_map>

namespace stratus {

class Clock;
class ServiceRegistry;

struct Arn {
  std::string partition, service, region, account, resource;
  static std::optional<Arn> parse(std::string_view arn);
  std::string str() const;
};

struct RetryPolicy {
  int max_attempts = 1;                                   // total attempts, >= 1
  std::chrono::seconds max_event_age{std::chrono::hours(24)};
  std::chrono::milliseconds base_delay{1000};             // exponential backoff, doubled each time
  std::chrono::milliseconds max_delay{std::chrono::minutes(5)};
};

struct Delivery {
  std::string target_arn;
  std::string payload;        // usually JSON text
  json::object attributes;    // target-specific options (MessageGroupId, invocation type, ...)
  std::string source_arn;     // who sent it (for DLQ metadata and logs)
  std::string trace_id;       // carried end to end
  RetryPolicy retry;
  std::string dead_letter_arn;  // where a delivery that exhausted its retries goes (may be empty)
};

// A target handler performs one attempt. Throwing AwsError (or any exception) is a failure.
// The returned document is the target's answer (Lambda response, SQS message id) if any.
using TargetHandler = std::function<boost::asio::awaitable<json::value>(const Delivery&)>;

class Bus {
 public:
  explicit Bus(Clock& clock) : clock_(clock) {}
  // `service` is the ARN service segment the handler owns: "sqs", "lambda", ...
  void register_target(std::string service, TargetHandler handler);
  bool has_target(std::string_view service);  // starts the service that owns it

  // One attempt, now; throws AwsError when the target fails or is unknown.
  boost::asio::awaitable<json::value> deliver(const Delivery& d);
  // Asynchronous delivery with the delivery's retry policy and dead-letter target; returns at once.
  // `on_done` (optional) learns the outcome: the answer, or the last error.
  using Completion = std::function<void(const json::value* answer, const AwsError* error)>;
  void dispatch(Delivery d, Completion on_done = {});

  size_t in_flight() const { return in_flight_; }

  // Calls operation `op` of `service` in process, as account/region, with an input document
  // (already valid: no model validation or protocol decoding happens). For pull-style
  // integrations: Lambda event-source mappings receiving from SQS, reading DynamoDB streams.
  // Throws the operation's AwsError.
  boost::asio::awaitable<json::object> call(std::string_view service, std::string_view op, json::object input,
                                            std::string_view account, std::string_view region);
  void attach(ServiceRegistry& services, std::string endpoint) {
    services_ = &services;
    endpoint_ = std::move(endpoint);
  }

 private:
  boost::asio::awaitable<void> run(Delivery d, Completion on_done);
  Clock& clock_;
  std::unordered_map<std::string, TargetHandler> targets_;
  size_t in_flight_ = 0;
  ServiceRegistry* services_ = nullptr;
  std::string endpoint_;
};

}  // namespace stratus
