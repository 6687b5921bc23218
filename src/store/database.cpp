#include <stratus/store.hpp>

#include <spdlog/spdlog.h>

#include <atomic>
#include <stdexcept>

namespace stratus::store {
namespace {
[[noreturn]] void fail(sqlite3* db, std::string_view what) {
  throw std::runtime_error(std::string(what) + ": " + (db ? sqlite3_errmsg(db) : "sqlite error"));
}
}  // namespace

Statement::~Statement() { sqlite3_finalize(st_); }

Statement& Statement::bind(int i, std::nullptr_t) {
  if (sqlite3_bind_null(st_, i) != SQLITE_OK) fail(db_, "bind");
  return *this;
}
Statement& Statement::bind(int i, int64_t v) {
  if (sqlite3_bind_int64(st_, i, v) != SQLITE_OK) fail(db_, "bind");
  return *this;
}
Statement& Statement::bind(int i, double v) {
  if (sqlite3_bind_double(st_, i, v) != SQLITE_OK) fail(db_, "bind");
  return *this;
}
Statement& Statement::bind(int i, std::string_view v) {
  if (sqlite3_bind_text64(st_, i, v.data(), v.size(), SQLITE_TRANSIENT, SQLITE_UTF8) != SQLITE_OK) fail(db_, "bind");
  return *this;
}
Statement& Statement::bind(int i, Blob v) {
  if (sqlite3_bind_blob64(st_, i, v.bytes.empty() ? "" : v.bytes.data(), v.bytes.size(), SQLITE_TRANSIENT) !=
      SQLITE_OK)
    fail(db_, "bind");
  return *this;
}

bool Statement::step() {
  int rc = sqlite3_step(st_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) {
    sqlite3_reset(st_);
    return false;
  }
  sqlite3_reset(st_);
  fail(db_, "step");
}

void Statement::reset() { sqlite3_reset(st_); }
void Statement::clear() {
  sqlite3_reset(st_);
  sqlite3_clear_bindings(st_);
}
bool Statement::is_null(int c) const { return sqlite3_column_type(st_, c) == SQLITE_NULL; }
int64_t Statement::i64(int c) const { return sqlite3_column_int64(st_, c); }
double Statement::f64(int c) const { return sqlite3_column_double(st_, c); }
std::string_view Statement::text(int c) const {
  auto* p = reinterpret_cast<const char*>(sqlite3_column_text(st_, c));
  return p ? std::string_view(p, static_cast<size_t>(sqlite3_column_bytes(st_, c))) : std::string_view();
}
std::string_view Statement::blob(int c) const {
  auto* p = static_cast<const char*>(sqlite3_column_blob(st_, c));
  return p ? std::string_view(p, static_cast<size_t>(sqlite3_column_bytes(st_, c))) : std::string_view();
}
std::optional<std::string> Statement::opt_str(int c) const {
  if (is_null(c)) return std::nullopt;
  return std::string(text(c));
}
std::optional<int64_t> Statement::opt_i64(int c) const {
  if (is_null(c)) return std::nullopt;
  return i64(c);
}

Database::Database(std::string name, std::optional<std::filesystem::path> file, InMemory kind)
    : name_(std::move(name)), file_(std::move(file)), kind_(kind) {
  open();
}

Database::~Database() { close(); }

void Database::open() {
  // Before SQLite initialises (the first open): no memory statistics. With them every
  // sqlite3_malloc and sqlite3_free takes a global mutex (2-3% of a DynamoDB PutItem's CPU);
  // nothing reads them.
  static const bool configured = [] {
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    return true;
  }();
  (void)configured;
  // In memory, a database lives in SQLite's memdb VFS unless asked otherwise: a ":memory:"
  // database's page cache is the database, and every commit walks the whole cache's hash table to
  // truncate it (pcache1TruncateUnsafe), so commits slow down as the database grows (a Logs store
  // with 100k events spent more time there than inserting). A name without a leading '/' is
  // private to this connection.
  static std::atomic<uint64_t> seq{0};
  const bool memdb = !file_ && kind_ == InMemory::memdb;
  std::string target = file_ ? file_->string() : memdb ? "file:stratus-" + std::to_string(seq++) + "?vfs=memdb" : ":memory:";
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX | (memdb ? SQLITE_OPEN_URI : 0);
  if (sqlite3_open_v2(target.c_str(), &db_, flags, nullptr) != SQLITE_OK) {
    std::string msg = db_ ? sqlite3_errmsg(db_) : "open failed";
    sqlite3_close(db_);
    db_ = nullptr;
    throw std::runtime_error("cannot open database " + target + ": " + msg);
  }
  sqlite3_extended_result_codes(db_, 1);
  if (file_) {
    // WAL + NORMAL: commits write the WAL without fsync; a killed process loses nothing the OS
    // already has. Checkpoints (with fsync) run on the Storage's background thread.
    exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA wal_autocheckpoint=0;"
         "PRAGMA busy_timeout=5000; PRAGMA temp_store=MEMORY; PRAGMA foreign_keys=ON;");
  } else {
    exec("PRAGMA journal_mode=MEMORY; PRAGMA synchronous=OFF; PRAGMA temp_store=MEMORY; PRAGMA foreign_keys=ON;");
  }
}

