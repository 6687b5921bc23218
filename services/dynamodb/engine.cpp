#include "engine.hpp"

#include "errors.hpp"
#include "number.hpp"

#include <stratus/bus.hpp>
#include <stratus/clock.hpp>
#include <stratus/store.hpp>

#include <cmath>

namespace stratus::dynamodb {

double Engine::now() const { return env->clock.now_seconds(); }

std::string Engine::table_key(std::string_view account, std::string_view region, std::string_view name) {
  std::string k;
  k.reserve(account.size() + region.size() + name.size() + 2);
  k.append(account).push_back('\0');
  k.append(region).push_back('\0');
  k.append(name);
  return k;
}

void Engine::load() {
  tables.clear();
  for (auto& row : store->load_tables()) {
    auto rec = parse_item(row.record);
    auto t = std::make_unique<Table>(Table::from_record(rec));
    t->id = row.id;
    t->account = row.account;
    t->region = row.region;
    t->name = row.name;
    tables[table_key(row.account, row.region, row.name)] = std::move(t);
  }
}

namespace {
bool valid_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
}
}  // namespace

Table* Engine::find(const RequestContext& ctx, std::string_view name, std::string_view member) {
  std::string_view account = ctx.account_id, region = ctx.region;
  if (name.starts_with("arn:")) {
    // arn:aws:dynamodb:<region>:<account>:table/<name>
    auto arn = Arn::parse(name);
    if (!arn || arn->service != "dynamodb" || !arn->resource.starts_with("table/"))
      throw validation("Invalid TableArn: Invalid ResourceArn provided as input " + std::string(name));
    static thread_local std::string a, r, n;
    a = arn->account;
    r = arn->region;
    n = arn->resource.substr(6);
    auto it = tables.find(table_key(a, r, n));
    return it == tables.end() ? nullptr : it->second.get();
  }
  if (name.size() < 3 || name.size() > 255) {
    throw validation("1 validation error detected: Value '" + std::string(name) + "' at '" + std::string(member) +
                     "' failed to satisfy constraint: Member must have length " +
                     (name.size() < 3 ? "greater than or equal to 3" : "less than or equal to 255"));
  }
  for (char c : name)
    if (!valid_name_char(c))
      throw validation("1 validation error detected: Value '" + std::string(name) + "' at '" + std::string(member) +
                       "' failed to satisfy constraint: Member must satisfy regular expression pattern: "
                       "[a-zA-Z0-9_.-]+");
  auto it = tables.find(table_key(account, region, name));
  return it == tables.end() ? nullptr : it->second.get();
}

Table& Engine::require(const RequestContext& ctx, std::string_view name, std::string_view member) {
  Table* t = find(ctx, name, member);
  if (!t) throw table_not_found();
  return *t;
}

void Engine::save(Table& t) { store->update_table(t.id, json::serialize(t.to_record())); }

// --- keys ---

namespace {

std::string_view key_type_name(AvType t) { return type_name(t); }

void check_key_value(const KeyAttr& k, const json::value& v, bool in_item, bool batch) {
  AvType t = av_type(v);
  if (t != k.type) {
    if (in_item && !batch)
      throw validation("One or more parameter values were invalid: Type mismatch for key " + k.name + " expected: " +
                       std::string(key_type_name(k.type)) + " actual: " + std::string(type_name(t)));
    throw validation("The provided key element does not match the schema");
  }
  if (av_payload(v).get_string().empty())
    throw validation(std::string("One or more parameter values are not valid. The AttributeValue for a key attribute "
                                 "cannot contain an empty ") +
                     (t == AvType::B ? "binary" : "string") + " value. Key: " + k.name);
}

}  // namespace

ItemKey Engine::key_of(const Table& t, const json::object& item) const {
  ItemKey k;
  k.pk = key_bytes(item.at(t.hash.name));
  k.h = partition_hash(k.pk);
  if (t.range) k.sk = key_bytes(item.at(t.range->name));
  return k;
}

ItemKey Engine::key_from_key(const Table& t, json::object& key) {
  for (auto& [name, v] : key) {
    std::string err = check_value(v);
    if (!err.empty()) throw validation(err);
  }
  size_t want = t.range ? 2 : 1;
  auto* hv = key.if_contains(t.hash.name);
  const json::value* rv = t.range ? key.if_contains(t.range->name) : nullptr;
  if (key.size() != want || !hv || (t.range && !rv))
    throw validation("The provided key element does not match the schema");
  check_key_value(t.hash, *hv, false, false);
  if (rv) check_key_value(*t.range, *rv, false, false);
  return key_of(t, key);
}

