// Control plane: tables, TTL, tags, limits, endpoints, continuous backups.
// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_<Operation>.html
#include "errors.hpp"
#include "ops.hpp"
#include "streams.hpp"

#include <stratus/bus.hpp>
#include <stratus/clock.hpp>

#include <algorithm>
#include <cmath>

#include "number.hpp"

namespace stratus::dynamodb::ops {

namespace {

json::object describe(Engine& e, Table& t, std::string_view status = "ACTIVE") {
  json::object d = t.desc;
  const Table::Counts& tc = e.counts(t);
  d["TableStatus"] = status;
  d["TableSizeBytes"] = tc.bytes;
  d["ItemCount"] = tc.items;
  for (const char* list : {"GlobalSecondaryIndexes", "LocalSecondaryIndexes"})
    if (auto* arr = d.if_contains(list))
      for (auto& x : arr->get_array()) {
        auto& o = x.get_object();
        if (auto* ix = t.index(str_or(o, "IndexName"))) {
          const Table::Counts& ic = t.index_counts[ix->id];
          o["ItemCount"] = ic.items;
          o["IndexSizeBytes"] = ic.bytes;
          if (status == "CREATING" && ix->global) o["IndexStatus"] = "CREATING";
        }
      }
  return d;
}

Table* table_by_arn(Engine& e, std::string_view arn_text, bool& bad_arn) {
  auto arn = Arn::parse(arn_text);
  bad_arn = !arn || arn->service != "dynamodb" || !arn->resource.starts_with("table/");
  if (bad_arn) return nullptr;
  std::string name = arn->resource.substr(6);
  if (auto slash = name.find('/'); slash != std::string::npos) name.resize(slash);
  auto it = e.tables.find(Engine::table_key(arn->account, arn->region, name));
  return it == e.tables.end() ? nullptr : it->second.get();
}

Table& require_arn(Engine& e, std::string_view arn) {
  bool bad = false;
  Table* t = table_by_arn(e, arn, bad);
  if (bad) throw validation("Invalid TableArn: Invalid ResourceArn provided as input " + std::string(arn));
  if (!t)
    throw AwsError("ResourceNotFoundException", "Requested resource not found: ResourcArn: " + std::string(arn) +
                                                    " not found", 400);
  return *t;
}

}  // namespace

Output create_table(Engine& e, Call& c) {
  auto& in = c.input;
  std::string name(str_or(in, "TableName"));
  e.find(c.ctx, name);  // name validation
  if (e.find(c.ctx, name)) throw resource_in_use("Table already exists: " + name);
  Table t = table_from_create(in, c.ctx.account_id, c.ctx.region, e.now());
  auto tp = std::make_unique<Table>(std::move(t));
  Table& tr = *tp;
  auto tx = e.store->transaction();
  tr.id = e.store->insert_table(tr.account, tr.region, tr.name, "{}");
  if (tr.stream_enabled) create_stream(e, tr);
  e.save(tr);
  tx.commit();
  e.tables[Engine::table_key(tr.account, tr.region, tr.name)] = std::move(tp);
  return json::object{{"TableDescription", describe(e, tr, "CREATING")}};
}

Output describe_table(Engine& e, Call& c) {
  std::string name(str_or(c.input, "TableName"));
  Table* t = e.find(c.ctx, name);
  if (!t) throw table_not_found(name);
  return json::object{{"Table", describe(e, *t)}};
}

Output list_tables(Engine& e, Call& c) {
  auto& in = c.input;
  int64_t limit = opt_int(in, "Limit").value_or(100);
  std::string start(str_or(in, "ExclusiveStartTableName"));
  std::vector<std::string> names;
  for (auto& [k, t] : e.tables)
    if (t->account == c.ctx.account_id && t->region == c.ctx.region) names.push_back(t->name);
  std::sort(names.begin(), names.end());
  json::array out;
  std::string last;
  for (auto& n : names) {
    if (!start.empty() && n <= start) continue;
    if (static_cast<int64_t>(out.size()) >= limit) break;
    out.push_back(json::string(n));
    last = n;
  }
  json::object r{{"TableNames", std::move(out)}};
  if (!last.empty() && last != names.back()) r["LastEvaluatedTableName"] = last;
  return r;
}

Output delete_table(Engine& e, Call& c) {
  std::string name(str_or(c.input, "TableName"));
  Table* t = e.find(c.ctx, name);
  if (!t) throw table_not_found(name);
  if (opt_bool(t->desc, "DeletionProtectionEnabled").value_or(false))
    throw validation("Resource cannot be deleted as it is currently protected against deletion. Disable deletion "
                     "protection first.");
  json::object d = describe(e, *t, "DELETING");
  auto tx = e.store->transaction();
  if (t->stream_enabled) disable_stream(e, *t);
  e.store->delete_table(t->id);
  tx.commit();
  e.tables.erase(Engine::table_key(t->account, t->region, t->name));
  return json::object{{"TableDescription", std::move(d)}};
}

Output update_table(Engine& e, Call& c) {
  auto& in = c.input;
  std::string name(str_or(in, "TableName"));
  Table& t = e.require(c.ctx, name);
  static const char* kUpdatable[] = {"ProvisionedThroughput", "BillingMode", "StreamSpecification",
                                     "GlobalSecondaryIndexUpdates", "SSESpecification", "ReplicaUpdates",
                                     "TableClass", "DeletionProtectionEnabled", "OnDemandThroughput",
                                     "WarmThroughput", "MultiRegionConsistency"};
  bool any = false;
  for (auto* k : kUpdatable) any = any || in.contains(k);
  if (!any)
    throw validation("At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, "
                     "GlobalSecondaryIndexUpdates, SSESpecification, ReplicaUpdates, MultiAccountReplicaReady, "
                     "ReplicaTransitRoleArn, MultiRegionConsistency, DeletionProtectionEnabled, OnDemandThroughput, "
                     "WarmThroughput or TableClass is required");
  auto& d = t.desc;
  auto tx = e.store->transaction();
  std::string billing = d.contains("BillingModeSummary") ? std::string(str_or(d.at("BillingModeSummary").get_object(), "BillingMode"))
                                                         : "PROVISIONED";
  if (auto bm = opt_str(in, "BillingMode")) {
    billing = *bm;
    if (*bm == "PAY_PER_REQUEST") {
      if (in.contains("ProvisionedThroughput"))
        throw validation("One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits "
                         "can be specified when BillingMode is PAY_PER_REQUEST");
      d["BillingModeSummary"] = json::object{{"BillingMode", "PAY_PER_REQUEST"}, {"LastUpdateToPayPerRequestDateTime", e.now()}};
      d["ProvisionedThroughput"] = json::object{{"NumberOfDecreasesToday", 0}, {"ReadCapacityUnits", 0}, {"WriteCapacityUnits", 0}};
    } else {
      if (!in.contains("ProvisionedThroughput") && str_or(d.contains("BillingModeSummary") ? d.at("BillingModeSummary").get_object() : json::object{}, "BillingMode") == "PAY_PER_REQUEST")
        throw validation("One or more parameter values were invalid: ProvisionedThroughput must be specified when "
                         "BillingMode is PROVISIONED");
      d["BillingModeSummary"] = json::object{{"BillingMode", "PROVISIONED"}};
    }
  }
  if (auto* pt = opt_obj(in, "ProvisionedThroughput")) {
    if (billing == "PAY_PER_REQUEST")
      throw validation("One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits "
                       "can be specified when BillingMode is PAY_PER_REQUEST");
    auto& cur = d["ProvisionedThroughput"].as_object();
    cur["ReadCapacityUnits"] = opt_int(*pt, "ReadCapacityUnits").value_or(0);
    cur["WriteCapacityUnits"] = opt_int(*pt, "WriteCapacityUnits").value_or(0);
    cur["LastIncreaseDateTime"] = e.now();
  }
  if (auto* ss = opt_obj(in, "StreamSpecification")) {
    bool enabled = opt_bool(*ss, "StreamEnabled").value_or(false);
    std::string view(str_or(*ss, "StreamViewType"));
    if (enabled) {
      if (t.stream_enabled) throw validation("Table already has an enabled stream: TableName: " + t.name);
      if (view.empty())
        throw validation("One or more parameter values were invalid: If stream is being enabled then UpdateViewType "
                         "is required");
      t.stream_enabled = true;
      t.stream_view = view;
      d["StreamSpecification"] = json::object{{"StreamEnabled", true}, {"StreamViewType", view}};
      create_stream(e, t);
    } else {
      if (!view.empty())
        throw validation("One or more parameter values were invalid: If stream is being disabled, then UpdateViewType "
                         "must not be specified");
      if (!t.stream_enabled) throw validation("Table has no stream to disable: TableName: " + t.name);
      disable_stream(e, t);
      t.stream_enabled = false;
      // After a disable the description looks like a table that never had a stream, except that
      // LatestStreamArn/Label keep naming the old stream.
      d.erase("StreamSpecification");
    }
  }
  if (auto* defs = opt_arr(in, "AttributeDefinitions")) {
    auto& cur = d["AttributeDefinitions"].as_array();
    for (auto& nd : *defs) {
      auto n = str_or(nd.get_object(), "AttributeName");
      bool found = false;
      for (auto& x : cur)
        if (str_or(x.get_object(), "AttributeName") == n) {
          found = true;
          if (str_or(x.get_object(), "AttributeType") != str_or(nd.get_object(), "AttributeType"))
            throw validation("One or more parameter values were invalid: Cannot change the type of an existing key attribute: " + std::string(n));
        }
      if (!found) cur.push_back(nd);
    }
  }
  if (auto* updates = opt_arr(in, "GlobalSecondaryIndexUpdates")) {
    for (auto& u : *updates) {
      auto& uo = u.get_object();
      if (auto* cr = opt_obj(uo, "Create")) {
        std::string iname(str_or(*cr, "IndexName"));
        if (t.index(iname)) throw validation("Attempting to create an index which already exists");
        auto& iks = cr->at("KeySchema").get_array();
        for (auto& k : iks) {
          auto an = str_or(k.get_object(), "AttributeName");
          bool defined = false;
          for (auto& x : d["AttributeDefinitions"].as_array()) defined = defined || str_or(x.get_object(), "AttributeName") == an;
          if (!defined)
            throw validation("One or more parameter values were invalid: Some index key attributes are not defined in "
                             "AttributeDefinitions. Keys: [" + std::string(an) + "]");
        }
        check_projection(cr->at("Projection").get_object());
        if (!d.contains("GlobalSecondaryIndexes")) d["GlobalSecondaryIndexes"] = json::array{};
        d["GlobalSecondaryIndexes"].as_array().push_back(index_description(*cr, true, t.arn(), billing));
        t.derive();
        // Backfill the new index from the table.
        const Index* ix = t.index(iname);
        auto cur = e.store->db().query("SELECT item FROM items WHERE tid = ?", t.id);
        std::vector<std::pair<ItemKey, ItemKey>> rows;
        while (cur.next()) {
          json::object item = parse_item(cur.blob(0));
          ItemKey tk = e.key_of(t, item), ik;
          if (e.index_key(t, *ix, item, tk, ik)) rows.emplace_back(ik, tk);
        }
        for (auto& [ik, tk] : rows) e.store->idx_put(t.id, ix->id, ik, tk);
        t.counts.reset();
      } else if (auto* del = opt_obj(uo, "Delete")) {
        std::string iname(str_or(*del, "IndexName"));
        const Index* ix = t.index(iname);
        if (ix && !ix->global) throw validation("Cannot delete an index that is not a GlobalSecondaryIndex: " + iname);
        if (!ix) throw AwsError("ResourceNotFoundException", "Requested resource not found: Index: " + iname + " not found", 400);
        e.store->idx_drop(t.id, ix->id);
        auto& arr = d["GlobalSecondaryIndexes"].as_array();
        for (auto it = arr.begin(); it != arr.end(); ++it)
          if (str_or(it->get_object(), "IndexName") == iname) {
            arr.erase(it);
            break;
          }
        if (arr.empty()) d.erase("GlobalSecondaryIndexes");
        t.derive();
        t.counts.reset();
      } else if (auto* up = opt_obj(uo, "Update")) {
        std::string iname(str_or(*up, "IndexName"));
        if (!t.index(iname)) throw AwsError("ResourceNotFoundException", "Requested resource not found: Index: " + iname + " not found", 400);
        for (auto& x : d["GlobalSecondaryIndexes"].as_array())
          if (str_or(x.get_object(), "IndexName") == iname)
            if (auto* pt = opt_obj(*up, "ProvisionedThroughput")) {
              auto& cur = x.as_object()["ProvisionedThroughput"].as_object();
              cur["ReadCapacityUnits"] = opt_int(*pt, "ReadCapacityUnits").value_or(0);
              cur["WriteCapacityUnits"] = opt_int(*pt, "WriteCapacityUnits").value_or(0);
            }
      }
    }
  }
  if (auto* sse = opt_obj(in, "SSESpecification")) {
    if (opt_bool(*sse, "Enabled").value_or(false)) {
      std::string key(str_or(*sse, "KMSMasterKeyId"));
      if (key.empty()) key = "arn:aws:kms:" + t.region + ":" + t.account + ":key/" + std::string(str_or(d, "TableId"));
      d["SSEDescription"] = json::object{{"Status", "ENABLED"}, {"SSEType", "KMS"}, {"KMSMasterKeyArn", key}};
    } else {
      d.erase("SSEDescription");
    }
  }
  if (auto tc = opt_str(in, "TableClass")) d["TableClassSummary"] = json::object{{"TableClass", *tc}, {"LastUpdateDateTime", e.now()}};
  if (auto dp = opt_bool(in, "DeletionProtectionEnabled")) d["DeletionProtectionEnabled"] = *dp;
  if (auto* od = opt_obj(in, "OnDemandThroughput")) d["OnDemandThroughput"] = *od;
  e.save(t);
  tx.commit();
  return json::object{{"TableDescription", describe(e, t, "UPDATING")}};
}

Output update_time_to_live(Engine& e, Call& c) {
  auto& in = c.input;
  Table& t = e.require(c.ctx, str_or(in, "TableName"));
  auto& spec = in.at("TimeToLiveSpecification").get_object();
  bool enabled = opt_bool(spec, "Enabled").value_or(false);
  std::string attr(str_or(spec, "AttributeName"));
  if (enabled) {
    if (t.ttl_enabled) {
      if (t.ttl_attr != attr)
        throw validation("TimeToLive is active on a different AttributeName: current AttributeName is " + t.ttl_attr);
      throw validation("TimeToLive is already enabled");
    }
  } else {
    if (!t.ttl_enabled) throw validation("TimeToLive is already disabled");
    if (t.ttl_attr != attr)
      throw validation("TimeToLive is active on a different AttributeName: current AttributeName is " + t.ttl_attr);
  }
  auto tx = e.store->transaction();
  t.ttl_enabled = enabled;
  t.ttl_attr = enabled ? attr : t.ttl_attr;
  e.store->ttl_drop(t.id);
  if (enabled) {
    // Index the expiry of every existing item so the sweeper finds them without scanning.
    std::vector<std::string> raw;
    auto cur = e.store->db().query("SELECT item FROM items WHERE tid = ?", t.id);
    while (cur.next()) raw.emplace_back(cur.blob(0));
    for (auto& r : raw) {
      json::object item = parse_item(r);
      ItemKey k = e.key_of(t, item);
      // write() with old == nullptr records the expiry without touching indexes (same item).
      auto* v = item.if_contains(attr);
      if (v && av_type(*v) == AvType::N) {
        auto d = parse_decimal(av_payload(*v).get_string());
        if (d && !d->neg && d->exp <= 15) {
          std::string txt = to_text(*d);
          if (auto dot = txt.find('.'); dot != std::string::npos) txt.resize(dot);
          e.store->ttl_put(t.id, k, std::stoll(txt.empty() ? "0" : txt));
        }
      }
    }
  }
  e.save(t);
  tx.commit();
  return json::object{{"TimeToLiveSpecification", json::object{{"Enabled", enabled}, {"AttributeName", attr}}}};
}

Output describe_time_to_live(Engine& e, Call& c) {
  std::string name(str_or(c.input, "TableName"));
  Table* t = e.find(c.ctx, name);
  if (!t) throw table_not_found(name);
  json::object d{{"TimeToLiveStatus", t->ttl_enabled ? "ENABLED" : "DISABLED"}};
  if (t->ttl_enabled) d["AttributeName"] = t->ttl_attr;
  return json::object{{"TimeToLiveDescription", std::move(d)}};
}

Output tag_resource(Engine& e, Call& c) {
  Table& t = require_arn(e, str_or(c.input, "ResourceArn"));
  for (auto& nt : c.input.at("Tags").get_array()) {
    auto key = str_or(nt.get_object(), "Key");
    bool replaced = false;
    for (auto& x : t.tags)
      if (str_or(x.get_object(), "Key") == key) {
        x = nt;
        replaced = true;
      }
    if (!replaced) t.tags.push_back(nt);
  }
  if (t.tags.size() > 50) throw validation("Number of Tags exceed the current limit for the provided ResourceArn");
  e.save(t);
  return json::object{};
}

Output untag_resource(Engine& e, Call& c) {
  Table& t = require_arn(e, str_or(c.input, "ResourceArn"));
  for (auto& k : c.input.at("TagKeys").get_array()) {
    auto& tags = t.tags;
    for (auto it = tags.begin(); it != tags.end();)
      if (str_or(it->get_object(), "Key") == k.get_string()) it = tags.erase(it);
      else ++it;
  }
  e.save(t);
  return json::object{};
}

Output list_tags_of_resource(Engine& e, Call& c) {
  Table& t = require_arn(e, str_or(c.input, "ResourceArn"));
  return json::object{{"Tags", t.tags}};
}

Output describe_limits(Engine&, Call&) {
  return json::object{{"AccountMaxReadCapacityUnits", 80000},
                      {"AccountMaxWriteCapacityUnits", 80000},
                      {"TableMaxReadCapacityUnits", 40000},
                      {"TableMaxWriteCapacityUnits", 40000}};
}

Output describe_endpoints(Engine&, Call& c) {
  std::string host = c.ctx.endpoint;
  if (auto p = host.find("://"); p != std::string::npos) host = host.substr(p + 3);
  return json::object{{"Endpoints", json::array{json::object{{"Address", host}, {"CachePeriodInMinutes", 1440}}}}};
}

namespace {
json::object backups_description(Engine& e, const Table& t) {
  json::object pitr{{"PointInTimeRecoveryStatus", t.pitr ? "ENABLED" : "DISABLED"}};
  if (t.pitr) {
    pitr["EarliestRestorableDateTime"] = std::floor(e.now() - 300);
    pitr["LatestRestorableDateTime"] = std::floor(e.now() - 300);
    pitr["RecoveryPeriodInDays"] = 35;
  }
  return json::object{{"ContinuousBackupsStatus", "ENABLED"}, {"PointInTimeRecoveryDescription", std::move(pitr)}};
}
}  // namespace

Output describe_continuous_backups(Engine& e, Call& c) {
  std::string name(str_or(c.input, "TableName"));
  Table* t = e.find(c.ctx, name);
  if (!t) throw AwsError("TableNotFoundException", "Table not found: " + name, 400);
  return json::object{{"ContinuousBackupsDescription", backups_description(e, *t)}};
}

Output update_continuous_backups(Engine& e, Call& c) {
  std::string name(str_or(c.input, "TableName"));
  Table* t = e.find(c.ctx, name);
  if (!t) throw AwsError("TableNotFoundException", "Table not found: " + name, 400);
  auto& spec = c.input.at("PointInTimeRecoverySpecification").get_object();
  t->pitr = opt_bool(spec, "PointInTimeRecoveryEnabled").value_or(false);
  e.save(*t);
  return json::object{{"ContinuousBackupsDescription", backups_description(e, *t)}};
}

}  // namespace stratus::dynamodb::ops

