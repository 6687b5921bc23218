#include "table.hpp"

#include "errors.hpp"

#include <stratus/ids.hpp>

#include <algorithm>
#include <set>

namespace stratus::dynamodb {

const Index* Table::index(std::string_view n) const {
  for (auto& i : indexes)
    if (i.name == n) return &i;
  return nullptr;
}

namespace {

AvType attr_type(const json::object& desc, std::string_view name) {
  if (auto* defs = opt_arr(desc, "AttributeDefinitions"))
    for (auto& d : *defs)
      if (str_or(d.get_object(), "AttributeName") == name)
        return parse_type_name(str_or(d.get_object(), "AttributeType"));
  return AvType::S;
}

void read_key_schema(const json::object& desc, const json::array& ks, KeyAttr& hash, std::optional<KeyAttr>& range) {
  range.reset();
  for (auto& e : ks) {
    auto& o = e.get_object();
    KeyAttr k{std::string(str_or(o, "AttributeName")), attr_type(desc, str_or(o, "AttributeName"))};
    if (str_or(o, "KeyType") == "HASH") hash = k;
    else range = k;
  }
}

}  // namespace

void Table::derive() {
  if (auto* ks = opt_arr(desc, "KeySchema")) read_key_schema(desc, *ks, hash, range);
  std::vector<Index> old = std::move(indexes);
  indexes.clear();
  for (const char* list : {"GlobalSecondaryIndexes", "LocalSecondaryIndexes"}) {
    auto* arr = opt_arr(desc, list);
    if (!arr) continue;
    for (auto& e : *arr) {
      auto& o = e.get_object();
      Index ix;
      ix.name = std::string(str_or(o, "IndexName"));
      ix.global = std::string_view(list) == "GlobalSecondaryIndexes";
      if (auto* ks = opt_arr(o, "KeySchema")) read_key_schema(desc, *ks, ix.hash, ix.range);
      if (auto* p = opt_obj(o, "Projection")) {
        ix.projection = std::string(str_or(*p, "ProjectionType", "ALL"));
        if (auto* nk = opt_arr(*p, "NonKeyAttributes"))
          for (auto& n : *nk) ix.non_key.emplace_back(n.get_string());
      }
      ix.id = 0;
      for (auto& x : old)
        if (x.name == ix.name) ix.id = x.id;
      if (auto idv = opt_int(o, "_id")) ix.id = *idv;
      if (ix.id == 0) ix.id = next_index_id++;
      indexes.push_back(std::move(ix));
    }
  }
}

json::object Table::to_record() const {
  json::object r;
  json::object d = desc;
  // Remember index ids inside the persisted description (stripped when described).
  for (const char* list : {"GlobalSecondaryIndexes", "LocalSecondaryIndexes"})
    if (auto* arr = d.if_contains(list))
      for (auto& e : arr->get_array()) {
        auto& o = e.get_object();
        if (auto* ix = index(str_or(o, "IndexName"))) o["_id"] = ix->id;
      }
  r["desc"] = std::move(d);
  r["next_index_id"] = next_index_id;
  r["stream_id"] = stream_id;
  r["stream_enabled"] = stream_enabled;
  r["stream_view"] = stream_view;
  r["stream_arn"] = stream_arn;
  r["ttl_attr"] = ttl_attr;
  r["ttl_enabled"] = ttl_enabled;
  r["tags"] = tags;
  r["pitr"] = pitr;
  return r;
}

Table Table::from_record(const json::object& r) {
  Table t;
  t.desc = r.at("desc").get_object();
  t.next_index_id = opt_int(r, "next_index_id").value_or(1);
  t.stream_id = opt_int(r, "stream_id").value_or(0);
  t.stream_enabled = opt_bool(r, "stream_enabled").value_or(false);
  t.stream_view = std::string(str_or(r, "stream_view"));
  t.stream_arn = std::string(str_or(r, "stream_arn"));
  t.ttl_attr = std::string(str_or(r, "ttl_attr"));
  t.ttl_enabled = opt_bool(r, "ttl_enabled").value_or(false);
  if (auto* tags = opt_arr(r, "tags")) t.tags = *tags;
  t.pitr = opt_bool(r, "pitr").value_or(false);
  t.derive();
  // derive() picked the persisted ids; drop them from the description.
  for (const char* list : {"GlobalSecondaryIndexes", "LocalSecondaryIndexes"})
    if (auto* arr = t.desc.if_contains(list))
      for (auto& e : arr->get_array()) e.get_object().erase("_id");
  return t;
}

void check_projection(const json::object& proj) {
  auto type = str_or(proj, "ProjectionType");
  auto* nk = opt_arr(proj, "NonKeyAttributes");
  if (type.empty())
    throw validation("One or more parameter values were invalid: Unknown ProjectionType: null");
  if (type == "INCLUDE" && (!nk || nk->empty()))
    throw validation("One or more parameter values were invalid: ProjectionType is INCLUDE, but NonKeyAttributes is "
                     "not specified");
  if (type != "INCLUDE" && nk)
    throw validation("One or more parameter values were invalid: ProjectionType is " + std::string(type) +
                     ", but NonKeyAttributes is specified");
  if (nk && nk->size() > 100)
    throw validation("One or more parameter values were invalid: The number of projected attributes exceeds the "
                     "limit of 100");
}

json::object index_description(const json::object& spec, bool global, const std::string& table_arn,
                               const std::string& billing_mode) {
  json::object d;
  std::string name(str_or(spec, "IndexName"));
  d["IndexName"] = name;
  d["KeySchema"] = spec.at("KeySchema");
  d["Projection"] = spec.at("Projection");
  if (global) {
    d["IndexStatus"] = "ACTIVE";
    json::object pt{{"NumberOfDecreasesToday", 0}, {"ReadCapacityUnits", 0}, {"WriteCapacityUnits", 0}};
    if (billing_mode == "PROVISIONED")
      if (auto* p = opt_obj(spec, "ProvisionedThroughput")) {
        pt["ReadCapacityUnits"] = opt_int(*p, "ReadCapacityUnits").value_or(0);
        pt["WriteCapacityUnits"] = opt_int(*p, "WriteCapacityUnits").value_or(0);
      }
    d["ProvisionedThroughput"] = std::move(pt);
    if (auto* od = opt_obj(spec, "OnDemandThroughput")) d["OnDemandThroughput"] = *od;
  }
  d["IndexSizeBytes"] = 0;
  d["ItemCount"] = 0;
  d["IndexArn"] = table_arn + "/index/" + name;
  return d;
}

namespace {

std::string key_list(const std::vector<std::string>& v) {
  std::string s = "[";
  for (size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + v[i];
  return s + "]";
}

void check_key_schema(const json::array& ks, const std::string& where) {
  if (ks.empty() || ks.size() > 2)
    throw validation("1 validation error detected: Value '" + std::string() + "' at '" + where +
                     "' failed to satisfy constraint: Member must have length less than or equal to 2");
  auto& first = ks[0].get_object();
  if (str_or(first, "KeyType") != "HASH")
    throw validation("Invalid KeySchema: The first KeySchemaElement is not a HASH key type");
  if (ks.size() == 2) {
    auto& second = ks[1].get_object();
    if (str_or(second, "KeyType") != "RANGE")
      throw validation("Invalid KeySchema: The second KeySchemaElement is not a RANGE key type");
    if (str_or(first, "AttributeName") == str_or(second, "AttributeName"))
      throw validation("Both the Hash Key and the Range Key element in the KeySchema have the same name");
  }
}

}  // namespace

Table table_from_create(const json::object& in, const std::string& account, const std::string& region, double now) {
  Table t;
  t.account = account;
  t.region = region;
  t.name = std::string(str_or(in, "TableName"));
  const json::array& defs = in.at("AttributeDefinitions").get_array();
  const json::array& ks = in.at("KeySchema").get_array();
  check_key_schema(ks, "keySchema");

  std::set<std::string> defined;
  std::vector<std::string> def_names;
  for (auto& d : defs) {
    std::string n(str_or(d.get_object(), "AttributeName"));
    if (!defined.insert(n).second) throw validation("Attribute Name is duplicated: " + n);
    def_names.push_back(n);
  }
  std::set<std::string> used;
  auto require_defined = [&](const json::array& schema) {
    std::vector<std::string> missing;
    for (auto& e : schema) {
      std::string n(str_or(e.get_object(), "AttributeName"));
      used.insert(n);
      if (!defined.count(n)) missing.push_back(n);
    }
    if (!missing.empty())
      throw validation("One or more parameter values were invalid: Some index key attributes are not defined in "
                       "AttributeDefinitions. Keys: " + key_list(missing) + ", AttributeDefinitions: " +
                       key_list(def_names));
  };
  require_defined(ks);

  std::string billing(str_or(in, "BillingMode", "PROVISIONED"));
  auto* pt = opt_obj(in, "ProvisionedThroughput");
  if (billing == "PAY_PER_REQUEST" && pt)
    throw validation("One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits can "
                     "be specified when BillingMode is PAY_PER_REQUEST");
  if (billing == "PROVISIONED" && !pt) throw validation("No provisioned throughput specified for the table");

  std::string arn = "arn:aws:dynamodb:" + region + ":" + account + ":table/" + t.name;
  json::object d;
  d["AttributeDefinitions"] = defs;
  d["TableName"] = t.name;
  d["KeySchema"] = ks;
  d["TableStatus"] = "ACTIVE";
  d["CreationDateTime"] = now;
  json::object throughput{{"NumberOfDecreasesToday", 0}, {"ReadCapacityUnits", 0}, {"WriteCapacityUnits", 0}};
  if (pt) {
    throughput["ReadCapacityUnits"] = opt_int(*pt, "ReadCapacityUnits").value_or(0);
    throughput["WriteCapacityUnits"] = opt_int(*pt, "WriteCapacityUnits").value_or(0);
  }
  d["ProvisionedThroughput"] = std::move(throughput);
  d["TableArn"] = arn;
  d["TableId"] = ids::uuid4();
  if (billing == "PAY_PER_REQUEST")
    d["BillingModeSummary"] = json::object{{"BillingMode", "PAY_PER_REQUEST"}, {"LastUpdateToPayPerRequestDateTime", now}};

  std::set<std::string> index_names;
  bool has_range = ks.size() == 2;
  std::string table_hash(str_or(ks[0].get_object(), "AttributeName"));
  for (const char* list : {"GlobalSecondaryIndexes", "LocalSecondaryIndexes"})
    if (auto* arr = opt_arr(in, list); arr && arr->empty())
      throw validation(std::string("One or more parameter values were invalid: List of ") + list + " is empty");
  if (auto* lsis = opt_arr(in, "LocalSecondaryIndexes")) {
    if (!has_range)
      throw validation("One or more parameter values were invalid: Table KeySchema does not have a range key, which is "
                       "required when specifying a LocalSecondaryIndex");
    if (lsis->size() > 5)
      throw validation("One or more parameter values were invalid: Number of LocalSecondaryIndexes exceeds per-table "
                       "limit of 5");
    json::array out;
    for (auto& e : *lsis) {
      auto& o = e.get_object();
      std::string n(str_or(o, "IndexName"));
      if (!index_names.insert(n).second)
        throw validation("One or more parameter values were invalid: Duplicate index name: " + n);
      auto& iks = o.at("KeySchema").get_array();
      check_key_schema(iks, "localSecondaryIndexes.member.keySchema");
      require_defined(iks);
      if (iks.size() != 2)
        throw validation("One or more parameter values were invalid: Index KeySchema does not have a range key for "
                         "index: " + n);
      std::string ih(str_or(iks[0].get_object(), "AttributeName"));
      if (ih != table_hash)
        throw validation("One or more parameter values were invalid: Index KeySchema does not have the same leading "
                         "hash key as table KeySchema for index: " + n + ". index hash key: " + ih +
                         ", table hash key: " + table_hash);
      check_projection(o.at("Projection").get_object());
      out.push_back(index_description(o, false, arn, billing));
    }
    d["LocalSecondaryIndexes"] = std::move(out);
  }
  if (auto* gsis = opt_arr(in, "GlobalSecondaryIndexes")) {
    if (gsis->size() > 20)
      throw validation("One or more parameter values were invalid: GlobalSecondaryIndex count exceeds the per-table "
                       "limit of 20");
    json::array out;
    for (auto& e : *gsis) {
      auto& o = e.get_object();
      std::string n(str_or(o, "IndexName"));
      if (!index_names.insert(n).second)
        throw validation("One or more parameter values were invalid: Duplicate index name: " + n);
      auto& iks = o.at("KeySchema").get_array();
      check_key_schema(iks, "globalSecondaryIndexes.member.keySchema");
      require_defined(iks);
      check_projection(o.at("Projection").get_object());
      auto* ipt = opt_obj(o, "ProvisionedThroughput");
      if (billing == "PROVISIONED" && !ipt)
        throw validation("One or more parameter values were invalid: ProvisionedThroughput is not specified for index: " + n);
      if (billing == "PAY_PER_REQUEST" && ipt)
        throw validation("One or more parameter values were invalid: ProvisionedThroughput should not be specified for "
                         "index: " + n + " when BillingMode is PAY_PER_REQUEST");
      out.push_back(index_description(o, true, arn, billing));
    }
    d["GlobalSecondaryIndexes"] = std::move(out);
  }
  if (used.size() != defined.size()) {
    if (!opt_arr(in, "LocalSecondaryIndexes") && !opt_arr(in, "GlobalSecondaryIndexes"))
      throw validation("One or more parameter values were invalid: Number of attributes in KeySchema does not exactly "
                       "match number of attributes defined in AttributeDefinitions");
    std::vector<std::string> used_v(used.begin(), used.end());
    throw validation("One or more parameter values were invalid: Some AttributeDefinitions are not used. "
                     "AttributeDefinitions: " + key_list(def_names) + ", keys used: " + key_list(used_v));
  }
  if (auto* ss = opt_obj(in, "StreamSpecification")) {
    bool enabled = opt_bool(*ss, "StreamEnabled").value_or(false);
    auto view = str_or(*ss, "StreamViewType");
    if (enabled && view.empty())
      throw validation("One or more parameter values were invalid: Table is being created with a stream enabled, "
                       "UpdateViewType is required");
    if (!enabled && !view.empty())
      throw validation("One or more parameter values were invalid: Table is being created with a stream disabled, "
                       "UpdateViewType should not be specified");
    if (enabled) {
      d["StreamSpecification"] = json::object{{"StreamEnabled", true}, {"StreamViewType", view}};
      t.stream_enabled = true;
      t.stream_view = std::string(view);
    }
  }
  if (auto* sse = opt_obj(in, "SSESpecification"); sse && opt_bool(*sse, "Enabled").value_or(false)) {
    std::string key(str_or(*sse, "KMSMasterKeyId"));
    if (key.empty()) key = "arn:aws:kms:" + region + ":" + account + ":key/" + ids::uuid4();
    else if (!key.starts_with("arn:")) key = "arn:aws:kms:" + region + ":" + account + ":key/" + key;
    d["SSEDescription"] = json::object{{"Status", "ENABLED"}, {"SSEType", "KMS"}, {"KMSMasterKeyArn", key}};
  }
  if (auto tc = opt_str(in, "TableClass")) d["TableClassSummary"] = json::object{{"TableClass", *tc}};
  d["DeletionProtectionEnabled"] = opt_bool(in, "DeletionProtectionEnabled").value_or(false);
  if (auto* od = opt_obj(in, "OnDemandThroughput")) d["OnDemandThroughput"] = *od;
  if (auto* tags = opt_arr(in, "Tags")) t.tags = *tags;
  t.desc = std::move(d);
  t.derive();
  return t;
}

}  // namespace stratus::dynamodb
