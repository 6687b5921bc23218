#include "store.hpp"

#include <cstring>
#include <stdexcept>

// The pre-update hook (SQLITE_ENABLE_PREUPDATE_HOOK builds, e.g. Debian's and Ubuntu's libsqlite3).
// Declared weak: against a library without it the addresses are null and writes fall back to a
// lookup before each blind write.
extern "C" {
__attribute__((weak)) void* sqlite3_preupdate_hook(
    sqlite3*, void (*)(void*, sqlite3*, int, const char*, const char*, sqlite3_int64, sqlite3_int64), void*);
__attribute__((weak)) int sqlite3_preupdate_old(sqlite3*, int, sqlite3_value**);
}

namespace stratus::dynamodb {

namespace {
constexpr store::Migration kMigrations[] = {
    {1, R"sql(
      CREATE TABLE tables (
        id INTEGER PRIMARY KEY,
        account TEXT NOT NULL,
        region TEXT NOT NULL,
        name TEXT NOT NULL,
        record TEXT NOT NULL,
        UNIQUE (account, region, name)
      );
      CREATE TABLE items (
        tid INTEGER NOT NULL,
        h INTEGER NOT NULL,
        pk BLOB NOT NULL,
        sk BLOB NOT NULL,
        item BLOB NOT NULL,
        PRIMARY KEY (tid, h, pk, sk)
      ) WITHOUT ROWID;
      CREATE TABLE idx (
        tid INTEGER NOT NULL,
        iid INTEGER NOT NULL,
        h INTEGER NOT NULL,
        pk BLOB NOT NULL,
        sk BLOB NOT NULL,
        th INTEGER NOT NULL,
        tpk BLOB NOT NULL,
        tsk BLOB NOT NULL,
        PRIMARY KEY (tid, iid, h, pk, sk, tpk, tsk)
      ) WITHOUT ROWID;
      CREATE TABLE ttl (
        tid INTEGER NOT NULL,
        h INTEGER NOT NULL,
        pk BLOB NOT NULL,
        sk BLOB NOT NULL,
        expires INTEGER NOT NULL,
        PRIMARY KEY (tid, h, pk, sk)
      ) WITHOUT ROWID;
      CREATE INDEX ttl_expires ON ttl (expires);
      CREATE TABLE streams (
        id INTEGER PRIMARY KEY,
        arn TEXT NOT NULL UNIQUE,
        account TEXT NOT NULL,
        region TEXT NOT NULL,
        table_name TEXT NOT NULL,
        label TEXT NOT NULL,
        view_type TEXT NOT NULL,
        key_schema TEXT NOT NULL,
        created REAL NOT NULL,
        shard_id TEXT NOT NULL,
        start_seq INTEGER NOT NULL,
        end_seq INTEGER,
        enabled INTEGER NOT NULL,
        disabled_at REAL
      );
      CREATE TABLE stream_records (
        sid INTEGER NOT NULL,
        seq INTEGER NOT NULL,
        created REAL NOT NULL,
        record TEXT NOT NULL,
        PRIMARY KEY (sid, seq)
      ) WITHOUT ROWID;
    )sql"},
};
}  // namespace

uint32_t partition_hash(std::string_view s) {
  uint32_t h = 2166136261u;
  for (unsigned char c : s) {
    h ^= c;
    h *= 16777619u;
  }
  // final avalanche so similar keys spread over the whole range (Scan segments)
  h ^= h >> 16;
  h *= 0x85ebca6bu;
  h ^= h >> 13;
  h *= 0xc2b2ae35u;
  h ^= h >> 16;
  return h;
}

json::object parse_item(std::string_view text) {
  // One parser reused for every stored item: constructing a parser per call costs more than the
  // parse of a small item.
  static thread_local json::parser parser = [] {
    json::parse_options opt;
    opt.allow_invalid_utf8 = true;
    opt.max_depth = 128;
    return json::parser(json::storage_ptr(), opt);
  }();
  parser.reset();
  boost::system::error_code ec;
  parser.write(text.data(), text.size(), ec);
  if (ec) {
    parser.reset();
    return {};
  }
  json::value v = parser.release();
  if (!v.is_object()) return {};
  return std::move(v.get_object());
}

std::string serialize_item(const json::object& item) { return json::serialize(item); }

namespace {
enum Hot { kGet, kPut, kDel, kBegin, kCommit, kRollback, kLen };
constexpr const char* kHotSql[] = {
    "SELECT item FROM items WHERE tid = ? AND h = ? AND pk = ? AND sk = ?",
    "INSERT OR REPLACE INTO items (tid, h, pk, sk, item) VALUES (?, ?, ?, ?, ?)",
    "DELETE FROM items WHERE tid = ? AND h = ? AND pk = ? AND sk = ?",
    "BEGIN IMMEDIATE",
    "COMMIT",
    "ROLLBACK",
    "SELECT length(item) FROM items WHERE tid = ? AND h = ? AND pk = ? AND sk = ?",
};
}  // namespace

void Store::migrate() {
  // In memory (the CI default) nothing survives the process anyway: skip the rollback journal,
  // which copies every touched page on each commit. Every write is fully validated before the
  // first statement runs, so no rollback is needed on bad input.
  if (db_.in_memory()) db_.exec("PRAGMA journal_mode=OFF");
  db_.migrate(kMigrations);
  auto c = db_.query("SELECT COALESCE(MAX(seq), 0) FROM stream_records");
  seq_ = c.next() ? c.i64(0) : 0;
  prepare_hot();
  hold_ = db_.in_memory();
  hold();
}

// In memory nothing outlives the process, so no commit has anything to make durable, and with
// journal_mode=OFF none can be rolled back either. Each autocommit statement still opened and
// committed its own transaction (a fifth of a PutItem's CPU, growing with the page cache), so one
// write transaction stays open instead and every Tx joins it. With --data-dir every write commits
// (WAL) before it is acknowledged, as before.
void Store::hold() {
  if (!hold_ || !sqlite3_get_autocommit(db_.handle())) return;
  sqlite3_stmt* b = hot_[kBegin];
  sqlite3_reset(b);
  while (step(b)) {
  }
}

void Store::release() {
  hold_ = false;
  if (sqlite3_get_autocommit(db_.handle())) return;
  sqlite3_stmt* c = hot_[kCommit];
  sqlite3_reset(c);
  while (step(c)) {
  }
}

Store::~Store() { finalize_hot(); }

void Store::finalize_hot() {
  for (auto*& st : hot_) {
    sqlite3_finalize(st);
    st = nullptr;
  }
}

void Store::prepare_hot() {
  finalize_hot();
  for (size_t i = 0; i < std::size(kHotSql); ++i)
    if (sqlite3_prepare_v3(db_.handle(), kHotSql[i], -1, SQLITE_PREPARE_PERSISTENT, &hot_[i], nullptr) != SQLITE_OK)
      throw std::runtime_error(std::string("prepare '") + kHotSql[i] + "': " + sqlite3_errmsg(db_.handle()));
  // The connection is DynamoDB's own: the hook sees only its statements.
  if (sqlite3_preupdate_hook && sqlite3_preupdate_old) {
    sqlite3_preupdate_hook(db_.handle(), &Store::on_preupdate, this);
    hooked_ = true;
  }
}

// Called by SQLite before each row change; INSERT OR REPLACE reports the row it replaces as a
// DELETE. Column 4 of items is the serialised item.
void Store::on_preupdate(void* self, sqlite3* db, int op, const char* db_name, const char* table, sqlite3_int64,
                         sqlite3_int64) {
  if (op == SQLITE_INSERT || std::strcmp(table, "items") != 0 || std::strcmp(db_name, "main") != 0) return;
  sqlite3_value* v = nullptr;
  if (sqlite3_preupdate_old(db, 4, &v) == SQLITE_OK && v)
    static_cast<Store*>(self)->replaced_ = sqlite3_value_bytes(v);
}

sqlite3_stmt* Store::hot(int which) {
  // Re-opened here if SQLite ever ended it (an error can roll a transaction back).
  if (hold_ && which != kBegin && which != kCommit && which != kRollback) hold();
  sqlite3_stmt* st = hot_[which];
  sqlite3_reset(st);  // every caller binds every parameter again: no need to clear the bindings
  return st;
}

// Like store::Statement::step: true while there is a row, reset when done, throws on errors.
bool Store::step(sqlite3_stmt* st) {
  int rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) return true;
  sqlite3_reset(st);
  if (rc == SQLITE_DONE) return false;
  throw std::runtime_error(std::string("step: ") + sqlite3_errmsg(db_.handle()));
}

