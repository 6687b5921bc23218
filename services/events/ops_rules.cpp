// Rules: event patterns and schedules, and TestEventPattern.
// https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutRule.html
#include "errors.hpp"
#include "events_service.hpp"

namespace stratus::events {
namespace {

json::object describe(const Rule& rule) {
  json::object o{{"Name", rule.name}, {"Arn", rule.arn}, {"State", rule.state}, {"EventBusName", rule.bus}};
  if (!rule.event_pattern.empty()) o["EventPattern"] = rule.event_pattern;
  if (!rule.schedule_expression.empty()) o["ScheduleExpression"] = rule.schedule_expression;
  if (!rule.description.empty()) o["Description"] = rule.description;
  if (!rule.role_arn.empty()) o["RoleArn"] = rule.role_arn;
  if (!rule.managed_by.empty()) o["ManagedBy"] = rule.managed_by;
  if (!rule.created_by.empty()) o["CreatedBy"] = rule.created_by;
  return o;
}

void refuse_managed(const Rule& rule, bool force = false) {
  if (!rule.managed_by.empty() && !force)
    throw err::managed_rule("Rule " + rule.name + " is managed by " + rule.managed_by +
                            " and can only be modified by the managing service.");
}

}  // namespace

Output EventsService::put_rule(Call& c) {
  Region& r = region(c.ctx);
  const std::string bus_name(str_or(c.input, "EventBusName", "default"));
  Bus& b = bus(r, bus_name);
  const std::string name(str_or(c.input, "Name"));
  const std::string pattern_text(str_or(c.input, "EventPattern"));
  const std::string schedule_text(str_or(c.input, "ScheduleExpression"));
  if (pattern_text.empty() && schedule_text.empty())
    throw err::validation("Parameter(s) EventPattern or ScheduleExpression must be specified.");
  if (!schedule_text.empty()) {
    if (b.name != "default") throw err::validation("ScheduleExpression is supported only on the default event bus.");
    if (!schedule::Expression::parse(schedule_text, schedule::Flavor::rule))
      throw err::validation("Parameter ScheduleExpression is not valid.");
  }
  if (!pattern_text.empty()) {
    try {
      pattern::compile(pattern_text);
    } catch (const pattern::InvalidPattern& e) {
      throw err::invalid_pattern(e.reason);
    }
  }
  auto existing = b.rules.find(name);
  const bool created = existing == b.rules.end();
  if (!created) refuse_managed(existing->second);
  Rule& rule = created ? b.rules[name] : existing->second;
  if (created) {
    rule.name = name;
    rule.bus = b.name;
    rule.arn = r.rule_arn(b.name, name);
    rule.created_by = r.account;
  }
  const bool schedule_changed = rule.schedule_expression != schedule_text;
  rule.event_pattern = pattern_text;
  rule.schedule_expression = schedule_text;
  if (schedule_changed) rule.schedule_anchor = 0;
  rule.state = std::string(str_or(c.input, "State", "ENABLED"));
  rule.description = std::string(str_or(c.input, "Description"));
  rule.role_arn = std::string(str_or(c.input, "RoleArn"));
  activate(b, rule);
  save(r, rule);
  // Tags apply only when the rule is created (PutRule ignores them on updates).
  if (created) set_tags(r, rule.arn, opt_arr(c.input, "Tags"));
  return json::object{{"RuleArn", rule.arn}};
}

Output EventsService::delete_rule(Call& c) {
  Region& r = region(c.ctx);
  Bus& b = bus(r, str_or(c.input, "EventBusName", "default"));
  auto it = b.rules.find(std::string(str_or(c.input, "Name")));
  if (it == b.rules.end()) return json::object{};
  Rule& rule = it->second;
  refuse_managed(rule, opt_bool(c.input, "Force").value_or(false));
  if (!rule.targets.empty()) throw err::validation("Rule can't be deleted since it has targets.");
  deactivate(b, rule);
  erase(r, "rule", rule.bus + "\n" + rule.name);
  r.tags.erase(rule.arn);
  save_tags(r, rule.arn);
  b.rules.erase(it);
  wake_scheduler();
  return json::object{};
}

Output EventsService::describe_rule(Call& c) {
  Region& r = region(c.ctx);
  Bus& b = bus(r, str_or(c.input, "EventBusName", "default"));
  return describe(rule(r, b, std::string(str_or(c.input, "Name"))));
}

Output EventsService::enable_rule(Call& c) {
  Region& r = region(c.ctx);
  Bus& b = bus(r, str_or(c.input, "EventBusName", "default"));
  Rule& rl = rule(r, b, std::string(str_or(c.input, "Name")));
  refuse_managed(rl);
  rl.state = "ENABLED";
  activate(b, rl);
  save(r, rl);
  return json::object{};
}

Output EventsService::disable_rule(Call& c) {
  Region& r = region(c.ctx);
  Bus& b = bus(r, str_or(c.input, "EventBusName", "default"));
  Rule& rl = rule(r, b, std::string(str_or(c.input, "Name")));
  refuse_managed(rl);
  rl.state = "DISABLED";
  save(r, rl);
  return json::object{};
}

Output EventsService::list_rules(Call& c) {
  Region& r = region(c.ctx);
  Bus& b = bus(r, str_or(c.input, "EventBusName", "default"));
  std::string prefix(str_or(c.input, "NamePrefix"));
  size_t start = decode_token(c.input);
  size_t limit = static_cast<size_t>(opt_int(c.input, "Limit").value_or(100));
  json::array out;
  size_t i = 0, next = 0;
  for (auto& [name, rl] : b.rules) {
    if (!name.starts_with(prefix)) continue;
    if (i++ < start) continue;
    if (out.size() == limit) {
      next = i - 1;
      break;
    }
    out.push_back(describe(rl));
  }
  json::object res{{"Rules", std::move(out)}};
  if (next) res["NextToken"] = encode_token(next);
  return res;
}

Output EventsService::list_rule_names_by_target(Call& c) {
  Region& r = region(c.ctx);
  Bus& b = bus(r, str_or(c.input, "EventBusName", "default"));
  std::string arn(str_or(c.input, "TargetArn"));
  size_t start = decode_token(c.input);
  size_t limit = static_cast<size_t>(opt_int(c.input, "Limit").value_or(100));
  json::array out;
  size_t i = 0, next = 0;
  for (auto& [name, rl] : b.rules) {
    bool hit = false;
    for (auto& t : rl.targets)
      if (str_or(t, "Arn") == arn) hit = true;
    if (!hit) continue;
    if (i++ < start) continue;
    if (out.size() == limit) {
      next = i - 1;
      break;
    }
    out.push_back(json::value(name));
  }
  json::object res{{"RuleNames", std::move(out)}};
  if (next) res["NextToken"] = encode_token(next);
  return res;
}

Output EventsService::test_event_pattern(Call& c) {
  // The event must be a JSON object with the envelope fields AWS requires (resources is not).
  std::string event_text(str_or(c.input, "Event"));
  boost::system::error_code ec;
  json::value ev = json::parse(event_text, ec);
  if (ec || !ev.is_object()) throw err::validation("Parameter Event is not valid.");
  for (const char* k : {"id", "account", "source", "time", "region", "detail-type"})
    if (!ev.get_object().contains(k)) throw err::validation("Parameter Event is not valid.");
  std::shared_ptr<const pattern::Pattern> p;
  try {
    p = pattern::compile(str_or(c.input, "EventPattern"));
  } catch (const pattern::InvalidPattern& e) {
    throw err::invalid_pattern(e.reason);
  }
  auto flat = pattern::FlatEvent::parse(event_text);
  if (!flat) throw err::validation("Parameter Event is not valid.");
  return json::object{{"Result", p->matches(*flat)}};
}

}  // namespace stratus::events
