#include "events_service.hpp"

#include "errors.hpp"

#include <stratus/bus.hpp>
#include <stratus/crypto.hpp>
#include <stratus/store.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <spdlog/spdlog.h>

namespace stratus::events {

EventsService::EventsService()
    : Service(ServiceInfo{
          .name = "events",
          .models = {{"events", Protocol::json}},
          .target_prefixes = {"AWSEvents"},
          .signing_names = {"events"},
          .validate_patterns = true,
      }) {
  on("CreateEventBus", &EventsService::create_event_bus);
  on("DeleteEventBus", &EventsService::delete_event_bus);
  on("DescribeEventBus", &EventsService::describe_event_bus);
  on("ListEventBuses", &EventsService::list_event_buses);
  on("UpdateEventBus", &EventsService::update_event_bus);
  on("PutPermission", &EventsService::put_permission);
  on("RemovePermission", &EventsService::remove_permission);
  on("PutRule", &EventsService::put_rule);
  on("DeleteRule", &EventsService::delete_rule);
  on("DescribeRule", &EventsService::describe_rule);
  on("EnableRule", &EventsService::enable_rule);
  on("DisableRule", &EventsService::disable_rule);
  on("ListRules", &EventsService::list_rules);
  on("ListRuleNamesByTarget", &EventsService::list_rule_names_by_target);
  on("TestEventPattern", &EventsService::test_event_pattern);
  on("PutTargets", &EventsService::put_targets);
  on("RemoveTargets", &EventsService::remove_targets);
  on("ListTargetsByRule", &EventsService::list_targets_by_rule);
  on("PutEvents", &EventsService::put_events);
  on("CreateArchive", &EventsService::create_archive);
  on("DeleteArchive", &EventsService::delete_archive);
  on("DescribeArchive", &EventsService::describe_archive);
  on("ListArchives", &EventsService::list_archives);
  on("UpdateArchive", &EventsService::update_archive);
  on("StartReplay", &EventsService::start_replay);
  on("CancelReplay", &EventsService::cancel_replay);
  on("DescribeReplay", &EventsService::describe_replay);
  on("ListReplays", &EventsService::list_replays);
  on("CreateConnection", &EventsService::create_connection);
  on("UpdateConnection", &EventsService::update_connection);
  on("DeleteConnection", &EventsService::delete_connection);
  on("DescribeConnection", &EventsService::describe_connection);
  on("ListConnections", &EventsService::list_connections);
  on("DeauthorizeConnection", &EventsService::deauthorize_connection);
  on("CreateApiDestination", &EventsService::create_api_destination);
  on("UpdateApiDestination", &EventsService::update_api_destination);
  on("DeleteApiDestination", &EventsService::delete_api_destination);
  on("DescribeApiDestination", &EventsService::describe_api_destination);
  on("ListApiDestinations", &EventsService::list_api_destinations);
  on("TagResource", &EventsService::tag_resource);
  on("UntagResource", &EventsService::untag_resource);
  on("ListTagsForResource", &EventsService::list_tags_for_resource);
}

void EventsService::start(Env& env) {
  Service::start(env);
  store_.open(env.storage.database("events"));
  wake_ = std::make_unique<AsyncEvent>(env.clock);
  store_.load([this](const std::string& account, const std::string& region_name, const std::string& kind,
                     const std::string& key, const json::object& doc) {
    Region& r = region(account, region_name);
    if (kind == "bus") {
      Bus b = Bus::from_doc(doc);
      auto name = b.name;
      if (auto it = r.buses.find(name); it != r.buses.end()) {
        // The default bus region() created before the stored one was read.
        it->second.description = b.description;
        it->second.policy = b.policy;
        it->second.created = b.created;
        it->second.modified = b.modified;
        it->second.kms_key = b.kms_key;
        it->second.dead_letter_arn = b.dead_letter_arn;
      } else {
        r.buses.emplace(name, std::move(b));
      }
    } else if (kind == "rule") {
      Rule rule = Rule::from_doc(doc);
      auto bit = r.buses.find(rule.bus);
      if (bit == r.buses.end()) return;
      auto [it, _] = bit->second.rules.insert_or_assign(rule.name, std::move(rule));
      activate(bit->second, it->second);
    } else if (kind == "archive") {
      Archive a = Archive::from_doc(doc);
      r.archives.insert_or_assign(a.name, std::move(a));
    } else if (kind == "replay") {
      Replay rp = Replay::from_doc(doc);
      if (rp.state == "STARTING" || rp.state == "RUNNING" || rp.state == "CANCELLING") {
        rp.state = rp.state == "CANCELLING" ? "CANCELLED" : "FAILED";
        rp.state_reason = "Replay was interrupted by a restart.";
      }
      r.replays.insert_or_assign(rp.name, std::move(rp));
    } else if (kind == "connection") {
      Connection cn = Connection::from_doc(doc);
      r.connections.insert_or_assign(cn.name, std::move(cn));
    } else if (kind == "apidest") {
      ApiDestination a = ApiDestination::from_doc(doc);
      r.api_destinations.insert_or_assign(a.name, std::move(a));
    } else if (kind == "tags") {
      auto& t = r.tags[key];
      for (auto& [k, v] : doc)
        if (v.is_string()) t[std::string(k)] = std::string(v.get_string());
    }
  });
  env.bus.register_target("events", [this](const Delivery& d) { return receive(d); });
  boost::asio::co_spawn(env.io, scheduler_loop(), boost::asio::detached);
}

void EventsService::stop() {
  stopping_ = true;
  wake_scheduler();
}

void EventsService::reset() {
  for (auto& [_, r] : regions_)
    for (auto& [name, rp] : r.replays) rp.cancel = true;
  regions_.clear();
  store_.wipe();
  wake_scheduler();
}

void EventsService::wake_scheduler() {
  if (wake_) wake_->notify_all();
}

Region& EventsService::region(const std::string& account, const std::string& region_name) {
  std::string key = account + "/" + region_name;
  auto it = regions_.find(key);
  if (it != regions_.end()) return it->second;
  Region& r = regions_[key];
  r.account = account;
  r.region = region_name;
  // Every account and region has its default bus.
  Bus b;
  b.name = "default";
  b.arn = r.bus_arn("default");
  b.created = b.modified = now();
  r.buses.emplace("default", std::move(b));
  return r;
}

namespace {
std::string bus_name_of(std::string_view name_or_arn) {
  if (name_or_arn.starts_with("arn:")) {
    auto p = name_or_arn.find(":event-bus/");
    if (p != std::string_view::npos) return std::string(name_or_arn.substr(p + 11));
  }
  return std::string(name_or_arn);
}
}  // namespace

Bus* EventsService::find_bus(Region& r, std::string_view name_or_arn) {
  std::string name = name_or_arn.empty() ? "default" : bus_name_of(name_or_arn);
  auto it = r.buses.find(name);
  return it == r.buses.end() ? nullptr : &it->second;
}

Bus& EventsService::bus(Region& r, std::string_view name_or_arn) {
  if (Bus* b = find_bus(r, name_or_arn)) return *b;
  throw err::bus_not_found(bus_name_of(name_or_arn));
}

Rule& EventsService::rule(Region& r, Bus& b, const std::string& name) {
  auto it = b.rules.find(name);
  if (it == b.rules.end()) throw err::rule_not_found(name, b.name);
  return it->second;
}

void EventsService::save(Region& r, const Bus& b) { store_.put(r.account, r.region, "bus", b.name, b.to_doc()); }
void EventsService::save(Region& r, const Rule& rule) {
  store_.put(r.account, r.region, "rule", rule.bus + "\n" + rule.name, rule.to_doc());
}
void EventsService::save(Region& r, const Archive& a) { store_.put(r.account, r.region, "archive", a.name, a.to_doc()); }
void EventsService::save(Region& r, const Replay& rp) { store_.put(r.account, r.region, "replay", rp.name, rp.to_doc()); }
void EventsService::save(Region& r, const Connection& c) {
  store_.put(r.account, r.region, "connection", c.name, c.to_doc());
}
void EventsService::save(Region& r, const ApiDestination& a) {
  store_.put(r.account, r.region, "apidest", a.name, a.to_doc());
}
void EventsService::save_tags(Region& r, const std::string& arn) {
  auto it = r.tags.find(arn);
  if (it == r.tags.end() || it->second.empty()) {
    store_.erase(r.account, r.region, "tags", arn);
    if (it != r.tags.end()) r.tags.erase(it);
    return;
  }
  json::object doc;
  for (auto& [k, v] : it->second) doc[k] = v;
  store_.put(r.account, r.region, "tags", arn, doc);
}
void EventsService::erase(Region& r, std::string_view kind, std::string_view key) {
  store_.erase(r.account, r.region, kind, key);
}

void EventsService::set_tags(Region& r, const std::string& arn, const json::array* tags) {
  if (!tags || tags->empty()) return;
  auto& t = r.tags[arn];
  for (auto& tag : *tags) {
    if (!tag.is_object()) continue;
    t[std::string(str_or(tag.get_object(), "Key"))] = std::string(str_or(tag.get_object(), "Value"));
  }
  save_tags(r, arn);
}

void EventsService::activate(Bus& b, Rule& rule) {
  if (rule.id == 0) rule.id = next_rule_id_++;
  b.by_id[rule.id] = &rule;
  b.index.remove(rule.id);
  rule.compiled.reset();
  if (!rule.event_pattern.empty()) {
    try {
      rule.compiled = pattern::compile(rule.event_pattern);
      b.index.add(rule.id, rule.compiled);
    } catch (const pattern::InvalidPattern& e) {
      spdlog::warn("events: stored rule {} has an invalid pattern: {}", rule.arn, e.reason);
    }
  }
  rule.schedule.reset();
  rule.next_fire = 0;
  if (!rule.schedule_expression.empty()) {
    rule.schedule = schedule::Expression::parse(rule.schedule_expression, schedule::Flavor::rule);
    if (rule.schedule) {
      auto t = static_cast<int64_t>(now());
      if (rule.schedule->kind() == schedule::Expression::Kind::rate) {
        if (rule.schedule_anchor == 0) rule.schedule_anchor = t;
        rule.next_fire = rule.schedule->next_rate(rule.schedule_anchor + rule.schedule->rate_seconds(), t);
      } else {
        rule.next_fire = rule.schedule->next_cron(t, schedule::TimeZone::utc()).value_or(0);
      }
    }
    wake_scheduler();
  }
}

void EventsService::deactivate(Bus& b, Rule& rule) {
  b.index.remove(rule.id);
  b.by_id.erase(rule.id);
}

std::string encode_token(size_t index) { return crypto::base64("stratus-events:" + std::to_string(index)); }

size_t decode_token(const json::object& in) {
  auto tok = opt_str(in, "NextToken");
  if (!tok) return 0;
  auto raw = crypto::base64_decode(*tok);
  if (!raw || !raw->starts_with("stratus-events:")) throw err::validation("The NextToken provided is invalid.");
  try {
    return static_cast<size_t>(std::stoull(raw->substr(15)));
  } catch (const std::exception&) {
    throw err::validation("The NextToken provided is invalid.");
  }
}

}  // namespace stratus::events
