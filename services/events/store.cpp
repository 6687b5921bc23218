#include "store.hpp"

namespace stratus::events {
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
      CREATE TABLE archived_events (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        account TEXT NOT NULL,
        region TEXT NOT NULL,
        archive TEXT NOT NULL,
        time REAL NOT NULL,
        event TEXT NOT NULL
      );
      CREATE INDEX archived_events_by_time ON archived_events (account, region, archive, time);
    )sql"},
};

}  // namespace

void Store::open(store::Database& db) {
  db_ = &db;
  db_->migrate(kMigrations);
}

void Store::wipe() { db_->wipe(); }

void Store::put(const std::string& account, const std::string& region, std::string_view kind, std::string_view key,
                const json::object& doc) {
  db_->run("INSERT OR REPLACE INTO resources (account, region, kind, key, doc) VALUES (?, ?, ?, ?, ?)", account, region,
           kind, key, json::serialize(doc));
}

void Store::erase(const std::string& account, const std::string& region, std::string_view kind, std::string_view key) {
  db_->run("DELETE FROM resources WHERE account = ? AND region = ? AND kind = ? AND key = ?", account, region, kind, key);
}

void Store::load(const std::function<void(const std::string&, const std::string&, const std::string&,
                                          const std::string&, const json::object&)>& fn) {
  // Buses before the rules that live on them.
  auto c = db_->query(
      "SELECT account, region, kind, key, doc FROM resources ORDER BY CASE kind WHEN 'bus' THEN 0 ELSE 1 END, rowid");
  while (c.next()) {
    boost::system::error_code ec;
    json::value v = json::parse(c.text(4), ec);
    if (ec || !v.is_object()) continue;
    fn(c.str(0), c.str(1), c.str(2), c.str(3), v.get_object());
  }
}

void Store::archive_event(const std::string& account, const std::string& region, const std::string& archive,
                          double time, std::string_view event) {
  db_->run("INSERT INTO archived_events (account, region, archive, time, event) VALUES (?, ?, ?, ?, ?)", account,
           region, archive, time, event);
}

std::vector<Store::Archived> Store::archived(const std::string& account, const std::string& region,
                                             const std::string& archive, double from, double to) {
  std::vector<Archived> out;
  auto c = db_->query(
      "SELECT time, event FROM archived_events WHERE account = ? AND region = ? AND archive = ? AND time >= ? AND "
      "time < ? ORDER BY time, seq",
      account, region, archive, from, to);
  while (c.next()) out.push_back({c.f64(0), c.str(1)});
  return out;
}

void Store::drop_archive(const std::string& account, const std::string& region, const std::string& archive) {
  db_->run("DELETE FROM archived_events WHERE account = ? AND region = ? AND archive = ?", account, region, archive);
}

std::pair<int64_t, int64_t> Store::expire(const std::string& account, const std::string& region,
                                          const std::string& archive, double before) {
  db_->run("DELETE FROM archived_events WHERE account = ? AND region = ? AND archive = ? AND time < ?", account, region,
           archive, before);
  auto c = db_->query(
      "SELECT count(*), coalesce(sum(length(event)), 0) FROM archived_events WHERE account = ? AND region = ? AND "
      "archive = ?",
      account, region, archive);
  if (!c.next()) return {0, 0};
  return {c.i64(0), c.i64(1)};
}

}  // namespace stratus::events
