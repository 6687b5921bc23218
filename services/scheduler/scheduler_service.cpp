#include "scheduler_service.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>

namespace stratus::scheduler {
namespace {

constexpr store::Migration kMigrations[] = {
    {1, R"sql(
      CREATE TABLE resources (
        account TEXT NOT NULL,
        region TEXT NOT NULL,
        kind TEXT NOT NULL,
        key TEXT NOT NULL,
        doc TEXT NOT NULL,
        PRIMARY KEY (account, region, kind, key)
      );
    )sql"},
};

double num(const json::object& o, const char* k) {
  auto* v = find(o, k);
  return v && v->is_number() ? v->to_number<double>() : 0;
}

}  // namespace

json::object Group::to_doc() const {
  json::object t;
  for (auto& [k, v] : tags) t[k] = v;
  return json::object{{"Name", name}, {"Arn", arn},          {"State", state},
                      {"CreationDate", created}, {"LastModificationDate", modified}, {"Tags", std::move(t)}};
}

Group Group::from_doc(const json::object& d) {
  Group g;
  g.name = std::string(str_or(d, "Name"));
  g.arn = std::string(str_or(d, "Arn"));
  g.state = std::string(str_or(d, "State", "ACTIVE"));
  g.created = num(d, "CreationDate");
  g.modified = num(d, "LastModificationDate");
  if (auto* t = opt_obj(d, "Tags"))
    for (auto& [k, v] : *t)
      if (v.is_string()) g.tags[std::string(k)] = std::string(v.get_string());
  return g;
}

json::object Schedule::to_doc() const {
  json::object o{{"Name", name},
                 {"GroupName", group},
                 {"Arn", arn},
                 {"ScheduleExpression", expression},
                 {"ScheduleExpressionTimezone", timezone},
                 {"State", state},
                 {"ActionAfterCompletion", action_after_completion},
                 {"FlexibleTimeWindow", flexible_window},
                 {"Target", target},
                 {"CreationDate", created},
                 {"LastModificationDate", modified},
                 {"Anchor", anchor}};
  if (!description.empty()) o["Description"] = description;
  if (!kms_key_arn.empty()) o["KmsKeyArn"] = kms_key_arn;
  if (start_date) o["StartDate"] = *start_date;
  if (end_date) o["EndDate"] = *end_date;
  return o;
}

Schedule Schedule::from_doc(const json::object& d) {
  Schedule s;
  s.name = std::string(str_or(d, "Name"));
  s.group = std::string(str_or(d, "GroupName"));
  s.arn = std::string(str_or(d, "Arn"));
  s.expression = std::string(str_or(d, "ScheduleExpression"));
  s.timezone = std::string(str_or(d, "ScheduleExpressionTimezone", "UTC"));
  s.state = std::string(str_or(d, "State", "ENABLED"));
  s.action_after_completion = std::string(str_or(d, "ActionAfterCompletion", "NONE"));
  if (auto* f = opt_obj(d, "FlexibleTimeWindow")) s.flexible_window = *f;
  if (auto* t = opt_obj(d, "Target")) s.target = *t;
  s.created = num(d, "CreationDate");
  s.modified = num(d, "LastModificationDate");
  s.anchor = opt_int(d, "Anchor").value_or(0);
  s.description = std::string(str_or(d, "Description"));
  s.kms_key_arn = std::string(str_or(d, "KmsKeyArn"));
  if (find(d, "StartDate")) s.start_date = num(d, "StartDate");
  if (find(d, "EndDate")) s.end_date = num(d, "EndDate");
  return s;
}

SchedulerService::SchedulerService()
    : Service(ServiceInfo{
          .name = "scheduler",
          .models = {{"scheduler", Protocol::rest_json}},
          .signing_names = {"scheduler"},
          .validate_patterns = true,
      }) {
  on("CreateSchedule", &SchedulerService::create_schedule);
  on("UpdateSchedule", &SchedulerService::update_schedule);
  on("GetSchedule", &SchedulerService::get_schedule);
  on("DeleteSchedule", &SchedulerService::delete_schedule);
  on("ListSchedules", &SchedulerService::list_schedules);
  on("CreateScheduleGroup", &SchedulerService::create_schedule_group);
  on("GetScheduleGroup", &SchedulerService::get_schedule_group);
  on("DeleteScheduleGroup", &SchedulerService::delete_schedule_group);
  on("ListScheduleGroups", &SchedulerService::list_schedule_groups);
  on("TagResource", &SchedulerService::tag_resource);
  on("UntagResource", &SchedulerService::untag_resource);
  on("ListTagsForResource", &SchedulerService::list_tags_for_resource);
}

void SchedulerService::start(Env& env) {
  Service::start(env);
  db_ = &env.storage.database("scheduler");
  db_->migrate(kMigrations);
  wake_ = std::make_unique<AsyncEvent>(env.clock);
  auto c = db_->query("SELECT account, region, kind, doc FROM resources ORDER BY CASE kind WHEN 'group' THEN 0 ELSE 1 END");
  while (c.next()) {
    boost::system::error_code ec;
    json::value v = json::parse(c.text(3), ec);
    if (ec || !v.is_object()) continue;
    Region& r = region(c.str(0), c.str(1));
    if (c.text(2) == "group") {
      Group g = Group::from_doc(v.get_object());
      r.groups.insert_or_assign(g.name, std::move(g));
    } else {
      Schedule s = Schedule::from_doc(v.get_object());
      s.expr = events::schedule::Expression::parse(s.expression, events::schedule::Flavor::scheduler);
      s.tz = events::schedule::TimeZone::load(s.timezone.empty() ? "UTC" : s.timezone);
      auto key = std::make_pair(s.group, s.name);
      auto& stored = r.schedules.insert_or_assign(key, std::move(s)).first->second;
      plan(stored, static_cast<int64_t>(now()) - 1);
    }
  }
  boost::asio::co_spawn(env.io, loop(), boost::asio::detached);
}

void SchedulerService::stop() {
  stopping_ = true;
  wake();
}

void SchedulerService::reset() {
  regions_.clear();
  db_->wipe();
  wake();
}

void SchedulerService::wake() {
  if (wake_) wake_->notify_all();
}

Region& SchedulerService::region(const std::string& account, const std::string& region_name) {
  std::string key = account + "/" + region_name;
  auto it = regions_.find(key);
  if (it != regions_.end()) return it->second;
  Region& r = regions_[key];
  r.account = account;
  r.region = region_name;
  Group g;
  g.name = "default";
  g.arn = "arn:aws:scheduler:" + region_name + ":" + account + ":schedule-group/default";
  r.groups.emplace("default", std::move(g));
  return r;
}

Group& SchedulerService::group(Region& r, const std::string& name) {
  auto it = r.groups.find(name.empty() ? "default" : name);
  if (it == r.groups.end() || it->second.state != "ACTIVE")
    throw AwsError("ResourceNotFoundException", "Schedule group " + name + " does not exist.", 404);
  return it->second;
}

void SchedulerService::save(Region& r, const Group& g) {
  db_->run("INSERT OR REPLACE INTO resources VALUES (?, ?, 'group', ?, ?)", r.account, r.region, g.name,
           json::serialize(g.to_doc()));
}

void SchedulerService::save(Region& r, const Schedule& s) {
  db_->run("INSERT OR REPLACE INTO resources VALUES (?, ?, 'schedule', ?, ?)", r.account, r.region,
           s.group + "/" + s.name, json::serialize(s.to_doc()));
}

void SchedulerService::erase_schedule(Region& r, const Schedule& s) {
  db_->run("DELETE FROM resources WHERE account = ? AND region = ? AND kind = 'schedule' AND key = ?", r.account,
           r.region, s.group + "/" + s.name);
}

void SchedulerService::erase_group(Region& r, const Group& g) {
  db_->run("DELETE FROM resources WHERE account = ? AND region = ? AND kind = 'group' AND key = ?", r.account, r.region,
           g.name);
}

}  // namespace stratus::scheduler
