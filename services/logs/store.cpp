#include "store.hpp"

#include <stratus/strings.hpp>

#include <cstdio>

namespace stratus::logs {

namespace {
constexpr store::Migration kMigrations[] = {
    {1, R"sql(
      CREATE TABLE groups (
        account TEXT NOT NULL, region TEXT NOT NULL, name TEXT NOT NULL,
        created INTEGER NOT NULL, retention INTEGER, kms TEXT, class TEXT NOT NULL,
        deletion_protection INTEGER NOT NULL DEFAULT 0, tags TEXT NOT NULL DEFAULT '{}',
        PRIMARY KEY (account, region, name));
      CREATE TABLE streams (
        account TEXT NOT NULL, region TEXT NOT NULL, grp TEXT NOT NULL, name TEXT NOT NULL,
        created INTEGER NOT NULL, first_ts INTEGER, last_ts INTEGER, last_ingest INTEGER,
        bytes INTEGER NOT NULL DEFAULT 0, seq INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (account, region, grp, name));
      CREATE TABLE events (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        account TEXT NOT NULL, region TEXT NOT NULL, grp TEXT NOT NULL, stream TEXT NOT NULL,
        ts INTEGER NOT NULL, ingested INTEGER NOT NULL, message TEXT NOT NULL);
      CREATE INDEX events_by_stream ON events (account, region, grp, stream, ts, id);
      CREATE INDEX events_by_group ON events (account, region, grp, ts, id);
    )sql"},
    // Events refer to their stream and group by integer ids, and are indexed by (stream, ts) and
    // (group, ts) (the rowid, the event id, completes both keys): one event's insert touches three
    // small b-trees of integers instead of two keyed by four strings each, which halves its cost (a
    // Lambda invocation writes three lines). Without AUTOINCREMENT, an event id is the largest plus
    // one: ids only repeat after the newest event was deleted, and positions stay ordered.
    {2, R"sql(
      CREATE TABLE groups2 (
        id INTEGER PRIMARY KEY,
        account TEXT NOT NULL, region TEXT NOT NULL, name TEXT NOT NULL,
        created INTEGER NOT NULL, retention INTEGER, kms TEXT, class TEXT NOT NULL,
        deletion_protection INTEGER NOT NULL DEFAULT 0, tags TEXT NOT NULL DEFAULT '{}',
        UNIQUE (account, region, name));
      INSERT INTO groups2 (account, region, name, created, retention, kms, class, deletion_protection, tags)
        SELECT account, region, name, created, retention, kms, class, deletion_protection, tags FROM groups;
      CREATE TABLE streams2 (
        id INTEGER PRIMARY KEY, gid INTEGER NOT NULL,
        account TEXT NOT NULL, region TEXT NOT NULL, grp TEXT NOT NULL, name TEXT NOT NULL,
        created INTEGER NOT NULL, first_ts INTEGER, last_ts INTEGER, last_ingest INTEGER,
        bytes INTEGER NOT NULL DEFAULT 0, seq INTEGER NOT NULL DEFAULT 0,
        UNIQUE (account, region, grp, name));
      INSERT INTO streams2 (gid, account, region, grp, name, created, first_ts, last_ts, last_ingest, bytes, seq)
        SELECT g.id, s.account, s.region, s.grp, s.name, s.created, s.first_ts, s.last_ts, s.last_ingest, s.bytes, s.seq
        FROM streams s JOIN groups2 g ON g.account = s.account AND g.region = s.region AND g.name = s.grp;
      CREATE TABLE events2 (
        id INTEGER PRIMARY KEY, gid INTEGER NOT NULL, sid INTEGER NOT NULL,
        ts INTEGER NOT NULL, ingested INTEGER NOT NULL, message TEXT NOT NULL);
      INSERT INTO events2 (id, gid, sid, ts, ingested, message)
        SELECT e.id, s.gid, s.id, e.ts, e.ingested, e.message FROM events e JOIN streams2 s
        ON s.account = e.account AND s.region = e.region AND s.grp = e.grp AND s.name = e.stream;
      DROP TABLE events;
      DROP TABLE streams;
      DROP TABLE groups;
      ALTER TABLE groups2 RENAME TO groups;
      ALTER TABLE streams2 RENAME TO streams;
      ALTER TABLE events2 RENAME TO events;
      CREATE INDEX events_by_stream ON events (sid, ts);
      CREATE INDEX events_by_group ON events (gid, ts);
    )sql"},
};

LogGroup read_group(store::Cursor& c) {
  LogGroup g;
  g.name = c.str(0);
  g.created = c.i64(1);
  g.retention_days = c.opt_i64(2);
  g.kms_key_id = c.opt_str(3);
  g.log_group_class = c.str(4);
  g.deletion_protection = c.i64(5) != 0;
  boost::system::error_code ec;
  auto v = json::parse(c.text(6), ec);
  if (!ec && v.is_object()) g.tags = std::move(v.as_object());
  g.stored_bytes = c.i64(7);
  return g;
}

constexpr std::string_view kGroupCols =
    "name, created, retention, kms, class, deletion_protection, tags, "
    "(SELECT COALESCE(SUM(bytes), 0) FROM streams s WHERE s.account = g.account AND s.region = g.region AND s.grp = g.name)";

LogStream read_stream(store::Cursor& c) {
  LogStream st;
  st.name = c.str(0);
  st.created = c.i64(1);
  st.first_ts = c.opt_i64(2);
  st.last_ts = c.opt_i64(3);
  st.last_ingest = c.opt_i64(4);
  st.stored_bytes = c.i64(5);
  st.sequence = c.i64(6);
  return st;
}

Event read_event(store::Cursor& c) {
  return Event{c.i64(0), c.str(1), c.i64(2), c.i64(3), c.str(4)};
}

std::string like_prefix(std::string_view p) {
  std::string out;
  for (char ch : p) {
    if (ch == '%' || ch == '_' || ch == '\\') out += '\\';
    out += ch;
  }
  return out + "%";
}

}  // namespace

std::string encode_position(const Position& p) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%017lld%020lld%019d", static_cast<long long>(p.timestamp),
                static_cast<long long>(p.id), 0);
  return buf;
}

