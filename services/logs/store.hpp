#pragma once
// CloudWatch Logs state: log groups, streams and events in SQLite, every row keyed by
// (account, region). Event order is (timestamp, id): tokens and event ids encode that position.
#include <stratus/json.hpp>
#include <stratus/store.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace stratus::logs {

struct Scope {
  std::string account, region;
};

struct LogGroup {
  std::string name;
  int64_t created = 0;
  std::optional<int64_t> retention_days;
  std::optional<std::string> kms_key_id;
  std::string log_group_class = "STANDARD";
  bool deletion_protection = false;
  json::object tags;
  int64_t stored_bytes = 0;
};

struct LogStream {
  std::string name;
  int64_t created = 0;
  std::optional<int64_t> first_ts, last_ts, last_ingest;
  int64_t stored_bytes = 0;
  int64_t sequence = 0;
};

struct Event {
  int64_t id = 0;
  std::string stream;
  int64_t timestamp = 0, ingested = 0;
  std::string message;
};

// A position in (timestamp, id) order.
struct Position {
  int64_t timestamp = 0, id = 0;
  bool operator<(const Position& o) const { return timestamp != o.timestamp ? timestamp < o.timestamp : id < o.id; }
};

// "f/" / "b/" tokens and event ids: 56 digits, as AWS's look (timestamp, id and zero padding).
std::string encode_position(const Position& p);
std::optional<Position> decode_position(std::string_view digits);

class Store {
 public:
  void open(store::Database& db);
  void wipe();

  // One group, without its stored bytes (0; the group listing computes them).
  std::optional<LogGroup> group(const Scope& s, std::string_view name);
  bool insert_group(const Scope& s, const LogGroup& g);  // false when it exists
  void update_group(const Scope& s, const LogGroup& g);
  void delete_group(const Scope& s, std::string_view name);
  // Groups whose name starts with prefix (or matches the substring pattern), after `after`, in name order.
  std::vector<LogGroup> list_groups(const Scope& s, std::string_view prefix, std::string_view contains,
                                    std::string_view after, int limit);

  std::optional<LogStream> stream(const Scope& s, std::string_view group, std::string_view name);
  bool insert_stream(const Scope& s, std::string_view group, const LogStream& st);
  void delete_stream(const Scope& s, std::string_view group, std::string_view name);
  std::vector<LogStream> list_streams(const Scope& s, std::string_view group, std::string_view prefix);

  // Appends events (already validated and sorted); updates the stream's statistics.
  void append(const Scope& s, std::string_view group, std::string_view stream, const std::vector<Event>& events,
              int64_t ingested);
  // Events of one stream in [start, end) after/before a position, ascending.
  std::vector<Event> stream_events(const Scope& s, std::string_view group, std::string_view stream,
                                   std::optional<int64_t> start, std::optional<int64_t> end,
                                   std::optional<Position> after, std::optional<Position> before, bool from_tail,
                                   int limit);
  // Events of a group (optionally some streams) in [start, end) after a position, ascending; at most `scan` rows.
  std::vector<Event> group_events(const Scope& s, std::string_view group, const std::vector<std::string>& streams,
                                  std::string_view stream_prefix, std::optional<int64_t> start,
                                  std::optional<int64_t> end, std::optional<Position> after, int scan);
  // Drops events older than each group's retention.
  void expire(int64_t now_ms);

 private:
  store::Database* db_ = nullptr;
};

}  // namespace stratus::logs
