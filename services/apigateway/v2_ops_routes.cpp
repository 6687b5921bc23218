// Routes, route responses, integrations and integration responses of HTTP and WebSocket APIs.
#include "ops_v2.hpp"

#include <stratus/strings.hpp>

#include <boost/regex.hpp>

namespace stratus::apigateway::v2 {

namespace {

std::string api_id_of(const Call& c) { return std::string(str_or(c.input, "ApiId")); }

void validate_route_key(const json::object& api, std::string_view key) {
  if (key.empty()) throw err::bad_request("Route key must not be empty");
  if (!is_http(api)) return;
  if (key == "$default") return;
  static const boost::regex kKey(R"((GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|ANY) (/[^ ]*))");
  boost::cmatch m;
  if (!boost::regex_match(key.begin(), key.end(), m, kKey))
    throw err::bad_request("Unable to create route " + std::string(key) +
                           ". Route key must be '$default' or of the form '<HTTP method> <path>'");
  std::string path = m[2];
  auto segs = split(std::string_view(path).substr(1), '/');
  for (size_t i = 0; i < segs.size(); ++i) {
    auto s = segs[i];
    if (s.empty() && segs.size() > 1) throw err::bad_request("Invalid route key " + std::string(key) + ": empty path segment");
    bool greedy = s.size() > 3 && s.front() == '{' && s.ends_with("+}");
    if (greedy && i + 1 != segs.size())
      throw err::bad_request("Invalid route key " + std::string(key) + ": a greedy path variable must be the last segment");
    if (s.find('{') != std::string_view::npos && !(s.front() == '{' && s.back() == '}'))
      throw err::bad_request("Invalid route key " + std::string(key) + ": path variables must span a whole segment");
  }
}

void validate_route(const Scope& s, const json::object& api, const json::object& r) {
  std::string api_id(str_or(api, "ApiId"));
  if (auto t = opt_str(r, "Target")) {
    if (!t->starts_with("integrations/") || !db().get(s, kind::integration, api_id, t->substr(13)))
      throw err::bad_request("Invalid Target " + *t + ": no such integration");
  }
  std::string_view auth = str_or(r, "AuthorizationType", "NONE");
  if (auth == "JWT" || auth == "CUSTOM") {
    auto a = opt_str(r, "AuthorizerId");
    if (!a) throw err::bad_request("AuthorizerId is required for AuthorizationType " + std::string(auth));
    auto doc = db().get(s, kind::v2_authorizer, api_id, *a);
    if (!doc) throw err::bad_request("Invalid authorizer identifier specified");
    std::string_view type = str_or(*doc, "AuthorizerType");
    if ((auth == "JWT") != (type == "JWT"))
      throw err::bad_request("AuthorizationType " + std::string(auth) + " does not match authorizer type " + std::string(type));
  } else if (auth != "NONE" && auth != "AWS_IAM") {
    throw err::bad_request("Invalid AuthorizationType " + std::string(auth));
  }
  if (!is_http(api) && auth == "JWT") throw err::bad_request("JWT authorizers are not supported for WEBSOCKET APIs");
  if (!is_http(api) && (auth == "CUSTOM" || auth == "AWS_IAM") && str_or(r, "RouteKey") != "$connect")
    throw err::bad_request("Only the $connect route of a WEBSOCKET API can have an authorizer");
}

json::object require_route(const Scope& s, std::string_view api, std::string_view id) {
  auto d = db().get(s, kind::route, api, id);
  if (!d) {
    require_api(s, api);
    throw err::v2_not_found("Route", "Invalid Route identifier specified " + std::string(id));
  }
  return std::move(*d);
}

json::object require_integration(const Scope& s, std::string_view api, std::string_view id) {
  auto d = db().get(s, kind::integration, api, id);
  if (!d) {
    require_api(s, api);
    throw err::v2_not_found("Integration", "Invalid Integration identifier specified " + std::string(id));
  }
  return std::move(*d);
}

void validate_integration(const json::object& api, const json::object& i) {
  std::string_view type = str_or(i, "IntegrationType");
  bool http = is_http(api);
  if (http && (type == "HTTP" || type == "MOCK"))
    throw err::bad_request("Integration type " + std::string(type) + " is not supported for HTTP APIs");
  if (http && type == "AWS") throw err::bad_request("Integration type AWS is not supported for HTTP APIs");
  std::string_view uri = str_or(i, "IntegrationUri");
  if ((type == "AWS_PROXY" && !i.contains("IntegrationSubtype")) && lambda_arn_from_uri(uri).empty())
    throw err::bad_request("Invalid IntegrationUri for AWS_PROXY: must be a Lambda function ARN");
  if ((type == "HTTP_PROXY" || type == "HTTP") && str_or(i, "ConnectionType", "INTERNET") == "INTERNET" &&
      !(uri.starts_with("http://") || uri.starts_with("https://")))
    throw err::bad_request("Invalid IntegrationUri specified: must be an HTTP(S) URL");
  if (http && type == "HTTP_PROXY" && !i.contains("IntegrationMethod"))
    throw err::bad_request("IntegrationMethod is required for HTTP_PROXY integrations");
  std::string_view pfv = str_or(i, "PayloadFormatVersion", "1.0");
  if (pfv != "1.0" && pfv != "2.0") throw err::bad_request("Invalid PayloadFormatVersion " + std::string(pfv) + ": must be 1.0 or 2.0");
  if (pfv == "2.0" && type != "AWS_PROXY") throw err::bad_request("PayloadFormatVersion 2.0 is only supported for AWS_PROXY integrations");
  if (!http && pfv == "2.0") throw err::bad_request("PayloadFormatVersion 2.0 is not supported for WEBSOCKET APIs");
  if (auto t = opt_int(i, "TimeoutInMillis"); t && (*t < 50 || *t > (http ? 30000 : 29000)))
    throw err::bad_request("TimeoutInMillis must be between 50 and " + std::string(http ? "30000" : "29000"));
}

}  // namespace

json::object add_route(const Scope& s, const json::object& api, const json::object& in) {
  std::string api_id(str_or(api, "ApiId"));
  std::string key(str_or(in, "RouteKey"));
  validate_route_key(api, key);
  for (auto& r : db().list(s, kind::route, api_id))
    if (str_or(r, "RouteKey") == key) throw err::conflict("Route with key " + key + " already exists for this API");
  json::object r;
  if (get_bool(in, "ApiGatewayManaged")) r["ApiGatewayManaged"] = true;
  r["ApiKeyRequired"] = get_bool(in, "ApiKeyRequired");
  copy_members(in, r, {"AuthorizationScopes"});
  r["AuthorizationType"] = str_or(in, "AuthorizationType", "NONE");
  copy_members(in, r, {"AuthorizerId", "ModelSelectionExpression", "OperationName", "RequestModels", "RequestParameters"});
  std::string id;
  do id = new_id(7);
  while (db().get(s, kind::route, api_id, id));
  r["RouteId"] = id;
  r["RouteKey"] = key;
  copy_members(in, r, {"RouteResponseSelectionExpression", "Target"});
  validate_route(s, api, r);
  db().put(s, kind::route, api_id, id, r);
  return r;
}

json::object add_integration(const Scope& s, const json::object& api, const json::object& in) {
  std::string api_id(str_or(api, "ApiId"));
  bool http = is_http(api);
  json::object i;
  if (get_bool(in, "ApiGatewayManaged")) i["ApiGatewayManaged"] = true;
  copy_members(in, i, {"ConnectionId"});
  std::string type(str_or(in, "IntegrationType"));
  i["ConnectionType"] = str_or(in, "ConnectionType", "INTERNET");
  copy_members(in, i, {"ContentHandlingStrategy", "CredentialsArn", "Description"});
  std::string id;
  do id = new_id(7);
  while (db().get(s, kind::integration, api_id, id));
  i["IntegrationId"] = id;
  if (auto m = opt_str(in, "IntegrationMethod")) i["IntegrationMethod"] = *m;
  else if (type == "AWS_PROXY" || type == "AWS") i["IntegrationMethod"] = "POST";
  if (!http && type != "MOCK") i["IntegrationResponseSelectionExpression"] = "${integration.response.statuscode}";
  copy_members(in, i, {"IntegrationSubtype"});
  i["IntegrationType"] = type;
  copy_members(in, i, {"IntegrationUri"});
  if (!http && (type == "AWS" || type == "HTTP" || type == "MOCK"))
    i["PassthroughBehavior"] = str_or(in, "PassthroughBehavior", "WHEN_NO_MATCH");
  if (type == "AWS_PROXY" || type == "HTTP_PROXY" || !http) i["PayloadFormatVersion"] = str_or(in, "PayloadFormatVersion", "1.0");
  copy_members(in, i, {"RequestParameters", "RequestTemplates", "ResponseParameters", "TemplateSelectionExpression"});
  i["TimeoutInMillis"] = opt_int(in, "TimeoutInMillis").value_or(http ? 30000 : 29000);
  if (auto* tls = opt_obj(in, "TlsConfig")) i["TlsConfig"] = *tls;
  validate_integration(api, i);
  db().put(s, kind::integration, api_id, id, i);
  return i;
}

// --- routes ---

Output create_route(Call& c) {
  Scope s = Scope::of(c);
  json::object api = require_api(s, api_id_of(c));
  json::object r = add_route(s, api, c.input);
  changed(s, api_id_of(c));
  return r;
}

Output get_route(Call& c) { return require_route(Scope::of(c), api_id_of(c), str_or(c.input, "RouteId")); }

Output get_routes(Call& c) {
  Scope s = Scope::of(c);
  require_api(s, api_id_of(c));
  return list_page(db().list(s, kind::route, api_id_of(c)), c.input);
}

Output update_route(Call& c) {
  Scope s = Scope::of(c);
  std::string api_id = api_id_of(c), id(str_or(c.input, "RouteId"));
  json::object api = require_api(s, api_id);
  json::object r = require_route(s, api_id, id);
  if (get_bool(r, "ApiGatewayManaged")) throw err::conflict("Route is managed by API Gateway (quick create) and cannot be updated");
  if (auto key = opt_str(c.input, "RouteKey"); key && *key != str_or(r, "RouteKey")) {
    validate_route_key(api, *key);
    for (auto& other : db().list(s, kind::route, api_id))
      if (str_or(other, "RouteKey") == *key) throw err::conflict("Route with key " + *key + " already exists for this API");
  }
  copy_members(c.input, r, {"ApiKeyRequired", "AuthorizationScopes", "AuthorizationType", "AuthorizerId",
                            "ModelSelectionExpression", "OperationName", "RequestModels", "RequestParameters", "RouteKey",
                            "RouteResponseSelectionExpression", "Target"});
  if (str_or(r, "AuthorizationType") == "NONE") r.erase("AuthorizerId");
  validate_route(s, api, r);
  db().put(s, kind::route, api_id, id, r);
  changed(s, api_id);
  return r;
}

Output delete_route(Call& c) {
  Scope s = Scope::of(c);
  std::string api_id = api_id_of(c), id(str_or(c.input, "RouteId"));
  require_route(s, api_id, id);
  db().remove(s, kind::route, api_id, id);
  db().remove_children(s, api_id + "/" + id);
  changed(s, api_id);
  return json::object{};
}

Output delete_route_request_parameter(Call& c) {
  Scope s = Scope::of(c);
  std::string api_id = api_id_of(c), id(str_or(c.input, "RouteId"));
  json::object r = require_route(s, api_id, id);
  if (auto* rp = r.if_contains("RequestParameters"); rp && rp->is_object())
    rp->as_object().erase(str_or(c.input, "RequestParameterKey"));
  db().put(s, kind::route, api_id, id, r);
  changed(s, api_id);
  return json::object{};
}

// --- route responses (parent "<api>/<route>") ---

namespace {
std::string rr_parent(const Call& c) { return api_id_of(c) + "/" + std::string(str_or(c.input, "RouteId")); }
json::object require_rr(const Scope& s, const Call& c) {
  require_route(s, api_id_of(c), str_or(c.input, "RouteId"));
  auto d = db().get(s, kind::route_response, rr_parent(c), str_or(c.input, "RouteResponseId"));
  if (!d) throw err::v2_not_found("RouteResponse", "Invalid RouteResponse identifier specified");
  return std::move(*d);
}
}  // namespace

Output create_route_response(Call& c) {
  Scope s = Scope::of(c);
  require_route(s, api_id_of(c), str_or(c.input, "RouteId"));
  std::string key(str_or(c.input, "RouteResponseKey"));
  for (auto& rr : db().list(s, kind::route_response, rr_parent(c)))
    if (str_or(rr, "RouteResponseKey") == key) throw err::conflict("RouteResponse with key " + key + " already exists");
  json::object rr;
  copy_members(c.input, rr, {"ModelSelectionExpression", "ResponseModels", "ResponseParameters"});
  rr["RouteResponseId"] = new_id(6);
  rr["RouteResponseKey"] = key;
  db().put(s, kind::route_response, rr_parent(c), str_or(rr, "RouteResponseId"), rr);
  changed(s, api_id_of(c));
  return rr;
}

Output get_route_response(Call& c) { return require_rr(Scope::of(c), c); }

Output get_route_responses(Call& c) {
  Scope s = Scope::of(c);
  require_route(s, api_id_of(c), str_or(c.input, "RouteId"));
  return list_page(db().list(s, kind::route_response, rr_parent(c)), c.input);
}

Output update_route_response(Call& c) {
  Scope s = Scope::of(c);
  json::object rr = require_rr(s, c);
  copy_members(c.input, rr, {"ModelSelectionExpression", "ResponseModels", "ResponseParameters", "RouteResponseKey"});
  db().put(s, kind::route_response, rr_parent(c), str_or(rr, "RouteResponseId"), rr);
  changed(s, api_id_of(c));
  return rr;
}

Output delete_route_response(Call& c) {
  Scope s = Scope::of(c);
  json::object rr = require_rr(s, c);
  db().remove(s, kind::route_response, rr_parent(c), str_or(rr, "RouteResponseId"));
  changed(s, api_id_of(c));
  return json::object{};
}

// --- integrations ---

Output create_integration(Call& c) {
  Scope s = Scope::of(c);
  json::object api = require_api(s, api_id_of(c));
  json::object i = add_integration(s, api, c.input);
  changed(s, api_id_of(c));
  return i;
}

Output get_integration(Call& c) { return require_integration(Scope::of(c), api_id_of(c), str_or(c.input, "IntegrationId")); }

Output get_integrations(Call& c) {
  Scope s = Scope::of(c);
  require_api(s, api_id_of(c));
  return list_page(db().list(s, kind::integration, api_id_of(c)), c.input);
}

Output update_integration(Call& c) {
  Scope s = Scope::of(c);
  std::string api_id = api_id_of(c), id(str_or(c.input, "IntegrationId"));
  json::object api = require_api(s, api_id);
  json::object i = require_integration(s, api_id, id);
  copy_members(c.input, i, {"ConnectionId", "ConnectionType", "ContentHandlingStrategy", "CredentialsArn", "Description",
                            "IntegrationMethod", "IntegrationSubtype", "IntegrationType", "IntegrationUri",
                            "PassthroughBehavior", "PayloadFormatVersion", "RequestParameters", "RequestTemplates",
                            "ResponseParameters", "TemplateSelectionExpression", "TimeoutInMillis", "TlsConfig"});
  validate_integration(api, i);
  db().put(s, kind::integration, api_id, id, i);
  changed(s, api_id);
  return i;
}

Output delete_integration(Call& c) {
  Scope s = Scope::of(c);
  std::string api_id = api_id_of(c), id(str_or(c.input, "IntegrationId"));
  require_integration(s, api_id, id);
  for (auto& r : db().list(s, kind::route, api_id))
    if (str_or(r, "Target") == "integrations/" + id)
      throw err::conflict("Cannot delete integration " + id + ": it is the target of route " + std::string(str_or(r, "RouteKey")));
  db().remove(s, kind::integration, api_id, id);
  db().remove_children(s, api_id + "/" + id);
  changed(s, api_id);
  return json::object{};
}

// --- integration responses (parent "<api>/<integration>") ---

namespace {
std::string ir_parent(const Call& c) { return api_id_of(c) + "/" + std::string(str_or(c.input, "IntegrationId")); }
json::object require_ir(const Scope& s, const Call& c) {
  require_integration(s, api_id_of(c), str_or(c.input, "IntegrationId"));
  auto d = db().get(s, kind::integration_response, ir_parent(c), str_or(c.input, "IntegrationResponseId"));
  if (!d) throw err::v2_not_found("IntegrationResponse", "Invalid IntegrationResponse identifier specified");
  return std::move(*d);
}
}  // namespace

Output create_integration_response(Call& c) {
  Scope s = Scope::of(c);
  require_integration(s, api_id_of(c), str_or(c.input, "IntegrationId"));
  std::string key(str_or(c.input, "IntegrationResponseKey"));
  for (auto& ir : db().list(s, kind::integration_response, ir_parent(c)))
    if (str_or(ir, "IntegrationResponseKey") == key) throw err::conflict("IntegrationResponse with key " + key + " already exists");
  json::object ir;
  copy_members(c.input, ir, {"ContentHandlingStrategy"});
  ir["IntegrationResponseId"] = new_id(6);
  ir["IntegrationResponseKey"] = key;
  copy_members(c.input, ir, {"ResponseParameters", "ResponseTemplates", "TemplateSelectionExpression"});
  db().put(s, kind::integration_response, ir_parent(c), str_or(ir, "IntegrationResponseId"), ir);
  changed(s, api_id_of(c));
  return ir;
}

Output get_integration_response(Call& c) { return require_ir(Scope::of(c), c); }

Output get_integration_responses(Call& c) {
  Scope s = Scope::of(c);
  require_integration(s, api_id_of(c), str_or(c.input, "IntegrationId"));
  return list_page(db().list(s, kind::integration_response, ir_parent(c)), c.input);
}

Output update_integration_response(Call& c) {
  Scope s = Scope::of(c);
  json::object ir = require_ir(s, c);
  copy_members(c.input, ir, {"ContentHandlingStrategy", "IntegrationResponseKey", "ResponseParameters", "ResponseTemplates",
                             "TemplateSelectionExpression"});
  db().put(s, kind::integration_response, ir_parent(c), str_or(ir, "IntegrationResponseId"), ir);
  changed(s, api_id_of(c));
  return ir;
}

Output delete_integration_response(Call& c) {
  Scope s = Scope::of(c);
  json::object ir = require_ir(s, c);
  db().remove(s, kind::integration_response, ir_parent(c), str_or(ir, "IntegrationResponseId"));
  changed(s, api_id_of(c));
  return json::object{};
}

}  // namespace stratus::apigateway::v2