std::optional<Position> decode_position(std::string_view d) {
  if (d.size() != 56 || d.find_first_not_of("0123456789") != std::string_view::npos) return std::nullopt;
  auto ts = parse_int(d.substr(0, 17));
  auto id = parse_int(d.substr(17, 20));
  if (!ts || !id) return std::nullopt;
  return Position{*ts, *id};
}

void Store::open(store::Database& db) {
  db_ = &db;
  db_->migrate(kMigrations);
}

void Store::wipe() { db_->wipe(); }

std::optional<LogGroup> Store::group(const Scope& s, std::string_view name) {
  // Without storedBytes: summing the group's streams on every lookup (each PutLogEvents) grows
  // with every Lambda environment that ever wrote to the group.
  static const std::string sql =
      "SELECT name, created, retention, kms, class, deletion_protection, tags, 0 FROM groups g "
      "WHERE account = ? AND region = ? AND name = ?";
  auto c = db_->query(sql, s.account, s.region, name);
  if (!c.next()) return std::nullopt;
  return read_group(c);
}

bool Store::insert_group(const Scope& s, const LogGroup& g) {
  return db_->run("INSERT OR IGNORE INTO groups (account, region, name, created, retention, kms, class, "
                  "deletion_protection, tags) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                  s.account, s.region, g.name, g.created, g.retention_days, g.kms_key_id, g.log_group_class,
                  g.deletion_protection, json::serialize(g.tags)) == 1;
}

void Store::update_group(const Scope& s, const LogGroup& g) {
  db_->run("UPDATE groups SET retention = ?, kms = ?, class = ?, deletion_protection = ?, tags = ? "
           "WHERE account = ? AND region = ? AND name = ?",
           g.retention_days, g.kms_key_id, g.log_group_class, g.deletion_protection, json::serialize(g.tags),
           s.account, s.region, g.name);
}