namespace stratus::dynamodb::ops {

// Read-only views of features Stratus has no resources for: truthful empty answers.
Output list_backups(Engine&, Call&) { return json::object{{"BackupSummaries", json::array{}}}; }
Output list_global_tables(Engine&, Call&) { return json::object{{"GlobalTables", json::array{}}}; }
Output list_exports(Engine&, Call&) { return json::object{{"ExportSummaries", json::array{}}}; }
Output list_imports(Engine&, Call&) { return json::object{{"ImportSummaryList", json::array{}}}; }

Output describe_kinesis_streaming_destination(Engine& e, Call& c) {
  std::string name(str_or(c.input, "TableName"));
  Table* t = e.find(c.ctx, name);
  if (!t) throw table_not_found(name);
  return json::object{{"TableName", t->name}, {"KinesisDataStreamDestinations", json::array{}}};
}

Output describe_contributor_insights(Engine& e, Call& c) {
  std::string name(str_or(c.input, "TableName"));
  Table* t = e.find(c.ctx, name);
  if (!t) throw table_not_found(name);
  json::object out{{"TableName", t->name}, {"ContributorInsightsStatus", "DISABLED"}};
  if (auto idx = opt_str(c.input, "IndexName")) out["IndexName"] = *idx;
  return out;
}

Output list_contributor_insights(Engine&, Call&) {
  return json::object{{"ContributorInsightsSummaries", json::array{}}};
}

}  // namespace stratus::dynamodb::ops
