// TransactWriteItems and TransactGetItems:
// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactWriteItems.html
// All members are validated, then every condition is evaluated; if any fails the whole
// transaction is cancelled with one reason per member, in request order.
#include "attr.hpp"
#include "errors.hpp"
#include "ops.hpp"

#include <stratus/crypto.hpp>

#include <map>
#include <set>

namespace stratus::dynamodb::ops {

namespace {
std::string key_id(const Table& t, const ItemKey& k) {
  return std::to_string(t.id) + ":" + k.pk + std::string(1, '\0') + k.sk;
}
}  // namespace

Output transact_write_items(Engine& e, Call& c) {
  auto& in = c.input;
  auto& items = in["TransactItems"].as_array();
  // Idempotency: the same token within 10 minutes for the same request succeeds without effect.
  std::string token(str_or(in, "ClientRequestToken"));
  std::string digest;
  if (!token.empty()) {
    digest = crypto::sha256(json::serialize(items));
    double now = e.now();
    for (auto it = e.tx_tokens.begin(); it != e.tx_tokens.end();)
      if (it->second.second < now) it = e.tx_tokens.erase(it);
      else ++it;
    auto it = e.tx_tokens.find(c.ctx.account_id + "/" + token);
    if (it != e.tx_tokens.end()) {
      if (it->second.first != digest)
        throw AwsError("IdempotentParameterMismatchException",
                       "The request uses the same client token as a previous, but non-identical request.", 400);
      return json::object{};
    }
  }
  std::vector<WriteOp> ops(items.size());
  std::set<std::string> seen;
  for (size_t i = 0; i < items.size(); ++i) {
    auto& o = items[i].as_object();
    int n = 0;
    json::object* member = nullptr;
    WriteOp& w = ops[i];
    for (auto [name, kind] : {std::pair{"ConditionCheck", WriteOp::Kind::check}, std::pair{"Put", WriteOp::Kind::put},
                              std::pair{"Delete", WriteOp::Kind::del}, std::pair{"Update", WriteOp::Kind::update}})
      if (auto* v = o.if_contains(name)) {
        ++n;
        member = &v->as_object();
        w.kind = kind;
      }
    if (n != 1)
      throw validation("TransactItems can only contain one of Check, Put, Update or Delete");
    if (w.kind == WriteOp::Kind::check && !member->contains("ConditionExpression"))
      throw validation("1 validation error detected: Value null at 'transactItems." + std::to_string(i + 1) +
                       ".member.conditionCheck.conditionExpression' failed to satisfy constraint: Member must not be null");
    prepare_write(e, c.ctx, w, *member, false);
    if (!seen.insert(key_id(*w.table, w.key)).second)
      throw validation("Transaction request cannot include multiple operations on one item");
  }
  // Evaluate every member; collect reasons.
  json::array reasons;
  bool failed = false;
  std::string codes;
  for (auto& w : ops) {
    json::object reason;
    try {
      if (!evaluate_write(e, w, true)) {
        failed = true;
        reason["Code"] = "ConditionalCheckFailed";
        reason["Message"] = "The conditional request failed";
        if (w.return_on_failure == "ALL_OLD" && w.old_item) reason["Item"] = *w.old_item;
      } else {
        reason["Code"] = "None";
      }
    } catch (const AwsError& err) {
      failed = true;
      reason["Code"] = "ValidationError";
      reason["Message"] = err.message;
    }
    codes += (codes.empty() ? "" : ", ") + std::string(reason["Code"].as_string());
    reasons.push_back(std::move(reason));
  }
  if (failed)
    throw AwsError("TransactionCanceledException",
                   "Transaction cancelled, please refer cancellation reasons for specific reasons [" + codes + "]", 400)
        .with("CancellationReasons", std::move(reasons));
  {
    auto tx = e.store->transaction();
    for (auto& w : ops) commit_write(e, w);
    tx.commit();
  }
  if (!token.empty()) e.tx_tokens[c.ctx.account_id + "/" + token] = {digest, e.now() + 600};
  json::object out;
  auto rcc = str_or(in, "ReturnConsumedCapacity", "NONE");
  if (rcc != "NONE") {
    std::map<std::string, std::pair<const Table*, double>> per;
    for (auto& w : ops) {
      auto& slot = per[w.table->name];
      slot.first = w.table;
      size_t sz = std::max(w.old_item ? item_size(*w.old_item) : 0, w.new_item ? item_size(*w.new_item) : 0);
      slot.second += write_units(sz) * 2;
    }
    json::array cap;
    for (auto& [n, p] : per) cap.push_back(consumed(*p.first, p.second, rcc, false));
    out["ConsumedCapacity"] = std::move(cap);
  }
  return out;
}

Output transact_get_items(Engine& e, Call& c) {
  auto& items = c.input["TransactItems"].as_array();
  struct Plan {
    Table* t;
    ItemKey k;
    std::optional<std::vector<Path>> proj;
  };
  std::vector<Plan> plans;
  std::set<std::string> seen;
  std::vector<std::unique_ptr<ExprParser>> parsers;
  for (auto& it : items) {
    auto& g = it.as_object()["Get"].as_object();
    check_expression_maps(g, g.contains("ProjectionExpression"));
    parsers.push_back(std::make_unique<ExprParser>(opt_obj(g, "ExpressionAttributeNames"), nullptr));
    Plan p;
    p.proj = read_projection(g, *parsers.back());
    parsers.back()->check_unused();
    p.t = &e.require(c.ctx, str_or(g, "TableName"));
    p.k = e.key_from_key(*p.t, g["Key"].as_object());
    if (!seen.insert(key_id(*p.t, p.k)).second)
      throw validation("Transaction request cannot include multiple operations on one item");
    plans.push_back(std::move(p));
  }
  json::array responses;
  std::map<std::string, std::pair<const Table*, double>> per;
  for (auto& p : plans) {
    auto raw = e.store->get(p.t->id, p.k);
    json::object r;
    size_t size = 0;
    if (raw) {
      json::object item = parse_item(*raw);
      size = item_size(item);
      r["Item"] = p.proj ? project(item, *p.proj) : std::move(item);
    }
    auto& slot = per[p.t->name];
    slot.first = p.t;
    slot.second += read_units(size, true) * 2;
    responses.push_back(std::move(r));
  }
  json::object out{{"Responses", std::move(responses)}};
  auto rcc = str_or(c.input, "ReturnConsumedCapacity", "NONE");
  if (rcc != "NONE") {
    json::array cap;
    for (auto& [n, p] : per) cap.push_back(consumed(*p.first, p.second, rcc, true));
    out["ConsumedCapacity"] = std::move(cap);
  }
  return out;
}

}  // namespace stratus::dynamodb::ops
