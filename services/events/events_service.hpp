#pragma once
// Amazon EventBridge (json 1.1, target prefix AWSEvents): event buses, rules with event patterns or
// schedules, targets reached through the integrations bus, archives and replays, connections and
// API destinations. Other services put events into buses through the bus target "events".
#include "model.hpp"
#include "store.hpp"

#include <stratus/bus.hpp>
#include <stratus/clock.hpp>
#include <stratus/service.hpp>

#include <memory>
#include <unordered_map>

namespace stratus::events {

class EventsService final : public Service {
 public:
  EventsService();
  void start(Env& env) override;
  void reset() override;
  void stop() override;

  // An event accepted onto a bus (PutEvents, bus targets, replays, scheduled rules).
  struct Ingest {
    std::string replay_name;            // set for replayed events
    const std::vector<std::string>* only_rules = nullptr;  // replay FilterArns
    bool skip_archives = false;
    int hops = 0;                       // buses the event came through before this one
  };
  // Bus-to-bus forwarding stops after this many hops (a rule sending to its own bus would loop).
  static constexpr int kMaxBusHops = 5;
  // Routes one complete event (JSON text) on `bus`; returns false when the event is not JSON.
  bool route(Region& r, Bus& bus, const std::string& event_text, const Ingest& how);

 private:
  // ops_buses.cpp
  Output create_event_bus(Call& c);
  Output delete_event_bus(Call& c);
  Output describe_event_bus(Call& c);
  Output list_event_buses(Call& c);
  Output update_event_bus(Call& c);
  Output put_permission(Call& c);
  Output remove_permission(Call& c);
  // ops_rules.cpp
  Output put_rule(Call& c);
  Output delete_rule(Call& c);
  Output describe_rule(Call& c);
  Output enable_rule(Call& c);
  Output disable_rule(Call& c);
  Output list_rules(Call& c);
  Output list_rule_names_by_target(Call& c);
  Output test_event_pattern(Call& c);
  // ops_targets.cpp
  Output put_targets(Call& c);
  Output remove_targets(Call& c);
  Output list_targets_by_rule(Call& c);
  // ops_events.cpp
  Output put_events(Call& c);
  // ops_archives.cpp
  Output create_archive(Call& c);
  Output delete_archive(Call& c);
  Output describe_archive(Call& c);
  Output list_archives(Call& c);
  Output update_archive(Call& c);
  Output start_replay(Call& c);
  Output cancel_replay(Call& c);
  Output describe_replay(Call& c);
  Output list_replays(Call& c);
  // ops_connections.cpp
  Output create_connection(Call& c);
  Output update_connection(Call& c);
  Output delete_connection(Call& c);
  Output describe_connection(Call& c);
  Output list_connections(Call& c);
  Output deauthorize_connection(Call& c);
  Output create_api_destination(Call& c);
  Output update_api_destination(Call& c);
  Output delete_api_destination(Call& c);
  Output describe_api_destination(Call& c);
  Output list_api_destinations(Call& c);
  // ops_tags.cpp
  Output tag_resource(Call& c);
  Output untag_resource(Call& c);
  Output list_tags_for_resource(Call& c);

 public:
  // Shared by the ops files.
  Region& region(const std::string& account, const std::string& region_name);
  Region& region(const RequestContext& ctx) { return region(ctx.account_id, ctx.region); }
  // A bus by name or ARN (ResourceNotFoundException when missing).
  Bus& bus(Region& r, std::string_view name_or_arn);
  Bus* find_bus(Region& r, std::string_view name_or_arn);
  Rule& rule(Region& r, Bus& b, const std::string& name);
  void save(Region& r, const Bus& b);
  void save(Region& r, const Rule& rule);
  void save(Region& r, const Archive& a);
  void save(Region& r, const Replay& rp);
  void save(Region& r, const Connection& c);
  void save(Region& r, const ApiDestination& a);
  void save_tags(Region& r, const std::string& arn);
  void erase(Region& r, std::string_view kind, std::string_view key);
  // Compiles and indexes a rule's pattern and schedule (after a change or a load).
  void activate(Bus& b, Rule& rule);
  void deactivate(Bus& b, Rule& rule);
  void set_tags(Region& r, const std::string& arn, const json::array* tags);
  double now() const { return env().clock.now_seconds(); }
  Store& store() { return store_; }
  // The events bus target: one PutEvents entry (JSON) into the bus named by the ARN.
  boost::asio::awaitable<json::value> receive(const Delivery& d);
  // Builds the event JSON for a PutEvents entry; nullopt + error code/message when invalid.
  // `trusted` callers (other services, bus targets) may use the reserved "aws." sources.
  struct EntryError {
    std::string code, message;
  };
  struct BuiltEvent {
    std::string id, text;
  };
  std::optional<BuiltEvent> make_event(const Region& r, const json::object& entry, EntryError& error, bool trusted);
  void wake_scheduler();

 private:
  // delivery.cpp
  void deliver(Region& r, Bus& bus, const Rule& rule, const json::object& target, const std::string& event_text,
               std::string_view event_id, int hops = 0);
  boost::asio::awaitable<void> deliver_with_retry(std::string account, std::string region, std::string rule_arn,
                                                  json::object target, Delivery d);
  boost::asio::awaitable<json::value> deliver_once(const std::string& account, const std::string& region,
                                                   const json::object& target, const Delivery& d);
  boost::asio::awaitable<void> invoke_api_destination(const std::string& account, const std::string& region,
                                                      const json::object& target, const Delivery& d);
  boost::asio::awaitable<void> scheduler_loop();
  boost::asio::awaitable<void> replay_task(std::string account, std::string region, std::string name);
  void fire_scheduled(Region& r, Bus& b, Rule& rule, int64_t when);

  Store store_;
  std::unordered_map<std::string, Region> regions_;  // "account/region"
  uint64_t next_rule_id_ = 1;
  std::unique_ptr<AsyncEvent> wake_;
  bool stopping_ = false;
  bool loop_running_ = false;
};

// Pagination over a sorted sequence: NextToken is the opaque index of the next item.
std::string encode_token(size_t index);
size_t decode_token(const json::object& in);

}  // namespace stratus::events
