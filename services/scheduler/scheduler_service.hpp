#pragma once
// Amazon EventBridge Scheduler (rest-json): schedule groups and schedules (at(), rate(), cron() in a
// time zone, start/end dates, flexible time windows) invoking templated targets (Lambda, SQS, SNS,
// Step Functions, EventBridge buses) and universal targets (aws-sdk:<service>:<action>) through
// the integrations bus, with retry policies, SQS dead-letter queues and ActionAfterCompletion.
#include "schedule.hpp"

#include <stratus/bus.hpp>
#include <stratus/clock.hpp>
#include <stratus/service.hpp>
#include <stratus/store.hpp>

#include <map>
#include <memory>
#include <optional>
#include <unordered_map>

namespace stratus::scheduler {

struct Group {
  std::string name, arn, state = "ACTIVE";
  double created = 0, modified = 0;
  std::map<std::string, std::string> tags;
  json::object to_doc() const;
  static Group from_doc(const json::object& d);
};

struct Schedule {
  std::string name, group, arn, expression, timezone, description, state = "ENABLED";
  std::string action_after_completion = "NONE", kms_key_arn;
  std::optional<double> start_date, end_date;
  json::object flexible_window, target;
  double created = 0, modified = 0;
  // Runtime (not persisted): parsed expression and the next invocation time.
  std::optional<events::schedule::Expression> expr;
  std::shared_ptr<const events::schedule::TimeZone> tz;
  int64_t next_fire = 0;    // scheduled time (epoch seconds), 0 = never again
  int64_t anchor = 0;       // rate(): start of the sequence
  json::object to_doc() const;
  static Schedule from_doc(const json::object& d);
};

struct Region {
  std::string account, region;
  std::map<std::string, Group> groups;
  std::map<std::pair<std::string, std::string>, Schedule> schedules;  // (group, name)
};

class SchedulerService final : public Service {
 public:
  SchedulerService();
  void start(Env& env) override;
  void reset() override;
  void stop() override;

 private:
  // ops_schedules.cpp
  Output create_schedule(Call& c);
  Output update_schedule(Call& c);
  Output get_schedule(Call& c);
  Output delete_schedule(Call& c);
  Output list_schedules(Call& c);
  // ops_groups.cpp
  Output create_schedule_group(Call& c);
  Output get_schedule_group(Call& c);
  Output delete_schedule_group(Call& c);
  Output list_schedule_groups(Call& c);
  Output tag_resource(Call& c);
  Output untag_resource(Call& c);
  Output list_tags_for_resource(Call& c);

 public:
  Region& region(const std::string& account, const std::string& region_name);
  Region& region(const RequestContext& ctx) { return region(ctx.account_id, ctx.region); }
  Group& group(Region& r, const std::string& name);
  void save(Region& r, const Group& g);
  void save(Region& r, const Schedule& s);
  void erase_schedule(Region& r, const Schedule& s);
  void erase_group(Region& r, const Group& g);
  // Validates and fills a schedule from a Create/Update input (throws ValidationException).
  void apply(Schedule& s, const json::object& in, bool creating);
  // Computes the next invocation after `after` (epoch seconds).
  void plan(Schedule& s, int64_t after);
  double now() const { return env().clock.now_seconds(); }
  void wake();

 private:
  // invoke.cpp
  boost::asio::awaitable<void> loop();
  void fire(Region& r, Schedule& s, int64_t when);
  boost::asio::awaitable<void> invoke(std::string account, std::string region, std::string schedule_arn,
                                      json::object target, int64_t scheduled, int64_t delay_seconds);

  store::Database* db_ = nullptr;
  std::unordered_map<std::string, Region> regions_;
  std::unique_ptr<AsyncEvent> wake_;
  bool stopping_ = false;
};

}  // namespace stratus::scheduler