namespace {
// SQLITE_STATIC: the key's bytes outlive every step of the statement, which is reset (and
// rebound) before its next use.
void bind_key(sqlite3_stmt* st, int64_t tid, const ItemKey& k) {
  sqlite3_bind_int64(st, 1, tid);
  sqlite3_bind_int64(st, 2, k.h);
  sqlite3_bind_blob64(st, 3, k.pk.data(), k.pk.size(), SQLITE_STATIC);
  sqlite3_bind_blob64(st, 4, k.sk.data(), k.sk.size(), SQLITE_STATIC);
}
// Resets a read statement when the row has been used, so no read lingers.
struct ResetOnExit {
  sqlite3_stmt* st;
  ~ResetOnExit() { sqlite3_reset(st); }
};
std::string_view column_blob(sqlite3_stmt* st, int c) {
  const void* p = sqlite3_column_blob(st, c);
  int n = sqlite3_column_bytes(st, c);
  return p ? std::string_view(static_cast<const char*>(p), static_cast<size_t>(n)) : std::string_view();
}
}  // namespace

Store::Tx::Tx(Store& s) : s_(s) {
  if (sqlite3_get_autocommit(s_.db_.handle())) {
    sqlite3_stmt* b = s_.hot(kBegin);
    while (s_.step(b)) {
    }
    own_ = true;
  }
}

