// HTTP and WebSocket APIs, their tags and CORS configuration, quick create, import and export.
#include "dataplane.hpp"
#include "openapi.hpp"
#include "ops_v2.hpp"

#include <stratus/strings.hpp>

namespace stratus::apigateway::v2 {

json::object require_api(const Scope& s, std::string_view api_id) {
  auto d = db().get(s, kind::api, "", api_id);
  if (!d) throw err::v2_not_found("Api", "Invalid API identifier specified " + s.account + ":" + std::string(api_id));
  return std::move(*d);
}

bool is_http(const json::object& api) { return str_or(api, "ProtocolType") == "HTTP"; }

std::string api_endpoint(const json::object& api, std::string_view endpoint) {
  return std::string(is_http(api) ? "http://" : "ws://") + invoke_host(str_or(api, "ApiId"), endpoint);
}

json::object list_page(std::vector<json::object> items, const json::object& in) {
  Page p = page_v2(items.size(), in);
  json::array arr;
  for (size_t i = p.begin; i < p.end; ++i) arr.push_back(std::move(items[i]));
  json::object out{{"Items", std::move(arr)}};
  if (p.next) out["NextToken"] = *p.next;
  return out;
}

void changed(const Scope& s, std::string_view api_id) {
  Backend::get().dataplane().invalidate();
  for (auto& st : db().list(s, kind::v2_stage, api_id)) {
    if (!get_bool(st, "AutoDeploy")) continue;
    std::string old(str_or(st, "DeploymentId"));
    json::object d = deploy(s, api_id, std::nullopt, true);
    st["DeploymentId"] = d["DeploymentId"];
    st["LastDeploymentStatusMessage"] =
        "Successfully deployed stage with deployment ID '" + std::string(str_or(d, "DeploymentId")) + "'";
    st["LastUpdatedDate"] = now_seconds();
    db().put(s, kind::v2_stage, api_id, str_or(st, "StageName"), st);
    prune_deployment(s, api_id, old);
  }
  Backend::get().dataplane().invalidate();
}

namespace {

void validate_cors(const json::object& api) {
  auto* cors = opt_obj(api, "CorsConfiguration");
  if (!cors) return;
  if (!is_http(api)) throw err::bad_request("CORS is not supported for WEBSOCKET APIs");
  if (get_bool(*cors, "AllowCredentials"))
    if (auto* origins = opt_arr(*cors, "AllowOrigins"))
      for (auto& o : *origins)
        if (o == "*")
          throw err::bad_request("allow-credentials is not supported with a wildcard value in AllowOrigins");
}

void quick_create(const Scope& s, json::object& api, const json::object& in) {
  std::string target(str_or(in, "Target"));
  json::object integration_in{{"ApiGatewayManaged", true}};
  if (!lambda_arn_from_uri(target).empty()) {
    integration_in["IntegrationType"] = "AWS_PROXY";
    integration_in["IntegrationUri"] = target;
    integration_in["PayloadFormatVersion"] = "2.0";
    integration_in["IntegrationMethod"] = "POST";
  } else if (target.starts_with("http://") || target.starts_with("https://")) {
    integration_in["IntegrationType"] = "HTTP_PROXY";
    integration_in["IntegrationUri"] = target;
    integration_in["IntegrationMethod"] = "ANY";
    integration_in["PayloadFormatVersion"] = "1.0";
  } else {
    throw err::bad_request("Target must be a Lambda function ARN or an HTTP URL");
  }
  if (auto cred = opt_str(in, "CredentialsArn")) integration_in["CredentialsArn"] = *cred;
  json::object integration = add_integration(s, api, integration_in);
  json::object route_in{{"RouteKey", str_or(in, "RouteKey", "$default")},
                        {"Target", "integrations/" + std::string(str_or(integration, "IntegrationId"))},
                        {"ApiGatewayManaged", true}};
  add_route(s, api, route_in);
  add_stage(s, api, json::object{{"StageName", "$default"}, {"AutoDeploy", true}, {"ApiGatewayManaged", true}});
}

}  // namespace

json::object new_api(const Scope& s, const json::object& in, std::string_view endpoint) {
  std::string id;
  do id = new_id(10);
  while (db().id_taken(kind::api, id) || db().id_taken(kind::rest_api, id));
  std::string protocol(str_or(in, "ProtocolType"));
  json::object api;
  api["ApiId"] = id;
  api["Name"] = str_or(in, "Name");
  api["ProtocolType"] = protocol;
  api["ApiKeySelectionExpression"] = str_or(in, "ApiKeySelectionExpression", "$request.header.x-api-key");
  copy_members(in, api, {"CorsConfiguration", "Description", "DisableSchemaValidation", "Version"});
  api["CreatedDate"] = now_seconds();
  api["DisableExecuteApiEndpoint"] = get_bool(in, "DisableExecuteApiEndpoint");
  api["IpAddressType"] = str_or(in, "IpAddressType", "ipv4");
  if (protocol == "HTTP") {
    api["RouteSelectionExpression"] = "$request.method $request.path";
  } else {
    auto rse = opt_str(in, "RouteSelectionExpression");
    if (!rse || rse->empty()) throw err::bad_request("RouteSelectionExpression is required for WEBSOCKET APIs");
    api["RouteSelectionExpression"] = *rse;
  }
  json::object tags;
  if (auto* t = opt_obj(in, "Tags")) tags = *t;
  api["Tags"] = std::move(tags);
  api["ApiEndpoint"] = api_endpoint(api, endpoint);
  validate_cors(api);
  if (in.contains("Target") && protocol != "HTTP") throw err::bad_request("Target is only supported for HTTP APIs");
  db().put(s, kind::api, "", id, api);
  if (in.contains("Target")) quick_create(s, api, in);
  return api;
}

Output create_api(Call& c) {
  Scope s = Scope::of(c);
  json::object api = new_api(s, c.input, c.ctx.endpoint);
  Backend::get().dataplane().invalidate();
  return api;
}

Output get_api(Call& c) { return require_api(Scope::of(c), str_or(c.input, "ApiId")); }

Output get_apis(Call& c) { return list_page(db().list(Scope::of(c), kind::api, ""), c.input); }

Output update_api(Call& c) {
  Scope s = Scope::of(c);
  std::string id(str_or(c.input, "ApiId"));
  json::object api = require_api(s, id);
  copy_members(c.input, api, {"ApiKeySelectionExpression", "CorsConfiguration", "Description", "DisableSchemaValidation",
                              "DisableExecuteApiEndpoint", "IpAddressType", "Name", "Version"});
  if (auto rse = opt_str(c.input, "RouteSelectionExpression")) {
    if (is_http(api) && *rse != "$request.method $request.path" && *rse != "${request.method} ${request.path}")
      throw err::bad_request("Unsupported RouteSelectionExpression for HTTP APIs: " + *rse);
    if (!is_http(api)) api["RouteSelectionExpression"] = *rse;
  }
  validate_cors(api);
  db().put(s, kind::api, "", id, api);
  if (c.input.contains("Target")) {
    // Quick-create targets update the managed integration.
    for (auto& i : db().list(s, kind::integration, id))
      if (get_bool(i, "ApiGatewayManaged")) {
        i["IntegrationUri"] = c.input.at("Target");
        db().put(s, kind::integration, id, str_or(i, "IntegrationId"), i);
      }
  }
  changed(s, id);
  return api;
}

Output delete_api(Call& c) {
  Scope s = Scope::of(c);
  std::string id(str_or(c.input, "ApiId"));
  require_api(s, id);
  db().remove(s, kind::api, "", id);
  db().remove_children(s, id);
  Backend::get().dataplane().invalidate();
  return json::object{};
}

Output delete_cors_configuration(Call& c) {
  Scope s = Scope::of(c);
  std::string id(str_or(c.input, "ApiId"));
  json::object api = require_api(s, id);
  api.erase("CorsConfiguration");
  db().put(s, kind::api, "", id, api);
  changed(s, id);
  return json::object{};
}

Output import_api(Call& c) {
  Scope s = Scope::of(c);
  auto spec = openapi::parse_document(str_or(c.input, "Body"));
  json::object api = openapi::import_http_api(s, spec, get_bool(c.input, "FailOnWarnings"), "", c.ctx.endpoint,
                                              opt_str(c.input, "Basepath").value_or(""));
  changed(s, str_or(api, "ApiId"));
  return api;
}

Output reimport_api(Call& c) {
  Scope s = Scope::of(c);
  std::string id(str_or(c.input, "ApiId"));
  require_api(s, id);
  auto spec = openapi::parse_document(str_or(c.input, "Body"));
  json::object api = openapi::import_http_api(s, spec, get_bool(c.input, "FailOnWarnings"), id, c.ctx.endpoint,
                                              opt_str(c.input, "Basepath").value_or(""));
  changed(s, id);
  return api;
}

Output export_api(Call& c) {
  Scope s = Scope::of(c);
  std::string id(str_or(c.input, "ApiId"));
  json::object api = require_api(s, id);
  std::string spec(str_or(c.input, "Specification"));
  if (spec != "OAS30") throw err::bad_request("Unsupported specification: " + spec + " (OAS30 only)");
  std::string output(str_or(c.input, "OutputType"));
  if (output != "JSON" && output != "YAML") throw err::bad_request("OutputType must be JSON or YAML");
  if (!is_http(api)) throw err::bad_request("Export is only supported for HTTP APIs");
  auto stage = opt_str(c.input, "StageName");
  json::value doc = openapi::export_http_api(s, api, stage, get_bool(c.input, "IncludeExtensions", true));
  std::string text = output == "JSON" ? json::serialize(doc) : openapi::to_yaml(doc);
  return json::object{{"body", text}};
}

namespace {

struct TagTarget {
  std::string_view kind;
  std::string parent, id;
};

TagTarget parse_arn(std::string_view arn) {
  auto pos = arn.find("::/");
  if (!arn.starts_with("arn:") || pos == std::string_view::npos) throw err::bad_request("Invalid resource ARN: " + std::string(arn));
  auto parts = split(arn.substr(pos + 3), '/');
  if (parts.size() == 2 && parts[0] == "apis") return {kind::api, "", std::string(parts[1])};
  if (parts.size() == 4 && parts[0] == "apis" && parts[2] == "stages") return {kind::v2_stage, std::string(parts[1]), std::string(parts[3])};
  if (parts.size() == 2 && parts[0] == "domainnames") return {kind::v2_domain, "", std::string(parts[1])};
  if (parts.size() == 2 && parts[0] == "vpclinks") return {kind::v2_vpc_link, "", std::string(parts[1])};
  // REST APIs share the tagging endpoint.
  if (parts.size() == 2 && parts[0] == "restapis") return {kind::rest_api, "", std::string(parts[1])};
  throw err::bad_request("Invalid resource ARN: " + std::string(arn));
}

json::object load(const Scope& s, const TagTarget& t) {
  auto d = db().get(s, t.kind, t.parent, t.id);
  if (!d) throw err::v2_not_found("Resource", "Invalid resource identifier specified");
  return std::move(*d);
}

std::string_view tags_member(const TagTarget& t) { return t.kind == kind::rest_api ? "tags" : "Tags"; }

}  // namespace

Output get_tags(Call& c) {
  Scope s = Scope::of(c);
  auto t = parse_arn(str_or(c.input, "ResourceArn"));
  json::object d = load(s, t);
  json::object tags;
  if (auto* x = opt_obj(d, tags_member(t))) tags = *x;
  return json::object{{"Tags", std::move(tags)}};
}

Output tag_resource(Call& c) {
  Scope s = Scope::of(c);
  auto t = parse_arn(str_or(c.input, "ResourceArn"));
  json::object d = load(s, t);
  auto& slot = d[tags_member(t)];
  if (!slot.is_object()) slot = json::object();
  if (auto* add = opt_obj(c.input, "Tags"))
    for (auto& [k, v] : *add) slot.as_object()[k] = v;
  db().put(s, t.kind, t.parent, t.id, d);
  return json::object{};
}

Output untag_resource(Call& c) {
  Scope s = Scope::of(c);
  auto t = parse_arn(str_or(c.input, "ResourceArn"));
  json::object d = load(s, t);
  if (auto* tags = d.if_contains(tags_member(t)); tags && tags->is_object())
    if (auto* keys = opt_arr(c.input, "TagKeys"))
      for (auto& k : *keys)
        if (k.is_string()) tags->as_object().erase(k.get_string());
  db().put(s, t.kind, t.parent, t.id, d);
  return json::object{};
}

}  // namespace stratus::apigateway::v2