void Database::close() {
  cache_.clear();
  if (db_) {
    if (file_) sqlite3_exec(db_, "PRAGMA wal_checkpoint(TRUNCATE);", nullptr, nullptr, nullptr);
    sqlite3_close_v2(db_);
    db_ = nullptr;
  }
}

void Database::exec(std::string_view sql) {
  char* err = nullptr;
  std::string s(sql);
  if (sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : "exec failed";
    sqlite3_free(err);
    throw std::runtime_error(name_ + ": " + msg);
  }
}

Statement& Database::prepare(std::string_view sql) {
  auto it = cache_.find(std::string(sql));
  if (it != cache_.end()) {
    it->second->clear();
    return *it->second;
  }
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &st, nullptr) !=
      SQLITE_OK)
    fail(db_, "prepare '" + std::string(sql) + "'");
  auto [pos, _] = cache_.emplace(std::string(sql), std::make_unique<Statement>(db_, st));
  return *pos->second;
}

int64_t Database::changes() const { return sqlite3_changes64(db_); }
int64_t Database::last_insert_rowid() const { return sqlite3_last_insert_rowid(db_); }

int Database::schema_version() {
  exec("CREATE TABLE IF NOT EXISTS _schema (version INTEGER NOT NULL)");
  auto c = query("SELECT version FROM _schema");
  return c.next() ? static_cast<int>(c.i64(0)) : 0;
}

void Database::migrate(std::span<const Migration> migrations) {
  migrations_.assign(migrations.begin(), migrations.end());
  int current = schema_version();
  for (const auto& m : migrations) {
    if (m.version <= current) continue;
    Transaction tx(*this);
    exec(m.sql);
    run("DELETE FROM _schema");
    run("INSERT INTO _schema (version) VALUES (?)", static_cast<int64_t>(m.version));
    tx.commit();
    current = m.version;
  }
}

void Database::wipe() {
  cache_.clear();
  std::vector<std::string> tables;
  {
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(db_, "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'", -1,
                       &st, nullptr);
    while (sqlite3_step(st) == SQLITE_ROW) tables.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)));
    sqlite3_finalize(st);
  }
  exec("PRAGMA foreign_keys=OFF");
  for (auto& t : tables) exec("DROP TABLE IF EXISTS \"" + t + "\"");
  exec("PRAGMA foreign_keys=ON");
  if (file_) exec("VACUUM");
  auto ms = migrations_;
  migrate(ms);
}

// Transaction control goes through cached prepared statements: exec() would parse the SQL on
// every write, a measurable cost on the hot path (SQS send/delete, DynamoDB writes).
namespace {
void step_once(Database& db, const std::string& sql) {
  Statement& st = db.prepare(sql);
  while (st.step()) {
  }
}
}  // namespace

Database::Transaction::Transaction(Database& db) : db_(db), nested_(db.depth_ > 0) {
  step_once(db_, nested_ ? "SAVEPOINT sp" + std::to_string(db_.depth_) : std::string("BEGIN IMMEDIATE"));
  ++db_.depth_;
}

void Database::Transaction::commit() {
  --db_.depth_;
  done_ = true;
  step_once(db_, nested_ ? "RELEASE sp" + std::to_string(db_.depth_) : std::string("COMMIT"));
}

Database::Transaction::~Transaction() {
  if (done_) return;
  --db_.depth_;
  try {
    if (nested_) {
      auto sp = "sp" + std::to_string(db_.depth_);
      step_once(db_, "ROLLBACK TO " + sp);
      step_once(db_, "RELEASE " + sp);
    } else {
      step_once(db_, "ROLLBACK");
    }
  } catch (const std::exception& e) {
    spdlog::error("{}: rollback failed: {}", db_.name_, e.what());
  }
}

void Database::checkpoint() {
  if (!file_) return;
  // A separate connection, so the event loop's connection is never blocked by the fsync.
  sqlite3* c = nullptr;
  if (sqlite3_open_v2(file_->c_str(), &c, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr) == SQLITE_OK) {
    sqlite3_busy_timeout(c, 100);
    sqlite3_wal_checkpoint_v2(c, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
  }
  sqlite3_close_v2(c);
}

}  // namespace stratus::store
