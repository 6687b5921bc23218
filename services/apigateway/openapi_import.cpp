// Importing OpenAPI definitions into REST and HTTP APIs.
#include "dataplane.hpp"
#include "openapi.hpp"
#include "ops_v1.hpp"
#include "ops_v2.hpp"

#include <stratus/strings.hpp>

#include <yaml-cpp/yaml.h>

#include <boost/regex.hpp>

namespace stratus::apigateway::openapi {

// --- documents ---

namespace {

json::value scalar(const YAML::Node& n) {
  const std::string& s = n.Scalar();
  if (n.Tag() == "!") return json::string(s);  // quoted: always a string
  if (s == "true" || s == "True" || s == "TRUE") return true;
  if (s == "false" || s == "False" || s == "FALSE") return false;
  if (s == "null" || s == "Null" || s == "NULL" || s == "~" || s.empty()) return nullptr;
  static const boost::regex kInt(R"([-+]?[0-9]+)");
  static const boost::regex kFloat(R"([-+]?([0-9]*\.[0-9]+|[0-9]+\.?[0-9]*)([eE][-+]?[0-9]+)?)");
  if (boost::regex_match(s, kInt)) {
    if (auto v = parse_int(s)) return *v;
  }
  if (boost::regex_match(s, kFloat)) {
    if (auto v = parse_double(s)) return *v;
  }
  return json::string(s);
}

json::value from_yaml(const YAML::Node& n, int depth) {
  if (depth > 200) throw err::bad_request("The document is nested too deeply");
  switch (n.Type()) {
    case YAML::NodeType::Map: {
      json::object o;
      for (auto it = n.begin(); it != n.end(); ++it) o[it->first.as<std::string>()] = from_yaml(it->second, depth + 1);
      return o;
    }
    case YAML::NodeType::Sequence: {
      json::array a;
      for (auto it = n.begin(); it != n.end(); ++it) a.push_back(from_yaml(*it, depth + 1));
      return a;
    }
    case YAML::NodeType::Scalar: return scalar(n);
    default: return nullptr;
  }
}

void emit(YAML::Emitter& out, const json::value& v) {
  switch (v.kind()) {
    case json::kind::object:
      out << YAML::BeginMap;
      for (auto& [k, x] : v.get_object()) {
        out << YAML::Key << std::string(k) << YAML::Value;
        emit(out, x);
      }
      out << YAML::EndMap;
      break;
    case json::kind::array:
      out << YAML::BeginSeq;
      for (auto& x : v.get_array()) emit(out, x);
      out << YAML::EndSeq;
      break;
    case json::kind::string: {
      std::string s(v.get_string());
      // Strings that would read back as another type are quoted.
      bool ambiguous = s.empty() || !scalar(YAML::Node(s)).is_string();
      if (ambiguous) out << YAML::DoubleQuoted << s;
      else out << s;
      break;
    }
    case json::kind::bool_: out << (v.get_bool() ? "true" : "false"); break;
    case json::kind::null: out << YAML::Null; break;
    default: out << json::serialize(v); break;
  }
}

}  // namespace

json::value parse_document(std::string_view text) {
  if (trim(text).empty()) throw err::bad_request("Invalid OpenAPI input: the document is empty");
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec) {
    try {
      v = from_yaml(YAML::Load(std::string(text)), 0);
    } catch (const YAML::Exception& e) {
      throw err::bad_request(std::string("Invalid OpenAPI input: ") + e.what());
    }
  }
  if (!v.is_object()) throw err::bad_request("Invalid OpenAPI input: the document must be a JSON or YAML object");
  const auto& o = v.get_object();
  if (!o.contains("openapi") && !o.contains("swagger"))
    throw err::bad_request("Invalid OpenAPI input: neither 'openapi' nor 'swagger' is specified");
  return v;
}

std::string to_yaml(const json::value& doc) {
  YAML::Emitter out;
  emit(out, doc);
  return std::string(out.c_str()) + "\n";
}