ItemKey Engine::key_from_item(const Table& t, json::object& item, bool batch) {
  for (auto& [name, v] : item) {
    std::string err = check_value(v);
    if (!err.empty()) throw validation(err);
  }
  auto* hv = item.if_contains(t.hash.name);
  if (!hv) throw validation("One or more parameter values were invalid: Missing the key " + t.hash.name + " in the item");
  check_key_value(t.hash, *hv, true, batch);
  if (t.range) {
    auto* rv = item.if_contains(t.range->name);
    if (!rv)
      throw validation("One or more parameter values were invalid: Missing the key " + t.range->name + " in the item");
    check_key_value(*t.range, *rv, true, batch);
  }
  ItemKey k = key_of(t, item);
  if (value_size(*hv) > 2048)
    throw validation("One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit "
                     "of2048 bytes");
  if (t.range && value_size(item.at(t.range->name)) > 1024)
    throw validation("One or more parameter values were invalid: Aggregated size of all range keys has exceeded the "
                     "size limit of 1024 bytes");
  check_index_values(t, item, false);
  if (item_size(item) > 400 * 1024) throw validation("Item size has exceeded the maximum allowed size");
  return k;
}

void Engine::check_index_values(const Table& t, const json::object& item, bool from_update) const {
  for (auto& ix : t.indexes) {
    for (const KeyAttr* k : {&ix.hash, ix.range ? &*ix.range : nullptr}) {
      if (!k || t.is_key(k->name)) continue;
      auto* v = item.if_contains(k->name);
      if (!v) continue;
      AvType at = av_type(*v);
      if (at != k->type)
        throw validation("One or more parameter values were invalid: Type mismatch for Index Key " + k->name +
                         " Expected: " + std::string(type_name(k->type)) + " Actual: " + std::string(type_name(at)) +
                         " IndexName: " + ix.name);
      if (av_payload(*v).get_string().empty()) {
        std::string kind = at == AvType::B ? "binary" : "string";
        if (from_update)
          throw validation("One or more parameter values are not valid. The update expression attempted to update a "
                           "secondary index key to a value that is not supported. The AttributeValue for a key "
                           "attribute cannot contain an empty " + kind + " value.");
        throw validation("One or more parameter values are not valid. A value specified for a secondary index key is "
                         "not supported. The AttributeValue for a key attribute cannot contain an empty " + kind +
                         " value. IndexName: " + ix.name + ", IndexKey: " + k->name);
      }
    }
  }
}

bool Engine::index_key(const Table& t, const Index& ix, const json::object& item, const ItemKey& tk,
                       ItemKey& out) const {
  auto* hv = item.if_contains(ix.hash.name);
  if (!hv || av_type(*hv) != ix.hash.type) return false;
  const json::value* rv = nullptr;
  if (ix.range) {
    rv = item.if_contains(ix.range->name);
    if (!rv || av_type(*rv) != ix.range->type) return false;
  }
  if (ix.global) {
    out.pk = key_bytes(*hv);
    out.h = partition_hash(out.pk);
  } else {
    out.pk = tk.pk;
    out.h = tk.h;
  }
  out.sk = rv ? key_bytes(*rv) : std::string();
  (void)t;
  return true;
}

json::object Engine::key_attributes(const Table& t, const json::object& item) const {
  json::object k;
  if (auto* v = item.if_contains(t.hash.name)) k[t.hash.name] = *v;
  if (t.range)
    if (auto* v = item.if_contains(t.range->name)) k[t.range->name] = *v;
  return k;
}

json::object Engine::project_to_index(const Table& t, const Index& ix, const json::object& item) const {
  if (ix.projection == "ALL") return item;
  json::object out = key_attributes(t, item);
  for (const KeyAttr* k : {&ix.hash, ix.range ? &*ix.range : nullptr})
    if (k)
      if (auto* v = item.if_contains(k->name)) out[k->name] = *v;
  if (ix.projection == "INCLUDE")
    for (auto& n : ix.non_key)
      if (auto* v = item.if_contains(n)) out[n] = *v;
  return out;
}

std::optional<json::object> Engine::get(const Table& t, const ItemKey& k, int64_t* stored_len) {
  return store->get_item(t.id, k, stored_len);
}

const Table::Counts& Engine::counts(Table& t) {
  if (!t.counts) {
    auto [n, bytes] = store->count(t.id);
    t.counts = Table::Counts{n, bytes};
    t.index_counts.clear();
    for (auto& ix : t.indexes) {
      auto [in, ib] = store->count_index(t.id, ix.id);
      t.index_counts[ix.id] = Table::Counts{in, ib};
    }
  }
  return *t.counts;
}

