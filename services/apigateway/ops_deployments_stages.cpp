// Deployments (frozen snapshots of an API, which is what invoke URLs serve) and stages.
#include "dataplane.hpp"
#include "ops_v1.hpp"

#include <stratus/strings.hpp>

namespace stratus::apigateway::v1 {

json::object snapshot_api(const Scope& s, std::string_view api_id) {
  json::object api = require_rest_api(s, api_id);
  json::array resources, authorizers, validators, models, responses;
  for (auto& r : db().list(s, kind::resource, api_id)) resources.push_back(r);
  for (auto& a : db().list(s, kind::authorizer, api_id)) authorizers.push_back(a);
  for (auto& v : db().list(s, kind::validator, api_id)) validators.push_back(v);
  for (auto& m : db().list(s, kind::model, api_id)) models.push_back(m);
  for (auto& g : db().list(s, kind::gateway_response, api_id)) responses.push_back(g);
  return json::object{{"api", std::move(api)},       {"resources", std::move(resources)},
                      {"authorizers", std::move(authorizers)}, {"validators", std::move(validators)},
                      {"models", std::move(models)}, {"gatewayResponses", std::move(responses)}};
}

namespace {

std::string api_of(const Call& c) { return std::string(str_or(c.input, "restApiId")); }

json::object require_deployment(const Scope& s, std::string_view api, std::string_view id) {
  auto d = db().get(s, kind::deployment, api, id);
  if (!d) {
    require_rest_api(s, api);
    throw err::not_found("Invalid Deployment identifier specified");
  }
  return std::move(*d);
}

json::object require_stage(const Scope& s, std::string_view api, std::string_view name) {
  auto d = db().get(s, kind::stage, api, name);
  if (!d) {
    require_rest_api(s, api);
    throw err::not_found("Invalid Stage identifier specified");
  }
  return std::move(*d);
}

json::object deployment_view(const json::object& d, bool summary) {
  json::object out;
  copy_members(d, out, {"id", "description", "createdDate"});
  if (summary) {
    json::object sum;
    if (auto* snap = opt_obj(d, "_snapshot"))
      if (auto* res = opt_arr(*snap, "resources"))
        for (auto& r : *res) {
          auto* methods = opt_obj(r.as_object(), "resourceMethods");
          if (!methods || methods->empty()) continue;
          json::object ms;
          for (auto& [k, v] : *methods)
            ms[k] = json::object{{"authorizationType", str_or(v.as_object(), "authorizationType", "NONE")},
                                 {"apiKeyRequired", get_bool(v.as_object(), "apiKeyRequired")}};
          sum[str_or(r.as_object(), "path")] = std::move(ms);
        }
    out["apiSummary"] = std::move(sum);
  }
  return out;
}

json::object stage_view(const json::object& st) {
  json::object out = st;
  return out;
}

json::object default_method_setting() {
  return json::object{{"metricsEnabled", false},
                      {"loggingLevel", "OFF"},
                      {"dataTraceEnabled", false},
                      {"throttlingBurstLimit", 5000},
                      {"throttlingRateLimit", 10000.0},
                      {"cachingEnabled", false},
                      {"cacheTtlInSeconds", 300},
                      {"cacheDataEncrypted", false},
                      {"requireAuthorizationForCacheControl", true},
                      {"unauthorizedCacheControlHeaderStrategy", "SUCCEED_WITH_RESPONSE_HEADER"}};
}

// /{resource path}/{method}/{area}/{setting}: stage-wide (*/*) or per-method settings.
bool patch_method_setting(const PatchOp& op, json::object& stage) {
  static const std::map<std::string, std::pair<std::string, char>, std::less<>> kSettings = {
      {"metrics/enabled", {"metricsEnabled", 'b'}},
      {"logging/loglevel", {"loggingLevel", 's'}},
      {"logging/dataTrace", {"dataTraceEnabled", 'b'}},
      {"throttling/burstLimit", {"throttlingBurstLimit", 'i'}},
      {"throttling/rateLimit", {"throttlingRateLimit", 'd'}},
      {"caching/enabled", {"cachingEnabled", 'b'}},
      {"caching/ttlInSeconds", {"cacheTtlInSeconds", 'i'}},
      {"caching/dataEncrypted", {"cacheDataEncrypted", 'b'}},
      {"caching/requireAuthorizationForCacheControl", {"requireAuthorizationForCacheControl", 'b'}},
      {"caching/unauthorizedCacheControlHeaderStrategy", {"unauthorizedCacheControlHeaderStrategy", 's'}}};
  auto raw = split(std::string_view(op.path).substr(1), '/');
  // Stage members (/variables/x, /accessLogSettings/format ...) are not method settings.
  if (!raw.empty() && v1_shape("Stage").find_member(raw[0])) return false;
  if (raw.size() == 2 && op.op == "remove") {
    // remove /{resource}/{method}: drop that method's settings.
    if (auto* ms = stage.if_contains("methodSettings"); ms && ms->is_object())
      ms->as_object().erase(std::string(raw[0]) + "/" + std::string(raw[1]));
    return true;
  }
  if (raw.size() != 4) return false;
  std::string setting = std::string(raw[2]) + "/" + std::string(raw[3]);
  auto it = kSettings.find(setting);
  if (it == kSettings.end()) return false;
  std::string key = std::string(raw[0]) + "/" + std::string(raw[1]);
  auto& ms = stage["methodSettings"];
  if (!ms.is_object()) ms = json::object();
  auto& entry = ms.as_object()[key];
  if (!entry.is_object()) entry = default_method_setting();
  std::string v = op.value.value_or("");
  json::value typed;
  switch (it->second.second) {
    case 'b':
      if (!iequals(v, "true") && !iequals(v, "false")) throw err::bad_request("Invalid value for " + op.path);
      typed = iequals(v, "true");
      break;
    case 'i': {
      auto n = parse_int(v);
      if (!n) throw err::bad_request("Invalid value for " + op.path);
      typed = *n;
      break;
    }
    case 'd': {
      auto d = parse_double(v);
      if (!d) throw err::bad_request("Invalid value for " + op.path);
      typed = *d;
      break;
    }
    default:
      if (it->second.first == "loggingLevel" && v != "OFF" && v != "ERROR" && v != "INFO")
        throw err::bad_request("Invalid value for loggingLevel: must be one of OFF, ERROR, INFO");
      typed = json::string(v);
  }
  entry.as_object()[it->second.first] = typed;
  return true;
}

void upsert_stage(const Scope& s, std::string_view api, std::string_view name, std::string_view deployment_id,
                  const json::object& in, bool from_deployment) {
  double now = now_seconds();
  auto existing = db().get(s, kind::stage, api, name);
  json::object st;
  if (existing) {
    st = std::move(*existing);
  } else {
    st = json::object{{"deploymentId", deployment_id}, {"stageName", name}};
    st["cacheClusterEnabled"] = get_bool(in, "cacheClusterEnabled");
    st["cacheClusterStatus"] = "NOT_AVAILABLE";
    st["methodSettings"] = json::object{};
    st["tracingEnabled"] = get_bool(in, "tracingEnabled");
    st["createdDate"] = now;
  }
  st["deploymentId"] = deployment_id;
  if (from_deployment) {
    if (auto d = opt_str(in, "stageDescription")) st["description"] = *d;
  } else {
    copy_members(in, st, {"description", "documentationVersion", "canarySettings"});
    if (auto* tags = opt_obj(in, "tags"); tags && !tags->empty()) st["tags"] = *tags;
  }
  if (auto* vars = opt_obj(in, "variables"); vars && !vars->empty()) {
    auto& slot = st["variables"];
    if (!slot.is_object()) slot = json::object();
    for (auto& [k, v] : *vars) slot.as_object()[k] = v;
  }
  copy_members(in, st, {"cacheClusterSize"});
  st["lastUpdatedDate"] = now;
  db().put(s, kind::stage, api, name, st);
}

void validate_stage_name(std::string_view name) {
  if (name.empty() || name.size() > 128) throw err::bad_request("Stage name only allows a-zA-Z0-9_");
  for (char ch : name)
    if (!std::isalnum(static_cast<unsigned char>(ch)) && ch != '_' && ch != '-')
      throw err::bad_request("Stage name only allows a-zA-Z0-9_");
}

}  // namespace

Output create_deployment(Call& c) {
  Scope s = Scope::of(c);
  std::string api = api_of(c);
  json::object snap = snapshot_api(s, api);
  bool any_method = false;
  for (auto& r : snap["resources"].as_array())
    if (auto* methods = opt_obj(r.as_object(), "resourceMethods"))
      for (auto& [k, m] : *methods) {
        any_method = true;
        if (!m.as_object().contains("methodIntegration")) throw err::bad_request("No integration defined for method");
      }
  if (!any_method) throw err::bad_request("The REST API doesn't contain any methods");
  auto stage = opt_str(c.input, "stageName");
  if (stage) validate_stage_name(*stage);
  std::string id;
  do id = new_id(6);
  while (db().get(s, kind::deployment, api, id));
  json::object d{{"id", id}};
  copy_members(c.input, d, {"description"});
  d["createdDate"] = now_seconds();
  d["_snapshot"] = std::move(snap);
  db().put(s, kind::deployment, api, id, d);
  if (stage) upsert_stage(s, api, *stage, id, c.input, true);
  touch_api(s, api);
  return deployment_view(d, false);
}

Output get_deployment(Call& c) {
  Scope s = Scope::of(c);
  json::object d = require_deployment(s, api_of(c), str_or(c.input, "deploymentId"));
  bool summary = false;
  if (auto* e = opt_arr(c.input, "embed"))
    for (auto& v : *e) summary = summary || (v.is_string() && v.get_string() == "apisummary");
  return deployment_view(d, summary);
}

Output get_deployments(Call& c) {
  Scope s = Scope::of(c);
  std::string api = api_of(c);
  require_rest_api(s, api);
  std::vector<json::object> items;
  for (auto& d : db().list(s, kind::deployment, api)) items.push_back(deployment_view(d, false));
  return list_page(std::move(items), c.input);
}

Output update_deployment(Call& c) {
  Scope s = Scope::of(c);
  std::string api = api_of(c);
  std::string id(str_or(c.input, "deploymentId"));
  json::object d = require_deployment(s, api, id);
  apply_patch(d, c.input, v1_shape("Deployment"), {"description"});
  db().put(s, kind::deployment, api, id, d);
  return deployment_view(d, false);
}

Output delete_deployment(Call& c) {
  Scope s = Scope::of(c);
  std::string api = api_of(c);
  std::string id(str_or(c.input, "deploymentId"));
  require_deployment(s, api, id);
  for (auto& st : db().list(s, kind::stage, api))
    if (str_or(st, "deploymentId") == id)
      throw err::bad_request("Active stages pointing to this deployment must be moved or deleted");
  db().remove(s, kind::deployment, api, id);
  return json::object{};
}

Output create_stage(Call& c) {
  Scope s = Scope::of(c);
  std::string api = api_of(c);
  std::string name(str_or(c.input, "stageName"));
  validate_stage_name(name);
  std::string dep(str_or(c.input, "deploymentId"));
  require_rest_api(s, api);
  if (!db().get(s, kind::deployment, api, dep)) throw err::bad_request("Invalid deployment identifier specified");
  if (db().get(s, kind::stage, api, name)) throw err::conflict("Stage already exists");
  upsert_stage(s, api, name, dep, c.input, false);
  touch_api(s, api);
  return stage_view(*db().get(s, kind::stage, api, name));
}

Output get_stage(Call& c) {
  return stage_view(require_stage(Scope::of(c), api_of(c), str_or(c.input, "stageName")));
}

Output get_stages(Call& c) {
  Scope s = Scope::of(c);
  std::string api = api_of(c);
  require_rest_api(s, api);
  auto dep = opt_str(c.input, "deploymentId");
  json::array items;
  for (auto& st : db().list(s, kind::stage, api))
    if (!dep || str_or(st, "deploymentId") == *dep) items.push_back(stage_view(st));
  return json::object{{"item", std::move(items)}};
}

Output update_stage(Call& c) {
  Scope s = Scope::of(c);
  std::string api = api_of(c);
  std::string name(str_or(c.input, "stageName"));
  json::object st = require_stage(s, api, name);
  apply_patch(st, c.input, v1_shape("Stage"),
              {"description", "deploymentId", "cacheClusterEnabled", "cacheClusterSize", "tracingEnabled", "variables",
               "clientCertificateId", "documentationVersion", "accessLogSettings", "canarySettings", "webAclArn"},
              patch_method_setting);
  if (!db().get(s, kind::deployment, api, str_or(st, "deploymentId")))
    throw err::bad_request("Invalid deployment identifier specified");
  if (auto* vars = st.if_contains("variables"); vars && vars->is_object() && vars->as_object().empty()) st.erase("variables");
  st["lastUpdatedDate"] = now_seconds();
  db().put(s, kind::stage, api, name, st);
  touch_api(s, api);
  return stage_view(st);
}

Output delete_stage(Call& c) {
  Scope s = Scope::of(c);
  std::string api = api_of(c);
  std::string name(str_or(c.input, "stageName"));
  require_stage(s, api, name);
  db().remove(s, kind::stage, api, name);
  touch_api(s, api);
  return json::object{};
}

Output flush_stage_cache(Call& c) {
  require_stage(Scope::of(c), api_of(c), str_or(c.input, "stageName"));
  return json::object{};
}

Output flush_stage_authorizers_cache(Call& c) {
  require_stage(Scope::of(c), api_of(c), str_or(c.input, "stageName"));
  Backend::get().dataplane().flush_authorizer_cache(api_of(c));
  return json::object{};
}

}  // namespace stratus::apigateway::v1