namespace {

const std::vector<std::pair<std::string_view, std::string_view>> kVerbs = {
    {"get", "GET"},         {"put", "PUT"},         {"post", "POST"},   {"delete", "DELETE"},
    {"patch", "PATCH"},     {"head", "HEAD"},       {"options", "OPTIONS"}, {"x-amazon-apigateway-any-method", "ANY"}};

std::string upper(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

const json::object* security_schemes(const json::object& spec) {
  if (auto* comps = opt_obj(spec, "components"))
    if (auto* s = opt_obj(*comps, "securitySchemes")) return s;
  return opt_obj(spec, "securityDefinitions");
}

const json::object* schemas(const json::object& spec) {
  if (auto* comps = opt_obj(spec, "components"))
    if (auto* s = opt_obj(*comps, "schemas")) return s;
  return opt_obj(spec, "definitions");
}

std::string json_text(const json::value& v) { return v.is_string() ? std::string(v.get_string()) : json::serialize(v); }

// A model name from a $ref ("#/components/schemas/Pet" → "Pet").
std::string ref_name(std::string_view ref) {
  auto slash = ref.rfind('/');
  return std::string(slash == std::string_view::npos ? ref : ref.substr(slash + 1));
}

std::string rewrite_refs(std::string text, std::string_view api_id) {
  for (std::string prefix : {"#/components/schemas/", "#/definitions/"})
    for (size_t p; (p = text.find(prefix)) != std::string::npos;)
      text.replace(p, prefix.size(), "https://apigateway.amazonaws.com/restapis/" + std::string(api_id) + "/models/");
  return text;
}

// x-amazon-apigateway-integration → PutIntegration document.
json::object integration_of(const json::object& x, std::string_view resource_id) {
  json::object i;
  i["type"] = upper(str_or(x, "type", "MOCK"));
  if (auto m = opt_str(x, "httpMethod")) i["httpMethod"] = upper(*m);
  copy_members(x, i, {"uri"});
  if (str_or(i, "type") != "MOCK") i["connectionType"] = str_or(x, "connectionType", "INTERNET");
  copy_members(x, i, {"connectionId", "credentials", "requestParameters", "requestTemplates"});
  i["passthroughBehavior"] = upper(str_or(x, "passthroughBehavior", "WHEN_NO_MATCH"));
  if (auto ch = opt_str(x, "contentHandling")) i["contentHandling"] = *ch;
  i["timeoutInMillis"] = opt_int(x, "timeoutInMillis").value_or(29000);
  i["cacheNamespace"] = str_or(x, "cacheNamespace", resource_id);
  i["cacheKeyParameters"] = x.contains("cacheKeyParameters") ? x.at("cacheKeyParameters") : json::array();
  if (auto* tls = opt_obj(x, "tlsConfig")) i["tlsConfig"] = *tls;
  if (auto* rs = opt_obj(x, "responses")) {
    json::object irs;
    for (auto& [pattern, rv] : *rs) {
      if (!rv.is_object()) continue;
      const auto& r = rv.get_object();
      std::string code = find(r, "statusCode") ? to_text(*find(r, "statusCode")) : "200";
      json::object ir{{"statusCode", code}};
      if (pattern != "default") ir["selectionPattern"] = std::string(pattern);
      copy_members(r, ir, {"responseParameters", "responseTemplates", "contentHandling"});
      irs[code] = std::move(ir);
    }
    if (!irs.empty()) i["integrationResponses"] = std::move(irs);
  }
  return i;
}

}  // namespace

// --- REST APIs ---

json::object import_rest_api(const Scope& s, const json::value& spec_v, const json::object& params, bool fail_on_warnings,
                             std::string_view existing_id, std::string_view mode) {
  const json::object& spec = spec_v.get_object();
  const json::object* info = opt_obj(spec, "info");
  std::string title = info ? std::string(str_or(*info, "title")) : "";
  json::array warnings;
  if (title.empty() && existing_id.empty()) throw err::bad_request("Invalid OpenAPI input: info.title is required");

  // The API.
  json::object api;
  if (existing_id.empty()) {
    json::object in{{"name", title}};
    if (info) {
      if (auto d = opt_str(*info, "description")) in["description"] = *d;
      if (auto v = info->if_contains("version")) in["version"] = to_text(*v);
    }
    if (auto types = opt_str(params, "endpointConfigurationTypes"))
      in["endpointConfiguration"] = json::object{{"types", json::array{json::string(*types)}}};
    api = v1::new_rest_api(s, in);
  } else {
    api = v1::require_rest_api(s, existing_id);
    if (mode == "overwrite") {
      if (!title.empty()) api["name"] = title;
      if (info) {
        if (auto d = opt_str(*info, "description")) api["description"] = *d;
        if (auto v = info->if_contains("version")) api["version"] = to_text(*v);
      }
      std::string root(str_or(api, "rootResourceId"));
      for (auto& r : db().list(s, kind::resource, existing_id))
        if (str_or(r, "id") != root) db().remove(s, kind::resource, existing_id, str_or(r, "id"));
      db().put(s, kind::resource, existing_id, root, json::object{{"id", root}, {"path", "/"}});
      for (auto k : {kind::authorizer, kind::validator, kind::gateway_response})
        for (auto& d : db().list(s, k, existing_id))
          db().remove(s, k, existing_id, str_or(d, k == kind::gateway_response ? "responseType" : "id"));
    }
  }
  std::string api_id(str_or(api, "id"));
  if (auto* b = opt_arr(spec, "x-amazon-apigateway-binary-media-types")) api["binaryMediaTypes"] = *b;
  if (auto k = opt_str(spec, "x-amazon-apigateway-api-key-source")) api["apiKeySource"] = upper(*k);
  if (auto* p = find(spec, "x-amazon-apigateway-policy")) api["policy"] = json_text(*p);
  if (auto m = opt_int(spec, "x-amazon-apigateway-minimum-compression-size")) api["minimumCompressionSize"] = *m;
  if (auto* ec = opt_obj(spec, "x-amazon-apigateway-endpoint-configuration")) {
    if (auto d = opt_bool(*ec, "disableExecuteApiEndpoint")) api["disableExecuteApiEndpoint"] = *d;
    if (auto* ids = opt_arr(*ec, "vpcEndpointIds")) api["endpointConfiguration"].as_object()["vpcEndpointIds"] = *ids;
  }
  db().put(s, kind::rest_api, "", api_id, api);

  // Models.
  if (auto* sc = schemas(spec))
    for (auto& [name, schema] : *sc) {
      json::object m{{"id", new_id(6)}, {"name", std::string(name)}, {"contentType", "application/json"}};
      json::value sch = schema;
      if (sch.is_object() && !sch.as_object().contains("$schema"))
        sch.as_object()["$schema"] = "http://json-schema.org/draft-04/schema#";
      if (sch.is_object() && !sch.as_object().contains("title")) sch.as_object()["title"] = std::string(name);
      m["schema"] = rewrite_refs(json::serialize(sch), api_id);
      db().put(s, kind::model, api_id, name, m);
    }

  // Authorizers (security schemes with x-amazon-apigateway-authorizer) and other schemes.
  std::map<std::string, std::pair<std::string, std::string>, std::less<>> scheme_auth;  // scheme → (type, authorizer id)
  if (auto* schemes = security_schemes(spec))
    for (auto& [name, sv] : *schemes) {
      if (!sv.is_object()) continue;
      const auto& sch = sv.get_object();
      std::string_view authtype = str_or(sch, "x-amazon-apigateway-authtype");
      if (auto* az = opt_obj(sch, "x-amazon-apigateway-authorizer")) {
        std::string type = upper(str_or(*az, "type", "token"));
        json::object a{{"id", new_id(6)}, {"name", std::string(name)}, {"type", type}};
        if (type == "COGNITO_USER_POOLS") {
          copy_members(*az, a, {"providerARNs"});
          a["authType"] = std::string(authtype.empty() ? "cognito_user_pools" : authtype);
        } else {
          a["authType"] = std::string(authtype.empty() ? "custom" : authtype);
        }
        copy_members(*az, a, {"authorizerUri", "authorizerCredentials", "identityValidationExpression"});
        if (auto src = opt_str(*az, "identitySource")) a["identitySource"] = *src;
        else if (str_or(sch, "in") == "header" && !str_or(sch, "name").empty())
          a["identitySource"] = "method.request.header." + std::string(str_or(sch, "name"));
        a["authorizerResultTtlInSeconds"] = opt_int(*az, "authorizerResultTtlInSeconds").value_or(300);
        db().put(s, kind::authorizer, api_id, str_or(a, "id"), a);
        scheme_auth[std::string(name)] = {type == "COGNITO_USER_POOLS" ? "COGNITO_USER_POOLS" : "CUSTOM", std::string(str_or(a, "id"))};
      } else if (authtype == "awsSigv4" || authtype == "awsSigv4 ") {
        scheme_auth[std::string(name)] = {"AWS_IAM", ""};
      } else if (str_or(sch, "type") == "apiKey" && iequals(str_or(sch, "name"), "x-api-key")) {
        scheme_auth[std::string(name)] = {"API_KEY", ""};
      }
    }

  // Request validators.
  std::map<std::string, std::string, std::less<>> validators;  // name → id
  if (auto* vs = opt_obj(spec, "x-amazon-apigateway-request-validators"))
    for (auto& [name, v] : *vs) {
      json::object doc{{"id", new_id(6)}, {"name", std::string(name)}};
      doc["validateRequestBody"] = v.is_object() && get_bool(v.get_object(), "validateRequestBody");
      doc["validateRequestParameters"] = v.is_object() && get_bool(v.get_object(), "validateRequestParameters");
      db().put(s, kind::validator, api_id, str_or(doc, "id"), doc);
      validators[std::string(name)] = std::string(str_or(doc, "id"));
    }
  std::string default_validator(str_or(spec, "x-amazon-apigateway-request-validator"));

  // Gateway responses.
  if (auto* grs = opt_obj(spec, "x-amazon-apigateway-gateway-responses"))
    for (auto& [type, v] : *grs) {
      if (!is_gateway_response_type(type) || !v.is_object()) {
        warnings.push_back(json::string("Invalid gateway response type " + std::string(type)));
        continue;
      }
      json::object g{{"responseType", std::string(type)}};
      if (auto* sc = find(v.get_object(), "statusCode")) g["statusCode"] = to_text(*sc);
      copy_members(v.get_object(), g, {"responseParameters", "responseTemplates"});
      g["defaultResponse"] = false;
      db().put(s, kind::gateway_response, api_id, type, g);
    }

  // Paths → resources and methods.
  std::string base;
  if (str_or(params, "basepath") == "prepend") {
    if (auto bp = opt_str(spec, "basePath"); bp && *bp != "/") base = *bp;
  }
  std::map<std::string, json::object> resources;  // path → doc
  for (auto& r : db().list(s, kind::resource, api_id)) resources[std::string(str_or(r, "path"))] = r;
  auto ensure = [&](const std::string& path) -> json::object& {
    std::string cur = "/";
    for (auto seg : split(path, '/')) {
      if (seg.empty()) continue;
      std::string next = cur == "/" ? "/" + std::string(seg) : cur + "/" + std::string(seg);
      if (!resources.count(next)) {
        json::object r{{"id", new_id(10)}, {"parentId", resources[cur]["id"]}, {"pathPart", std::string(seg)}, {"path", next}};
        resources[next] = r;
      }
      cur = next;
    }
    return resources[cur];
  };
  const json::array* global_security = opt_arr(spec, "security");
  if (auto* paths = opt_obj(spec, "paths"))
    for (auto& [path, pv] : *paths) {
      if (!pv.is_object()) continue;
      json::object& res = ensure(base + std::string(path));
      const json::array* path_params = opt_arr(pv.get_object(), "parameters");
      for (auto& [verb_key, verb] : kVerbs) {
        auto* opv = find(pv.get_object(), verb_key);
        if (!opv || !opv->is_object()) continue;
        const auto& op = opv->get_object();
        json::object m{{"httpMethod", std::string(verb)}, {"authorizationType", "NONE"}, {"apiKeyRequired", false}};
        const json::array* security = opt_arr(op, "security");
        if (!security) security = global_security;
        if (security)
          for (auto& req : *security)
            if (req.is_object())
              for (auto& [scheme, scopes] : req.get_object()) {
                auto it = scheme_auth.find(scheme);
                if (it == scheme_auth.end()) {
                  warnings.push_back(json::string("Unknown security scheme " + std::string(scheme)));
                  continue;
                }
                if (it->second.first == "API_KEY") {
                  m["apiKeyRequired"] = true;
                } else {
                  m["authorizationType"] = it->second.first;
                  if (!it->second.second.empty()) m["authorizerId"] = it->second.second;
                  if (scopes.is_array() && !scopes.get_array().empty()) m["authorizationScopes"] = scopes;
                }
              }
        if (auto id = opt_str(op, "operationId")) m["operationName"] = *id;
        json::object req_params;
        auto add_params = [&](const json::array* ps) {
          if (!ps) return;
          for (auto& p : *ps) {
            if (!p.is_object()) continue;
            std::string_view in = str_or(p.get_object(), "in");
            std::string loc = in == "query" ? "querystring" : in == "path" ? "path" : in == "header" ? "header" : "";
            if (loc.empty()) continue;
            req_params["method.request." + loc + "." + std::string(str_or(p.get_object(), "name"))] =
                get_bool(p.get_object(), "required");
          }
        };
        add_params(path_params);
        add_params(opt_arr(op, "parameters"));
        if (!req_params.empty()) m["requestParameters"] = std::move(req_params);
        // Request body model (OAS3 requestBody / Swagger body parameter).
        if (auto* rb = opt_obj(op, "requestBody"))
          if (auto* content = opt_obj(*rb, "content")) {
            json::object models;
            for (auto& [ct, cv] : *content)
              if (cv.is_object())
                if (auto* sch = opt_obj(cv.get_object(), "schema"))
                  if (auto ref = opt_str(*sch, "$ref")) models[ct] = ref_name(*ref);
            if (!models.empty()) m["requestModels"] = std::move(models);
          }
        std::string validator(str_or(op, "x-amazon-apigateway-request-validator", default_validator));
        if (!validator.empty()) {
          auto it = validators.find(validator);
          if (it != validators.end()) m["requestValidatorId"] = it->second;
          else warnings.push_back(json::string("Unknown request validator " + validator));
        }
        if (auto* resps = opt_obj(op, "responses")) {
          json::object mrs;
          for (auto& [code, rv] : *resps) {
            if (code.size() != 3 || !rv.is_object()) continue;
            json::object mr{{"statusCode", std::string(code)}};
            if (auto* hs = opt_obj(rv.get_object(), "headers")) {
              json::object rp;
              for (auto& [h, _] : *hs) rp["method.response.header." + std::string(h)] = false;
              mr["responseParameters"] = std::move(rp);
            }
            json::object models;
            if (auto* content = opt_obj(rv.get_object(), "content"))
              for (auto& [ct, cv] : *content)
                if (cv.is_object())
                  if (auto* sch = opt_obj(cv.get_object(), "schema"))
                    if (auto ref = opt_str(*sch, "$ref")) models[ct] = ref_name(*ref);
            if (auto* sch = opt_obj(rv.get_object(), "schema"))
              if (auto ref = opt_str(*sch, "$ref")) models["application/json"] = ref_name(*ref);
            if (!models.empty()) mr["responseModels"] = std::move(models);
            mrs[code] = std::move(mr);
          }
          if (!mrs.empty()) m["methodResponses"] = std::move(mrs);
        }
        if (auto* x = opt_obj(op, "x-amazon-apigateway-integration")) {
          m["methodIntegration"] = integration_of(*x, str_or(res, "id"));
        } else {
          warnings.push_back(json::string("No integration defined for method " + std::string(verb) + " " + base + std::string(path)));
        }
        auto& ms = res["resourceMethods"];
        if (!ms.is_object()) ms = json::object();
        ms.as_object()[verb] = std::move(m);
      }
    }
  if (fail_on_warnings && !warnings.empty())
    throw err::bad_request("Warnings found during import:\n\t" + to_text(warnings.front()));
  for (auto& [path, r] : resources) db().put(s, kind::resource, api_id, str_or(r, "id"), r);
  Backend::get().dataplane().invalidate();
  if (!warnings.empty()) api["warnings"] = warnings;
  return api;
}

// --- HTTP APIs ---

namespace {

json::object pascal_cors(const json::object& x) {
  json::object c;
  static const std::pair<std::string_view, std::string_view> kKeys[] = {
      {"allowCredentials", "AllowCredentials"}, {"allowHeaders", "AllowHeaders"}, {"allowMethods", "AllowMethods"},
      {"allowOrigins", "AllowOrigins"},         {"exposeHeaders", "ExposeHeaders"}, {"maxAge", "MaxAge"}};
  for (auto& [from, to] : kKeys)
    if (auto* v = find(x, from)) c[to] = *v;
  return c;
}

}  // namespace

json::object import_http_api(const Scope& s, const json::value& spec_v, bool fail_on_warnings, std::string_view existing_id,
                             std::string_view endpoint, std::string_view basepath) {
  const json::object& spec = spec_v.get_object();
  const json::object* info = opt_obj(spec, "info");
  json::array warnings;
  json::object api;
  if (existing_id.empty()) {
    json::object in{{"ProtocolType", "HTTP"}, {"Name", info ? str_or(*info, "title") : ""}};
    if (str_or(in, "Name").empty()) throw err::bad_request("Invalid OpenAPI input: info.title is required");
    if (info) {
      if (auto d = opt_str(*info, "description")) in["Description"] = *d;
      if (auto* v = info->if_contains("version")) in["Version"] = to_text(*v);
    }
    if (auto* cors = opt_obj(spec, "x-amazon-apigateway-cors")) in["CorsConfiguration"] = pascal_cors(*cors);
    api = v2::new_api(s, in, endpoint);
  } else {
    api = v2::require_api(s, existing_id);
    if (info) {
      if (auto t = opt_str(*info, "title")) api["Name"] = *t;
      if (auto d = opt_str(*info, "description")) api["Description"] = *d;
      if (auto* v = info->if_contains("version")) api["Version"] = to_text(*v);
    }
    if (auto* cors = opt_obj(spec, "x-amazon-apigateway-cors")) api["CorsConfiguration"] = pascal_cors(*cors);
    else api.erase("CorsConfiguration");
    for (auto k : {kind::route, kind::integration, kind::v2_authorizer})
      for (auto& d : db().list(s, k, existing_id))
        db().remove(s, k, existing_id,
                    str_or(d, k == kind::route ? "RouteId" : k == kind::integration ? "IntegrationId" : "AuthorizerId"));
  }
  std::string api_id(str_or(api, "ApiId"));
  if (auto d = opt_bool(spec, "x-amazon-apigateway-disable-execute-api-endpoint")) api["DisableExecuteApiEndpoint"] = *d;
  db().put(s, kind::api, "", api_id, api);

  std::map<std::string, std::pair<std::string, std::string>, std::less<>> scheme_auth;  // scheme → (type, id)
  if (auto* schemes = security_schemes(spec))
    for (auto& [name, sv] : *schemes) {
      if (!sv.is_object()) continue;
      const auto& sch = sv.get_object();
      if (auto* az = opt_obj(sch, "x-amazon-apigateway-authorizer")) {
        std::string type = upper(str_or(*az, "type", "request"));
        json::object in{{"Name", std::string(name)}, {"AuthorizerType", type}};
        json::array ids;
        if (auto* src = find(*az, "identitySource")) {
          if (src->is_array()) ids = src->get_array();
          else {
            const std::string text = to_text(*src);  // split() views into it: it must outlive the loop
            for (auto part : split(text, ','))
              if (!trim(part).empty()) ids.push_back(json::string(trim(part)));
          }
        }
        if (ids.empty() && type == "JWT") ids.push_back(json::string("$request.header.Authorization"));
        in["IdentitySource"] = std::move(ids);
        if (auto* jwt = opt_obj(*az, "jwtConfiguration")) {
          json::object cfg;
          if (auto* iss = find(*jwt, "issuer")) cfg["Issuer"] = *iss;
          if (auto* aud = find(*jwt, "audience")) cfg["Audience"] = *aud;
          in["JwtConfiguration"] = std::move(cfg);
        }
        if (auto u = opt_str(*az, "authorizerUri")) in["AuthorizerUri"] = *u;
        if (auto v = az->if_contains("authorizerPayloadFormatVersion")) in["AuthorizerPayloadFormatVersion"] = to_text(*v);
        if (auto e = opt_bool(*az, "enableSimpleResponses")) in["EnableSimpleResponses"] = *e;
        if (auto t = opt_int(*az, "authorizerResultTtlInSeconds")) in["AuthorizerResultTtlInSeconds"] = *t;
        if (auto c = opt_str(*az, "authorizerCredentials")) in["AuthorizerCredentialsArn"] = *c;
        json::object a = v2::add_authorizer(s, api, in);
        scheme_auth[std::string(name)] = {type == "JWT" ? "JWT" : "CUSTOM", std::string(str_or(a, "AuthorizerId"))};
      } else if (str_or(sch, "x-amazon-apigateway-authtype") == "awsSigv4") {
        scheme_auth[std::string(name)] = {"AWS_IAM", ""};
      }
    }

  std::string prefix;
  if (basepath == "prepend")
    if (auto* servers = opt_arr(spec, "servers"); servers && !servers->empty())
      if (auto* vars = opt_obj(servers->front().as_object(), "variables"))
        if (auto* bp = opt_obj(*vars, "basePath"))
          if (auto d = opt_str(*bp, "default"); d && *d != "/") prefix = (d->front() == '/' ? "" : "/") + *d;
  const json::array* global_security = opt_arr(spec, "security");
  if (auto* paths = opt_obj(spec, "paths"))
    for (auto& [path, pv] : *paths) {
      if (!pv.is_object()) continue;
      for (auto& [verb_key, verb] : kVerbs) {
        auto* opv = find(pv.get_object(), verb_key);
        if (!opv || !opv->is_object()) continue;
        const auto& op = opv->get_object();
        std::string key = path == "/$default" || path == "$default" ? "$default" : std::string(verb) + " " + prefix + std::string(path);
        json::object route_in{{"RouteKey", key}};
        if (auto* x = opt_obj(op, "x-amazon-apigateway-integration")) {
          json::object in;
          std::string type = upper(str_or(*x, "type", "AWS_PROXY"));
          in["IntegrationType"] = type;
          if (auto u = opt_str(*x, "uri")) in["IntegrationUri"] = *u;
          if (auto m = opt_str(*x, "httpMethod")) in["IntegrationMethod"] = upper(*m);
          if (auto* v = x->if_contains("payloadFormatVersion")) in["PayloadFormatVersion"] = to_text(*v);
          if (auto t = opt_int(*x, "timeoutInMillis")) in["TimeoutInMillis"] = *t;
          if (auto ct = opt_str(*x, "connectionType")) in["ConnectionType"] = upper(*ct);
          if (auto ci = opt_str(*x, "connectionId")) in["ConnectionId"] = *ci;
          if (auto cr = opt_str(*x, "credentials")) in["CredentialsArn"] = *cr;
          if (auto st = opt_str(*x, "integrationSubtype")) in["IntegrationSubtype"] = *st;
          if (auto* rp = opt_obj(*x, "requestParameters")) in["RequestParameters"] = *rp;
          if (auto* rp = opt_obj(*x, "responseParameters")) in["ResponseParameters"] = *rp;
          if (type == "HTTP_PROXY" && !in.contains("IntegrationMethod")) in["IntegrationMethod"] = "ANY";
          try {
            json::object i = v2::add_integration(s, api, in);
            route_in["Target"] = "integrations/" + std::string(str_or(i, "IntegrationId"));
          } catch (const AwsError& e) {
            if (fail_on_warnings) throw;
            warnings.push_back(json::string("Route " + key + ": " + e.message));
          }
        }
        const json::array* security = opt_arr(op, "security");
        if (!security) security = global_security;
        if (security)
          for (auto& req : *security)
            if (req.is_object())
              for (auto& [scheme, scopes] : req.get_object()) {
                auto it = scheme_auth.find(scheme);
                if (it == scheme_auth.end()) continue;
                route_in["AuthorizationType"] = it->second.first;
                if (!it->second.second.empty()) route_in["AuthorizerId"] = it->second.second;
                if (scopes.is_array() && !scopes.get_array().empty()) route_in["AuthorizationScopes"] = scopes;
              }
        if (auto id = opt_str(op, "operationId")) route_in["OperationName"] = *id;
        try {
          v2::add_route(s, api, route_in);
        } catch (const AwsError& e) {
          if (fail_on_warnings) throw;
          warnings.push_back(json::string("Route " + key + ": " + e.message));
        }
      }
    }
  if (!warnings.empty()) {
    api["Warnings"] = warnings;
    db().put(s, kind::api, "", api_id, api);
  }
  return api;
}

}  // namespace stratus::apigateway::openapi