void Store::delete_group(const Scope& s, std::string_view name) {
  auto tx = db_->transaction();
  db_->run("DELETE FROM events WHERE gid = (SELECT id FROM groups WHERE account = ? AND region = ? AND name = ?)",
           s.account, s.region, name);
  db_->run("DELETE FROM streams WHERE account = ? AND region = ? AND grp = ?", s.account, s.region, name);
  db_->run("DELETE FROM groups WHERE account = ? AND region = ? AND name = ?", s.account, s.region, name);
  tx.commit();
}

std::vector<LogGroup> Store::list_groups(const Scope& s, std::string_view prefix, std::string_view contains,
                                         std::string_view after, int limit) {
  std::vector<LogGroup> out;
  auto c = db_->query("SELECT " + std::string(kGroupCols) +
                          " FROM groups g WHERE account = ? AND region = ? AND name LIKE ? ESCAPE '\\' "
                          "AND instr(lower(name), lower(?)) > 0 AND name > ? ORDER BY name LIMIT ?",
                      s.account, s.region, like_prefix(prefix), contains, after, limit);
  while (c.next()) out.push_back(read_group(c));
  return out;
}

std::optional<LogStream> Store::stream(const Scope& s, std::string_view group, std::string_view name) {
  auto c = db_->query("SELECT name, created, first_ts, last_ts, last_ingest, bytes, seq FROM streams "
                      "WHERE account = ? AND region = ? AND grp = ? AND name = ?",
                      s.account, s.region, group, name);
  if (!c.next()) return std::nullopt;
  return read_stream(c);
}

bool Store::insert_stream(const Scope& s, std::string_view group, const LogStream& st) {
  return db_->run("INSERT OR IGNORE INTO streams (gid, account, region, grp, name, created) SELECT id, account, "
                  "region, name, ?, ? FROM groups WHERE account = ? AND region = ? AND name = ?",
                  st.name, st.created, s.account, s.region, group) == 1;
}

void Store::delete_stream(const Scope& s, std::string_view group, std::string_view name) {
  auto tx = db_->transaction();
  db_->run("DELETE FROM events WHERE sid = (SELECT id FROM streams WHERE account = ? AND region = ? AND grp = ? AND "
           "name = ?)", s.account, s.region, group, name);
  db_->run("DELETE FROM streams WHERE account = ? AND region = ? AND grp = ? AND name = ?", s.account, s.region,
           group, name);
  tx.commit();
}

std::vector<LogStream> Store::list_streams(const Scope& s, std::string_view group, std::string_view prefix) {
  std::vector<LogStream> out;
  auto c = db_->query("SELECT name, created, first_ts, last_ts, last_ingest, bytes, seq FROM streams "
                      "WHERE account = ? AND region = ? AND grp = ? AND name LIKE ? ESCAPE '\\' ORDER BY name",
                      s.account, s.region, group, like_prefix(prefix));
  while (c.next()) out.push_back(read_stream(c));
  return out;
}

void Store::append(const Scope& s, std::string_view group, std::string_view stream, const std::vector<Event>& events,
                   int64_t ingested) {
  if (events.empty()) return;
  auto tx = db_->transaction();
  int64_t sid = 0, gid = 0;
  {
    auto ids = db_->query("SELECT id, gid FROM streams WHERE account = ? AND region = ? AND grp = ? AND name = ?",
                          s.account, s.region, group, stream);
    if (!ids.next()) return;
    sid = ids.i64(0);
    gid = ids.i64(1);
  }
  int64_t bytes = 0, lo = events.front().timestamp, hi = events.front().timestamp;
  for (auto& e : events) {
    db_->run("INSERT INTO events (gid, sid, ts, ingested, message) VALUES (?, ?, ?, ?, ?)", gid, sid, e.timestamp,
             ingested, e.message);
    bytes += static_cast<int64_t>(e.message.size()) + 26;  // AWS counts 26 bytes of overhead per event
    lo = std::min(lo, e.timestamp);
    hi = std::max(hi, e.timestamp);
  }
  db_->run("UPDATE streams SET first_ts = MIN(COALESCE(first_ts, ?), ?), last_ts = MAX(COALESCE(last_ts, ?), ?), "
           "last_ingest = ?, bytes = bytes + ?, seq = seq + 1 WHERE id = ?",
           lo, lo, hi, hi, ingested, bytes, sid);
  tx.commit();
}

