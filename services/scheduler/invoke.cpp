// Invoking targets on the clock: flexible windows, context attributes in Input, templated and
// universal targets, retry policy and dead-letter queue, ActionAfterCompletion.
//   https://docs.aws.amazon.com/scheduler/latest/UserGuide/managing-targets.html
//   https://docs.aws.amazon.com/scheduler/latest/UserGuide/configuring-schedule-dlq.html
#include "json_text.hpp"
#include "scheduler_service.hpp"

#include <stratus/ids.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <spdlog/spdlog.h>

#include <cmath>

namespace stratus::scheduler {
namespace asio = boost::asio;

namespace {

void replace_all(std::string& s, std::string_view from, std::string_view to) {
  for (size_t p = s.find(from); p != std::string::npos; p = s.find(from, p + to.size())) s.replace(p, from.size(), to);
}

bool retriable(const std::string& code) {
  for (const char* permanent : {"NotFound", "NonExistent", "DoesNotExist", "AccessDenied", "NotAuthorized", "Validation", "InvalidParameter"})
    if (code.find(permanent) != std::string::npos) return false;
  return true;
}

json::object string_attr(std::string v) { return json::object{{"DataType", "String"}, {"StringValue", std::move(v)}}; }

// "putEvents" → "PutEvents"
std::string operation_name(std::string_view action) {
  std::string op(action);
  if (!op.empty() && op[0] >= 'a' && op[0] <= 'z') op[0] = static_cast<char>(op[0] - 32);
  return op;
}

}  // namespace

asio::awaitable<void> SchedulerService::loop() {
  auto& clock = env().clock;
  while (!stopping_) {
    const auto now_s = static_cast<int64_t>(std::floor(now()));
    int64_t next = INT64_MAX;
    std::vector<std::pair<Region*, std::pair<std::string, std::string>>> finished;
    for (auto& [_, r] : regions_) {
      for (auto& [key, s] : r.schedules) {
        for (int k = 0; s.next_fire != 0 && s.next_fire <= now_s; ++k) {
          int64_t when = s.next_fire;
          if (k < 10 && s.state == "ENABLED") fire(r, s, when);
          plan(s, k < 10 ? when : now_s);
        }
        if (s.next_fire) next = std::min(next, s.next_fire);
        // Schedules that will never run again go away when asked to (ActionAfterCompletion DELETE).
        if (s.next_fire == 0 && s.action_after_completion == "DELETE" && s.expr) finished.push_back({&r, key});
      }
    }
    for (auto& [r, key] : finished) {
      auto it = r->schedules.find(key);
      if (it == r->schedules.end()) continue;
      erase_schedule(*r, it->second);
      r->schedules.erase(it);
    }
    auto deadline = next == INT64_MAX ? clock.now() + std::chrono::hours(1)
                                      : Clock::time_point(std::chrono::seconds(next));
    bool notified = co_await wake_->wait_until(deadline);
    if (!notified && clock.now() < deadline) break;  // the clock shut down
  }
}

void SchedulerService::fire(Region& r, Schedule& s, int64_t when) {
  int64_t delay = 0;
  if (str_or(s.flexible_window, "Mode") == "FLEXIBLE") {
    // Somewhere within the window, as AWS spreads invocations.
    int64_t window = opt_int(s.flexible_window, "MaximumWindowInMinutes").value_or(0) * 60;
    if (window > 0) delay = static_cast<int64_t>(ids::random64() % static_cast<uint64_t>(window));
  }
  asio::co_spawn(env().io, invoke(r.account, r.region, s.arn, s.target, when, delay), asio::detached);
}

asio::awaitable<void> SchedulerService::invoke(std::string account, std::string region_name, std::string schedule_arn,
                                               json::object target, int64_t scheduled, int64_t delay_seconds) {
  auto& clock = env().clock;
  // The window is counted from the scheduled time (a clock that jumped past it invokes at once).
  if (delay_seconds > 0 && !co_await clock.sleep_until(Clock::time_point(std::chrono::seconds(scheduled + delay_seconds))))
    co_return;
  const std::string execution_id = ids::uuid4();
  const std::string target_arn(str_or(target, "Arn"));
  int64_t max_retries = 185, max_age = 86400;
  if (auto* rp = opt_obj(target, "RetryPolicy")) {
    max_retries = opt_int(*rp, "MaximumRetryAttempts").value_or(max_retries);
    max_age = opt_int(*rp, "MaximumEventAgeInSeconds").value_or(max_age);
  }
  const auto started = clock.now();
  AwsError last;
  std::string payload;
  for (int64_t attempt = 1;; ++attempt) {
    // Context attributes: https://docs.aws.amazon.com/scheduler/latest/UserGuide/managing-schedule-context-attributes.html
    payload = std::string(str_or(target, "Input", "{}"));
    replace_all(payload, "<aws.scheduler.schedule-arn>", schedule_arn);
    replace_all(payload, "<aws.scheduler.scheduled-time>", iso8601(static_cast<double>(scheduled), false));
    replace_all(payload, "<aws.scheduler.execution-id>", execution_id);
    replace_all(payload, "<aws.scheduler.attempt-number>", std::to_string(attempt));
    try {
      if (target_arn.starts_with("arn:aws:scheduler:::aws-sdk:")) {
        // Universal target: arn:aws:scheduler:::aws-sdk:<service>:<apiAction>, Input = the request.
        std::string_view rest = std::string_view(target_arn).substr(28);
        auto colon = rest.find(':');
        if (colon == std::string_view::npos) throw AwsError("ValidationException", "Invalid universal target.", 400);
        boost::system::error_code ec;
        json::value input = json::parse(payload, ec);
        if (ec || !input.is_object()) throw AwsError("ValidationException", "Input is not a JSON object.", 400);
        co_await env().bus.call(rest.substr(0, colon), operation_name(rest.substr(colon + 1)), input.get_object(),
                                account, region_name);
      } else {
        Delivery d;
        d.target_arn = target_arn;
        d.source_arn = schedule_arn;
        d.trace_id = execution_id;
        d.payload = payload;
        auto arn = Arn::parse(target_arn);
        if (arn && arn->service == "events" && arn->resource.starts_with("event-bus/")) {
          json::object entry;
          if (auto* p = opt_obj(target, "EventBridgeParameters")) {
            entry["Source"] = str_or(*p, "Source");
            entry["DetailType"] = str_or(*p, "DetailType");
          }
          entry["Detail"] = payload;
          entry["Resources"] = json::array{json::value(schedule_arn)};
          d.payload = json::serialize(entry);
        } else if (arn && arn->service == "sqs") {
          if (auto* p = opt_obj(target, "SqsParameters"))
            if (auto g = opt_str(*p, "MessageGroupId")) d.attributes["MessageGroupId"] = *g;
          if (target_arn.ends_with(".fifo")) d.attributes["MessageDeduplicationId"] = execution_id;
        } else if (arn && arn->service == "lambda") {
          d.attributes["InvocationType"] = "Event";
          d.attributes["Source"] = "scheduler";
        }
        co_await env().bus.deliver(d);
      }
      co_return;
    } catch (const AwsError& e) {
      last = e;
    } catch (const std::exception& e) {
      last = AwsError("InternalServerException", e.what(), 500);
    }
    if (stopping_ || !retriable(last.code) || attempt > max_retries) break;
    auto delay = std::chrono::seconds(1LL << std::min<int64_t>(attempt - 1, 7));
    if (clock.now() + delay - started > std::chrono::seconds(max_age)) break;
    if (!co_await clock.sleep_for(delay)) co_return;
  }
  spdlog::debug("scheduler: {} could not invoke {}: {} {}", schedule_arn, target_arn, last.code, last.message);
  auto* dl = opt_obj(target, "DeadLetterConfig");
  if (!dl) co_return;
  Delivery dead;
  dead.target_arn = std::string(str_or(*dl, "Arn"));
  dead.payload = payload;
  dead.source_arn = schedule_arn;
  dead.trace_id = execution_id;
  dead.attributes["MessageAttributes"] = json::object{{"ERROR_CODE", string_attr(last.code)},
                                                      {"ERROR_MESSAGE", string_attr(last.message)},
                                                      {"EXECUTION_ID", string_attr(execution_id)},
                                                      {"SCHEDULE_ARN", string_attr(schedule_arn)},
                                                      {"TARGET_ARN", string_attr(target_arn)}};
  try {
    co_await env().bus.deliver(dead);
  } catch (const std::exception& e) {
    spdlog::warn("scheduler: dead-letter delivery to {} failed: {}", dead.target_arn, e.what());
  }
}

}  // namespace stratus::scheduler
