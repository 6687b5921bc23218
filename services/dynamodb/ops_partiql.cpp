// ExecuteStatement, BatchExecuteStatement, ExecuteTransaction: PartiQL statements run as the
// equivalent item/Query/Scan requests (partiql.hpp).
#include "errors.hpp"
#include "ops.hpp"
#include "partiql.hpp"

#include <stratus/crypto.hpp>

namespace stratus::dynamodb::ops {

namespace {

bool uses(const std::string& text, const std::string& ph) {
  size_t pos = 0;
  while ((pos = text.find(ph, pos)) != std::string::npos) {
    size_t end = pos + ph.size();
    if (end >= text.size() || !(std::isalnum(static_cast<unsigned char>(text[end])) || text[end] == '_')) return true;
    pos = end;
  }
  return false;
}

// Adds the placeholders the given expressions use.
void attach_placeholders(json::object& in, const Statement& st, std::initializer_list<std::string> exprs) {
  std::string all;
  for (auto& e : exprs) all += e + " ";
  json::object names, values;
  for (auto& [k, v] : st.names)
    if (uses(all, std::string(k))) names[k] = v;
  for (auto& [k, v] : st.values)
    if (uses(all, std::string(k))) values[k] = v;
  if (!names.empty()) in["ExpressionAttributeNames"] = std::move(names);
  if (!values.empty()) in["ExpressionAttributeValues"] = std::move(values);
}

std::string name_ph(const Statement& st, const std::string& attr) {
  for (auto& [k, v] : st.names)
    if (v.as_string() == attr) return std::string(k);
  return "";
}

// The remaining WHERE after removing the equalities on `keys`.
std::string rest_of_where(const Statement& st, const std::vector<std::string>& keys) {
  std::string rest;
  for (auto& [text, attr] : st.conjuncts) {
    bool is_key = false;
    for (auto& k : keys) is_key = is_key || (!attr.empty() && attr == k);
    if (!is_key) rest += (rest.empty() ? "" : " AND ") + text;
  }
  return rest;
}

Output call(Output (*fn)(Engine&, Call&), Engine& e, Call& c, json::object input) {
  Call sub{c.ctx, std::move(input), Payload{}, c.http, nullptr};
  return fn(e, sub);
}

// The key of the item a write statement addresses, from its WHERE equalities.
json::object full_key(const Statement& st, const Table& t) {
  json::object key;
  std::vector<const KeyAttr*> ks{&t.hash};
  if (t.range) ks.push_back(&*t.range);
  for (auto* k : ks) {
    auto it = st.equalities.find(k->name);
    if (it == st.equalities.end())
      throw validation("Where clause does not contain a mandatory equality on all key attributes");
    key[k->name] = st.values.at(it->second);
  }
  return key;
}

std::string encode_token(const json::object& lek) { return crypto::base64(json::serialize(lek)); }

json::object decode_token(std::string_view tok) {
  auto raw = crypto::base64_decode(tok);
  boost::system::error_code ec;
  json::value v = raw ? json::parse(*raw, ec) : json::value();
  if (!raw || ec || !v.is_object()) throw validation("Invalid NextToken");
  return v.as_object();
}

Output run(Engine& e, Call& c, Statement& st, const json::object& in) {
  Table& t = e.require(c.ctx, st.table);
  std::string rvf(str_or(in, "ReturnValuesOnConditionCheckFailure"));
  switch (st.kind) {
    case Statement::Kind::select: {
      const KeyAttr& hash = st.index.empty() ? t.hash : (t.index(st.index) ? t.index(st.index)->hash : t.hash);
      const std::optional<KeyAttr>& range = st.index.empty() ? t.range : (t.index(st.index) ? t.index(st.index)->range : t.range);
      json::object req{{"TableName", st.table}};
      if (!st.index.empty()) req["IndexName"] = st.index;
      if (!st.projection.empty()) req["ProjectionExpression"] = st.projection;
      if (auto l = opt_int(in, "Limit")) req["Limit"] = *l;
      if (auto cr = opt_bool(in, "ConsistentRead")) req["ConsistentRead"] = *cr;
      if (auto nt = opt_str(in, "NextToken")) req["ExclusiveStartKey"] = decode_token(*nt);
      auto h = st.equalities.find(hash.name);
      std::string key_cond, filter;
      Output out;
      if (h != st.equalities.end()) {
        std::vector<std::string> keys{hash.name};
        key_cond = name_ph(st, hash.name) + " = " + h->second;
        if (range)
          if (auto r = st.equalities.find(range->name); r != st.equalities.end()) {
            key_cond += " AND " + name_ph(st, range->name) + " = " + r->second;
            keys.push_back(range->name);
          }
        filter = rest_of_where(st, keys);
        req["KeyConditionExpression"] = key_cond;
        if (!filter.empty()) req["FilterExpression"] = filter;
        attach_placeholders(req, st, {key_cond, filter, st.projection});
        out = call(&query, e, c, std::move(req));
      } else {
        if (!st.where.empty()) req["FilterExpression"] = st.where;
        attach_placeholders(req, st, {st.where, st.projection});
        out = call(&scan, e, c, std::move(req));
      }
      json::object r{{"Items", out.doc.contains("Items") ? out.doc["Items"] : json::array{}}};
      if (auto* lek = out.doc.if_contains("LastEvaluatedKey")) {
        r["NextToken"] = encode_token(lek->as_object());
        r["LastEvaluatedKey"] = *lek;
      }
      if (auto* cc = out.doc.if_contains("ConsumedCapacity")) r["ConsumedCapacity"] = *cc;
      return r;
    }
    case Statement::Kind::insert: {
      json::object req{{"TableName", st.table}, {"Item", st.item}};
      json::object names{{"#k", t.hash.name}};
      req["ConditionExpression"] = "attribute_not_exists(#k)";
      req["ExpressionAttributeNames"] = std::move(names);
      try {
        call(&put_item, e, c, std::move(req));
      } catch (const AwsError& err) {
        if (err.code == "ConditionalCheckFailedException")
          throw AwsError("DuplicateItemException", "Duplicate primary key exists in table", 400);
        throw;
      }
      return json::object{{"Items", json::array{}}};
    }
    case Statement::Kind::update:
    case Statement::Kind::del: {
      json::object key = full_key(st, t);
      std::vector<std::string> keys{t.hash.name};
      if (t.range) keys.push_back(t.range->name);
      std::string cond = rest_of_where(st, keys);
      json::object req{{"TableName", st.table}, {"Key", std::move(key)}};
      if (st.kind == Statement::Kind::update) {
        std::string exists = "attribute_exists(" + name_ph(st, t.hash.name) + ")";
        if (name_ph(st, t.hash.name).empty()) exists.clear();
        cond = cond.empty() ? exists : exists.empty() ? cond : exists + " AND (" + cond + ")";
        req["UpdateExpression"] = st.update;
      }
      if (!cond.empty()) req["ConditionExpression"] = cond;
      if (!st.returning.empty()) req["ReturnValues"] = st.returning;
      if (!rvf.empty()) req["ReturnValuesOnConditionCheckFailure"] = rvf;
      attach_placeholders(req, st, {cond, st.update});
      Output out = call(st.kind == Statement::Kind::update ? &update_item : &delete_item, e, c, std::move(req));
      json::array items;
      if (auto* a = out.doc.if_contains("Attributes")) items.push_back(*a);
      return json::object{{"Items", std::move(items)}};
    }
  }
  return json::object{};
}

}  // namespace

Output execute_statement(Engine& e, Call& c) {
  auto& in = c.input;
  Statement st = parse_partiql(str_or(in, "Statement"), opt_arr(in, "Parameters"));
  return run(e, c, st, in);
}

Output batch_execute_statement(Engine& e, Call& c) {
  auto& stmts = c.input["Statements"].as_array();
  if (stmts.size() > 25) throw validation("Too many items requested for the BatchExecuteStatement call");
  json::array responses;
  for (auto& s : stmts) {
    auto& so = s.as_object();
    json::object resp;
    try {
      Statement st = parse_partiql(str_or(so, "Statement"), opt_arr(so, "Parameters"));
      resp["TableName"] = st.table;
      if (st.kind == Statement::Kind::select) {
        Table& t = e.require(c.ctx, st.table);
        full_key(st, t);
      }
      json::object in;
      if (auto r = opt_str(so, "ReturnValuesOnConditionCheckFailure")) in["ReturnValuesOnConditionCheckFailure"] = *r;
      Output out = run(e, c, st, in);
      if (st.kind == Statement::Kind::select) {
        auto& items = out.doc["Items"].as_array();
        if (!items.empty()) resp["Item"] = items[0];
      }
    } catch (const AwsError& err) {
      std::string code = err.code;
      if (code.ends_with("Exception")) code.resize(code.size() - 9);
      if (code == "Validation") code = "ValidationError";
      if (code == "ConditionalCheckFailed" || code == "DuplicateItem" || code == "ResourceNotFound" ||
          code == "ValidationError")
        resp["Error"] = json::object{{"Code", code}, {"Message", err.message}};
      else
        resp["Error"] = json::object{{"Code", "InternalServerError"}, {"Message", err.message}};
    }
    responses.push_back(std::move(resp));
  }
  return json::object{{"Responses", std::move(responses)}};
}

Output execute_transaction(Engine& e, Call& c) {
  auto& in = c.input;
  auto& stmts = in["TransactStatements"].as_array();
  std::vector<Statement> parsed;
  bool reads = false, writes = false;
  for (auto& s : stmts) {
    auto& so = s.as_object();
    parsed.push_back(parse_partiql(str_or(so, "Statement"), opt_arr(so, "Parameters")));
    (parsed.back().kind == Statement::Kind::select ? reads : writes) = true;
  }
  if (reads && writes)
    throw validation("Transaction must contain either all reads or all writes");
  json::array items;
  std::vector<bool> inserts;
  for (size_t i = 0; i < parsed.size(); ++i) {
    Statement& st = parsed[i];
    Table& t = e.require(c.ctx, st.table);
    json::object key = st.kind == Statement::Kind::insert ? json::object{} : full_key(st, t);
    std::vector<std::string> keys{t.hash.name};
    if (t.range) keys.push_back(t.range->name);
    std::string cond = st.kind == Statement::Kind::select ? std::string() : rest_of_where(st, keys);
    json::object m{{"TableName", st.table}};
    inserts.push_back(st.kind == Statement::Kind::insert);
    switch (st.kind) {
      case Statement::Kind::select:
        m["Key"] = std::move(key);
        if (!st.projection.empty()) m["ProjectionExpression"] = st.projection;
        attach_placeholders(m, st, {st.projection});
        items.push_back(json::object{{"Get", std::move(m)}});
        break;
      case Statement::Kind::insert:
        m["Item"] = st.item;
        m["ConditionExpression"] = "attribute_not_exists(#k)";
        m["ExpressionAttributeNames"] = json::object{{"#k", t.hash.name}};
        items.push_back(json::object{{"Put", std::move(m)}});
        break;
      case Statement::Kind::update: {
        std::string exists = name_ph(st, t.hash.name).empty() ? "" : "attribute_exists(" + name_ph(st, t.hash.name) + ")";
        cond = cond.empty() ? exists : exists.empty() ? cond : exists + " AND (" + cond + ")";
        m["Key"] = std::move(key);
        m["UpdateExpression"] = st.update;
        if (!cond.empty()) m["ConditionExpression"] = cond;
        attach_placeholders(m, st, {cond, st.update});
        items.push_back(json::object{{"Update", std::move(m)}});
        break;
      }
      case Statement::Kind::del:
        m["Key"] = std::move(key);
        if (!cond.empty()) m["ConditionExpression"] = cond;
        attach_placeholders(m, st, {cond});
        items.push_back(json::object{{"Delete", std::move(m)}});
        break;
    }
  }
  json::object req{{"TransactItems", std::move(items)}};
  if (auto tok = opt_str(in, "ClientRequestToken")) req["ClientRequestToken"] = *tok;
  if (reads) {
    Output out = call(&transact_get_items, e, c, std::move(req));
    return json::object{{"Responses", out.doc["Responses"]}};
  }
  try {
    call(&transact_write_items, e, c, std::move(req));
  } catch (AwsError& err) {
    if (err.code == "TransactionCanceledException") {
      if (auto* reasons = err.fields.if_contains("CancellationReasons")) {
        std::string codes;
        auto& arr = reasons->as_array();
        for (size_t i = 0; i < arr.size(); ++i) {
          auto& r = arr[i].as_object();
          if (i < inserts.size() && inserts[i] && r["Code"].as_string() == "ConditionalCheckFailed") {
            r["Code"] = "DuplicateItem";
            r["Message"] = "Duplicate primary key exists in table";
          }
          codes += (codes.empty() ? "" : ", ") + std::string(r["Code"].as_string());
        }
        err.message = "Transaction cancelled, please refer cancellation reasons for specific reasons [" + codes + "]";
      }
    }
    throw;
  }
  return json::object{{"Responses", json::array{}}};
}

}  // namespace stratus::dynamodb::ops