std::vector<Event> Store::stream_events(const Scope& s, std::string_view group, std::string_view stream,
                                        std::optional<int64_t> start, std::optional<int64_t> end,
                                        std::optional<Position> after, std::optional<Position> before, bool from_tail,
                                        int limit) {
  std::vector<Event> out;
  const int64_t lo = start.value_or(INT64_MIN), hi = end.value_or(INT64_MAX);
  const Position a = after.value_or(Position{INT64_MIN, INT64_MIN});
  const Position b = before.value_or(Position{INT64_MAX, INT64_MAX});
  std::string sql =
      "SELECT e.id, ?, e.ts, e.ingested, e.message FROM events e WHERE e.sid = (SELECT id FROM streams WHERE "
      "account = ? AND region = ? AND grp = ? AND name = ?) AND e.ts >= ? AND e.ts < ? AND (e.ts > ? OR (e.ts = ? "
      "AND e.id > ?)) AND (e.ts < ? OR (e.ts = ? AND e.id < ?)) ";
  sql += from_tail ? "ORDER BY e.ts DESC, e.id DESC LIMIT ?" : "ORDER BY e.ts, e.id LIMIT ?";
  auto c = db_->query(sql, stream, s.account, s.region, group, stream, lo, hi, a.timestamp, a.timestamp, a.id,
                      b.timestamp, b.timestamp, b.id, limit);
  while (c.next()) out.push_back(read_event(c));
  if (from_tail) std::reverse(out.begin(), out.end());
  return out;
}

std::vector<Event> Store::group_events(const Scope& s, std::string_view group, const std::vector<std::string>& streams,
                                       std::string_view stream_prefix, std::optional<int64_t> start,
                                       std::optional<int64_t> end, std::optional<Position> after, int scan) {
  std::vector<Event> out;
  const int64_t lo = start.value_or(INT64_MIN), hi = end.value_or(INT64_MAX);
  const Position a = after.value_or(Position{INT64_MIN, INT64_MIN});
  std::string names = "[]";
  if (!streams.empty()) {
    json::array arr;
    for (auto& n : streams) arr.push_back(json::string(n));
    names = json::serialize(arr);
  }
  auto c = db_->query(
      "SELECT e.id, st.name, e.ts, e.ingested, e.message FROM events e INDEXED BY events_by_group "
      "JOIN streams st ON st.id = e.sid WHERE e.gid = (SELECT id FROM groups WHERE account = ? AND region = ? AND "
      "name = ?) AND e.ts >= ? AND e.ts < ? AND (e.ts > ? OR (e.ts = ? AND e.id > ?)) AND st.name LIKE ? ESCAPE '\\' "
      "AND (? = '[]' OR st.name IN (SELECT value FROM json_each(?))) ORDER BY e.ts, e.id LIMIT ?",
      s.account, s.region, group, lo, hi, a.timestamp, a.timestamp, a.id, like_prefix(stream_prefix), names, names,
      scan);
  while (c.next()) out.push_back(read_event(c));
  return out;
}

void Store::expire(int64_t now_ms) {
  db_->run("DELETE FROM events WHERE id IN (SELECT e.id FROM groups g JOIN events e INDEXED BY events_by_group "
           "ON e.gid = g.id WHERE g.retention IS NOT NULL AND e.ts < ? - g.retention * 86400000)",
           now_ms);
}

}  // namespace stratus::logs
