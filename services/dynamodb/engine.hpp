#pragma once
// The state the DynamoDB operations share: tables (cached in memory, persisted in SQLite), the
// item store, and the one write primitive every mutation goes through (indexes, streams, TTL).
#include "expressions.hpp"
#include "store.hpp"
#include "table.hpp"

#include <stratus/service.hpp>

#include <memory>
#include <string>
#include <unordered_map>

namespace stratus::dynamodb {

struct Engine {
  Env* env = nullptr;
  std::unique_ptr<Store> store;
  std::unordered_map<std::string, std::unique_ptr<Table>> tables;  // account \0 region \0 name
  // TransactWriteItems ClientRequestToken -> (request digest, expiry): idempotent for 10 minutes.
  std::unordered_map<std::string, std::pair<std::string, double>> tx_tokens;

  void load();
  void clear() {
    tables.clear();
    tx_tokens.clear();
  }
  double now() const;

  static std::string table_key(std::string_view account, std::string_view region, std::string_view name);
  // Resolves a TableName member (name or ARN); validates the name like AWS. nullptr when absent.
  Table* find(const RequestContext& ctx, std::string_view name_or_arn, std::string_view member = "tableName");
  // Item operations: ResourceNotFoundException "Requested resource not found" when absent.
  Table& require(const RequestContext& ctx, std::string_view name_or_arn, std::string_view member = "tableName");
  void save(Table& t);

  // --- keys ---
  // Validates a Key parameter against the schema (AWS's messages) and returns the storage key.
  ItemKey key_from_key(const Table& t, json::object& key);
  // Validates an item for a write (values, key presence/types/sizes, index keys, 400 KB).
  ItemKey key_from_item(const Table& t, json::object& item, bool batch = false);
  ItemKey key_of(const Table& t, const json::object& item) const;  // item already valid
  // Index key of an item; false when the item is not in the index (sparse).
  bool index_key(const Table& t, const Index& ix, const json::object& item, const ItemKey& tk, ItemKey& out) const;
  json::object key_attributes(const Table& t, const json::object& item) const;
  // Attributes an index returns for an item (its projection).
  json::object project_to_index(const Table& t, const Index& ix, const json::object& item) const;

  // The stored item; `stored_len` receives the length of its stored form (for size counters).
  std::optional<json::object> get(const Table& t, const ItemKey& k, int64_t* stored_len = nullptr);
  // The one write primitive: replaces `old` (nullptr: none; `old_len` its stored length) by `neu`
  // (nullptr: delete).
  void write(Table& t, const ItemKey& k, const json::object* old, const json::object* neu, bool by_ttl = false,
             int64_t old_len = 0);
  // Replaces or deletes an item nothing else depends on (no indexes, streams, TTL) without reading it.
  void write_blind(Table& t, const ItemKey& k, const json::object* neu);
  // Table::counts (and index counts), computed once from the store.
  const Table::Counts& counts(Table& t);

  // Validates UpdateItem/PutItem results: index key types, sizes.
  void check_index_values(const Table& t, const json::object& item, bool from_update) const;

  // Stream record append (streams.cpp).
  void append_stream_record(Table& t, const ItemKey& k, const json::object* old, const json::object* neu, bool by_ttl);
};

// ConsumedCapacity for a table (and its indexes when `mode` == INDEXES). `units` for the table.
json::object consumed(const Table& t, double units, std::string_view mode, bool read,
                      const std::vector<std::pair<std::string, double>>& index_units = {});
double read_units(size_t bytes, bool consistent);
double write_units(size_t bytes);

}  // namespace stratus::dynamodb
