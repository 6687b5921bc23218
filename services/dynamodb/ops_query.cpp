// Query and Scan: https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Query.html
// Pages stop at Limit evaluated items or 1 MB of read data, whichever comes first; the filter runs
// after both. Key conditions become a range on the sort-key bytes, so a page is an index range scan.
#include "attr.hpp"
#include "errors.hpp"
#include "legacy.hpp"
#include "ops.hpp"

#include <variant>

namespace stratus::dynamodb::ops {

namespace {

constexpr size_t kPageBytes = 1024 * 1024;

using Bind = std::variant<int64_t, std::string>;

struct Sql {
  std::string text;
  std::vector<Bind> binds;
  void add(std::string_view clause, Bind b) {
    text += clause;
    binds.push_back(std::move(b));
  }
};

store::Cursor run(store::Database& db, const Sql& q) {
  auto& st = db.prepare(q.text);
  int i = 0;
  for (auto& b : q.binds) {
    ++i;
    if (auto* n = std::get_if<int64_t>(&b)) st.bind(i, *n);
    else st.bind(i, store::Blob{std::get<std::string>(b)});
  }
  return store::Cursor(st);
}

// Successor of a byte-string prefix: the smallest string greater than every string with that prefix.
std::optional<std::string> prefix_end(std::string p) {
  while (!p.empty()) {
    auto c = static_cast<unsigned char>(p.back());
    if (c < 0xFF) {
      p.back() = static_cast<char>(c + 1);
      return p;
    }
    p.pop_back();
  }
  return std::nullopt;
}

struct KeyRange {
  const json::value* hash = nullptr;
  Condition::Kind op = Condition::Kind::eq;
  bool has_range = false;
  const json::value* v1 = nullptr;
  const json::value* v2 = nullptr;
};

Condition::Kind flip(Condition::Kind k) {
  using K = Condition::Kind;
  switch (k) {
    case K::lt: return K::gt;
    case K::le: return K::ge;
    case K::gt: return K::lt;
    case K::ge: return K::le;
    default: return k;
  }
}

std::string_view op_name(Condition::Kind k) {
  using K = Condition::Kind;
  switch (k) {
    case K::or_: return "OR";
    case K::not_: return "NOT";
    case K::in: return "IN";
    case K::ne: return "<>";
    case K::exists: return "attribute_exists";
    case K::not_exists: return "attribute_not_exists";
    case K::type: return "attribute_type";
    case K::contains: return "contains";
    case K::legacy_null: return "NULL";
    case K::legacy_not_null: return "NOT_NULL";
    case K::legacy_not_contains: return "NOT_CONTAINS";
    default: return "";
  }
}

void flatten(const Condition& c, std::vector<const Condition*>& out, bool legacy) {
  if (c.kind == Condition::Kind::and_) {
    flatten(c.kids[0], out, legacy);
    flatten(c.kids[1], out, legacy);
    return;
  }
  auto name = op_name(c.kind);
  if (!name.empty()) {
    if (legacy) throw validation("Attempted conditional constraint is not an indexable operation");
    throw validation("Invalid operator used in KeyConditionExpression: " + std::string(name));
  }
  out.push_back(&c);
}

KeyRange analyse_key_condition(const Condition& root, const KeyAttr& hash, const std::optional<KeyAttr>& range,
                               bool legacy) {
  std::vector<const Condition*> leaves;
  flatten(root, leaves, legacy);
  if (leaves.size() > 2) throw validation("Conditions can be of length 1 or 2 only");
  KeyRange kr;
  bool seen_hash = false, seen_range = false;
  for (auto* c : leaves) {
    const Operand* path = nullptr;
    std::vector<const json::value*> vals;
    Condition::Kind kind = c->kind;
    for (size_t i = 0; i < c->ops.size(); ++i) {
      auto& o = c->ops[i];
      if (o.kind == Operand::Kind::path) {
        if (path) throw validation("Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition");
        if (i != 0 && c->ops.size() == 2) kind = flip(kind);
        path = &o;
      } else if (o.kind == Operand::Kind::value) {
        vals.push_back(o.value);
      } else {
        throw validation("Invalid operator used in KeyConditionExpression: size");
      }
    }
    if (!path) throw validation("Invalid condition in KeyConditionExpression: No key attribute specified");
    if (path->path.size() != 1)
      throw validation("KeyConditionExpressions cannot have conditions on nested attributes");
    const std::string& name = path->path[0].name;
    const KeyAttr* key = name == hash.name ? &hash : (range && name == range->name) ? &*range : nullptr;
    if (!key) {
      if (!seen_hash && leaves.size() == 1) throw validation("Query condition missed key schema element: " + hash.name);
      throw validation("Query condition missed key schema element: " + (range ? range->name : hash.name));
    }
    for (auto* v : vals)
      if (av_type(*v) != key->type)
        throw validation("One or more parameter values were invalid: Condition parameter type does not match schema type");
    if (key == &hash) {
      if (seen_hash) throw validation("KeyConditionExpressions must only contain one condition per key");
      if (kind != Condition::Kind::eq) throw validation("Query key condition not supported");
      seen_hash = true;
      kr.hash = vals[0];
    } else {
      if (seen_range) throw validation("KeyConditionExpressions must only contain one condition per key");
      seen_range = true;
      kr.has_range = true;
      kr.op = kind;
      kr.v1 = vals.empty() ? nullptr : vals[0];
      kr.v2 = vals.size() > 1 ? vals[1] : nullptr;
      if (kind == Condition::Kind::begins_with && key->type == AvType::N)
        throw validation("Invalid KeyConditionExpression: Incorrect operand type for operator or function; operator or "
                         "function: begins_with, operand type: N");
      if (kind == Condition::Kind::between && av_compare(*kr.v1, *kr.v2) > 0)
        throw validation("Invalid KeyConditionExpression: The BETWEEN operator requires upper bound to be greater than "
                         "or equal to lower bound; lower bound operand: AttributeValue: {" +
                         std::string(type_name(key->type)) + ":" + std::string(av_payload(*kr.v1).get_string()) +
                         "}, upper bound operand: AttributeValue: {" + std::string(type_name(key->type)) + ":" +
                         std::string(av_payload(*kr.v2).get_string()) + "}");
    }
  }
  if (!seen_hash) throw validation("Query condition missed key schema element: " + hash.name);
  return kr;
}

bool mentions(const Operand& o, const std::string& name) {
  if ((o.kind == Operand::Kind::path || o.kind == Operand::Kind::size) && !o.path.empty() && o.path[0].name == name)
    return true;
  for (auto& a : o.args)
    if (mentions(a, name)) return true;
  return false;
}

bool mentions(const Condition& c, const std::string& name) {
  for (auto& o : c.ops)
    if (mentions(o, name)) return true;
  for (auto& k : c.kids)
    if (mentions(k, name)) return true;
  return false;
}

// The read target: the table or one of its indexes.
struct Target {
  Table* table = nullptr;
  const Index* index = nullptr;
  const KeyAttr& hash() const { return index ? index->hash : table->hash; }
  const std::optional<KeyAttr>& range() const { return index ? index->range : table->range; }
};

struct StartKey {
  std::string pk, sk, tpk, tsk;
  int64_t h = 0, th = 0;
};

StartKey decode_start_key(Engine& e, const Target& tg, json::object& esk) {
  for (auto& [k, v] : esk) {
    std::string err = check_value(v);
    if (!err.empty()) throw validation("The provided starting key is invalid: " + err);
  }
  Table& t = *tg.table;
  std::vector<const KeyAttr*> need{&t.hash};
  if (t.range) need.push_back(&*t.range);
  if (tg.index) {
    need.push_back(&tg.index->hash);
    if (tg.index->range) need.push_back(&*tg.index->range);
  }
  std::set<std::string> names;
  for (auto* k : need) {
    names.insert(k->name);
    auto* v = esk.if_contains(k->name);
    if (!v || av_type(*v) != k->type)
      throw validation("The provided starting key is invalid: The provided key element does not match the schema");
  }
  if (esk.size() != names.size())
    throw validation("The provided starting key is invalid: The provided key element does not match the schema");
  StartKey s;
  ItemKey tk = e.key_of(t, esk);
  s.tpk = tk.pk;
  s.tsk = tk.sk;
  s.th = tk.h;
  if (tg.index) {
    ItemKey ik;
    e.index_key(t, *tg.index, esk, tk, ik);
    s.pk = ik.pk;
    s.sk = ik.sk;
    s.h = ik.h;
  } else {
    s.pk = tk.pk;
    s.sk = tk.sk;
    s.h = tk.h;
  }
  return s;
}

struct ReadPlan {
  Target tg;
  std::optional<Condition> filter;
  std::optional<std::vector<Path>> projection;
  std::string select;
  int64_t limit = 0;  // 0: none
  bool consistent = false;
  std::unique_ptr<ExprParser> parser;
};

// Shared Query/Scan parameter handling (expressions, index, Select).
void plan_read(Engine& e, Call& c, ReadPlan& p, bool query, std::optional<Condition>* key_condition) {
  auto& in = c.input;
  if (query)
    check_no_mixing(in, {"KeyConditionExpression", "FilterExpression", "ProjectionExpression"},
                    {"KeyConditions", "QueryFilter", "AttributesToGet", "ConditionalOperator"});
  else
    check_no_mixing(in, {"FilterExpression", "ProjectionExpression"}, {"ScanFilter", "AttributesToGet", "ConditionalOperator"});
  bool uses_expr = in.contains("FilterExpression") || in.contains("ProjectionExpression") ||
                   (query && in.contains("KeyConditionExpression"));
  check_expression_maps(in, uses_expr);
  p.parser = std::make_unique<ExprParser>(opt_obj(in, "ExpressionAttributeNames"), opt_obj(in, "ExpressionAttributeValues"));
  if (query) {
    if (auto kce = opt_str(in, "KeyConditionExpression"))
      *key_condition = p.parser->condition(*kce, "KeyConditionExpression");
  }
  if (auto fe = opt_str(in, "FilterExpression")) p.filter = p.parser->condition(*fe, "FilterExpression");
  p.projection = read_projection(in, *p.parser);
  p.parser->check_unused();
  const char* legacy_filter_name = query ? "QueryFilter" : "ScanFilter";
  if (auto* f = in.if_contains(legacy_filter_name); f && !f->get_object().empty())
    p.filter = legacy_filter(f->get_object(), str_or(in, "ConditionalOperator", "AND"), false);

  p.tg.table = &e.require(c.ctx, str_or(in, "TableName"));
  if (auto idx = opt_str(in, "IndexName")) {
    p.tg.index = p.tg.table->index(*idx);
    if (!p.tg.index) throw validation("The table does not have the specified index: " + *idx);
  }
  p.consistent = opt_bool(in, "ConsistentRead").value_or(false);
  if (p.consistent && p.tg.index && p.tg.index->global)
    throw validation("Consistent reads are not supported on global secondary indexes");
  p.limit = opt_int(in, "Limit").value_or(0);
  p.select = std::string(str_or(in, "Select"));
  if (p.select.empty()) p.select = p.projection ? "SPECIFIC_ATTRIBUTES" : p.tg.index ? "ALL_PROJECTED_ATTRIBUTES" : "ALL_ATTRIBUTES";
  if (p.projection && p.select != "SPECIFIC_ATTRIBUTES") {
    if (in.contains("AttributesToGet"))
      throw validation("Cannot specify the AttributesToGet when choosing to get " + p.select);
    throw validation("Cannot specify the ProjectionExpression when choosing to get " + p.select);
  }
  if (p.select == "SPECIFIC_ATTRIBUTES" && !p.projection)
    throw validation("Must specify the AttributesToGet or ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES");
  if (p.select == "ALL_PROJECTED_ATTRIBUTES" && !p.tg.index)
    throw validation("ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName");
  if (p.select == "ALL_ATTRIBUTES" && p.tg.index && p.tg.index->global && p.tg.index->projection != "ALL")
    throw validation("One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not supported for "
                     "global secondary index " + p.tg.index->name + " because its projection type is not ALL");
}

// Walks rows of a range scan, building the page.
struct PageBuilder {
  Engine& e;
  ReadPlan& p;
  json::array items;
  int64_t count = 0, scanned = 0;
  size_t bytes = 0;
  bool more = false;
  json::object last_key;
  std::string consumed_mode;

