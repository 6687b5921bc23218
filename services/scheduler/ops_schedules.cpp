// Schedules. https://docs.aws.amazon.com/scheduler/latest/APIReference/API_CreateSchedule.html
#include "scheduler_service.hpp"

#include <stratus/crypto.hpp>

#include <cmath>

namespace stratus::scheduler {
namespace sch = events::schedule;

namespace {

AwsError validation(std::string msg) { return {"ValidationException", std::move(msg), 400}; }
AwsError not_found(const std::string& name) {
  return {"ResourceNotFoundException", "Schedule " + name + " does not exist.", 404};
}

std::optional<double> time_member(const json::object& in, const char* k) {
  auto* v = find(in, k);
  if (!v || !v->is_number()) return std::nullopt;
  return v->to_number<double>();
}

json::object with_default_retry(json::object target) {
  // AWS fills in the default retry policy it applies (GetSchedule shows it).
  auto* rp = opt_obj(target, "RetryPolicy");
  json::object policy = rp ? *rp : json::object{};
  if (!policy.contains("MaximumEventAgeInSeconds")) policy["MaximumEventAgeInSeconds"] = 86400;
  if (!policy.contains("MaximumRetryAttempts")) policy["MaximumRetryAttempts"] = 185;
  target["RetryPolicy"] = std::move(policy);
  return target;
}

std::string token(size_t i) { return crypto::base64("stratus-scheduler:" + std::to_string(i)); }
size_t from_token(const json::object& in) {
  auto t = opt_str(in, "NextToken");
  if (!t) return 0;
  auto raw = crypto::base64_decode(*t);
  if (!raw || !raw->starts_with("stratus-scheduler:")) throw validation("Invalid NextToken.");
  try {
    return static_cast<size_t>(std::stoull(raw->substr(18)));
  } catch (const std::exception&) {
    throw validation("Invalid NextToken.");
  }
}

}  // namespace

void SchedulerService::apply(Schedule& s, const json::object& in, bool creating) {
  const std::string expression(str_or(in, "ScheduleExpression"));
  auto expr = sch::Expression::parse(expression, sch::Flavor::scheduler);
  if (!expr) throw validation("Invalid Schedule Expression " + expression + ".");
  const std::string tz_name(str_or(in, "ScheduleExpressionTimezone", "UTC"));
  auto tz = sch::TimeZone::load(tz_name);
  if (!tz) throw validation("Invalid Schedule Expression Timezone " + tz_name + ".");
  const json::object* window = opt_obj(in, "FlexibleTimeWindow");
  if (window) {
    auto mode = str_or(*window, "Mode");
    auto minutes = opt_int(*window, "MaximumWindowInMinutes");
    if (mode == "FLEXIBLE" && !minutes)
      throw validation("MaximumWindowInMinutes must be provided when FlexibleTimeWindow mode is FLEXIBLE.");
    if (mode == "OFF" && minutes)
      throw validation("MaximumWindowInMinutes must not be provided when FlexibleTimeWindow mode is OFF.");
  }
  auto start = time_member(in, "StartDate");
  auto end = time_member(in, "EndDate");
  const double t = now();
  if (start && expr->kind() != sch::Expression::Kind::at && *start < t - 300)
    throw validation("The StartDate you specify cannot be earlier than 5 minutes ago.");
  if (end && *end <= t) throw validation("The EndDate you specify cannot be earlier than the current time.");
  if (start && end && *end <= *start) throw validation("The EndDate must be later than the StartDate.");
  const json::object* target = opt_obj(in, "Target");
  if (!target) throw validation("Target must be provided.");
  auto arn = Arn::parse(str_or(*target, "Arn"));
  if (!arn && !str_or(*target, "Arn").starts_with("arn:aws:scheduler:::aws-sdk:"))
    throw validation("Invalid target ARN " + std::string(str_or(*target, "Arn")) + ".");
  if (arn && arn->service == "events" && arn->resource.starts_with("event-bus/") && !opt_obj(*target, "EventBridgeParameters"))
    throw validation("EventBridgeParameters must be provided for EventBridge PutEvents targets.");
  if (arn && arn->service == "sqs" && arn->resource.ends_with(".fifo") && !opt_obj(*target, "SqsParameters"))
    throw validation("SqsParameters must be provided for an Amazon SQS FIFO queue target.");

  const bool expr_changed = s.expression != expression || s.timezone != tz_name || s.start_date != start;
  s.expression = expression;
  s.expr = expr;
  s.timezone = tz_name;
  s.tz = tz;
  s.start_date = start;
  s.end_date = end;
  s.description = std::string(str_or(in, "Description"));
  s.state = std::string(str_or(in, "State", "ENABLED"));
  s.action_after_completion = std::string(str_or(in, "ActionAfterCompletion", "NONE"));
  s.kms_key_arn = std::string(str_or(in, "KmsKeyArn"));
  s.flexible_window = window ? *window : json::object{{"Mode", "OFF"}};
  s.target = with_default_retry(*target);
  s.modified = t;
  if (creating) s.created = t;
  if (creating || expr_changed) s.anchor = static_cast<int64_t>(start ? *start : std::floor(t));
  // A rate() schedule without StartDate "starts invoking the target immediately"
  // (schedule-types.html#rate-based): its first occurrence is the anchor itself.
  plan(s, static_cast<int64_t>(std::floor(t)) - 1);
}

void SchedulerService::plan(Schedule& s, int64_t after) {
  s.next_fire = 0;
  if (!s.expr || !s.tz) return;
  const auto& tz = *s.tz;
  int64_t from = after;
  if (s.start_date && static_cast<int64_t>(*s.start_date) - 1 > from) from = static_cast<int64_t>(*s.start_date) - 1;
  int64_t next = 0;
  switch (s.expr->kind()) {
    case sch::Expression::Kind::at: {
      int64_t t = tz.to_utc(s.expr->at_local());
      next = t > after ? t : 0;
      break;
    }
    case sch::Expression::Kind::rate:
      next = s.expr->next_rate(s.anchor, from);
      break;
    case sch::Expression::Kind::cron: next = s.expr->next_cron(from, tz).value_or(0); break;
  }
  if (next && s.end_date && static_cast<double>(next) > *s.end_date) next = 0;
  s.next_fire = next;
  wake();
}

Output SchedulerService::create_schedule(Call& c) {
  Region& r = region(c.ctx);
  const std::string name(str_or(c.input, "Name"));
  Group& g = group(r, std::string(str_or(c.input, "GroupName", "default")));
  auto key = std::make_pair(g.name, name);
  if (r.schedules.count(key)) throw AwsError("ConflictException", "Schedule " + name + " already exists.", 409);
  Schedule s;
  s.name = name;
  s.group = g.name;
  s.arn = "arn:aws:scheduler:" + r.region + ":" + r.account + ":schedule/" + g.name + "/" + name;
  apply(s, c.input, true);
  auto& stored = r.schedules.emplace(key, std::move(s)).first->second;
  save(r, stored);
  return json::object{{"ScheduleArn", stored.arn}};
}

Output SchedulerService::update_schedule(Call& c) {
  Region& r = region(c.ctx);
  const std::string name(str_or(c.input, "Name"));
  Group& g = group(r, std::string(str_or(c.input, "GroupName", "default")));
  auto it = r.schedules.find({g.name, name});
  if (it == r.schedules.end()) throw not_found(name);
  apply(it->second, c.input, false);
  save(r, it->second);
  return json::object{{"ScheduleArn", it->second.arn}};
}

Output SchedulerService::get_schedule(Call& c) {
  Region& r = region(c.ctx);
  const std::string name(str_or(c.input, "Name"));
  Group& g = group(r, std::string(str_or(c.input, "GroupName", "default")));
  auto it = r.schedules.find({g.name, name});
  if (it == r.schedules.end()) throw not_found(name);
  const Schedule& s = it->second;
  json::object o{{"Arn", s.arn},
                 {"Name", s.name},
                 {"GroupName", s.group},
                 {"ScheduleExpression", s.expression},
                 {"ScheduleExpressionTimezone", s.timezone},
                 {"State", s.state},
                 {"ActionAfterCompletion", s.action_after_completion},
                 {"FlexibleTimeWindow", s.flexible_window},
                 {"Target", s.target},
                 {"CreationDate", s.created},
                 {"LastModificationDate", s.modified}};
  if (!s.description.empty()) o["Description"] = s.description;
  if (!s.kms_key_arn.empty()) o["KmsKeyArn"] = s.kms_key_arn;
  if (s.start_date) o["StartDate"] = *s.start_date;
  if (s.end_date) o["EndDate"] = *s.end_date;
  return o;
}

Output SchedulerService::delete_schedule(Call& c) {
  Region& r = region(c.ctx);
  const std::string name(str_or(c.input, "Name"));
  Group& g = group(r, std::string(str_or(c.input, "GroupName", "default")));
  auto it = r.schedules.find({g.name, name});
  if (it == r.schedules.end()) throw not_found(name);
  erase_schedule(r, it->second);
  r.schedules.erase(it);
  wake();
  return json::object{};
}

Output SchedulerService::list_schedules(Call& c) {
  Region& r = region(c.ctx);
  auto group_filter = opt_str(c.input, "GroupName");
  if (group_filter) group(r, *group_filter);
  std::string prefix(str_or(c.input, "NamePrefix"));
  std::string state(str_or(c.input, "State"));
  size_t start = from_token(c.input);
  size_t limit = static_cast<size_t>(opt_int(c.input, "MaxResults").value_or(100));
  json::array out;
  size_t i = 0, next = 0;
  for (auto& [key, s] : r.schedules) {
    if ((group_filter && s.group != *group_filter) || !s.name.starts_with(prefix) || (!state.empty() && s.state != state))
      continue;
    if (i++ < start) continue;
    if (out.size() == limit) {
      next = i - 1;
      break;
    }
    out.push_back(json::object{{"Arn", s.arn},
                               {"Name", s.name},
                               {"GroupName", s.group},
                               {"State", s.state},
                               {"CreationDate", s.created},
                               {"LastModificationDate", s.modified},
                               {"Target", json::object{{"Arn", str_or(s.target, "Arn")}}}});
  }
  json::object res{{"Schedules", std::move(out)}};
  if (next) res["NextToken"] = token(next);
  return res;
}

}  // namespace stratus::scheduler