void Store::Tx::commit() {
  done_ = true;
  if (!own_) return;
  sqlite3_stmt* c = s_.hot(kCommit);
  while (s_.step(c)) {
  }
}

Store::Tx::~Tx() {
  if (done_ || !own_) return;
  try {
    sqlite3_stmt* r = s_.hot(kRollback);
    while (s_.step(r)) {
    }
  } catch (const std::exception&) {
  }
}

std::vector<Store::TableRow> Store::load_tables() {
  std::vector<TableRow> out;
  auto c = db_.query("SELECT id, account, region, name, record FROM tables");
  while (c.next()) out.push_back({c.i64(0), c.str(1), c.str(2), c.str(3), c.str(4)});
  return out;
}

int64_t Store::insert_table(const std::string& account, const std::string& region, const std::string& name,
                            const std::string& record) {
  db_.run("INSERT INTO tables (account, region, name, record) VALUES (?, ?, ?, ?)", account, region, name, record);
  return db_.last_insert_rowid();
}

void Store::update_table(int64_t id, const std::string& record) {
  db_.run("UPDATE tables SET record = ? WHERE id = ?", record, id);
}

void Store::delete_table(int64_t id) {
  db_.run("DELETE FROM tables WHERE id = ?", id);
  db_.run("DELETE FROM items WHERE tid = ?", id);
  db_.run("DELETE FROM idx WHERE tid = ?", id);
  db_.run("DELETE FROM ttl WHERE tid = ?", id);
}

std::optional<std::string> Store::get(int64_t tid, const ItemKey& k) {
  sqlite3_stmt* st = hot(kGet);
  bind_key(st, tid, k);
  ResetOnExit done{st};
  if (!step(st)) return std::nullopt;
  return std::string(column_blob(st, 0));
}

