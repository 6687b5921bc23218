#include "dynamodb_service.hpp"

#include "engine.hpp"
#include "ops.hpp"
#include "streams.hpp"
#include "ttl.hpp"

#include <stratus/clock.hpp>
#include <stratus/protocol.hpp>
#include <stratus/store.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>

namespace stratus::dynamodb {

namespace {

bool has_null(const json::value& v) {
  if (v.is_null()) return true;
  if (v.is_array()) {
    for (auto& e : v.get_array())
      if (has_null(e)) return true;
  } else if (v.is_object()) {
    for (auto& [k, e] : v.get_object())
      if (has_null(e)) return true;
  }
  return false;
}

json::value empty_of(const model::Shape& sh) {
  switch (sh.type) {
    case model::Type::list: return json::array();
    case model::Type::structure:
    case model::Type::map: return json::object();
    case model::Type::boolean: return false;
    case model::Type::string:
    case model::Type::blob: return json::string();
    default: return 0;
  }
}

// Replaces nulls inside lists and maps by the empty value of their shape.
void fill_nulls(const model::Shape& sh, json::value& v) {
  switch (sh.type) {
    case model::Type::structure:
      if (v.is_object())
        for (auto& m : sh.members)
          if (auto* x = v.get_object().if_contains(m.name); x && m.shape) fill_nulls(*m.shape, *x);
      break;
    case model::Type::list:
      if (v.is_array() && sh.member.shape)
        for (auto& e : v.get_array()) {
          if (e.is_null()) e = empty_of(*sh.member.shape);
          fill_nulls(*sh.member.shape, e);
        }
      break;
    case model::Type::map:
      if (v.is_object() && sh.value.shape)
        for (auto& [k, e] : v.get_object()) {
          if (e.is_null()) e = empty_of(*sh.value.shape);
          fill_nulls(*sh.value.shape, e);
        }
      break;
    default: break;
  }
}

// The codec keeps JSON nulls inside lists and maps (structures drop them). The empty value of the
// member's shape in their place gets AWS's answer for an empty value ("Supplied AttributeValue is
// empty", or the model's constraint messages) instead of reaching handler code.
void reject_nulls(Call& c) {
  json::value doc(std::move(c.input));
  if (has_null(doc) && c.op && c.op->input) {
    fill_nulls(*c.op->input, doc);
    auto errors = protocol::validate(*c.op->input, doc.get_object(), protocol::ValidationOptions{true, false});
    if (!errors.empty()) {
      c.input = std::move(doc.get_object());
      throw AwsError("ValidationException", protocol::validation_message(errors), 400);
    }
  }
  c.input = std::move(doc.get_object());
}

}  // namespace

DynamoDbService::DynamoDbService()
    : Service(ServiceInfo{
          .name = "dynamodb",
          .models = {{"dynamodb", Protocol::json}},
          .target_prefixes = {"DynamoDB_20120810"},
          .signing_names = {"dynamodb"},
          .json_error_prefix = "com.amazonaws.dynamodb.v20120810#",
          .json_error_types = {{"ValidationException", "com.amazon.coral.validate#ValidationException"}},
          .request_id = RequestIdStyle::dynamodb,
          .max_body = 16ull << 20,
          .crc32_header = true,
      }),
      engine_(std::make_unique<Engine>()) {
  auto bind = [this](Output (*fn)(Engine&, Call&)) {
    return [this, fn](Call& c) {
      reject_nulls(c);
      return fn(*engine_, c);
    };
  };
  on("CreateTable", bind(&ops::create_table));
  on("DescribeTable", bind(&ops::describe_table));
  on("ListTables", bind(&ops::list_tables));
  on("DeleteTable", bind(&ops::delete_table));
  on("UpdateTable", bind(&ops::update_table));
  on("UpdateTimeToLive", bind(&ops::update_time_to_live));
  on("DescribeTimeToLive", bind(&ops::describe_time_to_live));
  on("TagResource", bind(&ops::tag_resource));
  on("UntagResource", bind(&ops::untag_resource));
  on("ListTagsOfResource", bind(&ops::list_tags_of_resource));
  on("DescribeLimits", bind(&ops::describe_limits));
  on("DescribeEndpoints", bind(&ops::describe_endpoints));
  on("DescribeContinuousBackups", bind(&ops::describe_continuous_backups));
  on("UpdateContinuousBackups", bind(&ops::update_continuous_backups));
  on("ListBackups", bind(&ops::list_backups));
  on("ListGlobalTables", bind(&ops::list_global_tables));
  on("ListExports", bind(&ops::list_exports));
  on("ListImports", bind(&ops::list_imports));
  on("DescribeKinesisStreamingDestination", bind(&ops::describe_kinesis_streaming_destination));
  on("DescribeContributorInsights", bind(&ops::describe_contributor_insights));
  on("ListContributorInsights", bind(&ops::list_contributor_insights));
  on("PutItem", bind(&ops::put_item));
  on("GetItem", bind(&ops::get_item));
  on("UpdateItem", bind(&ops::update_item));
  on("DeleteItem", bind(&ops::delete_item));
  on("Query", bind(&ops::query));
  on("Scan", bind(&ops::scan));
  on("BatchGetItem", bind(&ops::batch_get_item));
  on("BatchWriteItem", bind(&ops::batch_write_item));
  on("TransactWriteItems", bind(&ops::transact_write_items));
  on("TransactGetItems", bind(&ops::transact_get_items));
  on("ExecuteStatement", bind(&ops::execute_statement));
  on("BatchExecuteStatement", bind(&ops::batch_execute_statement));
  on("ExecuteTransaction", bind(&ops::execute_transaction));
}

DynamoDbService::~DynamoDbService() = default;

void DynamoDbService::start(Env& env) {
  Service::start(env);
  engine_->env = &env;
  // In memory the store keeps one write transaction open (see Store::hold): a ":memory:" database
  // serves its pages without copying them.
  engine_->store = std::make_unique<Store>(env.storage.database("dynamodb", store::Database::InMemory::page_cache));
  engine_->store->migrate();
  engine_->load();
  boost::asio::co_spawn(env.io, ttl_sweeper(*engine_), boost::asio::detached);
}

void DynamoDbService::reset() {
  engine_->store->release();
  engine_->store->db().wipe();
  engine_->store->migrate();
  engine_->clear();
}

DynamoDbStreamsService::DynamoDbStreamsService()
    : Service(ServiceInfo{
          .name = "dynamodbstreams",
          .models = {{"dynamodbstreams", Protocol::json}},
          .target_prefixes = {"DynamoDBStreams_20120810"},
          .signing_names = {"dynamodb"},
          .json_error_prefix = "com.amazonaws.dynamodb.v20120810#",
          .json_error_types = {{"ValidationException", "com.amazon.coral.validate#ValidationException"}},
          .request_id = RequestIdStyle::dynamodb,
          .crc32_header = true,
      }) {
  auto bind = [this](Output (*fn)(Engine&, Call&)) { return [this, fn](Call& c) { return fn(engine(), c); }; };
  on("ListStreams", bind(&streams_ops::list_streams));
  on("DescribeStream", bind(&streams_ops::describe_stream));
  on("GetShardIterator", bind(&streams_ops::get_shard_iterator));
  on("GetRecords", bind(&streams_ops::get_records));
}

void DynamoDbStreamsService::start(Env& env) { Service::start(env); }

Engine& DynamoDbStreamsService::engine() {
  if (!ddb_) ddb_ = dynamic_cast<DynamoDbService*>(env().services.get("dynamodb"));
  if (!ddb_) throw AwsError("ServiceUnavailable", "DynamoDB is not enabled in this Stratus instance", 503, false);
  return ddb_->engine();
}

}  // namespace stratus::dynamodb
