// Exporting REST API stages (GetExport: swagger / oas30, JSON or YAML) and HTTP APIs (ExportApi).
#include "openapi.hpp"
#include "ops_v1.hpp"
#include "ops_v2.hpp"

#include <stratus/clock.hpp>
#include <stratus/strings.hpp>

namespace stratus::apigateway {

namespace openapi {

namespace {

std::string lower(std::string_view s) { return to_lower(s); }

std::vector<std::string> path_variables(std::string_view path) {
  std::vector<std::string> out;
  for (auto seg : split(path, '/'))
    if (seg.size() > 2 && seg.front() == '{' && seg.back() == '}') {
      std::string name(seg.substr(1, seg.size() - 2));
      if (!name.empty() && name.back() == '+') name.pop_back();
      out.push_back(name);
    }
  return out;
}

std::string model_name_of(const std::string& ref_or_name) {
  auto slash = ref_or_name.rfind('/');
  return slash == std::string::npos ? ref_or_name : ref_or_name.substr(slash + 1);
}

json::object integration_extension(const json::object& i) {
  json::object x;
  x["type"] = lower(str_or(i, "type"));
  copy_members(i, x, {"uri", "httpMethod"});
  if (auto* irs = opt_obj(i, "integrationResponses")) {
    json::object responses;
    for (auto& [code, v] : *irs) {
      const auto& ir = v.as_object();
      json::object r{{"statusCode", std::string(code)}};
      copy_members(ir, r, {"responseParameters", "responseTemplates", "contentHandling"});
      responses[str_or(ir, "selectionPattern").empty() ? "default" : str_or(ir, "selectionPattern")] = std::move(r);
    }
    x["responses"] = std::move(responses);
  }
  copy_members(i, x, {"requestParameters", "requestTemplates"});
  x["passthroughBehavior"] = lower(str_or(i, "passthroughBehavior", "WHEN_NO_MATCH"));
  copy_members(i, x, {"contentHandling", "timeoutInMillis", "cacheNamespace", "cacheKeyParameters", "connectionType",
                      "connectionId", "credentials", "tlsConfig"});
  return x;
}

}  // namespace

json::value export_rest_api(const Scope& s, std::string_view api_id, std::string_view stage_name, std::string_view export_type,
                            std::string_view extensions) {
  auto stage = db().get(s, kind::stage, api_id, stage_name);
  if (!stage) {
    v1::require_rest_api(s, api_id);
    throw err::not_found("Invalid stage identifier specified");
  }
  auto dep = db().get(s, kind::deployment, api_id, str_or(*stage, "deploymentId"));
  if (!dep) throw err::not_found("Invalid Deployment identifier specified");
  const json::object& snap = (*dep)["_snapshot"].as_object();
  const json::object& api = snap.at("api").as_object();
  bool oas3 = export_type == "oas30";
  bool with_integrations = extensions.find("integrations") != std::string_view::npos ||
                           extensions.find("apigateway") != std::string_view::npos;
  bool with_authorizers = with_integrations || extensions.find("authorizers") != std::string_view::npos;
  std::string version = iso8601(opt_int(*dep, "createdDate").value_or(0), false);
  json::object info{{"title", str_or(api, "name")}};
  if (auto d = opt_str(api, "description")) info["description"] = *d;
  info["version"] = str_or(api, "version", version);

  json::object doc;
  if (oas3) {
    doc["openapi"] = "3.0.1";
    doc["info"] = std::move(info);
    doc["servers"] = json::array{json::object{
        {"url", "https://" + std::string(api_id) + ".execute-api." + s.region + ".amazonaws.com/{basePath}"},
        {"variables", json::object{{"basePath", json::object{{"default", std::string(stage_name)}}}}}}};
  } else {
    doc["swagger"] = "2.0";
    doc["info"] = std::move(info);
    doc["host"] = std::string(api_id) + ".execute-api." + s.region + ".amazonaws.com";
    doc["basePath"] = "/" + std::string(stage_name);
    doc["schemes"] = json::array{"https"};
  }

  std::map<std::string, std::string> authorizer_names;  // id → name
  json::object schemes;
  if (auto* auths = opt_arr(snap, "authorizers"))
    for (auto& av : *auths) {
      const auto& a = av.as_object();
      std::string name(str_or(a, "name"));
      authorizer_names[std::string(str_or(a, "id"))] = name;
      if (!with_authorizers) continue;
      json::object sch{{"type", "apiKey"}};
      std::string_view src = str_or(a, "identitySource", "method.request.header.Authorization");
      sch["name"] = src.starts_with("method.request.header.") ? std::string(src.substr(22)) : "Unused";
      sch["in"] = "header";
      sch["x-amazon-apigateway-authtype"] = str_or(a, "authType", str_or(a, "type") == "COGNITO_USER_POOLS" ? "cognito_user_pools" : "custom");
      json::object az{{"type", lower(str_or(a, "type"))}};
      copy_members(a, az, {"authorizerUri", "authorizerCredentials", "providerARNs", "identityValidationExpression",
                           "authorizerResultTtlInSeconds"});
      if (str_or(a, "type") == "REQUEST") copy_members(a, az, {"identitySource"});
      sch["x-amazon-apigateway-authorizer"] = std::move(az);
      schemes[name] = std::move(sch);
    }
  bool any_api_key = false;

  json::object paths;
  if (auto* res = opt_arr(snap, "resources"))
    for (auto& rv : *res) {
      const auto& r = rv.as_object();
      auto* methods = opt_obj(r, "resourceMethods");
      if (!methods || methods->empty()) continue;
      json::object item;
      for (auto& [verb, mv] : *methods) {
        const auto& m = mv.as_object();
        json::object op;
        if (auto n = opt_str(m, "operationName")) op["operationId"] = *n;
        json::array params;
        for (auto& name : path_variables(str_or(r, "path"))) {
          json::object p{{"name", name}, {"in", "path"}, {"required", true}};
          if (oas3) p["schema"] = json::object{{"type", "string"}};
          else p["type"] = "string";
          params.push_back(std::move(p));
        }
        if (auto* rp = opt_obj(m, "requestParameters"))
          for (auto& [k, req] : *rp) {
            auto parts = split(k, '.');
            if (parts.size() < 4 || parts[2] == "path") continue;
            json::object p{{"name", std::string(parts[3])}, {"in", parts[2] == "querystring" ? "query" : std::string(parts[2])}};
            if (req.is_bool() && req.get_bool()) p["required"] = true;
            if (oas3) p["schema"] = json::object{{"type", "string"}};
            else p["type"] = "string";
            params.push_back(std::move(p));
          }
        if (!params.empty()) op["parameters"] = std::move(params);
        if (auto* models = opt_obj(m, "requestModels"); models && !models->empty()) {
          if (oas3) {
            json::object content;
            for (auto& [ct, name] : *models)
              content[ct] = json::object{{"schema", json::object{{"$ref", "#/components/schemas/" + to_text(name)}}}};
            op["requestBody"] = json::object{{"content", std::move(content)}, {"required", true}};
          } else {
            auto& ps = op["parameters"];
            if (!ps.is_array()) ps = json::array();
            ps.as_array().push_back(json::object{{"in", "body"}, {"name", to_text(models->begin()->value())},
                                                 {"required", true},
                                                 {"schema", json::object{{"$ref", "#/definitions/" + to_text(models->begin()->value())}}}});
          }
        }
        json::object responses;
        if (auto* mrs = opt_obj(m, "methodResponses"))
          for (auto& [code, v] : *mrs) {
            const auto& mr = v.as_object();
            json::object resp{{"description", std::string(code) + " response"}};
            if (auto* rp = opt_obj(mr, "responseParameters")) {
              json::object headers;
              for (auto& [k, _] : *rp)
                if (k.starts_with("method.response.header."))
                  headers[k.substr(23)] = oas3 ? json::object{{"schema", json::object{{"type", "string"}}}} : json::object{{"type", "string"}};
              if (!headers.empty()) resp["headers"] = std::move(headers);
            }
            if (auto* models = opt_obj(mr, "responseModels"); models && !models->empty()) {
              if (oas3) {
                json::object content;
                for (auto& [ct, name] : *models)
                  content[ct] = json::object{{"schema", json::object{{"$ref", "#/components/schemas/" + to_text(name)}}}};
                resp["content"] = std::move(content);
              } else {
                resp["schema"] = json::object{{"$ref", "#/definitions/" + to_text(models->begin()->value())}};
              }
            }
            responses[code] = std::move(resp);
          }
        op["responses"] = std::move(responses);
        json::array security;
        std::string_view auth = str_or(m, "authorizationType", "NONE");
        if ((auth == "CUSTOM" || auth == "COGNITO_USER_POOLS") && with_authorizers) {
          auto it = authorizer_names.find(std::string(str_or(m, "authorizerId")));
          if (it != authorizer_names.end())
            security.push_back(json::object{{it->second, m.contains("authorizationScopes") ? m.at("authorizationScopes") : json::array()}});
        } else if (auth == "AWS_IAM" && with_authorizers) {
          security.push_back(json::object{{"sigv4", json::array()}});
          schemes["sigv4"] = json::object{{"type", "apiKey"}, {"name", "Authorization"}, {"in", "header"},
                                          {"x-amazon-apigateway-authtype", "awsSigv4"}};
        }
        if (get_bool(m, "apiKeyRequired")) {
          security.push_back(json::object{{"api_key", json::array()}});
          any_api_key = true;
        }
        if (!security.empty()) op["security"] = std::move(security);
        if (with_integrations)
          if (auto* i = opt_obj(m, "methodIntegration")) op["x-amazon-apigateway-integration"] = integration_extension(*i);
        item[verb == "ANY" ? "x-amazon-apigateway-any-method" : lower(verb)] = std::move(op);
      }
      paths[str_or(r, "path")] = std::move(item);
    }
  doc["paths"] = std::move(paths);
  if (any_api_key) schemes["api_key"] = json::object{{"type", "apiKey"}, {"name", "x-api-key"}, {"in", "header"}};
  json::object models;
  if (auto* ms = opt_arr(snap, "models"))
    for (auto& mv : *ms) {
      const auto& m = mv.as_object();
      json::object schema = parse_object(str_or(m, "schema"));
      schema.erase("$schema");
      std::string text = json::serialize(schema);
      std::string prefix = "https://apigateway.amazonaws.com/restapis/" + std::string(api_id) + "/models/";
      for (size_t p; (p = text.find(prefix)) != std::string::npos;)
        text.replace(p, prefix.size(), oas3 ? "#/components/schemas/" : "#/definitions/");
      models[str_or(m, "name")] = json::parse(text);
    }
  if (oas3) {
    json::object components;
    if (!models.empty()) components["schemas"] = std::move(models);
    if (!schemes.empty()) components["securitySchemes"] = std::move(schemes);
    if (!components.empty()) doc["components"] = std::move(components);
  } else {
    if (!schemes.empty()) doc["securityDefinitions"] = std::move(schemes);
    if (!models.empty()) doc["definitions"] = std::move(models);
  }
  if (with_integrations) {
    if (auto* b = opt_arr(api, "binaryMediaTypes"); b && !b->empty()) doc["x-amazon-apigateway-binary-media-types"] = *b;
    if (auto* grs = opt_arr(snap, "gatewayResponses"); grs && !grs->empty()) {
      json::object out;
      for (auto& g : *grs) {
        json::object x;
        copy_members(g.as_object(), x, {"statusCode", "responseParameters", "responseTemplates"});
        out[str_or(g.as_object(), "responseType")] = std::move(x);
      }
      doc["x-amazon-apigateway-gateway-responses"] = std::move(out);
    }
    if (auto p = opt_str(api, "policy")) {
      boost::system::error_code ec;
      auto v = json::parse(*p, ec);
      if (!ec) doc["x-amazon-apigateway-policy"] = v;
    }
  }
  return doc;
}

json::value export_http_api(const Scope& s, const json::object& api, const std::optional<std::string>& stage,
                            bool include_extensions) {
  std::string api_id(str_or(api, "ApiId"));
  std::vector<json::object> routes, integrations, authorizers;
  if (stage) {
    auto st = db().get(s, kind::v2_stage, api_id, *stage);
    if (!st) throw err::v2_not_found("Stage", "Invalid stage identifier specified");
    auto dep = db().get(s, kind::v2_deployment, api_id, str_or(*st, "DeploymentId"));
    if (dep)
      if (auto* snap = opt_obj(*dep, "_snapshot")) {
        for (auto& r : snap->at("routes").as_array()) routes.push_back(r.as_object());
        for (auto& i : snap->at("integrations").as_array()) integrations.push_back(i.as_object());
        for (auto& a : snap->at("authorizers").as_array()) authorizers.push_back(a.as_object());
      }
  } else {
    routes = db().list(s, kind::route, api_id);
    integrations = db().list(s, kind::integration, api_id);
    authorizers = db().list(s, kind::v2_authorizer, api_id);
  }
  std::map<std::string, json::object> by_id;
  for (auto& i : integrations) by_id[std::string(str_or(i, "IntegrationId"))] = i;
  std::map<std::string, std::string> auth_names;
  json::object schemes;
  for (auto& a : authorizers) {
    std::string name(str_or(a, "Name"));
    auth_names[std::string(str_or(a, "AuthorizerId"))] = name;
    json::object az{{"type", lower(str_or(a, "AuthorizerType"))}};
    json::object sch;
    if (str_or(a, "AuthorizerType") == "JWT") {
      sch = json::object{{"type", "oauth2"}, {"flows", json::object{}}};
      if (auto* ids = opt_arr(a, "IdentitySource")) az["identitySource"] = ids->empty() ? json::value("") : ids->front();
      if (auto* cfg = opt_obj(a, "JwtConfiguration")) {
        json::object jc;
        if (auto* iss = find(*cfg, "Issuer")) jc["issuer"] = *iss;
        if (auto* aud = find(*cfg, "Audience")) jc["audience"] = *aud;
        az["jwtConfiguration"] = std::move(jc);
      }
    } else {
      sch = json::object{{"type", "apiKey"}, {"name", "Unused"}, {"in", "header"}};
      if (auto* ids = opt_arr(a, "IdentitySource")) {
        std::string joined;
        for (auto& x : *ids) joined += (joined.empty() ? "" : ",") + to_text(x);
        az["identitySource"] = joined;
      }
      copy_members(a, az, {});
      if (auto u = opt_str(a, "AuthorizerUri")) az["authorizerUri"] = *u;
      if (auto v = opt_str(a, "AuthorizerPayloadFormatVersion")) az["authorizerPayloadFormatVersion"] = *v;
      if (auto t = opt_int(a, "AuthorizerResultTtlInSeconds")) az["authorizerResultTtlInSeconds"] = *t;
      if (auto e = opt_bool(a, "EnableSimpleResponses")) az["enableSimpleResponses"] = *e;
    }
    sch["x-amazon-apigateway-authorizer"] = std::move(az);
    schemes[name] = std::move(sch);
  }
  json::object paths;
  for (auto& r : routes) {
    std::string key(str_or(r, "RouteKey"));
    std::string verb = "ANY", path = "/$default";
    if (key != "$default") {
      auto space = key.find(' ');
      verb = key.substr(0, space);
      path = key.substr(space + 1);
    }
    json::object op;
    json::array params;
    for (auto& name : path_variables(path))
      params.push_back(json::object{{"name", name}, {"in", "path"}, {"description", "Generated path parameter for " + name},
                                    {"required", true}, {"schema", json::object{{"type", "string"}}}});
    if (!params.empty()) op["parameters"] = std::move(params);
    op["responses"] = json::object{{"default", json::object{{"description", "Default response for " + key}}}};
    std::string_view auth = str_or(r, "AuthorizationType", "NONE");
    if (auth == "JWT" || auth == "CUSTOM") {
      auto it = auth_names.find(std::string(str_or(r, "AuthorizerId")));
      if (it != auth_names.end())
        op["security"] = json::array{json::object{{it->second, r.contains("AuthorizationScopes") ? r.at("AuthorizationScopes") : json::array()}}};
    }
    if (include_extensions) {
      std::string_view target = str_or(r, "Target");
      if (target.starts_with("integrations/")) {
        auto it = by_id.find(std::string(target.substr(13)));
        if (it != by_id.end()) {
          const auto& i = it->second;
          json::object x;
          if (auto v = opt_str(i, "PayloadFormatVersion")) x["payloadFormatVersion"] = *v;
          x["type"] = lower(str_or(i, "IntegrationType"));
          if (auto m = opt_str(i, "IntegrationMethod")) x["httpMethod"] = *m;
          if (auto u = opt_str(i, "IntegrationUri")) x["uri"] = *u;
          x["connectionType"] = str_or(i, "ConnectionType", "INTERNET");
          if (auto t = opt_int(i, "TimeoutInMillis")) x["timeoutInMillis"] = *t;
          if (auto* rp = opt_obj(i, "RequestParameters")) x["requestParameters"] = *rp;
          if (auto* rp = opt_obj(i, "ResponseParameters")) x["responseParameters"] = *rp;
          op["x-amazon-apigateway-integration"] = std::move(x);
        }
      }
    }
    auto& item = paths[path];
    if (!item.is_object()) item = json::object();
    item.as_object()[verb == "ANY" ? "x-amazon-apigateway-any-method" : lower(verb)] = std::move(op);
  }
  json::object info{{"title", str_or(api, "Name")}};
  if (auto d = opt_str(api, "Description")) info["description"] = *d;
  info["version"] = str_or(api, "Version", iso8601(opt_int(api, "CreatedDate").value_or(0), false));
  json::object doc{{"openapi", "3.0.1"}, {"info", std::move(info)}};
  doc["servers"] = json::array{json::object{
      {"url", "https://" + api_id + ".execute-api." + s.region + ".amazonaws.com/{basePath}"},
      {"variables", json::object{{"basePath", json::object{{"default", stage && *stage != "$default" ? *stage : ""}}}}}}};
  doc["paths"] = std::move(paths);
  if (!schemes.empty()) doc["components"] = json::object{{"securitySchemes", std::move(schemes)}};
  if (include_extensions) {
    if (auto* cors = opt_obj(api, "CorsConfiguration")) {
      json::object c;
      static const std::pair<std::string_view, std::string_view> kKeys[] = {
          {"AllowCredentials", "allowCredentials"}, {"AllowHeaders", "allowHeaders"}, {"AllowMethods", "allowMethods"},
          {"AllowOrigins", "allowOrigins"},         {"ExposeHeaders", "exposeHeaders"}, {"MaxAge", "maxAge"}};
      for (auto& [from, to] : kKeys)
        if (auto* v = find(*cors, from)) c[to] = *v;
      doc["x-amazon-apigateway-cors"] = std::move(c);
    }
    doc["x-amazon-apigateway-importexport-version"] = "1.0";
  }
  return doc;
}

}  // namespace openapi

Output v1::get_export(Call& c) {
  Scope s = Scope::of(c);
  std::string api(str_or(c.input, "restApiId")), stage(str_or(c.input, "stageName")), type(str_or(c.input, "exportType"));
  if (type != "oas30" && type != "swagger") throw err::bad_request("Invalid export type specified: " + type + " (oas30 or swagger)");
  std::string extensions;
  if (auto* p = opt_obj(c.input, "parameters"))
    if (auto e = opt_str(*p, "extensions")) extensions = *e;
  json::value doc = openapi::export_rest_api(s, api, stage, type, extensions);
  std::string accepts(str_or(c.input, "accepts", "application/json"));
  bool yaml = accepts.find("yaml") != std::string::npos;
  std::string body = yaml ? openapi::to_yaml(doc) : json::serialize(doc);
  std::string stamp = iso8601(now_seconds(), false);
  Output out(json::object{{"contentType", yaml ? "application/yaml" : "application/json"},
                          {"contentDisposition", "attachment; filename=\"" + std::string(type == "oas30" ? "oas30" : "swagger") +
                                                     "_" + stamp + (yaml ? ".yaml" : ".json") + "\""},
                          {"body", body}});
  return out;
}

}  // namespace stratus::apigateway
