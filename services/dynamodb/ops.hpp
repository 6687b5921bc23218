#pragma once
// Operation handlers (one function per AWS operation) over the shared Engine, and the helpers
// the item operations share.
#include "engine.hpp"
#include "expressions.hpp"

#include <stratus/service.hpp>

#include <optional>

namespace stratus::dynamodb::ops {

// tables (ops_tables.cpp)
Output create_table(Engine& e, Call& c);
Output describe_table(Engine& e, Call& c);
Output list_tables(Engine& e, Call& c);
Output delete_table(Engine& e, Call& c);
Output update_table(Engine& e, Call& c);
Output update_time_to_live(Engine& e, Call& c);
Output describe_time_to_live(Engine& e, Call& c);
Output tag_resource(Engine& e, Call& c);
Output untag_resource(Engine& e, Call& c);
Output list_tags_of_resource(Engine& e, Call& c);
Output describe_limits(Engine& e, Call& c);
Output describe_endpoints(Engine& e, Call& c);
Output describe_continuous_backups(Engine& e, Call& c);
Output update_continuous_backups(Engine& e, Call& c);
Output list_backups(Engine& e, Call& c);
Output list_global_tables(Engine& e, Call& c);
Output list_exports(Engine& e, Call& c);
Output list_imports(Engine& e, Call& c);
Output describe_kinesis_streaming_destination(Engine& e, Call& c);
Output describe_contributor_insights(Engine& e, Call& c);
Output list_contributor_insights(Engine& e, Call& c);
// items (ops_items.cpp)
Output put_item(Engine& e, Call& c);
Output get_item(Engine& e, Call& c);
Output update_item(Engine& e, Call& c);
Output delete_item(Engine& e, Call& c);
// query.cpp
Output query(Engine& e, Call& c);
Output scan(Engine& e, Call& c);
// batch (ops_batch.cpp)
Output batch_get_item(Engine& e, Call& c);
Output batch_write_item(Engine& e, Call& c);
// transactions (ops_transactions.cpp)
Output transact_write_items(Engine& e, Call& c);
Output transact_get_items(Engine& e, Call& c);
// PartiQL (ops_partiql.cpp)
Output execute_statement(Engine& e, Call& c);
Output batch_execute_statement(Engine& e, Call& c);
Output execute_transaction(Engine& e, Call& c);

// --- shared by item operations ---

// One write of a PutItem/UpdateItem/DeleteItem (also a transaction or batch member), prepared
// and validated before anything is written.
struct WriteOp {
  enum class Kind { put, update, del, check } kind = Kind::put;
  Table* table = nullptr;
  ItemKey key;
  json::object* item = nullptr;  // Put: the item; others: the Key
  std::optional<Condition> condition;
  std::vector<UpdateAction> updates;
  std::unique_ptr<ExprParser> parser;
  std::string return_on_failure;  // ReturnValuesOnConditionCheckFailure
  bool blind = false;             // nothing needs the old item: write without reading it
  int64_t old_len = 0;            // stored length of the old item
  // results
  std::optional<json::object> old_item, new_item;
};

// Parses a Put/Update/Delete/ConditionCheck request member (its expressions and legacy params).
// `legacy_ok`: the single-item APIs accept Expected/AttributeUpdates; transactions do not.
void prepare_write(Engine& e, const RequestContext& ctx, WriteOp& w, json::object& in, bool legacy_ok,
                   bool batch = false);
// Loads the old item, evaluates the condition (throws ConditionalCheckFailedException unless
// `no_throw`, then returns false) and computes the new item.
bool evaluate_write(Engine& e, WriteOp& w, bool no_throw = false);
// Writes it (indexes, streams, TTL).
void commit_write(Engine& e, WriteOp& w);
// ConsumedCapacity of a write.
json::object write_capacity(const Table& t, const WriteOp& w, std::string_view mode, double factor = 1.0);
json::object item_collection_metrics(const Engine& e, const Table& t, const WriteOp& w);

// ProjectionExpression or AttributesToGet of a read request (nullopt: all attributes).
std::optional<std::vector<Path>> read_projection(json::object& in, ExprParser& p);

}  // namespace stratus::dynamodb::ops
