// BatchGetItem and BatchWriteItem:
// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchWriteItem.html
// Everything is validated before anything is read or written; nothing is ever left unprocessed.
#include "attr.hpp"
#include "errors.hpp"
#include "legacy.hpp"
#include "ops.hpp"

#include <set>

namespace stratus::dynamodb::ops {

namespace {
std::string key_id(const ItemKey& k) { return k.pk + std::string(1, '\0') + k.sk; }
}  // namespace

Output batch_get_item(Engine& e, Call& c) {
  auto& req = c.input["RequestItems"].as_object();
  size_t total = 0;
  for (auto& [name, spec] : req) total += spec.get_object().contains("Keys") ? spec.get_object().at("Keys").get_array().size() : 0;
  if (total > 100) throw validation("Too many items requested for the BatchGetItem call");
  struct Plan {
    Table* t;
    std::vector<ItemKey> keys;
    std::optional<std::vector<Path>> proj;
    bool consistent;
  };
  std::vector<std::pair<std::string, Plan>> plans;
  for (auto& [name, spec] : req) {
    auto& o = spec.as_object();
    check_no_mixing(o, {"ProjectionExpression"}, {"AttributesToGet"});
    check_expression_maps(o, o.contains("ProjectionExpression"));
    ExprParser p(opt_obj(o, "ExpressionAttributeNames"), nullptr);
    Plan plan;
    plan.proj = read_projection(o, p);
    p.check_unused();
    plan.t = &e.require(c.ctx, name);
    plan.consistent = opt_bool(o, "ConsistentRead").value_or(false);
    std::set<std::string> seen;
    for (auto& k : o["Keys"].as_array()) {
      ItemKey ik = e.key_from_key(*plan.t, k.as_object());
      if (!seen.insert(key_id(ik)).second) throw validation("Provided list of item keys contains duplicates");
      plan.keys.push_back(std::move(ik));
    }
    plans.emplace_back(std::string(name), std::move(plan));
  }
  json::object responses;
  json::array capacity;
  auto rcc = str_or(c.input, "ReturnConsumedCapacity", "NONE");
  for (auto& [name, plan] : plans) {
    json::array items;
    double units = 0;
    for (auto& k : plan.keys) {
      auto raw = e.store->get(plan.t->id, k);
      size_t size = 0;
      if (raw) {
        json::object item = parse_item(*raw);
        size = item_size(item);
        items.push_back(plan.proj ? json::value(project(item, *plan.proj)) : json::value(std::move(item)));
      }
      units += read_units(size, plan.consistent);
    }
    responses[name] = std::move(items);
    if (rcc != "NONE") capacity.push_back(consumed(*plan.t, units, rcc, true));
  }
  json::object out{{"Responses", std::move(responses)}, {"UnprocessedKeys", json::object{}}};
  if (rcc != "NONE") out["ConsumedCapacity"] = std::move(capacity);
  return out;
}

Output batch_write_item(Engine& e, Call& c) {
  auto& req = c.input["RequestItems"].as_object();
  size_t total = 0;
  for (auto& [name, list] : req) total += list.get_array().size();
  if (total > 25) throw validation("Too many items requested for the BatchWriteItem call");
  std::vector<WriteOp> ops;
  ops.reserve(total);
  std::set<std::string> seen;
  for (auto& [name, list] : req) {
    for (auto& r : list.as_array()) {
      auto& ro = r.as_object();
      auto* put = ro.if_contains("PutRequest");
      auto* del = ro.if_contains("DeleteRequest");
      if ((put ? 1 : 0) + (del ? 1 : 0) != 1)
        throw validation("Supplied AttributeValue has more than one datatypes set, must contain exactly one of the "
                         "supported datatypes");
      WriteOp w;
      w.kind = put ? WriteOp::Kind::put : WriteOp::Kind::del;
      Table& t = e.require(c.ctx, name);
      w.table = &t;
      if (put) {
        w.item = &put->as_object()["Item"].as_object();
        w.key = e.key_from_item(t, *w.item, true);
      } else {
        w.item = &del->as_object()["Key"].as_object();
        w.key = e.key_from_key(t, *w.item);
      }
      if (!seen.insert(std::to_string(t.id) + ":" + key_id(w.key)).second)
        throw validation("Provided list of item keys contains duplicates");
      ops.push_back(std::move(w));
    }
  }
  // Nothing in a batch needs the replaced items unless the table maintains indexes, streams or
  // TTL, or capacity was asked for (it is billed on the larger of old and new).
  bool want_sizes = str_or(c.input, "ReturnConsumedCapacity", "NONE") != "NONE" ||
                    str_or(c.input, "ReturnItemCollectionMetrics", "NONE") != "NONE";
  for (auto& w : ops)
    w.blind = !want_sizes && w.table->indexes.empty() && !w.table->stream_enabled && !w.table->ttl_enabled;
  auto tx = e.store->transaction();
  for (auto& w : ops) {
    evaluate_write(e, w);
    commit_write(e, w);
  }
  tx.commit();
  json::object out{{"UnprocessedItems", json::object{}}};
  auto rcc = str_or(c.input, "ReturnConsumedCapacity", "NONE");
  if (rcc != "NONE") {
    std::map<std::string, std::pair<const Table*, double>> per;
    for (auto& w : ops) {
      auto& slot = per[w.table->name];
      slot.first = w.table;
      size_t sz = std::max(w.old_item ? item_size(*w.old_item) : 0, w.new_item ? item_size(*w.new_item) : 0);
      slot.second += write_units(sz);
    }
    json::array cap;
    for (auto& [n, p] : per) cap.push_back(consumed(*p.first, p.second, rcc, false));
    out["ConsumedCapacity"] = std::move(cap);
  }
  if (str_or(c.input, "ReturnItemCollectionMetrics", "NONE") == "SIZE") {
    json::object m;
    for (auto& w : ops) {
      auto icm = item_collection_metrics(e, *w.table, w);
      if (icm.empty()) continue;
      if (!m.contains(w.table->name)) m[w.table->name] = json::array{};
      m[w.table->name].as_array().push_back(std::move(icm));
    }
    out["ItemCollectionMetrics"] = std::move(m);
  }
  return out;
}

}  // namespace stratus::dynamodb::ops
