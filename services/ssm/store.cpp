#include "store.hpp"

#include <algorithm>

namespace stratus::ssm {

namespace {
constexpr store::Migration kMigrations[] = {
    {1, R"sql(
      CREATE TABLE parameters (
        account TEXT NOT NULL, region TEXT NOT NULL, name TEXT NOT NULL,
        tags TEXT NOT NULL DEFAULT '[]',
        PRIMARY KEY (account, region, name));
      CREATE TABLE versions (
        account TEXT NOT NULL, region TEXT NOT NULL, name TEXT NOT NULL, version INTEGER NOT NULL,
        type TEXT NOT NULL, value TEXT NOT NULL, description TEXT NOT NULL, allowed_pattern TEXT NOT NULL,
        tier TEXT NOT NULL, data_type TEXT NOT NULL, key_id TEXT NOT NULL, modified REAL NOT NULL,
        user TEXT NOT NULL, labels TEXT NOT NULL DEFAULT '[]',
        PRIMARY KEY (account, region, name, version));
    )sql"},
};

std::string tags_json(const std::vector<std::pair<std::string, std::string>>& tags) {
  json::array a;
  for (auto& [k, v] : tags) a.push_back(json::array{json::string(k), json::string(v)});
  return json::serialize(a);
}
std::vector<std::pair<std::string, std::string>> parse_tags(std::string_view text) {
  std::vector<std::pair<std::string, std::string>> out;
  boost::system::error_code ec;
  auto v = json::parse(text, ec);
  if (ec || !v.is_array()) return out;
  for (auto& t : v.as_array())
    if (t.is_array() && t.as_array().size() == 2 && t.as_array()[0].is_string() && t.as_array()[1].is_string())
      out.emplace_back(std::string(t.as_array()[0].get_string()), std::string(t.as_array()[1].get_string()));
  return out;
}
std::string labels_json(const std::vector<std::string>& labels) {
  json::array a;
  for (auto& l : labels) a.push_back(json::string(l));
  return json::serialize(a);
}
std::vector<std::string> parse_labels(std::string_view text) {
  std::vector<std::string> out;
  boost::system::error_code ec;
  auto v = json::parse(text, ec);
  if (ec || !v.is_array()) return out;
  for (auto& l : v.as_array())
    if (l.is_string()) out.emplace_back(l.get_string());
  return out;
}

constexpr std::string_view kVersionCols =
    "p.name, p.tags, v.version, v.type, v.value, v.description, v.allowed_pattern, v.tier, v.data_type, v.key_id, "
    "v.modified, v.user, v.labels";

Version read_version(store::Cursor& c) {
  Version v;
  v.version = c.i64(2);
  v.type = c.str(3);
  v.value = c.str(4);
  v.description = c.str(5);
  v.allowed_pattern = c.str(6);
  v.tier = c.str(7);
  v.data_type = c.str(8);
  v.key_id = c.str(9);
  v.modified = c.f64(10);
  v.user = c.str(11);
  v.labels = parse_labels(c.text(12));
  return v;
}
}  // namespace

const Version* Parameter::find(int64_t v) const {
  for (auto& x : versions)
    if (x.version == v) return &x;
  return nullptr;
}

const Version* Parameter::labelled(std::string_view label) const {
  for (auto& x : versions)
    if (std::find(x.labels.begin(), x.labels.end(), label) != x.labels.end()) return &x;
  return nullptr;
}

void Store::open(store::Database& db) {
  db_ = &db;
  db_->migrate(kMigrations);
}

void Store::wipe() { db_->wipe(); }

std::optional<Parameter> Store::get(const Scope& s, std::string_view name) {
  static const std::string sql = "SELECT " + std::string(kVersionCols) +
                                 " FROM parameters p JOIN versions v ON v.account = p.account AND v.region = p.region "
                                 "AND v.name = p.name WHERE p.account = ? AND p.region = ? AND p.name = ? "
                                 "ORDER BY v.version";
  auto c = db_->query(sql, s.account, s.region, name);
  std::optional<Parameter> p;
  while (c.next()) {
    if (!p) {
      p.emplace();
      p->name = c.str(0);
      p->tags = parse_tags(c.text(1));
    }
    p->versions.push_back(read_version(c));
  }
  return p;
}

std::vector<Parameter> Store::all(const Scope& s, std::string_view prefix, std::string_view after) {
  static const std::string sql = "SELECT " + std::string(kVersionCols) +
                                 " FROM parameters p JOIN versions v ON v.account = p.account AND v.region = p.region "
                                 "AND v.name = p.name WHERE p.account = ? AND p.region = ? AND p.name > ? "
                                 "AND substr(p.name, 1, ?) = ? ORDER BY p.name, v.version";
  std::vector<Parameter> out;
  auto c = db_->query(sql, s.account, s.region, after, static_cast<int64_t>(prefix.size()), prefix);
  while (c.next()) {
    if (out.empty() || out.back().name != c.text(0)) {
      out.emplace_back();
      out.back().name = c.str(0);
      out.back().tags = parse_tags(c.text(1));
    }
    out.back().versions.push_back(read_version(c));
  }
  return out;
}

void Store::put_version(const Scope& s, std::string_view name, const Version& v,
                        const std::vector<std::pair<std::string, std::string>>* tags) {
  auto tx = db_->transaction();
  if (tags)
    db_->run("INSERT OR REPLACE INTO parameters (account, region, name, tags) VALUES (?, ?, ?, ?)", s.account, s.region,
             name, tags_json(*tags));
  db_->run("INSERT OR REPLACE INTO versions (account, region, name, version, type, value, description, "
           "allowed_pattern, tier, data_type, key_id, modified, user, labels) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
           "?, ?, ?)",
           s.account, s.region, name, v.version, v.type, v.value, v.description, v.allowed_pattern, v.tier,
           v.data_type, v.key_id, v.modified, v.user, labels_json(v.labels));
  tx.commit();
}

void Store::delete_version(const Scope& s, std::string_view name, int64_t version) {
  db_->run("DELETE FROM versions WHERE account = ? AND region = ? AND name = ? AND version = ?", s.account, s.region,
           name, version);
}

void Store::set_labels(const Scope& s, std::string_view name, int64_t version, const std::vector<std::string>& labels) {
  db_->run("UPDATE versions SET labels = ? WHERE account = ? AND region = ? AND name = ? AND version = ?",
           labels_json(labels), s.account, s.region, name, version);
}

void Store::set_tags(const Scope& s, std::string_view name, const std::vector<std::pair<std::string, std::string>>& tags) {
  db_->run("UPDATE parameters SET tags = ? WHERE account = ? AND region = ? AND name = ?", tags_json(tags), s.account,
           s.region, name);
}

bool Store::remove(const Scope& s, std::string_view name) {
  auto tx = db_->transaction();
  db_->run("DELETE FROM versions WHERE account = ? AND region = ? AND name = ?", s.account, s.region, name);
  bool removed = db_->run("DELETE FROM parameters WHERE account = ? AND region = ? AND name = ?", s.account, s.region,
                          name) > 0;
  tx.commit();
  return removed;
}

}  // namespace stratus::ssm
