#include "store.hpp"

namespace stratus::apigateway {

namespace {
constexpr store::Migration kMigrations[] = {
    {1, R"sql(
      CREATE TABLE entities (
        seq INTEGER PRIMARY KEY,
        account TEXT NOT NULL,
        region TEXT NOT NULL,
        kind TEXT NOT NULL,
        parent TEXT NOT NULL,
        id TEXT NOT NULL,
        doc TEXT NOT NULL,
        UNIQUE (account, region, kind, parent, id)
      );
      CREATE INDEX entities_id ON entities (kind, id);
      CREATE INDEX entities_parent ON entities (account, region, parent);
    )sql"},
};
}  // namespace

Store::Store(store::Database& db) : db_(db) { db_.migrate(kMigrations); }

std::optional<json::object> Store::get(const Scope& s, std::string_view kind, std::string_view parent,
                                       std::string_view id) {
  auto c = db_.query("SELECT doc FROM entities WHERE account = ? AND region = ? AND kind = ? AND parent = ? AND id = ?",
                     s.account, s.region, kind, parent, id);
  if (!c.next()) return std::nullopt;
  return parse_object(c.text(0));
}

void Store::put(const Scope& s, std::string_view kind, std::string_view parent, std::string_view id,
                const json::object& doc) {
  ++generation_;
  db_.run("INSERT INTO entities (account, region, kind, parent, id, doc) VALUES (?, ?, ?, ?, ?, ?) "
          "ON CONFLICT (account, region, kind, parent, id) DO UPDATE SET doc = excluded.doc",
          s.account, s.region, kind, parent, id, json::serialize(doc));
}

bool Store::remove(const Scope& s, std::string_view kind, std::string_view parent, std::string_view id) {
  ++generation_;
  return db_.run("DELETE FROM entities WHERE account = ? AND region = ? AND kind = ? AND parent = ? AND id = ?",
                 s.account, s.region, kind, parent, id) > 0;
}

void Store::remove_children(const Scope& s, std::string_view parent) {
  ++generation_;
  std::string prefix = std::string(parent) + "/";
  db_.run("DELETE FROM entities WHERE account = ? AND region = ? AND (parent = ? OR substr(parent, 1, ?) = ?)",
          s.account, s.region, parent, static_cast<int64_t>(prefix.size()), prefix);
}

std::vector<json::object> Store::list(const Scope& s, std::string_view kind, std::string_view parent) {
  std::vector<json::object> out;
  auto c = db_.query("SELECT doc FROM entities WHERE account = ? AND region = ? AND kind = ? AND parent = ? ORDER BY seq",
                     s.account, s.region, kind, parent);
  while (c.next()) out.push_back(parse_object(c.text(0)));
  return out;
}

std::optional<Located> Store::find_any(std::string_view kind, std::string_view id) {
  auto c = db_.query("SELECT account, region, parent, doc FROM entities WHERE kind = ? AND id = ? LIMIT 1", kind, id);
  if (!c.next()) return std::nullopt;
  return Located{c.str(0), c.str(1), c.str(2), parse_object(c.text(3))};
}

bool Store::id_taken(std::string_view kind, std::string_view id) {
  auto c = db_.query("SELECT 1 FROM entities WHERE kind = ? AND id = ? LIMIT 1", kind, id);
  return c.next();
}

std::vector<Located> Store::list_all(std::string_view kind) {
  std::vector<Located> out;
  auto c = db_.query("SELECT account, region, parent, doc FROM entities WHERE kind = ? ORDER BY seq", kind);
  while (c.next()) out.push_back(Located{c.str(0), c.str(1), c.str(2), parse_object(c.text(3))});
  return out;
}

void Store::wipe() {
  ++generation_;
  db_.wipe();
}

}  // namespace stratus::apigateway
