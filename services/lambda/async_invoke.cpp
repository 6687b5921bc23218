// Asynchronous invocation: the event queue, retries with Lambda's backoff, on-success/on-failure
// destinations and dead-letter queues, and the event invoke configs that tune them.
// https://docs.aws.amazon.com/lambda/latest/dg/invocation-async.html
#include "errors.hpp"
#include "lambda_service.hpp"
#include "model.hpp"

#include <stratus/bus.hpp>
#include <stratus/clock.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <spdlog/spdlog.h>

namespace stratus::lambda {
namespace asio = boost::asio;
using asio::awaitable;

namespace {

constexpr int kDefaultRetries = 2;
constexpr int kDefaultMaxAge = 21600;

json::value as_json(std::string_view text) {
  boost::system::error_code ec;
  auto v = json::parse(text, ec);
  if (ec) return json::string(text);
  return v;
}

void validate_destination(const json::object* dest) {
  if (!dest) return;
  for (auto which : {"OnSuccess", "OnFailure"}) {
    auto* d = opt_obj(*dest, which);
    if (!d) continue;
    auto target = opt_str(*d, "Destination");
    if (!target) continue;
    auto arn = Arn::parse(*target);
    if (!arn || (arn->service != "sqs" && arn->service != "sns" && arn->service != "lambda" && arn->service != "events"))
      throw errors::invalid_parameter("The provided destination config DestinationConfig is invalid. Destination " +
                                      *target + " is not a supported destination (SQS queue, SNS topic, Lambda "
                                      "function or EventBridge event bus).");
  }
}

}  // namespace

void LambdaService::enqueue_event(const Target& t, std::string payload, std::string request_id, std::string source) {
  // Only identifiers survive suspensions: the function may be updated or deleted meanwhile.
  asio::co_spawn(env().io,
                 run_event(t.fn->account, t.fn->region, t.fn->name, t.qualifier, std::move(payload),
                           std::move(request_id), epoch_),
                 asio::detached);
}

awaitable<void> LambdaService::run_event(std::string account, std::string region, std::string name,
                                         std::string qualifier, std::string payload, std::string request_id,
                                         uint64_t epoch) {
  const std::string base_arn = function_arn(region, account, name);
  Clock& clock = env().clock;
  const auto enqueued = clock.now();
  int attempts = 0;
  auto config_of = [&](Function& f) -> json::object {
    std::string key = qualifier.empty() ? "$LATEST" : qualifier;
    auto it = f.invoke_configs.find(key);
    return it == f.invoke_configs.end() ? json::object{} : it->second;
  };
  json::object config;
  std::string condition;
  InvokeOutcome last;
  std::chrono::seconds throttle_delay{1};
  for (;;) {
    if (epoch != epoch_) co_return;
    Function* f = store_.function(account, region, name);
    if (!f) co_return;
    Target cur;
    try {
      cur = resolve(account, region, name, qualifier.empty() ? std::nullopt : std::optional<std::string>(qualifier));
    } catch (const AwsError&) {
      co_return;
    }
    config = config_of(*f);
    const int max_retries = static_cast<int>(opt_int(config, "MaximumRetryAttempts").value_or(kDefaultRetries));
    const auto max_age = std::chrono::seconds(opt_int(config, "MaximumEventAgeInSeconds").value_or(kDefaultMaxAge));
    if (clock.now() - enqueued > max_age) {
      condition = "EventAgeExceeded";
      break;
    }
    runtime::Invocation inv;
    inv.request_id = request_id;
    inv.payload = payload;
    inv.invoked_arn = cur.invoked_arn;
    bool throttled = false;
    try {
      last = co_await execute(cur, std::move(inv));
    } catch (const AwsError& e) {
      throttled = e.code == "TooManyRequestsException";
      if (!throttled) {
        spdlog::warn("lambda {}: asynchronous invocation {} failed: {}", name, request_id, e.message);
        last.result.function_error = "Unhandled";
        last.result.payload = runtime::error_document(e.code, e.message);
      }
    }
    if (throttled) {
      // Throttled events stay queued (up to the maximum event age) without using up retries.
      if (!co_await clock.sleep_for(throttle_delay)) co_return;
      throttle_delay = std::min(throttle_delay * 2, std::chrono::seconds(300));
      continue;
    }
    ++attempts;
    if (epoch != epoch_) co_return;
    if (last.result.function_error.empty()) {
      condition = "Success";
      break;
    }
    if (attempts > max_retries) {
      condition = "RetriesExhausted";
      break;
    }
    // Lambda waits a minute before the first retry and two minutes before the second.
    auto delay = std::chrono::seconds(60 * attempts);
    if (clock.now() + delay - enqueued > max_age) {
      condition = "EventAgeExceeded";
      break;
    }
    if (!co_await clock.sleep_for(delay)) co_return;
  }
  if (epoch != epoch_) co_return;
  const bool success = condition == "Success";
  Function* f = store_.function(account, region, name);
  std::string dest;
  if (auto* dc = opt_obj(config, "DestinationConfig"))
    if (auto* d = opt_obj(*dc, success ? "OnSuccess" : "OnFailure")) dest = str_or(*d, "Destination");
  std::string executed = last.executed_version.empty() ? "$LATEST" : last.executed_version;
  if (!dest.empty()) {
    json::object response_ctx{{"statusCode", 200}, {"executedVersion", executed}};
    if (!success) response_ctx["functionError"] = last.result.function_error.empty() ? "Unhandled" : last.result.function_error;
    json::object record{{"version", "1.0"},
                        {"timestamp", iso8601(clock.now_seconds())},
                        {"requestContext",
                         json::object{{"requestId", request_id},
                                      {"functionArn", base_arn + ":" + (qualifier.empty() ? std::string("$LATEST") : qualifier)},
                                      {"condition", condition},
                                      {"approximateInvokeCount", attempts}}},
                        {"requestPayload", as_json(payload)},
                        {"responseContext", std::move(response_ctx)},
                        {"responsePayload", as_json(last.result.payload)}};
    Delivery d;
    d.target_arn = dest;
    d.source_arn = base_arn;
    auto arn = Arn::parse(dest);
    if (arn && arn->service == "events") {
      json::object entry{{"Source", "lambda"},
                         {"DetailType", success ? "Lambda Function Invocation Result - Success"
                                                : "Lambda Function Invocation Result - Failure"},
                         {"Detail", json::serialize(record)},
                         {"Resources", json::array{json::string(base_arn), json::string(dest)}}};
      d.payload = json::serialize(entry);
    } else {
      d.payload = json::serialize(record);
      if (arn && arn->service == "lambda") d.attributes["InvocationType"] = "Event";
    }
    env().bus.dispatch(std::move(d), [dest](const json::value*, const AwsError* e) {
      if (e) spdlog::warn("lambda: destination {} failed: {}", dest, e->message);
    });
  } else if (!success && f) {
    // No on-failure destination: the function's dead-letter queue, if any, gets the event.
    std::string dlq;
    if (auto* dl = opt_obj(f->latest.config, "DeadLetterConfig")) dlq = str_or(*dl, "TargetArn");
    if (!dlq.empty()) {
      std::string error_message;
      boost::system::error_code ec;
      auto err = json::parse(last.result.payload, ec);
      if (!ec && err.is_object()) error_message = str_or(err.as_object(), "errorMessage");
      json::object attrs{
          {"RequestID", json::object{{"DataType", "String"}, {"StringValue", request_id}}},
          {"ErrorCode", json::object{{"DataType", "Number"}, {"StringValue", "200"}}},
          {"ErrorMessage", json::object{{"DataType", "String"}, {"StringValue", error_message.empty() ? "Unhandled" : error_message}}}};
      Delivery d;
      d.target_arn = dlq;
      d.source_arn = base_arn;
      d.payload = payload;
      d.attributes["MessageAttributes"] = std::move(attrs);
      env().bus.dispatch(std::move(d), [dlq](const json::value*, const AwsError* e) {
        if (e) spdlog::warn("lambda: dead-letter queue {} failed: {}", dlq, e->message);
      });
    }
  }
}

// ---- Event invoke configs ------------------------------------------------------------------------------

namespace {
std::string config_key(const json::object& in) { return std::string(str_or(in, "Qualifier", "$LATEST")); }
}  // namespace

Output LambdaService::put_function_event_invoke_config(Call& c) {
  Function& f = require_function(c);
  std::string q = config_key(c.input);
  if (q != "$LATEST" && !find_version(f, q) && !f.aliases.count(q))
    throw errors::function_not_found(f.arn() + ":" + q);
  validate_destination(opt_obj(c.input, "DestinationConfig"));
  json::object cfg{{"LastModified", env().clock.now_seconds()}, {"FunctionArn", f.arn() + ":" + q}};
  if (auto n = opt_int(c.input, "MaximumRetryAttempts")) cfg["MaximumRetryAttempts"] = *n;
  else cfg["MaximumRetryAttempts"] = kDefaultRetries;
  if (auto n = opt_int(c.input, "MaximumEventAgeInSeconds")) cfg["MaximumEventAgeInSeconds"] = *n;
  else cfg["MaximumEventAgeInSeconds"] = kDefaultMaxAge;
  json::object dest{{"OnSuccess", json::object{}}, {"OnFailure", json::object{}}};
  if (auto* d = opt_obj(c.input, "DestinationConfig"))
    for (auto& [k, v] : *d) dest[k] = v;
  cfg["DestinationConfig"] = std::move(dest);
  f.invoke_configs[q] = cfg;
  store_.save(f);
  return cfg;
}

Output LambdaService::update_function_event_invoke_config(Call& c) {
  Function& f = require_function(c);
  std::string q = config_key(c.input);
  validate_destination(opt_obj(c.input, "DestinationConfig"));
  auto it = f.invoke_configs.find(q);
  json::object cfg = it != f.invoke_configs.end()
                         ? it->second
                         : json::object{{"MaximumRetryAttempts", kDefaultRetries},
                                        {"MaximumEventAgeInSeconds", kDefaultMaxAge},
                                        {"DestinationConfig", json::object{{"OnSuccess", json::object{}}, {"OnFailure", json::object{}}}}};
  cfg["LastModified"] = env().clock.now_seconds();
  cfg["FunctionArn"] = f.arn() + ":" + q;
  if (auto n = opt_int(c.input, "MaximumRetryAttempts")) cfg["MaximumRetryAttempts"] = *n;
  if (auto n = opt_int(c.input, "MaximumEventAgeInSeconds")) cfg["MaximumEventAgeInSeconds"] = *n;
  if (auto* d = opt_obj(c.input, "DestinationConfig")) {
    json::object& dest = cfg["DestinationConfig"].as_object();
    for (auto& [k, v] : *d) dest[k] = v;
  }
  f.invoke_configs[q] = cfg;
  store_.save(f);
  return cfg;
}

Output LambdaService::get_function_event_invoke_config(Call& c) {
  Function& f = require_function(c);
  std::string q = config_key(c.input);
  auto it = f.invoke_configs.find(q);
  if (it == f.invoke_configs.end())
    throw errors::not_found("The function " + f.arn() + ":" + q + " doesn't have an EventInvokeConfig");
  return it->second;
}

Output LambdaService::delete_function_event_invoke_config(Call& c) {
  Function& f = require_function(c);
  std::string q = config_key(c.input);
  if (!f.invoke_configs.erase(q))
    throw errors::not_found("The function " + f.arn() + ":" + q + " doesn't have an EventInvokeConfig");
  store_.save(f);
  Output o;
  o.status = 204;
  return o;
}

Output LambdaService::list_function_event_invoke_configs(Call& c) {
  Function& f = require_function(c);
  json::array list;
  for (auto& [q, cfg] : f.invoke_configs) list.push_back(cfg);
  return json::object{{"FunctionEventInvokeConfigs", std::move(list)}};
}

}  // namespace stratus::lambda
