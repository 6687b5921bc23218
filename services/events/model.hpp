#pragma once
// EventBridge's resources as the service holds them in memory (the store persists them as JSON
// documents and rebuilds these at start). One Region per (account, region).
#include "pattern.hpp"
#include "schedule.hpp"

#include <stratus/json.hpp>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace stratus::events {

inline constexpr const char* kArchiveManager = "events.amazonaws.com";

struct Rule {
  uint64_t id = 0;  // key in the bus's PatternIndex
  std::string name, bus, arn;
  std::string event_pattern;  // as given
  std::shared_ptr<const pattern::Pattern> compiled;
  std::string schedule_expression;
  std::optional<schedule::Expression> schedule;
  int64_t schedule_anchor = 0;  // rate(): first fire is anchor + rate
  std::string state = "ENABLED";
  std::string description, role_arn, managed_by, created_by;
  std::vector<json::object> targets;  // the Target shapes, in the order they were put
  std::string archive;                // for an archive's managed rule: the archive's name
  int64_t next_fire = 0;              // scheduled rules: next due time (epoch seconds), 0 = none

  bool enabled() const { return state != "DISABLED"; }
  json::object to_doc() const;
  static Rule from_doc(const json::object& d);
};

struct Bus {
  std::string name, arn, description, kms_key, dead_letter_arn;
  std::string policy;  // JSON text, empty when none
  double created = 0, modified = 0;
  std::map<std::string, Rule> rules;
  pattern::PatternIndex index;  // over the rules with an EventPattern
  std::unordered_map<uint64_t, Rule*> by_id;  // index id → rule (std::map nodes do not move)

  json::object to_doc() const;
  static Bus from_doc(const json::object& d);
};

struct Archive {
  std::string name, arn, source_arn, description, event_pattern, state = "ENABLED";
  int64_t retention_days = 0;
  double created = 0;
  int64_t event_count = 0, size_bytes = 0;
  json::object to_doc() const;
  static Archive from_doc(const json::object& d);
};

struct Replay {
  std::string name, arn, description, source_arn, state = "STARTING", state_reason;
  json::object destination;
  double event_start = 0, event_end = 0, started = 0, ended = 0, last_replayed = 0;
  bool cancel = false;
  json::object to_doc() const;
  static Replay from_doc(const json::object& d);
};

struct Connection {
  std::string name, arn, description, authorization_type, state = "AUTHORIZED", secret_arn;
  json::object auth_parameters;  // as given (secrets included: they sign the requests)
  json::object connectivity;
  double created = 0, modified = 0, authorized = 0;
  json::object to_doc() const;
  static Connection from_doc(const json::object& d);
};

struct ApiDestination {
  std::string name, arn, description, connection_arn, endpoint, method, state = "ACTIVE";
  int64_t rate_limit = 300;
  double created = 0, modified = 0;
  json::object to_doc() const;
  static ApiDestination from_doc(const json::object& d);
};

struct Region {
  std::string account, region;
  std::map<std::string, Bus> buses;
  std::map<std::string, Archive> archives;
  std::map<std::string, Replay> replays;
  std::map<std::string, Connection> connections;
  std::map<std::string, ApiDestination> api_destinations;
  std::map<std::string, std::map<std::string, std::string>> tags;  // resource ARN → key → value

  std::string arn(std::string_view resource) const {
    return "arn:aws:events:" + region + ":" + account + ":" + std::string(resource);
  }
  std::string bus_arn(std::string_view bus) const { return arn("event-bus/" + std::string(bus)); }
  std::string rule_arn(std::string_view bus, std::string_view rule) const {
    return bus == "default" ? arn("rule/" + std::string(rule)) : arn("rule/" + std::string(bus) + "/" + std::string(rule));
  }
};

}  // namespace stratus::events
