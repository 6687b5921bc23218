#include "store.hpp"

namespace stratus::cognito {

namespace {
constexpr store::Migration kMigrations[] = {
    {1, R"sql(
      CREATE TABLE pools (
        account TEXT NOT NULL, region TEXT NOT NULL, id TEXT NOT NULL, name TEXT NOT NULL,
        created REAL NOT NULL, doc TEXT NOT NULL, key_pem TEXT NOT NULL, kid TEXT NOT NULL,
        PRIMARY KEY (account, region, id));
      CREATE UNIQUE INDEX pools_by_id ON pools (id);
      CREATE TABLE clients (
        account TEXT NOT NULL, region TEXT NOT NULL, pool TEXT NOT NULL, id TEXT NOT NULL, doc TEXT NOT NULL,
        PRIMARY KEY (account, region, id));
      CREATE INDEX clients_by_id ON clients (id);
      CREATE TABLE users (
        account TEXT NOT NULL, region TEXT NOT NULL, pool TEXT NOT NULL, username TEXT NOT NULL,
        sub TEXT NOT NULL, seq INTEGER NOT NULL, doc TEXT NOT NULL,
        PRIMARY KEY (account, region, pool, username));
      CREATE INDEX users_by_sub ON users (account, region, pool, sub);
      CREATE TABLE groups (
        account TEXT NOT NULL, region TEXT NOT NULL, pool TEXT NOT NULL, name TEXT NOT NULL, doc TEXT NOT NULL,
        PRIMARY KEY (account, region, pool, name));
      CREATE TABLE members (
        account TEXT NOT NULL, region TEXT NOT NULL, pool TEXT NOT NULL, grp TEXT NOT NULL, username TEXT NOT NULL,
        PRIMARY KEY (account, region, pool, grp, username));
      CREATE TABLE refresh (
        account TEXT NOT NULL, region TEXT NOT NULL, token TEXT NOT NULL, pool TEXT NOT NULL, client TEXT NOT NULL,
        username TEXT NOT NULL, origin_jti TEXT NOT NULL, issued REAL NOT NULL, revoked INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (account, region, token));
      CREATE INDEX refresh_by_token ON refresh (token);
      CREATE INDEX refresh_by_origin ON refresh (origin_jti);
      CREATE TABLE codes (
        account TEXT NOT NULL, region TEXT NOT NULL, pool TEXT NOT NULL, username TEXT NOT NULL,
        purpose TEXT NOT NULL, code TEXT NOT NULL, destination TEXT NOT NULL, created REAL NOT NULL,
        PRIMARY KEY (account, region, pool, username, purpose));
    )sql"},
};

json::object parse_doc(std::string_view text) {
  boost::system::error_code ec;
  auto v = json::parse(text, ec);
  return !ec && v.is_object() ? std::move(v.as_object()) : json::object{};
}

Pool read_pool(store::Cursor& c) {
  return Pool{c.str(0), c.str(1), c.str(2), c.str(3), c.f64(4), parse_doc(c.text(5)), c.str(6), c.str(7)};
}
constexpr std::string_view kPoolCols = "SELECT account, region, id, name, created, doc, key_pem, kid FROM pools ";

Client read_client(store::Cursor& c) { return Client{c.str(0), c.str(1), c.str(2), c.str(3), parse_doc(c.text(4))}; }
User read_user(store::Cursor& c) { return User{c.str(0), c.str(1), parse_doc(c.text(2))}; }
RefreshToken read_refresh(store::Cursor& c) {
  return RefreshToken{c.str(0), c.str(1), c.str(2), c.str(3), c.str(4), c.f64(5), c.i64(6) != 0};
}
Code read_code(store::Cursor& c) {
  return Code{c.str(0), c.str(1), c.str(2), c.str(3), c.str(4), c.str(5), c.str(6), c.f64(7)};
}
}  // namespace

void Store::open(store::Database& db) {
  db_ = &db;
  db_->migrate(kMigrations);
}

void Store::wipe() { db_->wipe(); }

std::optional<Pool> Store::pool(const std::string& id) {
  auto c = db_->query(std::string(kPoolCols) + "WHERE id = ?", id);
  if (c.next()) return read_pool(c);
  return std::nullopt;
}

std::vector<Pool> Store::pools(const std::string& account, const std::string& region) {
  std::vector<Pool> out;
  auto c = db_->query(std::string(kPoolCols) + "WHERE account = ? AND region = ? ORDER BY created, id", account, region);
  while (c.next()) out.push_back(read_pool(c));
  return out;
}

void Store::put_pool(const Pool& p) {
  db_->run("INSERT OR REPLACE INTO pools (account, region, id, name, created, doc, key_pem, kid) VALUES (?,?,?,?,?,?,?,?)",
           p.account, p.region, p.id, p.name, p.created, json::serialize(p.doc), p.key_pem, p.kid);
}

void Store::delete_pool(const Pool& p) {
  auto tx = db_->transaction();
  db_->run("DELETE FROM pools WHERE account = ? AND region = ? AND id = ?", p.account, p.region, p.id);
  for (const char* t : {"clients", "users", "groups", "members", "refresh", "codes"})
    db_->run(std::string("DELETE FROM ") + t + " WHERE account = ? AND region = ? AND pool = ?", p.account, p.region, p.id);
  tx.commit();
}

std::optional<Client> Store::client(const std::string& id) {
  auto c = db_->query("SELECT account, region, pool, id, doc FROM clients WHERE id = ?", id);
  if (c.next()) return read_client(c);
  return std::nullopt;
}

std::vector<Client> Store::clients(const Pool& p) {
  std::vector<Client> out;
  auto c = db_->query("SELECT account, region, pool, id, doc FROM clients WHERE account = ? AND region = ? AND pool = ? ORDER BY rowid",
                      p.account, p.region, p.id);
  while (c.next()) out.push_back(read_client(c));
  return out;
}

void Store::put_client(const Client& cl) {
  db_->run("INSERT OR REPLACE INTO clients (account, region, pool, id, doc) VALUES (?,?,?,?,?)", cl.account, cl.region,
           cl.pool_id, cl.id, json::serialize(cl.doc));
}

void Store::delete_client(const Client& cl) {
  db_->run("DELETE FROM clients WHERE account = ? AND region = ? AND id = ?", cl.account, cl.region, cl.id);
}

std::optional<User> Store::user(const Pool& p, const std::string& username) {
  auto c = db_->query("SELECT username, sub, doc FROM users WHERE account = ? AND region = ? AND pool = ? AND username = ?",
                      p.account, p.region, p.id, username);
  if (c.next()) return read_user(c);
  return std::nullopt;
}

std::optional<User> Store::user_by_sub(const Pool& p, const std::string& sub) {
  auto c = db_->query("SELECT username, sub, doc FROM users WHERE account = ? AND region = ? AND pool = ? AND sub = ?",
                      p.account, p.region, p.id, sub);
  if (c.next()) return read_user(c);
  return std::nullopt;
}

std::vector<User> Store::users(const Pool& p) {
  std::vector<User> out;
  auto c = db_->query("SELECT username, sub, doc FROM users WHERE account = ? AND region = ? AND pool = ? ORDER BY seq",
                      p.account, p.region, p.id);
  while (c.next()) out.push_back(read_user(c));
  return out;
}

void Store::put_user(const Pool& p, const User& u) {
  db_->run(
      "INSERT INTO users (account, region, pool, username, sub, seq, doc) VALUES (?,?,?,?,?,"
      " (SELECT COALESCE(MAX(seq), 0) + 1 FROM users), ?)"
      " ON CONFLICT (account, region, pool, username) DO UPDATE SET doc = excluded.doc, sub = excluded.sub",
      p.account, p.region, p.id, u.username, u.sub, json::serialize(u.doc));
}

void Store::delete_user(const Pool& p, const std::string& username) {
  auto tx = db_->transaction();
  db_->run("DELETE FROM users WHERE account = ? AND region = ? AND pool = ? AND username = ?", p.account, p.region, p.id, username);
  db_->run("DELETE FROM members WHERE account = ? AND region = ? AND pool = ? AND username = ?", p.account, p.region, p.id, username);
  db_->run("DELETE FROM codes WHERE account = ? AND region = ? AND pool = ? AND username = ?", p.account, p.region, p.id, username);
  db_->run("UPDATE refresh SET revoked = 1 WHERE account = ? AND region = ? AND pool = ? AND username = ?", p.account, p.region, p.id, username);
  tx.commit();
}

std::optional<Group> Store::group(const Pool& p, const std::string& name) {
  auto c = db_->query("SELECT name, doc FROM groups WHERE account = ? AND region = ? AND pool = ? AND name = ?", p.account,
                      p.region, p.id, name);
  if (c.next()) return Group{c.str(0), parse_doc(c.text(1))};
  return std::nullopt;
}

std::vector<Group> Store::groups(const Pool& p) {
  std::vector<Group> out;
  auto c = db_->query("SELECT name, doc FROM groups WHERE account = ? AND region = ? AND pool = ? ORDER BY name", p.account,
                      p.region, p.id);
  while (c.next()) out.push_back(Group{c.str(0), parse_doc(c.text(1))});
  return out;
}

void Store::put_group(const Pool& p, const Group& g) {
  db_->run("INSERT OR REPLACE INTO groups (account, region, pool, name, doc) VALUES (?,?,?,?,?)", p.account, p.region, p.id,
           g.name, json::serialize(g.doc));
}

void Store::delete_group(const Pool& p, const std::string& name) {
  auto tx = db_->transaction();
  db_->run("DELETE FROM groups WHERE account = ? AND region = ? AND pool = ? AND name = ?", p.account, p.region, p.id, name);
  db_->run("DELETE FROM members WHERE account = ? AND region = ? AND pool = ? AND grp = ?", p.account, p.region, p.id, name);
  tx.commit();
}

void Store::add_member(const Pool& p, const std::string& group, const std::string& username) {
  db_->run("INSERT OR IGNORE INTO members (account, region, pool, grp, username) VALUES (?,?,?,?,?)", p.account, p.region,
           p.id, group, username);
}

void Store::remove_member(const Pool& p, const std::string& group, const std::string& username) {
  db_->run("DELETE FROM members WHERE account = ? AND region = ? AND pool = ? AND grp = ? AND username = ?", p.account,
           p.region, p.id, group, username);
}

std::vector<std::string> Store::groups_of(const Pool& p, const std::string& username) {
  std::vector<std::string> out;
  auto c = db_->query(
      "SELECT m.grp FROM members m JOIN groups g ON g.account = m.account AND g.region = m.region AND g.pool = m.pool"
      " AND g.name = m.grp WHERE m.account = ? AND m.region = ? AND m.pool = ? AND m.username = ?"
      " ORDER BY COALESCE(json_extract(g.doc, '$.Precedence'), 1e18), m.grp",
      p.account, p.region, p.id, username);
  while (c.next()) out.push_back(c.str(0));
  return out;
}

std::vector<std::string> Store::members_of(const Pool& p, const std::string& group) {
  std::vector<std::string> out;
  auto c = db_->query(
      "SELECT m.username FROM members m JOIN users u ON u.account = m.account AND u.region = m.region AND u.pool = m.pool"
      " AND u.username = m.username WHERE m.account = ? AND m.region = ? AND m.pool = ? AND m.grp = ? ORDER BY u.seq",
      p.account, p.region, p.id, group);
  while (c.next()) out.push_back(c.str(0));
  return out;
}

void Store::put_refresh(const Pool& p, const RefreshToken& t) {
  db_->run("INSERT INTO refresh (account, region, token, pool, client, username, origin_jti, issued) VALUES (?,?,?,?,?,?,?,?)",
           p.account, p.region, t.token, t.pool_id, t.client_id, t.username, t.origin_jti, t.issued);
}

std::optional<RefreshToken> Store::refresh(const std::string& token) {
  auto c = db_->query("SELECT token, pool, client, username, origin_jti, issued, revoked FROM refresh WHERE token = ?", token);
  if (c.next()) return read_refresh(c);
  return std::nullopt;
}

bool Store::origin_revoked(const std::string& origin_jti) {
  auto c = db_->query("SELECT revoked FROM refresh WHERE origin_jti = ?", origin_jti);
  return c.next() && c.i64(0) != 0;
}

void Store::revoke_refresh(const std::string& token) { db_->run("UPDATE refresh SET revoked = 1 WHERE token = ?", token); }

void Store::revoke_user_tokens(const Pool& p, const std::string& username) {
  db_->run("UPDATE refresh SET revoked = 1 WHERE account = ? AND region = ? AND pool = ? AND username = ?", p.account,
           p.region, p.id, username);
}

void Store::put_code(const Code& c) {
  db_->run("INSERT OR REPLACE INTO codes (account, region, pool, username, purpose, code, destination, created) VALUES (?,?,?,?,?,?,?,?)",
           c.account, c.region, c.pool_id, c.username, c.purpose, c.code, c.destination, c.created);
}

std::optional<Code> Store::code(const Pool& p, const std::string& username, const std::string& purpose) {
  auto c = db_->query(
      "SELECT account, region, pool, username, purpose, code, destination, created FROM codes"
      " WHERE account = ? AND region = ? AND pool = ? AND username = ? AND purpose = ?",
      p.account, p.region, p.id, username, purpose);
  if (c.next()) return read_code(c);
  return std::nullopt;
}

void Store::delete_code(const Pool& p, const std::string& username, const std::string& purpose) {
  db_->run("DELETE FROM codes WHERE account = ? AND region = ? AND pool = ? AND username = ? AND purpose = ?", p.account,
           p.region, p.id, username, purpose);
}

std::vector<Code> Store::codes(const std::string& pool_id) {
  std::vector<Code> out;
  auto c = db_->query(
      "SELECT account, region, pool, username, purpose, code, destination, created FROM codes"
      " WHERE ? = '' OR pool = ? ORDER BY created",
      pool_id, pool_id);
  while (c.next()) out.push_back(read_code(c));
  return out;
}

}  // namespace stratus::cognito
