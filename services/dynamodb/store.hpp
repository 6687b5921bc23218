#pragma once
// SQLite schema and queries of DynamoDB. Items are keyed by (table id, hash of the partition key,
// partition key bytes, sort key bytes): key bytes sort like DynamoDB (attr.hpp), so a Query is an
// index range scan, and the hash prefix spreads partitions for Scan segments like AWS's order.
// Secondary-index rows hold only keys and are joined to the item on read.
#include <stratus/json.hpp>
#include <stratus/store.hpp>

#include <optional>
#include <string>
#include <vector>

namespace stratus::dynamodb {

struct ItemKey {
  int64_t h = 0;
  std::string pk, sk;
};

uint32_t partition_hash(std::string_view pk_bytes);

// One row read by a range scan.
struct Row {
  int64_t h;
  std::string pk, sk;       // keys of the row (index keys for index scans)
  std::string tpk, tsk;     // table keys for index rows
  int64_t th = 0;
  std::string item;         // serialised item
};

json::object parse_item(std::string_view text);
std::string serialize_item(const json::object& item);

class Store {
 public:
  explicit Store(store::Database& db) : db_(db) {}
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;
  void migrate();
  store::Database& db() { return db_; }
  // In memory, one write transaction stays open for the life of the data (see hot()); release()
  // commits it before the schema is dropped and rebuilt (reset).
  void release();

  // A write transaction from cached prepared statements (BEGIN/COMMIT through sqlite3_exec would
  // recompile them on every request); joins an enclosing transaction when one is open.
  class Tx {
   public:
    explicit Tx(Store& s);
    ~Tx();
    void commit();
    Tx(const Tx&) = delete;
    Tx& operator=(const Tx&) = delete;

   private:
    Store& s_;
    bool own_ = false, done_ = false;
  };
  Tx transaction() { return Tx(*this); }

  // tables: (id, account, region, name, record)
  struct TableRow {
    int64_t id;
    std::string account, region, name, record;
  };
  std::vector<TableRow> load_tables();
  int64_t insert_table(const std::string& account, const std::string& region, const std::string& name,
                       const std::string& record);
  void update_table(int64_t id, const std::string& record);
  void delete_table(int64_t id);

  std::optional<std::string> get(int64_t tid, const ItemKey& k);
  // The stored item parsed straight from SQLite's buffer (no copy); `len` gets its stored length.
  std::optional<json::object> get_item(int64_t tid, const ItemKey& k, int64_t* len = nullptr);
  std::optional<int64_t> stored_length(int64_t tid, const ItemKey& k);
  // put and del return the stored length of the item they replaced or removed (nullopt: there was
  // none) when reports_replaced(); otherwise always nullopt (ask stored_length first).
  std::optional<int64_t> put(int64_t tid, const ItemKey& k, std::string_view item);
  std::optional<int64_t> del(int64_t tid, const ItemKey& k);
  // True when SQLite's pre-update hook tells put/del what they replaced: one B-tree descent per
  // blind write instead of a lookup plus the write.
  bool reports_replaced() const { return hooked_; }
  void idx_put(int64_t tid, int64_t iid, const ItemKey& ik, const ItemKey& tk);
  void idx_del(int64_t tid, int64_t iid, const ItemKey& ik, const ItemKey& tk);
  void idx_drop(int64_t tid, int64_t iid);
  std::pair<int64_t, int64_t> count(int64_t tid);  // items, bytes
  std::pair<int64_t, int64_t> count_index(int64_t tid, int64_t iid);

  // TTL bookkeeping
  void ttl_put(int64_t tid, const ItemKey& k, int64_t expires);
  void ttl_del(int64_t tid, const ItemKey& k);
  void ttl_drop(int64_t tid);

  // Streams
  int64_t next_sequence();
  int64_t current_sequence() const { return seq_; }

 private:
  // Hot statements, prepared once per schema (migrate() re-prepares) and owned here rather than
  // by the Database's cache: keys and items bind without a copy (the bytes outlive each step).
  sqlite3_stmt* hot(int which);
  bool step(sqlite3_stmt* st);
  void prepare_hot();
  void finalize_hot();
  store::Database& db_;
  int64_t seq_ = 0;
  sqlite3_stmt* hot_[8] = {};
  static void on_preupdate(void* self, sqlite3* db, int op, const char* db_name, const char* table, sqlite3_int64,
                           sqlite3_int64);
  void hold();
  bool hold_ = false;
  bool hooked_ = false;
  int64_t replaced_ = -1;  // stored length of the items row the current statement removed
};

}  // namespace stratus::dynamodb