void Engine::write_blind(Table& t, const ItemKey& k, const json::object* neu) {
  std::optional<int64_t> old_len;
  if (t.counts && !store->reports_replaced()) old_len = store->stored_length(t.id, k);
  int64_t new_len = 0;
  std::optional<int64_t> replaced;
  if (neu) {
    std::string text = serialize_item(*neu);
    new_len = static_cast<int64_t>(text.size());
    replaced = store->put(t.id, k, text);
  } else {
    replaced = store->del(t.id, k);
  }
  if (store->reports_replaced()) old_len = replaced;
  bool had = old_len.has_value();
  if (t.counts) {
    t.counts->items += (neu ? 1 : 0) - (had ? 1 : 0);
    t.counts->bytes += new_len - old_len.value_or(0);
  }
}

namespace {
std::optional<int64_t> ttl_of(const Table& t, const json::object& item) {
  if (!t.ttl_enabled || t.ttl_attr.empty()) return std::nullopt;
  auto* v = item.if_contains(t.ttl_attr);
  if (!v || av_type(*v) != AvType::N) return std::nullopt;
  auto d = parse_decimal(av_payload(*v).get_string());
  if (!d || d->neg) return std::nullopt;
  std::string text = to_text(*d);
  auto dot = text.find('.');
  if (dot != std::string::npos) text.resize(dot);
  if (text.size() > 15) return std::nullopt;
  return std::stoll(text);
}
}  // namespace

void Engine::write(Table& t, const ItemKey& k, const json::object* old, const json::object* neu, bool by_ttl,
                   int64_t old_len) {
  int64_t new_len = 0;
  if (neu) {
    std::string text = serialize_item(*neu);
    new_len = static_cast<int64_t>(text.size());
    store->put(t.id, k, text);
  } else if (old) {
    store->del(t.id, k);
  }
  if (t.counts) {
    t.counts->items += (neu ? 1 : 0) - (old ? 1 : 0);
    t.counts->bytes += new_len - (old ? old_len : 0);
  }
  for (auto& ix : t.indexes) {
    ItemKey ok, nk;
    bool had = old && index_key(t, ix, *old, k, ok);
    bool has = neu && index_key(t, ix, *neu, k, nk);
    if (t.counts) {
      auto& c = t.index_counts[ix.id];
      c.items += (has ? 1 : 0) - (had ? 1 : 0);
      c.bytes += (has ? new_len : 0) - (had ? old_len : 0);
    }
    if (had && has && ok.pk == nk.pk && ok.sk == nk.sk) continue;
    if (had) store->idx_del(t.id, ix.id, ok, k);
    if (has) store->idx_put(t.id, ix.id, nk, k);
  }
  if (t.ttl_enabled) {
    auto oe = old ? ttl_of(t, *old) : std::nullopt;
    auto ne = neu ? ttl_of(t, *neu) : std::nullopt;
    if (ne) {
      if (ne != oe) store->ttl_put(t.id, k, *ne);
    } else if (oe) {
      store->ttl_del(t.id, k);
    }
  }
  if (t.stream_enabled) append_stream_record(t, k, old, neu, by_ttl);
}

double read_units(size_t bytes, bool consistent) {
  double u = std::max<double>(1.0, std::ceil(static_cast<double>(bytes) / 4096.0));
  return consistent ? u : u / 2.0;
}

double write_units(size_t bytes) { return std::max<double>(1.0, std::ceil(static_cast<double>(bytes) / 1024.0)); }

json::object consumed(const Table& t, double units, std::string_view mode, bool read,
                      const std::vector<std::pair<std::string, double>>& index_units) {
  double total = units;
  for (auto& [n, u] : index_units) total += u;
  json::object c{{"TableName", t.name}, {"CapacityUnits", total}};
  c[read ? "ReadCapacityUnits" : "WriteCapacityUnits"] = total;
  if (mode == "INDEXES") {
    json::object tbl{{"CapacityUnits", units}};
    tbl[read ? "ReadCapacityUnits" : "WriteCapacityUnits"] = units;
    c["Table"] = std::move(tbl);
    json::object g, l;
    for (auto& [n, u] : index_units) {
      const Index* ix = t.index(n);
      json::object e{{"CapacityUnits", u}};
      e[read ? "ReadCapacityUnits" : "WriteCapacityUnits"] = u;
      (ix && !ix->global ? l : g)[n] = std::move(e);
    }
    if (!g.empty()) c["GlobalSecondaryIndexes"] = std::move(g);
    if (!l.empty()) c["LocalSecondaryIndexes"] = std::move(l);
  }
  return c;
}

}  // namespace stratus::dynamodb