  // Returns false when the page is full.
  bool add(const json::object& item) {
    ++scanned;
    size_t sz = item_size(item);
    bytes += sz;
    Table& t = *p.tg.table;
    const json::object* src = &item;
    json::object projected;
    if (p.tg.index && (p.tg.index->global || p.select == "ALL_PROJECTED_ATTRIBUTES" ||
                       p.tg.index->projection == "ALL")) {
      if (p.tg.index->projection != "ALL") {
        projected = e.project_to_index(t, *p.tg.index, item);
        src = &projected;
      }
    }
    if (!p.filter || evaluate(*p.filter, *src)) {
      ++count;
      if (p.select != "COUNT") items.push_back(p.projection ? json::value(project(*src, *p.projection)) : json::value(*src));
    }
    bool full = (p.limit > 0 && scanned >= p.limit) || bytes >= kPageBytes;
    if (full) {
      last_key = e.key_attributes(t, item);
      if (p.tg.index) {
        for (const KeyAttr* k : {&p.tg.index->hash, p.tg.index->range ? &*p.tg.index->range : nullptr})
          if (k)
            if (auto* v = item.if_contains(k->name)) last_key[k->name] = *v;
      }
      more = true;
    }
    return !full;
  }

  Output finish(const json::object& in) {
    json::object out;
    if (p.select != "COUNT") out["Items"] = std::move(items);
    out["Count"] = count;
    out["ScannedCount"] = scanned;
    if (more) out["LastEvaluatedKey"] = std::move(last_key);
    auto rcc = str_or(in, "ReturnConsumedCapacity", "NONE");
    if (rcc != "NONE") {
      double units = read_units(bytes, p.consistent);
      if (p.tg.index) out["ConsumedCapacity"] = consumed(*p.tg.table, 0, rcc, true, {{p.tg.index->name, units}});
      else out["ConsumedCapacity"] = consumed(*p.tg.table, units, rcc, true);
    }
    return out;
  }
};

}  // namespace

Output query(Engine& e, Call& c) {
  auto& in = c.input;
  ReadPlan p;
  std::optional<Condition> kc;
  plan_read(e, c, p, true, &kc);
  bool legacy = false;
  if (!kc) {
    auto* kcs = in.if_contains("KeyConditions");
    if (!kcs || kcs->get_object().empty())
      throw validation("Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.");
    kc = legacy_filter(kcs->get_object(), "AND", true);
    legacy = true;
  }
  KeyRange kr = analyse_key_condition(*kc, p.tg.hash(), p.tg.range(), legacy);
  if (p.filter && in.contains("FilterExpression")) {
    // AWS: key attributes belong in the key condition, never in the filter.
    std::vector<const KeyAttr*> keys{&p.tg.hash()};
    if (p.tg.range()) keys.push_back(&*p.tg.range());
    for (auto* k : keys)
      if (mentions(*p.filter, k->name))
        throw validation("Filter Expression can only contain non-primary key attributes: Primary key attribute: " +
                         k->name);
  }
  bool forward = opt_bool(in, "ScanIndexForward").value_or(true);

  std::optional<StartKey> start;
  if (auto* esk = in.if_contains("ExclusiveStartKey")) start = decode_start_key(e, p.tg, esk->get_object());

  Table& t = *p.tg.table;
  std::string pk = key_bytes(*kr.hash);
  int64_t h = partition_hash(pk);  // LSI rows share the table's partition hash
  Sql q;
  std::string col = p.tg.index ? "x.sk" : "sk";
  if (p.tg.index) {
    q.text = "SELECT i.item FROM idx x JOIN items i ON i.tid = x.tid AND i.h = x.th AND i.pk = x.tpk AND i.sk = x.tsk "
             "WHERE x.tid = ?";
    q.binds.push_back(t.id);
    q.add(" AND x.iid = ?", p.tg.index->id);
    q.add(" AND x.h = ?", h);
    q.add(" AND x.pk = ?", pk);
  } else {
    q.text = "SELECT item FROM items WHERE tid = ?";
    q.binds.push_back(t.id);
    q.add(" AND h = ?", h);
    q.add(" AND pk = ?", pk);
  }
  if (kr.has_range) {
    using K = Condition::Kind;
    std::string v1 = kr.v1 ? key_bytes(*kr.v1) : std::string();
    switch (kr.op) {
      case K::eq: q.add(" AND " + col + " = ?", v1); break;
      case K::lt: q.add(" AND " + col + " < ?", v1); break;
      case K::le: q.add(" AND " + col + " <= ?", v1); break;
      case K::gt: q.add(" AND " + col + " > ?", v1); break;
      case K::ge: q.add(" AND " + col + " >= ?", v1); break;
      case K::between:
        q.add(" AND " + col + " >= ?", v1);
        q.add(" AND " + col + " <= ?", key_bytes(*kr.v2));
        break;
      case K::begins_with: {
        q.add(" AND " + col + " >= ?", v1);
        if (auto end = prefix_end(v1)) q.add(" AND " + col + " < ?", *end);
        break;
      }
      default: throw validation("Query key condition not supported");
    }
  }
  if (start) {
    const char* cmp = forward ? " > " : " < ";
    if (p.tg.index) {
      q.text += std::string(" AND (x.sk, x.tpk, x.tsk)") + cmp + "(?, ?, ?)";
      q.binds.emplace_back(start->sk);
      q.binds.emplace_back(start->tpk);
      q.binds.emplace_back(start->tsk);
    } else {
      q.add(std::string(" AND sk") + cmp + "?", start->sk);
    }
  }
  if (p.tg.index) q.text += forward ? " ORDER BY x.sk, x.tpk, x.tsk" : " ORDER BY x.sk DESC, x.tpk DESC, x.tsk DESC";
  else q.text += forward ? " ORDER BY sk" : " ORDER BY sk DESC";

  PageBuilder pb{e, p, {}, 0, 0, 0, false, {}, {}};
  {
    auto cur = run(e.store->db(), q);
    while (cur.next()) {
      if (!pb.add(parse_item(cur.blob(0)))) break;
    }
  }
  return pb.finish(in);
}

Output scan(Engine& e, Call& c) {
  auto& in = c.input;
  auto seg = opt_int(in, "Segment");
  auto total = opt_int(in, "TotalSegments");
  if (seg && !total)
    throw validation("The TotalSegments parameter is required but was not present in the request when Segment parameter is present");
  if (total && !seg)
    throw validation("The Segment parameter is required but was not present in the request when parameter TotalSegments is present");
  if (seg && *seg >= *total)
    throw validation("The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: " +
                     std::to_string(*seg) + " is not less than TotalSegments: " + std::to_string(*total));
  ReadPlan p;
  plan_read(e, c, p, false, nullptr);
  std::optional<StartKey> start;
  if (auto* esk = in.if_contains("ExclusiveStartKey")) start = decode_start_key(e, p.tg, esk->get_object());
  int64_t lo = 0, hi = int64_t(1) << 32;
  if (seg) {
    lo = static_cast<int64_t>((static_cast<unsigned __int128>(*seg) << 32) / static_cast<uint64_t>(*total));
    hi = static_cast<int64_t>((static_cast<unsigned __int128>(*seg + 1) << 32) / static_cast<uint64_t>(*total));
  }
  // The page starts at the start key's partition: the range scan begins there, not at the segment's start.
  if (start) lo = std::max(lo, start->h);
  Table& t = *p.tg.table;
  Sql q;
  if (p.tg.index) {
    q.text = "SELECT i.item FROM idx x JOIN items i ON i.tid = x.tid AND i.h = x.th AND i.pk = x.tpk AND i.sk = x.tsk "
             "WHERE x.tid = ?";
    q.binds.push_back(t.id);
    q.add(" AND x.iid = ?", p.tg.index->id);
    q.add(" AND x.h >= ?", lo);
    q.add(" AND x.h < ?", hi);
    if (start) {
      q.text += " AND (x.h, x.pk, x.sk, x.tpk, x.tsk) > (?, ?, ?, ?, ?)";
      q.binds.emplace_back(start->h);
      q.binds.emplace_back(start->pk);
      q.binds.emplace_back(start->sk);
      q.binds.emplace_back(start->tpk);
      q.binds.emplace_back(start->tsk);
    }
    q.text += " ORDER BY x.h, x.pk, x.sk, x.tpk, x.tsk";
  } else {
    q.text = "SELECT item FROM items WHERE tid = ?";
    q.binds.push_back(t.id);
    q.add(" AND h >= ?", lo);
    q.add(" AND h < ?", hi);
    if (start) {
      q.text += " AND (h, pk, sk) > (?, ?, ?)";
      q.binds.emplace_back(start->h);
      q.binds.emplace_back(start->pk);
      q.binds.emplace_back(start->sk);
    }
    q.text += " ORDER BY h, pk, sk";
  }
  PageBuilder pb{e, p, {}, 0, 0, 0, false, {}, {}};
  {
    auto cur = run(e.store->db(), q);
    while (cur.next()) {
      if (!pb.add(parse_item(cur.blob(0)))) break;
    }
  }
  return pb.finish(in);
}

}  // namespace stratus::dynamodb::ops