std::optional<json::object> Store::get_item(int64_t tid, const ItemKey& k, int64_t* len) {
  sqlite3_stmt* st = hot(kGet);
  bind_key(st, tid, k);
  ResetOnExit done{st};
  if (!step(st)) {
    if (len) *len = 0;
    return std::nullopt;
  }
  std::string_view raw = column_blob(st, 0);
  if (len) *len = static_cast<int64_t>(raw.size());
  return parse_item(raw);
}

std::optional<int64_t> Store::stored_length(int64_t tid, const ItemKey& k) {
  sqlite3_stmt* st = hot(kLen);
  bind_key(st, tid, k);
  ResetOnExit done{st};
  if (!step(st)) return std::nullopt;
  return sqlite3_column_int64(st, 0);
}

std::optional<int64_t> Store::put(int64_t tid, const ItemKey& k, std::string_view item) {
  sqlite3_stmt* st = hot(kPut);
  bind_key(st, tid, k);
  sqlite3_bind_blob64(st, 5, item.data(), item.size(), SQLITE_STATIC);
  replaced_ = -1;
  while (step(st)) {
  }
  if (replaced_ < 0) return std::nullopt;
  return replaced_;
}

std::optional<int64_t> Store::del(int64_t tid, const ItemKey& k) {
  sqlite3_stmt* st = hot(kDel);
  bind_key(st, tid, k);
  replaced_ = -1;
  while (step(st)) {
  }
  if (replaced_ < 0) return std::nullopt;
  return replaced_;
}

void Store::idx_put(int64_t tid, int64_t iid, const ItemKey& ik, const ItemKey& tk) {
  db_.run("INSERT OR REPLACE INTO idx (tid, iid, h, pk, sk, th, tpk, tsk) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", tid, iid,
          ik.h, store::Blob{ik.pk}, store::Blob{ik.sk}, tk.h, store::Blob{tk.pk}, store::Blob{tk.sk});
}

void Store::idx_del(int64_t tid, int64_t iid, const ItemKey& ik, const ItemKey& tk) {
  db_.run("DELETE FROM idx WHERE tid = ? AND iid = ? AND h = ? AND pk = ? AND sk = ? AND tpk = ? AND tsk = ?", tid, iid,
          ik.h, store::Blob{ik.pk}, store::Blob{ik.sk}, store::Blob{tk.pk}, store::Blob{tk.sk});
}

void Store::idx_drop(int64_t tid, int64_t iid) { db_.run("DELETE FROM idx WHERE tid = ? AND iid = ?", tid, iid); }

std::pair<int64_t, int64_t> Store::count(int64_t tid) {
  auto c = db_.query("SELECT COUNT(*), COALESCE(SUM(LENGTH(item)), 0) FROM items WHERE tid = ?", tid);
  c.next();
  return {c.i64(0), c.i64(1)};
}

std::pair<int64_t, int64_t> Store::count_index(int64_t tid, int64_t iid) {
  auto c = db_.query(
      "SELECT COUNT(*), COALESCE(SUM(LENGTH(i.item)), 0) FROM idx x JOIN items i ON i.tid = x.tid AND i.h = x.th AND "
      "i.pk = x.tpk AND i.sk = x.tsk WHERE x.tid = ? AND x.iid = ?",
      tid, iid);
  c.next();
  return {c.i64(0), c.i64(1)};
}

void Store::ttl_put(int64_t tid, const ItemKey& k, int64_t expires) {
  db_.run("INSERT OR REPLACE INTO ttl (tid, h, pk, sk, expires) VALUES (?, ?, ?, ?, ?)", tid, k.h, store::Blob{k.pk},
          store::Blob{k.sk}, expires);
}

void Store::ttl_del(int64_t tid, const ItemKey& k) {
  db_.run("DELETE FROM ttl WHERE tid = ? AND h = ? AND pk = ? AND sk = ?", tid, k.h, store::Blob{k.pk},
          store::Blob{k.sk});
}

void Store::ttl_drop(int64_t tid) { db_.run("DELETE FROM ttl WHERE tid = ?", tid); }

int64_t Store::next_sequence() { return ++seq_; }

}  // namespace stratus::dynamodb
