#pragma once
// SQLite, embedded: one database per service under --data-dir (WAL, synchronous=NORMAL: a kill -9
// loses no acknowledged write), or in memory when no data dir is given. Statements are prepared
// once and cached; schema changes go through numbered migrations. Checkpoints (the only fsyncs)
// run on a background thread so they never stall the event loop.
#include <sqlite3.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace stratus::store {

struct Blob {
  std::string_view bytes;
};

class Statement {
 public:
  Statement(sqlite3* db, sqlite3_stmt* st) : db_(db), st_(st) {}
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& bind(int i, std::nullptr_t);
  Statement& bind(int i, int64_t v);
  Statement& bind(int i, int v) { return bind(i, static_cast<int64_t>(v)); }
  Statement& bind(int i, uint64_t v) { return bind(i, static_cast<int64_t>(v)); }
  Statement& bind(int i, bool v) { return bind(i, static_cast<int64_t>(v)); }
  Statement& bind(int i, double v);
  Statement& bind(int i, std::string_view v);  // TEXT
  Statement& bind(int i, const std::string& v) { return bind(i, std::string_view(v)); }
  Statement& bind(int i, const char* v) { return bind(i, std::string_view(v)); }
  Statement& bind(int i, Blob v);              // BLOB
  template <class T>
  Statement& bind(int i, const std::optional<T>& v) {
    return v ? bind(i, *v) : bind(i, nullptr);
  }
  template <class... A>
  Statement& bind_all(A&&... args) {
    int i = 0;
    (bind(++i, std::forward<A>(args)), ...);
    return *this;
  }

  // Advances; true while there is a row (resets itself when done). Throws std::runtime_error
  // on SQLite errors.
  bool step();
  void reset();
  void clear();  // reset and drop bindings

  bool is_null(int col) const;
  int64_t i64(int col) const;
  double f64(int col) const;
  std::string_view text(int col) const;
  std::string str(int col) const { return std::string(text(col)); }
  std::string_view blob(int col) const;
  std::optional<std::string> opt_str(int col) const;
  std::optional<int64_t> opt_i64(int col) const;

 private:
  sqlite3* db_;
  sqlite3_stmt* st_;
};

// A statement in use; resets it when it goes out of scope so no read transaction lingers.
class Cursor {
 public:
  explicit Cursor(Statement& st) : st_(&st) {}
  Cursor(Cursor&& o) noexcept : st_(o.st_) { o.st_ = nullptr; }
  Cursor& operator=(Cursor&&) = delete;
  ~Cursor() {
    if (st_) st_->reset();
  }
  bool next() { return st_->step(); }
  bool is_null(int c) const { return st_->is_null(c); }
  int64_t i64(int c) const { return st_->i64(c); }
  double f64(int c) const { return st_->f64(c); }
  std::string_view text(int c) const { return st_->text(c); }
  std::string str(int c) const { return st_->str(c); }
  std::string_view blob(int c) const { return st_->blob(c); }
  std::optional<std::string> opt_str(int c) const { return st_->opt_str(c); }
  std::optional<int64_t> opt_i64(int c) const { return st_->opt_i64(c); }

 private:
  Statement* st_;
};

struct Migration {
  int version;
  std::string_view sql;
};

class Database {
 public:
  // How a database without a file is kept. `memdb`: in SQLite's memdb VFS, its pages copied into a
  // page cache of the usual size as they are used; commits cost what they write. `page_cache`: as
  // a ":memory:" database, whose page cache is the database — no copies, but every commit walks the
  // whole cache (pcache1TruncateUnsafe), so only for a store that keeps one transaction open and
  // hardly ever commits (DynamoDB's, in memory).
  enum class InMemory { memdb, page_cache };
  // `file` empty: in memory.
  Database(std::string name, std::optional<std::filesystem::path> file, InMemory kind = InMemory::memdb);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  const std::string& name() const { return name_; }
  bool in_memory() const { return !file_; }
  sqlite3* handle() const { return db_; }

