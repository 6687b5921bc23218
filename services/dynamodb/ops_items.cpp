// PutItem, GetItem, UpdateItem, DeleteItem:
// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_<Operation>.html
#include "attr.hpp"
#include "errors.hpp"
#include "legacy.hpp"
#include "ops.hpp"

namespace stratus::dynamodb::ops {

std::optional<std::vector<Path>> read_projection(json::object& in, ExprParser& p) {
  if (auto pe = opt_str(in, "ProjectionExpression")) return p.projection(*pe);
  if (auto* atg = opt_arr(in, "AttributesToGet")) return legacy_attributes_to_get(*atg);
  return std::nullopt;
}

void prepare_write(Engine& e, const RequestContext& ctx, WriteOp& w, json::object& in, bool legacy_ok, bool batch) {
  bool update = w.kind == WriteOp::Kind::update;
  if (legacy_ok) {
    if (update)
      check_no_mixing(in, {"UpdateExpression", "ConditionExpression"}, {"AttributeUpdates", "Expected"});
    else
      check_no_mixing(in, {"ConditionExpression"}, {"Expected"});
  }
  bool uses_expr = in.contains("ConditionExpression") || (update && in.contains("UpdateExpression"));
  check_expression_maps(in, uses_expr);
  w.parser = std::make_unique<ExprParser>(opt_obj(in, "ExpressionAttributeNames"),
                                          opt_obj(in, "ExpressionAttributeValues"));
  std::vector<UpdateAction> updates;
  if (update)
    if (auto ue = opt_str(in, "UpdateExpression")) updates = w.parser->update(*ue);
  if (auto ce = opt_str(in, "ConditionExpression")) w.condition = w.parser->condition(*ce, "ConditionExpression");
  w.parser->check_unused();
  if (legacy_ok)
    if (auto* ex = in.if_contains("Expected"); ex && !ex->get_object().empty())
      w.condition = legacy_expected(ex->get_object(), str_or(in, "ConditionalOperator", "AND"));
  w.return_on_failure = std::string(str_or(in, "ReturnValuesOnConditionCheckFailure", "NONE"));

  w.table = &e.require(ctx, str_or(in, "TableName"));
  Table& t = *w.table;
  if (w.kind == WriteOp::Kind::put) {
    w.item = &in["Item"].as_object();
    w.key = e.key_from_item(t, *w.item, batch);
  } else {
    w.item = &in["Key"].as_object();
    w.key = e.key_from_key(t, *w.item);
  }
  if (update) {
    if (legacy_ok)
      if (auto* au = in.if_contains("AttributeUpdates")) updates = legacy_attribute_updates(au->get_object(), t);
    for (auto& a : updates)
      if (t.is_key(a.path[0].name)) {
        if (a.path.size() == 1)
          throw validation("One or more parameter values were invalid: Cannot update attribute " + a.path[0].name +
                           ". This attribute is part of the key");
        throw validation("Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: "
                         "Key: " + a.path[0].name);
      }
    w.updates = std::move(updates);
  }
}

bool evaluate_write(Engine& e, WriteOp& w, bool no_throw) {
  Table& t = *w.table;
  if (!w.blind) w.old_item = e.get(t, w.key, &w.old_len);
  if (w.condition) {
    static const json::object kEmpty;
    if (!evaluate(*w.condition, w.old_item ? *w.old_item : kEmpty)) {
      if (no_throw) return false;
      AwsError err = conditional_failed();
      if (w.return_on_failure == "ALL_OLD" && w.old_item) err.with("Item", *w.old_item);
      throw err;
    }
  }
  switch (w.kind) {
    case WriteOp::Kind::put: w.new_item = std::move(*w.item); break;
    case WriteOp::Kind::del: w.new_item.reset(); break;
    case WriteOp::Kind::check: w.new_item = w.old_item; break;
    case WriteOp::Kind::update: {
      json::object item = w.old_item ? *w.old_item : *w.item;
      apply_update(item, w.updates);
      e.check_index_values(t, item, true);
      if (item_size(item) > 400 * 1024) throw validation("Item size to update has exceeded the maximum allowed size");
      w.new_item = std::move(item);
      break;
    }
  }
  return true;
}

void commit_write(Engine& e, WriteOp& w) {
  if (w.kind == WriteOp::Kind::check) return;
  if (w.blind) {
    e.write_blind(*w.table, w.key, w.new_item ? &*w.new_item : nullptr);
    return;
  }
  if (w.kind == WriteOp::Kind::del && !w.old_item) return;
  e.write(*w.table, w.key, w.old_item ? &*w.old_item : nullptr, w.new_item ? &*w.new_item : nullptr, false,
          w.old_len);
}

json::object write_capacity(const Table& t, const WriteOp& w, std::string_view mode, double factor) {
  size_t old_size = w.old_item ? item_size(*w.old_item) : 0;
  size_t new_size = w.new_item ? item_size(*w.new_item) : 0;
  double units = write_units(std::max(old_size, new_size)) * factor;
  std::vector<std::pair<std::string, double>> idx;
  for (auto& ix : t.indexes) {
    bool touched = (w.old_item && w.old_item->contains(ix.hash.name)) || (w.new_item && w.new_item->contains(ix.hash.name));
    if (touched && ix.global) idx.emplace_back(ix.name, write_units(std::max(old_size, new_size)) * factor);
  }
  return consumed(t, units, mode, false, idx);
}

json::object item_collection_metrics(const Engine& e, const Table& t, const WriteOp& w) {
  bool has_lsi = false;
  for (auto& ix : t.indexes) has_lsi = has_lsi || !ix.global;
  if (!has_lsi) return {};
  const json::object& item = w.new_item ? *w.new_item : w.old_item ? *w.old_item : *w.item;
  json::object key;
  if (auto* v = item.if_contains(t.hash.name)) key[t.hash.name] = *v;
  (void)e;
  return json::object{{"ItemCollectionKey", std::move(key)}, {"SizeEstimateRangeGB", json::array{0.0, 1.0}}};
}

namespace {

void add_common_outputs(json::object& out, const json::object& in, const Table& t, const WriteOp& w,
                        const Engine& e) {
  auto rcc = str_or(in, "ReturnConsumedCapacity", "NONE");
  if (rcc != "NONE") out["ConsumedCapacity"] = write_capacity(t, w, rcc);
  if (str_or(in, "ReturnItemCollectionMetrics", "NONE") == "SIZE") {
    auto m = item_collection_metrics(e, t, w);
    if (!m.empty()) out["ItemCollectionMetrics"] = std::move(m);
  }
}

// True when nothing about a PutItem/DeleteItem needs the item it replaces.
bool can_write_blind(const json::object& in, const WriteOp& w) {
  const Table& t = *w.table;
  return !w.condition && t.indexes.empty() && !t.stream_enabled && !t.ttl_enabled &&
         str_or(in, "ReturnValues", "NONE") == "NONE" && str_or(in, "ReturnConsumedCapacity", "NONE") == "NONE" &&
         str_or(in, "ReturnItemCollectionMetrics", "NONE") == "NONE";
}

void check_return_values(const json::object& in, bool update) {
  auto rv = str_or(in, "ReturnValues", "NONE");
  if (!update && rv != "NONE" && rv != "ALL_OLD") throw validation("Return values set to invalid value");
}

}  // namespace

Output put_item(Engine& e, Call& c) {
  auto& in = c.input;
  check_return_values(in, false);
  WriteOp w;
  w.kind = WriteOp::Kind::put;
  prepare_write(e, c.ctx, w, in, true);
  w.blind = can_write_blind(in, w);
  evaluate_write(e, w);
  if (w.blind) {
    commit_write(e, w);
  } else {
    auto tx = e.store->transaction();
    commit_write(e, w);
    tx.commit();
  }
  json::object out;
  if (str_or(in, "ReturnValues") == "ALL_OLD" && w.old_item) out["Attributes"] = std::move(*w.old_item);
  add_common_outputs(out, in, *w.table, w, e);
  return out;
}

Output delete_item(Engine& e, Call& c) {
  auto& in = c.input;
  check_return_values(in, false);
  WriteOp w;
  w.kind = WriteOp::Kind::del;
  prepare_write(e, c.ctx, w, in, true);
  w.blind = can_write_blind(in, w);
  evaluate_write(e, w);
  {
    auto tx = e.store->transaction();
    commit_write(e, w);
    tx.commit();
  }
  json::object out;
  if (str_or(in, "ReturnValues") == "ALL_OLD" && w.old_item) out["Attributes"] = *w.old_item;
  add_common_outputs(out, in, *w.table, w, e);
  return out;
}

Output update_item(Engine& e, Call& c) {
  auto& in = c.input;
  WriteOp w;
  w.kind = WriteOp::Kind::update;
  prepare_write(e, c.ctx, w, in, true);
  evaluate_write(e, w);
  {
    auto tx = e.store->transaction();
    commit_write(e, w);
    tx.commit();
  }
  json::object out;
  auto rv = str_or(in, "ReturnValues", "NONE");
  if (rv == "ALL_OLD" && w.old_item) {
    out["Attributes"] = *w.old_item;
  } else if (rv == "ALL_NEW" && w.new_item) {
    out["Attributes"] = *w.new_item;
  } else if (rv == "UPDATED_OLD" || rv == "UPDATED_NEW") {
    std::vector<Path> paths;
    for (auto& a : w.updates) paths.push_back(a.path);
    const auto& src = rv == "UPDATED_OLD" ? w.old_item : w.new_item;
    if (src && !paths.empty()) {
      json::object attrs = project(*src, paths);
      if (!attrs.empty()) out["Attributes"] = std::move(attrs);
    }
  }
  add_common_outputs(out, in, *w.table, w, e);
  return out;
}

Output get_item(Engine& e, Call& c) {
  auto& in = c.input;
  check_no_mixing(in, {"ProjectionExpression"}, {"AttributesToGet"});
  check_expression_maps(in, in.contains("ProjectionExpression"));
  ExprParser p(opt_obj(in, "ExpressionAttributeNames"), nullptr);
  auto proj = read_projection(in, p);
  p.check_unused();
  Table& t = e.require(c.ctx, str_or(in, "TableName"));
  ItemKey k = e.key_from_key(t, in["Key"].as_object());
  auto item = e.store->get_item(t.id, k);
  json::object out;
  size_t size = 0;
  if (item) {
    size = item_size(*item);
    out["Item"] = proj ? project(*item, *proj) : std::move(*item);
  }
  auto rcc = str_or(in, "ReturnConsumedCapacity", "NONE");
  if (rcc != "NONE")
    out["ConsumedCapacity"] = consumed(t, read_units(size, opt_bool(in, "ConsistentRead").value_or(false)), rcc, true);
  return out;
}

}  // namespace stratus::dynamodb::ops
