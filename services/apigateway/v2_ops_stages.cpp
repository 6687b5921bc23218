// Stages (auto-deploy, $default), deployments, authorizers and models of HTTP/WebSocket APIs,
// plus custom domain names, API mappings and VPC links.
#include "dataplane.hpp"
#include "ops_v2.hpp"

#include <stratus/strings.hpp>

namespace stratus::apigateway::v2 {

namespace {

std::string api_id_of(const Call& c) { return std::string(str_or(c.input, "ApiId")); }

json::object require_stage(const Scope& s, std::string_view api, std::string_view name) {
  auto d = db().get(s, kind::v2_stage, api, name);
  if (!d) {
    require_api(s, api);
    throw err::v2_not_found("Stage", "Invalid stage identifier specified");
  }
  return std::move(*d);
}

json::object require_deployment(const Scope& s, std::string_view api, std::string_view id) {
  auto d = db().get(s, kind::v2_deployment, api, id);
  if (!d) {
    require_api(s, api);
    throw err::v2_not_found("Deployment", "Invalid Deployment identifier specified");
  }
  return std::move(*d);
}

json::object deployment_view(json::object d) {
  d.erase("_snapshot");
  return d;
}

void validate_stage_name(std::string_view name) {
  if (name == "$default") return;
  if (name.empty() || name.size() > 128) throw err::bad_request("Stage name must be between 1 and 128 characters");
  for (char ch : name)
    if (!std::isalnum(static_cast<unsigned char>(ch)) && ch != '_' && ch != '-')
      throw err::bad_request("Stage name only allows a-zA-Z0-9_-");
}

}  // namespace

void prune_deployment(const Scope& s, std::string_view api, std::string_view deployment_id) {
  if (deployment_id.empty()) return;
  auto d = db().get(s, kind::v2_deployment, api, deployment_id);
  if (!d || !get_bool(*d, "AutoDeployed")) return;
  for (auto& st : db().list(s, kind::v2_stage, api))
    if (str_or(st, "DeploymentId") == deployment_id) return;
  db().remove(s, kind::v2_deployment, api, deployment_id);
}

namespace {
void prune(const Scope& s, std::string_view api, std::string_view deployment_id) { prune_deployment(s, api, deployment_id); }
}  // namespace

json::object deploy(const Scope& s, std::string_view api_id, std::optional<std::string> description, bool auto_deployed) {
  json::object api = require_api(s, api_id);
  json::array routes, integrations, authorizers, models;
  json::object route_responses, integration_responses;
  for (auto& r : db().list(s, kind::route, api_id)) {
    std::string rid(str_or(r, "RouteId"));
    json::object rrs;
    for (auto& rr : db().list(s, kind::route_response, std::string(api_id) + "/" + rid))
      rrs[str_or(rr, "RouteResponseKey")] = rr;
    if (!rrs.empty()) route_responses[rid] = std::move(rrs);
    routes.push_back(std::move(r));
  }
  for (auto& i : db().list(s, kind::integration, api_id)) {
    std::string iid(str_or(i, "IntegrationId"));
    json::array irs;
    for (auto& ir : db().list(s, kind::integration_response, std::string(api_id) + "/" + iid)) irs.push_back(ir);
    if (!irs.empty()) i["_responses"] = std::move(irs);
    integrations.push_back(std::move(i));
  }
  for (auto& a : db().list(s, kind::v2_authorizer, api_id)) authorizers.push_back(std::move(a));
  for (auto& m : db().list(s, kind::v2_model, api_id)) models.push_back(std::move(m));
  std::string id;
  do id = new_id(6);
  while (db().get(s, kind::v2_deployment, api_id, id));
  json::object d;
  d["AutoDeployed"] = auto_deployed;
  d["CreatedDate"] = now_seconds();
  d["DeploymentId"] = id;
  d["DeploymentStatus"] = "DEPLOYED";
  if (description) d["Description"] = *description;
  d["_snapshot"] = json::object{{"api", std::move(api)},
                                {"routes", std::move(routes)},
                                {"integrations", std::move(integrations)},
                                {"authorizers", std::move(authorizers)},
                                {"models", std::move(models)},
                                {"routeResponses", std::move(route_responses)}};
  db().put(s, kind::v2_deployment, api_id, id, d);
  return d;
}

json::object add_stage(const Scope& s, const json::object& api, const json::object& in) {
  std::string api_id(str_or(api, "ApiId"));
  std::string name(str_or(in, "StageName"));
  validate_stage_name(name);
  if (name == "$default" && !is_http(api)) throw err::bad_request("$default stage is only supported for HTTP APIs");
  if (db().get(s, kind::v2_stage, api_id, name)) throw err::conflict("Stage already exists");
  double now = now_seconds();
  json::object st;
  copy_members(in, st, {"AccessLogSettings"});
  if (get_bool(in, "ApiGatewayManaged")) st["ApiGatewayManaged"] = true;
  st["AutoDeploy"] = get_bool(in, "AutoDeploy");
  if (st["AutoDeploy"].as_bool() && !is_http(api)) throw err::bad_request("AutoDeploy is only supported for HTTP APIs");
  copy_members(in, st, {"ClientCertificateId"});
  st["CreatedDate"] = now;
  json::object defaults = is_http(api) ? json::object{{"DetailedMetricsEnabled", false}}
                                       : json::object{{"DataTraceEnabled", false}, {"DetailedMetricsEnabled", false}, {"LoggingLevel", "OFF"}};
  if (auto* d = opt_obj(in, "DefaultRouteSettings"))
    for (auto& [k, v] : *d) defaults[k] = v;
  st["DefaultRouteSettings"] = std::move(defaults);
  if (auto dep = opt_str(in, "DeploymentId")) {
    require_deployment(s, api_id, *dep);
    st["DeploymentId"] = *dep;
  }
  copy_members(in, st, {"Description"});
  st["LastUpdatedDate"] = now;
  st["RouteSettings"] = in.contains("RouteSettings") ? in.at("RouteSettings") : json::object{};
  st["StageName"] = name;
  st["StageVariables"] = in.contains("StageVariables") ? in.at("StageVariables") : json::object{};
  st["Tags"] = in.contains("Tags") ? in.at("Tags") : json::object{};
  if (get_bool(st, "AutoDeploy")) {
    json::object d = deploy(s, api_id, std::nullopt, true);
    st["DeploymentId"] = d["DeploymentId"];
    st["LastDeploymentStatusMessage"] =
        "Successfully deployed stage with deployment ID '" + std::string(str_or(d, "DeploymentId")) + "'";
  }
  db().put(s, kind::v2_stage, api_id, name, st);
  return st;
}

// --- stages ---

Output create_stage(Call& c) {
  Scope s = Scope::of(c);
  json::object api = require_api(s, api_id_of(c));
  json::object st = add_stage(s, api, c.input);
  Backend::get().dataplane().invalidate();
  return st;
}

Output get_stage(Call& c) { return require_stage(Scope::of(c), api_id_of(c), str_or(c.input, "StageName")); }

Output get_stages(Call& c) {
  Scope s = Scope::of(c);
  require_api(s, api_id_of(c));
  return list_page(db().list(s, kind::v2_stage, api_id_of(c)), c.input);
}

Output update_stage(Call& c) {
  Scope s = Scope::of(c);
  std::string api_id = api_id_of(c), name(str_or(c.input, "StageName"));
  json::object api = require_api(s, api_id);
  json::object st = require_stage(s, api_id, name);
  std::string old_dep(str_or(st, "DeploymentId"));
  copy_members(c.input, st, {"AccessLogSettings", "AutoDeploy", "ClientCertificateId", "Description", "RouteSettings", "StageVariables"});
  if (auto* d = opt_obj(c.input, "DefaultRouteSettings")) {
    auto& slot = st["DefaultRouteSettings"];
    if (!slot.is_object()) slot = json::object();
    for (auto& [k, v] : *d) slot.as_object()[k] = v;
  }
  if (get_bool(st, "AutoDeploy") && !is_http(api)) throw err::bad_request("AutoDeploy is only supported for HTTP APIs");
  if (auto dep = opt_str(c.input, "DeploymentId")) {
    require_deployment(s, api_id, *dep);
    st["DeploymentId"] = *dep;
  }
  bool turned_on = get_bool(c.input, "AutoDeploy") && c.input.contains("AutoDeploy");
  if (turned_on) {
    json::object d = deploy(s, api_id, std::nullopt, true);
    st["DeploymentId"] = d["DeploymentId"];
    st["LastDeploymentStatusMessage"] =
        "Successfully deployed stage with deployment ID '" + std::string(str_or(d, "DeploymentId")) + "'";
  }
  st["LastUpdatedDate"] = now_seconds();
  db().put(s, kind::v2_stage, api_id, name, st);
  if (old_dep != str_or(st, "DeploymentId")) prune(s, api_id, old_dep);
  Backend::get().dataplane().invalidate();
  return st;
}

Output delete_stage(Call& c) {
  Scope s = Scope::of(c);
  std::string api_id = api_id_of(c), name(str_or(c.input, "StageName"));
  json::object st = require_stage(s, api_id, name);
  db().remove(s, kind::v2_stage, api_id, name);
  prune(s, api_id, str_or(st, "DeploymentId"));
  Backend::get().dataplane().invalidate();
  return json::object{};
}

Output delete_access_log_settings(Call& c) {
  Scope s = Scope::of(c);
  std::string api_id = api_id_of(c), name(str_or(c.input, "StageName"));
  json::object st = require_stage(s, api_id, name);
  st.erase("AccessLogSettings");
  db().put(s, kind::v2_stage, api_id, name, st);
  return json::object{};
}

Output delete_route_settings(Call& c) {
  Scope s = Scope::of(c);
  std::string api_id = api_id_of(c), name(str_or(c.input, "StageName"));
  json::object st = require_stage(s, api_id, name);
  auto* rs = st.if_contains("RouteSettings");
  std::string key(str_or(c.input, "RouteKey"));
  if (!rs || !rs->is_object() || !rs->as_object().erase(key))
    throw err::v2_not_found("RouteSettings", "Invalid route settings identifier specified");
  db().put(s, kind::v2_stage, api_id, name, st);
  return json::object{};
}

Output reset_authorizers_cache(Call& c) {
  require_stage(Scope::of(c), api_id_of(c), str_or(c.input, "StageName"));
  Backend::get().dataplane().flush_authorizer_cache(api_id_of(c));
  return json::object{};
}

// --- deployments ---

Output create_deployment(Call& c) {
  Scope s = Scope::of(c);
  std::string api_id = api_id_of(c);
  require_api(s, api_id);
  std::optional<json::object> stage;
  if (auto name = opt_str(c.input, "StageName")) {
    stage = db().get(s, kind::v2_stage, api_id, *name);
    if (!stage) throw err::bad_request("Invalid stage identifier specified");
    if (get_bool(*stage, "AutoDeploy"))
      throw err::bad_request("Cannot create a deployment for a stage with auto-deploy enabled: " + *name);
  }
  json::object d = deploy(s, api_id, opt_str(c.input, "Description"), false);
  if (stage) {
    std::string old(str_or(*stage, "DeploymentId"));
    (*stage)["DeploymentId"] = d["DeploymentId"];
    (*stage)["LastUpdatedDate"] = now_seconds();
    db().put(s, kind::v2_stage, api_id, str_or(*stage, "StageName"), *stage);
    prune(s, api_id, old);
  }
  Backend::get().dataplane().invalidate();
  return deployment_view(d);
}

Output get_deployment(Call& c) {
  return deployment_view(require_deployment(Scope::of(c), api_id_of(c), str_or(c.input, "DeploymentId")));
}

Output get_deployments(Call& c) {
  Scope s = Scope::of(c);
  require_api(s, api_id_of(c));
  std::vector<json::object> items;
  for (auto& d : db().list(s, kind::v2_deployment, api_id_of(c))) items.push_back(deployment_view(d));
  return list_page(std::move(items), c.input);
}

Output update_deployment(Call& c) {
  Scope s = Scope::of(c);
  std::string api_id = api_id_of(c), id(str_or(c.input, "DeploymentId"));
  json::object d = require_deployment(s, api_id, id);
  copy_members(c.input, d, {"Description"});
  db().put(s, kind::v2_deployment, api_id, id, d);
  return deployment_view(d);
}

Output delete_deployment(Call& c) {
  Scope s = Scope::of(c);
  std::string api_id = api_id_of(c), id(str_or(c.input, "DeploymentId"));
  require_deployment(s, api_id, id);
  for (auto& st : db().list(s, kind::v2_stage, api_id))
    if (str_or(st, "DeploymentId") == id)
      throw err::bad_request("Deployment " + id + " is in use by stage " + std::string(str_or(st, "StageName")));
  db().remove(s, kind::v2_deployment, api_id, id);
  return json::object{};
}

// --- authorizers ---

namespace {

json::object require_authorizer(const Scope& s, std::string_view api, std::string_view id) {
  auto d = db().get(s, kind::v2_authorizer, api, id);
  if (!d) {
    require_api(s, api);
    throw err::v2_not_found("Authorizer", "Invalid Authorizer identifier specified " + std::string(id));
  }
  return std::move(*d);
}

void validate_authorizer(const json::object& api, const json::object& a) {
  std::string_view type = str_or(a, "AuthorizerType");
  bool http = is_http(api);
  if (type == "JWT") {
    if (!http) throw err::bad_request("JWT authorizers are only supported for HTTP APIs");
    auto* cfg = opt_obj(a, "JwtConfiguration");
    if (!cfg || str_or(*cfg, "Issuer").empty()) throw err::bad_request("JwtConfiguration with an Issuer is required for JWT authorizers");
    auto* aud = opt_arr(*cfg, "Audience");
    if (!aud || aud->empty()) throw err::bad_request("JwtConfiguration.Audience must contain at least one audience");
    auto* ids = opt_arr(a, "IdentitySource");
    if (!ids || ids->size() != 1) throw err::bad_request("JWT authorizers need exactly one identity source");
  } else if (type == "REQUEST") {
    if (str_or(a, "AuthorizerUri").empty() || lambda_arn_from_uri(str_or(a, "AuthorizerUri")).empty())
      throw err::bad_request("AuthorizerUri must be a Lambda function invocation URI for REQUEST authorizers");
    if (http) {
      std::string_view v = str_or(a, "AuthorizerPayloadFormatVersion");
      if (v != "1.0" && v != "2.0")
        throw err::bad_request("AuthorizerPayloadFormatVersion is required for REQUEST authorizers of HTTP APIs (1.0 or 2.0)");
      if (get_bool(a, "EnableSimpleResponses") && v != "2.0")
        throw err::bad_request("EnableSimpleResponses is only supported with AuthorizerPayloadFormatVersion 2.0");
    }
    if (auto ttl = opt_int(a, "AuthorizerResultTtlInSeconds"); ttl && *ttl > 0) {
      auto* ids = opt_arr(a, "IdentitySource");
      if (!ids || ids->empty()) throw err::bad_request("Identity sources are required when authorizer caching is enabled");
    }
  } else {
    throw err::bad_request("Invalid AuthorizerType " + std::string(type));
  }
  for (auto& src : opt_arr(a, "IdentitySource") ? *opt_arr(a, "IdentitySource") : json::array{}) {
    std::string_view v = src.is_string() ? std::string_view(src.get_string()) : "";
    bool ok = http ? (v.starts_with("$request.") || v.starts_with("$context.") || v.starts_with("$stageVariables."))
                   : (v.starts_with("route.request.") || v.starts_with("context.") || v.starts_with("stageVariables."));
    if (!ok) throw err::bad_request("Invalid identity source " + std::string(v));
  }
}

}  // namespace

json::object add_authorizer(const Scope& s, const json::object& api, const json::object& in) {
  std::string api_id(str_or(api, "ApiId"));
  json::object a;
  copy_members(in, a, {"AuthorizerCredentialsArn"});
  std::string id;
  do id = new_id(6);
  while (db().get(s, kind::v2_authorizer, api_id, id));
  a["AuthorizerId"] = id;
  copy_members(in, a, {"AuthorizerPayloadFormatVersion"});
  std::string type(str_or(in, "AuthorizerType"));
  if (type == "REQUEST") a["AuthorizerResultTtlInSeconds"] = opt_int(in, "AuthorizerResultTtlInSeconds").value_or(is_http(api) ? 0 : 300);
  a["AuthorizerType"] = type;
  copy_members(in, a, {"AuthorizerUri"});
  if (type == "REQUEST" && is_http(api)) a["EnableSimpleResponses"] = get_bool(in, "EnableSimpleResponses");
  copy_members(in, a, {"IdentitySource", "IdentityValidationExpression", "JwtConfiguration", "Name"});
  validate_authorizer(api, a);
  db().put(s, kind::v2_authorizer, api_id, id, a);
  return a;
}

Output create_authorizer(Call& c) {
  Scope s = Scope::of(c);
  json::object api = require_api(s, api_id_of(c));
  json::object a = add_authorizer(s, api, c.input);
  changed(s, api_id_of(c));
  return a;
}

Output get_authorizer(Call& c) { return require_authorizer(Scope::of(c), api_id_of(c), str_or(c.input, "AuthorizerId")); }

Output get_authorizers(Call& c) {
  Scope s = Scope::of(c);
  require_api(s, api_id_of(c));
  return list_page(db().list(s, kind::v2_authorizer, api_id_of(c)), c.input);
}

Output update_authorizer(Call& c) {
  Scope s = Scope::of(c);
  std::string api_id = api_id_of(c), id(str_or(c.input, "AuthorizerId"));
  json::object api = require_api(s, api_id);
  json::object a = require_authorizer(s, api_id, id);
  copy_members(c.input, a, {"AuthorizerCredentialsArn", "AuthorizerPayloadFormatVersion", "AuthorizerResultTtlInSeconds",
                            "AuthorizerType", "AuthorizerUri", "EnableSimpleResponses", "IdentitySource",
                            "IdentityValidationExpression", "JwtConfiguration", "Name"});
  validate_authorizer(api, a);
  db().put(s, kind::v2_authorizer, api_id, id, a);
  changed(s, api_id);
  return a;
}

Output delete_authorizer(Call& c) {
  Scope s = Scope::of(c);
  std::string api_id = api_id_of(c), id(str_or(c.input, "AuthorizerId"));
  require_authorizer(s, api_id, id);
  for (auto& r : db().list(s, kind::route, api_id))
    if (str_or(r, "AuthorizerId") == id)
      throw err::conflict("Cannot delete authorizer " + id + ": it is used by route " + std::string(str_or(r, "RouteKey")));
  db().remove(s, kind::v2_authorizer, api_id, id);
  changed(s, api_id);
  return json::object{};
}

// --- models ---

namespace {
json::object require_model(const Scope& s, std::string_view api, std::string_view id) {
  auto d = db().get(s, kind::v2_model, api, id);
  if (!d) {
    require_api(s, api);
    throw err::v2_not_found("Model", "Invalid model identifier specified " + std::string(id));
  }
  return std::move(*d);
}
}  // namespace

Output create_model(Call& c) {
  Scope s = Scope::of(c);
  std::string api_id = api_id_of(c);
  require_api(s, api_id);
  for (auto& m : db().list(s, kind::v2_model, api_id))
    if (str_or(m, "Name") == str_or(c.input, "Name")) throw err::conflict("Model name already exists for this API");
  json::object m;
  copy_members(c.input, m, {"ContentType", "Description"});
  m["ModelId"] = new_id(6);
  copy_members(c.input, m, {"Name", "Schema"});
  db().put(s, kind::v2_model, api_id, str_or(m, "ModelId"), m);
  changed(s, api_id);
  return m;
}

Output get_model(Call& c) { return require_model(Scope::of(c), api_id_of(c), str_or(c.input, "ModelId")); }

Output get_models(Call& c) {
  Scope s = Scope::of(c);
  require_api(s, api_id_of(c));
  return list_page(db().list(s, kind::v2_model, api_id_of(c)), c.input);
}

Output update_model(Call& c) {
  Scope s = Scope::of(c);
  std::string api_id = api_id_of(c), id(str_or(c.input, "ModelId"));
  json::object m = require_model(s, api_id, id);
  copy_members(c.input, m, {"ContentType", "Description", "Name", "Schema"});
  db().put(s, kind::v2_model, api_id, id, m);
  changed(s, api_id);
  return m;
}

Output delete_model(Call& c) {
  Scope s = Scope::of(c);
  std::string api_id = api_id_of(c), id(str_or(c.input, "ModelId"));
  require_model(s, api_id, id);
  db().remove(s, kind::v2_model, api_id, id);
  changed(s, api_id);
  return json::object{};
}

Output get_model_template(Call& c) {
  json::object m = require_model(Scope::of(c), api_id_of(c), str_or(c.input, "ModelId"));
  std::string tmpl = "#set($inputRoot = $input.path('$'))\n{";
  json::object schema = parse_object(str_or(m, "Schema"));
  bool first = true;
  if (auto* props = opt_obj(schema, "properties"))
    for (auto& [k, v] : *props) {
      tmpl += first ? "\n" : ",\n";
      first = false;
      tmpl += "  \"" + std::string(k) + "\" : $inputRoot." + std::string(k);
    }
  tmpl += "\n}";
  return json::object{{"Value", tmpl}};
}

// --- domain names, API mappings, VPC links ---

Output create_domain_name(Call& c) {
  Scope s = Scope::of(c);
  std::string name(str_or(c.input, "DomainName"));
  if (db().get(s, kind::v2_domain, "", name)) throw err::conflict("The domain name you provided already exists.");
  json::array configs;
  if (auto* cfgs = opt_arr(c.input, "DomainNameConfigurations"))
    for (auto& v : *cfgs) {
      json::object cfg = v.as_object();
      cfg["ApiGatewayDomainName"] = "d-" + new_id(10) + ".execute-api." + s.region + ".amazonaws.com";
      cfg["DomainNameStatus"] = "AVAILABLE";
      if (!cfg.contains("EndpointType")) cfg["EndpointType"] = "REGIONAL";
      cfg["HostedZoneId"] = "Z1UJRXOUMOOFQ8";
      if (!cfg.contains("SecurityPolicy")) cfg["SecurityPolicy"] = "TLS_1_2";
      configs.push_back(std::move(cfg));
    }
  json::object d{{"ApiMappingSelectionExpression", "$request.basepath"}, {"DomainName", name},
                 {"DomainNameConfigurations", std::move(configs)}};
  copy_members(c.input, d, {"MutualTlsAuthentication"});
  d["Tags"] = c.input.contains("Tags") ? c.input.at("Tags") : json::object{};
  db().put(s, kind::v2_domain, "", name, d);
  return d;
}

Output get_domain_name(Call& c) {
  auto d = db().get(Scope::of(c), kind::v2_domain, "", str_or(c.input, "DomainName"));
  if (!d) throw err::v2_not_found("DomainName", "Invalid domain name identifier specified");
  return std::move(*d);
}

Output get_domain_names(Call& c) { return list_page(db().list(Scope::of(c), kind::v2_domain, ""), c.input); }

Output update_domain_name(Call& c) {
  Scope s = Scope::of(c);
  std::string name(str_or(c.input, "DomainName"));
  auto d = db().get(s, kind::v2_domain, "", name);
  if (!d) throw err::v2_not_found("DomainName", "Invalid domain name identifier specified");
  copy_members(c.input, *d, {"DomainNameConfigurations", "MutualTlsAuthentication"});
  db().put(s, kind::v2_domain, "", name, *d);
  return std::move(*d);
}

Output delete_domain_name(Call& c) {
  Scope s = Scope::of(c);
  std::string name(str_or(c.input, "DomainName"));
  if (!db().remove(s, kind::v2_domain, "", name)) throw err::v2_not_found("DomainName", "Invalid domain name identifier specified");
  db().remove_children(s, "domain2:" + name);
  return json::object{};
}

namespace {
std::string mapping_parent(const Call& c) { return "domain2:" + std::string(str_or(c.input, "DomainName")); }
json::object require_mapping(const Scope& s, const Call& c) {
  auto d = db().get(s, kind::api_mapping, mapping_parent(c), str_or(c.input, "ApiMappingId"));
  if (!d) throw err::v2_not_found("ApiMapping", "Invalid API mapping identifier specified");
  return std::move(*d);
}
}  // namespace

Output create_api_mapping(Call& c) {
  Scope s = Scope::of(c);
  if (!db().get(s, kind::v2_domain, "", str_or(c.input, "DomainName")))
    throw err::v2_not_found("DomainName", "Invalid domain name identifier specified");
  require_api(s, api_id_of(c));
  json::object m{{"ApiId", api_id_of(c)}, {"ApiMappingId", new_id(6)}};
  copy_members(c.input, m, {"ApiMappingKey", "Stage"});
  db().put(s, kind::api_mapping, mapping_parent(c), str_or(m, "ApiMappingId"), m);
  return m;
}

Output get_api_mapping(Call& c) { return require_mapping(Scope::of(c), c); }

Output get_api_mappings(Call& c) { return list_page(db().list(Scope::of(c), kind::api_mapping, mapping_parent(c)), c.input); }

Output update_api_mapping(Call& c) {
  Scope s = Scope::of(c);
  json::object m = require_mapping(s, c);
  copy_members(c.input, m, {"ApiId", "ApiMappingKey", "Stage"});
  db().put(s, kind::api_mapping, mapping_parent(c), str_or(m, "ApiMappingId"), m);
  return m;
}

Output delete_api_mapping(Call& c) {
  Scope s = Scope::of(c);
  json::object m = require_mapping(s, c);
  db().remove(s, kind::api_mapping, mapping_parent(c), str_or(m, "ApiMappingId"));
  return json::object{};
}

Output create_vpc_link(Call& c) {
  Scope s = Scope::of(c);
  json::object v{{"CreatedDate", now_seconds()}};
  copy_members(c.input, v, {"Name", "SecurityGroupIds", "SubnetIds"});
  v["Tags"] = c.input.contains("Tags") ? c.input.at("Tags") : json::object{};
  v["VpcLinkId"] = new_id(6);
  v["VpcLinkStatus"] = "AVAILABLE";
  v["VpcLinkStatusMessage"] = "VPC link is ready to route traffic";
  v["VpcLinkVersion"] = "V2";
  db().put(s, kind::v2_vpc_link, "", str_or(v, "VpcLinkId"), v);
  return v;
}

Output get_vpc_link(Call& c) {
  auto d = db().get(Scope::of(c), kind::v2_vpc_link, "", str_or(c.input, "VpcLinkId"));
  if (!d) throw err::v2_not_found("VpcLink", "Invalid VPC link identifier specified");
  return std::move(*d);
}

Output get_vpc_links(Call& c) { return list_page(db().list(Scope::of(c), kind::v2_vpc_link, ""), c.input); }

Output update_vpc_link(Call& c) {
  Scope s = Scope::of(c);
  auto d = db().get(s, kind::v2_vpc_link, "", str_or(c.input, "VpcLinkId"));
  if (!d) throw err::v2_not_found("VpcLink", "Invalid VPC link identifier specified");
  copy_members(c.input, *d, {"Name"});
  db().put(s, kind::v2_vpc_link, "", str_or(*d, "VpcLinkId"), *d);
  return std::move(*d);
}

Output delete_vpc_link(Call& c) {
  Scope s = Scope::of(c);
  if (!db().remove(s, kind::v2_vpc_link, "", str_or(c.input, "VpcLinkId")))
    throw err::v2_not_found("VpcLink", "Invalid VPC link identifier specified");
  return json::object{};
}

}  // namespace stratus::apigateway::v2
