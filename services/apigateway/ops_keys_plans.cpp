// API keys, usage plans and their keys, usage records.
#include "dataplane.hpp"
#include "ops_v1.hpp"

#include <stratus/clock.hpp>
#include <stratus/strings.hpp>

namespace stratus::apigateway::v1 {

namespace {

json::object require_key(const Scope& s, std::string_view id) {
  auto d = db().get(s, kind::api_key, "", id);
  if (!d) throw err::not_found("Invalid API Key identifier specified");
  return std::move(*d);
}

json::object require_plan(const Scope& s, std::string_view id) {
  auto d = db().get(s, kind::usage_plan, "", id);
  if (!d) throw err::not_found("Invalid Usage Plan ID specified");
  return std::move(*d);
}

json::object key_view(json::object k, bool include_value) {
  if (!include_value) k.erase("value");
  return k;
}

void check_stage_ref(const Scope& s, std::string_view api, std::string_view stage) {
  if (!db().get(s, kind::rest_api, "", api) || !db().get(s, kind::stage, api, stage))
    throw err::bad_request("Invalid API Stage {api: " + std::string(api) + ", stage: " + std::string(stage) + "} specified for usageplan");
}

json::object new_key(const Scope& s, const json::object& in) {
  std::string value = in.contains("value") ? std::string(str_or(in, "value")) : new_key_value();
  if (value.size() < 20) throw err::bad_request("API Key value should be at least 20 characters");
  for (auto& k : db().list(s, kind::api_key, ""))
    if (str_or(k, "value") == value) throw err::conflict("API Key already exists");
  double now = now_seconds();
  std::string id;
  do id = new_id(10);
  while (db().id_taken(kind::api_key, id));
  json::object k{{"id", id}, {"value", value}};
  copy_members(in, k, {"name", "customerId", "description"});
  k["enabled"] = get_bool(in, "enabled");
  k["createdDate"] = now;
  k["lastUpdatedDate"] = now;
  json::array stages;
  if (auto* sk = opt_arr(in, "stageKeys"))
    for (auto& v : *sk) {
      const auto& o = v.as_object();
      std::string api(str_or(o, "restApiId")), stage(str_or(o, "stageName"));
      check_stage_ref(s, api, stage);
      stages.push_back(json::string(api + "/" + stage));
    }
  k["stageKeys"] = std::move(stages);
  if (auto* tags = opt_obj(in, "tags"); tags && !tags->empty()) k["tags"] = *tags;
  db().put(s, kind::api_key, "", id, k);
  return k;
}

std::string day_of(double epoch) { return iso8601(epoch, false).substr(0, 10); }

}  // namespace

// --- API keys ---

Output create_api_key(Call& c) { return new_key(Scope::of(c), c.input); }

Output get_api_key(Call& c) {
  return key_view(require_key(Scope::of(c), str_or(c.input, "apiKey")), get_bool(c.input, "includeValue"));
}

Output get_api_keys(Call& c) {
  Scope s = Scope::of(c);
  bool include = get_bool(c.input, "includeValues");
  auto name = opt_str(c.input, "nameQuery");
  auto customer = opt_str(c.input, "customerId");
  std::vector<json::object> items;
  for (auto& k : db().list(s, kind::api_key, "")) {
    if (name && !str_or(k, "name").starts_with(*name)) continue;
    if (customer && str_or(k, "customerId") != *customer) continue;
    items.push_back(key_view(k, include));
  }
  return list_page(std::move(items), c.input);
}

Output update_api_key(Call& c) {
  Scope s = Scope::of(c);
  std::string id(str_or(c.input, "apiKey"));
  json::object k = require_key(s, id);
  apply_patch(k, c.input, v1_shape("ApiKey"), {"name", "description", "enabled", "customerId", "stages"},
              [&](const PatchOp& op, json::object& doc) {
                if (op.segments.empty() || op.segments[0] != "stages") return false;
                auto& arr = doc["stageKeys"];
                if (!arr.is_array()) arr = json::array();
                std::string v = op.value.value_or("");
                auto slash = v.find('/');
                if (slash == std::string::npos) throw err::bad_request("Invalid stage key: " + v + " (expected restApiId/stageName)");
                if (op.op == "add") {
                  check_stage_ref(s, v.substr(0, slash), v.substr(slash + 1));
                  arr.as_array().push_back(json::string(v));
                } else if (op.op == "remove") {
                  auto& a = arr.as_array();
                  for (auto it = a.begin(); it != a.end();)
                    it = it->is_string() && it->get_string() == v ? a.erase(it) : it + 1;
                } else {
                  throw invalid_patch_path(op);
                }
                return true;
              });
  k["lastUpdatedDate"] = now_seconds();
  db().put(s, kind::api_key, "", id, k);
  Backend::get().dataplane().invalidate();
  return key_view(k, false);
}

Output delete_api_key(Call& c) {
  Scope s = Scope::of(c);
  std::string id(str_or(c.input, "apiKey"));
  require_key(s, id);
  db().remove(s, kind::api_key, "", id);
  for (auto& p : db().list(s, kind::usage_plan, "")) db().remove(s, kind::usage_plan_key, str_or(p, "id"), id);
  Backend::get().dataplane().invalidate();
  return json::object{};
}

Output import_api_keys(Call& c) {
  Scope s = Scope::of(c);
  if (str_or(c.input, "format") != "csv") throw err::bad_request("Invalid format: only csv is supported");
  std::string text = c.input.contains("body") ? std::string(c.input["body"].as_string()) : "";
  auto lines = split(text, '\n');
  if (lines.empty()) throw err::bad_request("Invalid API keys file: no header");
  std::vector<std::string> header;
  for (auto h : split(trim(lines[0]), ',')) header.push_back(to_lower(trim(h)));
  json::array ids, warnings;
  for (size_t i = 1; i < lines.size(); ++i) {
    auto line = trim(lines[i]);
    if (line.empty()) continue;
    auto cells = split(line, ',');
    json::object in;
    std::vector<std::string> plans;
    for (size_t j = 0; j < cells.size() && j < header.size(); ++j) {
      std::string v(trim(cells[j]));
      if (header[j] == "name") in["name"] = v;
      else if (header[j] == "key" || header[j] == "value") in["value"] = v;
      else if (header[j] == "description") in["description"] = v;
      else if (header[j] == "enabled") in["enabled"] = iequals(v, "true");
      else if (header[j] == "customerid") in["customerId"] = v;
      else if (header[j] == "usageplanids")
        for (auto p : split(v, ':')) plans.emplace_back(trim(p));
    }
    try {
      json::object k = new_key(s, in);
      ids.push_back(k["id"]);
      for (auto& p : plans)
        if (db().get(s, kind::usage_plan, "", p))
          db().put(s, kind::usage_plan_key, p, str_or(k, "id"),
                   json::object{{"id", k["id"]}, {"type", "API_KEY"}, {"value", k["value"]}, {"name", str_or(k, "name")}});
    } catch (const AwsError& e) {
      if (get_bool(c.input, "failOnWarnings")) throw;
      warnings.push_back(json::string("Line " + std::to_string(i + 1) + ": " + e.message));
    }
  }
  json::object out{{"ids", std::move(ids)}};
  if (!warnings.empty()) out["warnings"] = std::move(warnings);
  return out;
}

// --- usage plans ---

Output create_usage_plan(Call& c) {
  Scope s = Scope::of(c);
  json::object p{{"id", new_id(6)}};
  copy_members(c.input, p, {"name", "description"});
  json::array stages;
  if (auto* as = opt_arr(c.input, "apiStages"))
    for (auto& v : *as) {
      const auto& o = v.as_object();
      check_stage_ref(s, str_or(o, "apiId"), str_or(o, "stage"));
      stages.push_back(o);
    }
  p["apiStages"] = std::move(stages);
  copy_members(c.input, p, {"throttle", "quota"});
  if (auto* q = opt_obj(p, "quota")) {
    if (opt_int(*q, "limit").value_or(0) < 0) throw err::bad_request("Quota limit should be a non-negative integer");
    if (str_or(*q, "period").empty()) throw err::bad_request("Quota period must be specified");
  }
  if (auto* tags = opt_obj(c.input, "tags"); tags && !tags->empty()) p["tags"] = *tags;
  db().put(s, kind::usage_plan, "", str_or(p, "id"), p);
  Backend::get().dataplane().invalidate();
  return p;
}

Output get_usage_plan(Call& c) { return require_plan(Scope::of(c), str_or(c.input, "usagePlanId")); }

Output get_usage_plans(Call& c) {
  Scope s = Scope::of(c);
  auto key = opt_str(c.input, "keyId");
  std::vector<json::object> items;
  for (auto& p : db().list(s, kind::usage_plan, ""))
    if (!key || db().get(s, kind::usage_plan_key, str_or(p, "id"), *key)) items.push_back(p);
  return list_page(std::move(items), c.input);
}

Output update_usage_plan(Call& c) {
  Scope s = Scope::of(c);
  std::string id(str_or(c.input, "usagePlanId"));
  json::object p = require_plan(s, id);
  apply_patch(p, c.input, v1_shape("UsagePlan"), {"name", "description", "productCode", "throttle", "quota", "apiStages"},
              [&](const PatchOp& op, json::object& doc) {
                if (op.segments.empty() || op.segments[0] != "apiStages") return false;
                auto& arr = doc["apiStages"];
                if (!arr.is_array()) arr = json::array();
                if (op.segments.size() == 1) {
                  std::string v = op.value.value_or("");
                  auto colon = v.find(':');
                  if (colon == std::string::npos) throw err::bad_request("Invalid API stage: " + v + " (expected apiId:stage)");
                  std::string api = v.substr(0, colon), stage = v.substr(colon + 1);
                  auto& a = arr.as_array();
                  if (op.op == "add") {
                    check_stage_ref(s, api, stage);
                    a.push_back(json::object{{"apiId", api}, {"stage", stage}});
                  } else if (op.op == "remove") {
                    for (auto it = a.begin(); it != a.end();)
                      it = str_or(it->as_object(), "apiId") == api && str_or(it->as_object(), "stage") == stage ? a.erase(it) : it + 1;
                  } else {
                    throw invalid_patch_path(op);
                  }
                  return true;
                }
                // /apiStages/{apiId}:{stage}/throttle/{resourcePath}/{method}
                return false;
              });
  db().put(s, kind::usage_plan, "", id, p);
  Backend::get().dataplane().invalidate();
  return p;
}

Output delete_usage_plan(Call& c) {
  Scope s = Scope::of(c);
  std::string id(str_or(c.input, "usagePlanId"));
  require_plan(s, id);
  db().remove(s, kind::usage_plan, "", id);
  db().remove_children(s, id);
  Backend::get().dataplane().invalidate();
  return json::object{};
}

Output create_usage_plan_key(Call& c) {
  Scope s = Scope::of(c);
  std::string plan(str_or(c.input, "usagePlanId")), key_id(str_or(c.input, "keyId"));
  require_plan(s, plan);
  if (str_or(c.input, "keyType") != "API_KEY") throw err::bad_request("Invalid key type specified: must be API_KEY");
  json::object k = require_key(s, key_id);
  if (db().get(s, kind::usage_plan_key, plan, key_id)) throw err::conflict("Usage Plan Key already exists");
  json::object upk{{"id", key_id}, {"type", "API_KEY"}, {"value", k["value"]}};
  copy_members(k, upk, {"name"});
  db().put(s, kind::usage_plan_key, plan, key_id, upk);
  Backend::get().dataplane().invalidate();
  return upk;
}

Output get_usage_plan_key(Call& c) {
  Scope s = Scope::of(c);
  std::string plan(str_or(c.input, "usagePlanId"));
  require_plan(s, plan);
  auto d = db().get(s, kind::usage_plan_key, plan, str_or(c.input, "keyId"));
  if (!d) throw err::not_found("Invalid Usage Plan Key identifier specified");
  return std::move(*d);
}

Output get_usage_plan_keys(Call& c) {
  Scope s = Scope::of(c);
  std::string plan(str_or(c.input, "usagePlanId"));
  require_plan(s, plan);
  auto name = opt_str(c.input, "nameQuery");
  std::vector<json::object> items;
  for (auto& k : db().list(s, kind::usage_plan_key, plan))
    if (!name || str_or(k, "name").starts_with(*name)) items.push_back(k);
  return list_page(std::move(items), c.input);
}

Output delete_usage_plan_key(Call& c) {
  Scope s = Scope::of(c);
  std::string plan(str_or(c.input, "usagePlanId"));
  require_plan(s, plan);
  if (!db().remove(s, kind::usage_plan_key, plan, str_or(c.input, "keyId")))
    throw err::not_found("Invalid Usage Plan Key identifier specified");
  Backend::get().dataplane().invalidate();
  return json::object{};
}

Output get_usage(Call& c) {
  Scope s = Scope::of(c);
  std::string plan(str_or(c.input, "usagePlanId"));
  json::object p = require_plan(s, plan);
  std::string start(str_or(c.input, "startDate")), end(str_or(c.input, "endDate"));
  double t0 = 0, t1 = 0;
  if (!parse_time(start + "T00:00:00Z", t0) || !parse_time(end + "T00:00:00Z", t1) || t1 < t0)
    throw err::bad_request("Invalid startDate or endDate: expected yyyy-MM-dd");
  int64_t limit = -1;
  if (auto* q = opt_obj(p, "quota")) limit = opt_int(*q, "limit").value_or(-1);
  auto key = opt_str(c.input, "keyId");
  json::object items;
  for (auto& k : db().list(s, kind::usage_plan_key, plan)) {
    std::string kid(str_or(k, "id"));
    if (key && kid != *key) continue;
    json::array days;
    for (double t = t0; t <= t1 + 1; t += 86400) {
      int64_t used = 0;
      if (auto u = db().get(s, "usage", plan, kid + "/" + day_of(t))) used = opt_int(*u, "used").value_or(0);
      days.push_back(json::array{used, limit < 0 ? 0 : std::max<int64_t>(0, limit - used)});
    }
    items[kid] = std::move(days);
  }
  return json::object{{"usagePlanId", plan}, {"startDate", start}, {"endDate", end}, {"items", std::move(items)}};
}

Output update_usage(Call& c) {
  Scope s = Scope::of(c);
  std::string plan(str_or(c.input, "usagePlanId")), key(str_or(c.input, "keyId"));
  json::object p = require_plan(s, plan);
  require_key(s, key);
  int64_t limit = 0;
  if (auto* q = opt_obj(p, "quota")) limit = opt_int(*q, "limit").value_or(0);
  std::string today = day_of(now_seconds());
  for (auto& op : patch_ops(c.input)) {
    if (op.path != "/remaining" || op.op != "replace") throw invalid_patch_path(op);
    auto n = parse_int(op.value.value_or(""));
    if (!n) throw err::bad_request("Invalid remaining value");
    db().put(s, "usage", plan, key + "/" + today, json::object{{"used", std::max<int64_t>(0, limit - *n)}});
  }
  json::object items{{key, json::array{json::array{0, limit}}}};
  return json::object{{"usagePlanId", plan}, {"startDate", today}, {"endDate", today}, {"items", std::move(items)}};
}

}  // namespace stratus::apigateway::v1