  // Runs SQL without parameters (may hold several statements).
  void exec(std::string_view sql);
  // A cached prepared statement with the arguments bound: `auto c = db.query(...); while (c.next())`.
  template <class... A>
  Cursor query(std::string_view sql, A&&... args) {
    Statement& st = prepare(sql);
    st.bind_all(std::forward<A>(args)...);
    return Cursor(st);
  }
  // Executes a statement to completion; returns the number of changed rows.
  template <class... A>
  int64_t run(std::string_view sql, A&&... args) {
    Statement& st = prepare(sql);
    st.bind_all(std::forward<A>(args)...);
    while (st.step()) {
    }
    return changes();
  }
  // The cached statement for `sql`, reset and with bindings cleared.
  Statement& prepare(std::string_view sql);
  int64_t changes() const;
  int64_t last_insert_rowid() const;

  // Applies the migrations above the recorded schema version, each in its own transaction.
  void migrate(std::span<const Migration> migrations);
  int schema_version();
  // Drops every table and re-applies the migrations: POST /_stratus/reset.
  void wipe();

  // BEGIN IMMEDIATE ... COMMIT; rolls back unless commit() was called. Nests as a savepoint.
  class Transaction {
   public:
    explicit Transaction(Database& db);
    ~Transaction();
    void commit();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;

   private:
    Database& db_;
    bool done_ = false;
    bool nested_;
  };
  Transaction transaction() { return Transaction(*this); }

  // WAL checkpoint from the background thread (own connection).
  void checkpoint();

 private:
  void open();
  void close();
  std::string name_;
  std::optional<std::filesystem::path> file_;
  InMemory kind_ = InMemory::memdb;
  sqlite3* db_ = nullptr;
  std::unordered_map<std::string, std::unique_ptr<Statement>> cache_;
  std::vector<Migration> migrations_;
  int depth_ = 0;
  std::mutex checkpoint_mu_;
};

// Files of one service (S3 objects, Lambda code): always named by ids Stratus generates, never by
// request text, so nothing a client sends can address a path outside the directory.
class BlobStore {
 public:
  explicit BlobStore(std::filesystem::path dir);
  const std::filesystem::path& dir() const { return dir_; }
  // Path of blob `id` ([A-Za-z0-9_.-]{1,128}, checked), fanned out over subdirectories.
  std::filesystem::path path_for(std::string_view id) const;
  // A fresh unique temp path inside the store (same filesystem: rename is atomic).
  std::filesystem::path temp_path() const;
  // Writes `data` to a temp file and renames it to id: readers never see a partial blob.
  void write(std::string_view id, std::string_view data) const;
  void remove(std::string_view id) const;
  void wipe() const;

 private:
  std::filesystem::path dir_;
};

}  // namespace stratus::store

namespace stratus {

// Owns every service's database and blob directory, and the background checkpointer.
class Storage {
 public:
  explicit Storage(std::optional<std::filesystem::path> data_dir);
  ~Storage();
  Storage(const Storage&) = delete;
  Storage& operator=(const Storage&) = delete;

  bool persistent() const { return data_dir_.has_value(); }
  const std::optional<std::filesystem::path>& data_dir() const { return data_dir_; }
  // <data-dir>/<name>.db, or an in-memory database (of the given kind). Opened once; the same
  // object afterwards.
  store::Database& database(const std::string& name,
                            store::Database::InMemory kind = store::Database::InMemory::memdb);
  // <data-dir>/<name>/ or a private temp directory removed at exit.
  store::BlobStore blobs(const std::string& name);
  // Where request bodies are spilled (same filesystem as the blobs, so a rename commits them).
  const std::filesystem::path& temp_dir() const { return temp_dir_; }
  void close_all();

 private:
  void checkpointer();
  std::optional<std::filesystem::path> data_dir_;
  std::filesystem::path scratch_;  // private temp root when in memory
  std::filesystem::path temp_dir_;
  std::mutex mu_;
  std::vector<std::unique_ptr<store::Database>> dbs_;
  std::thread thread_;
  std::condition_variable cv_;
  bool stop_ = false;
};

}  // namespace stratus
