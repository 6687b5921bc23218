// Authorizers, request validators, models, gateway responses and documentation of REST APIs.
#include "dataplane.hpp"
#include "ops_v1.hpp"

#include <stratus/strings.hpp>

namespace stratus::apigateway::v1 {

namespace {

std::string api_of(const Call& c) { return std::string(str_or(c.input, "restApiId")); }

template <class F>
json::object require_child(const Scope& s, std::string_view k, std::string_view api, std::string_view id, F&& message) {
  auto d = db().get(s, k, api, id);
  if (!d) {
    require_rest_api(s, api);
    throw err::not_found(message());
  }
  return std::move(*d);
}

void validate_authorizer(const json::object& a) {
  std::string_view type = str_or(a, "type");
  if (type == "TOKEN" || type == "REQUEST") {
    std::string_view uri = str_or(a, "authorizerUri");
    if (uri.empty() || lambda_arn_from_uri(uri).empty())
      throw err::bad_request("Invalid Authorizer URI specified for authorizer of type " + std::string(type));
    if (type == "TOKEN" && str_or(a, "identitySource").empty())
      throw err::bad_request("Invalid identity source specified for authorizer of type TOKEN");
    if (type == "TOKEN" && !str_or(a, "identitySource").starts_with("method.request.header."))
      throw err::bad_request("Invalid identity source specified for authorizer of type TOKEN: must be a request header");
  } else if (type == "COGNITO_USER_POOLS") {
    auto* arns = opt_arr(a, "providerARNs");
    if (!arns || arns->empty()) throw err::bad_request("ProviderARNs need to be specified for COGNITO_USER_POOLS authorizer");
  }
  if (auto ttl = opt_int(a, "authorizerResultTtlInSeconds"); ttl && (*ttl < 0 || *ttl > 3600))
    throw err::bad_request("Invalid TTL specified: must be between 0 and 3600 seconds");
}

}  // namespace

// --- authorizers ---

Output create_authorizer(Call& c) {
  Scope s = Scope::of(c);
  std::string api = api_of(c);
  require_rest_api(s, api);
  for (auto& a : db().list(s, kind::authorizer, api))
    if (str_or(a, "name") == str_or(c.input, "name")) throw err::conflict("Authorizer name already exists for this REST API");
  std::string id;
  do id = new_id(6);
  while (db().get(s, kind::authorizer, api, id));
  json::object a{{"id", id}};
  copy_members(c.input, a, {"name", "type", "providerARNs", "authType", "authorizerUri", "authorizerCredentials",
                            "identitySource", "identityValidationExpression"});
  a["authorizerResultTtlInSeconds"] = opt_int(c.input, "authorizerResultTtlInSeconds").value_or(300);
  if (str_or(a, "type") == "REQUEST" && !a.contains("identitySource") && a["authorizerResultTtlInSeconds"].as_int64() > 0)
    throw err::bad_request("Identity source must be specified for REQUEST authorizers when caching is enabled");
  validate_authorizer(a);
  db().put(s, kind::authorizer, api, id, a);
  touch_api(s, api);
  return a;
}

Output get_authorizer(Call& c) {
  return require_child(Scope::of(c), kind::authorizer, api_of(c), str_or(c.input, "authorizerId"),
                       [] { return "Invalid Authorizer identifier specified"; });
}

Output get_authorizers(Call& c) {
  Scope s = Scope::of(c);
  require_rest_api(s, api_of(c));
  return list_page(db().list(s, kind::authorizer, api_of(c)), c.input);
}

Output update_authorizer(Call& c) {
  Scope s = Scope::of(c);
  std::string api = api_of(c), id(str_or(c.input, "authorizerId"));
  json::object a = require_child(s, kind::authorizer, api, id, [] { return "Invalid Authorizer identifier specified"; });
  apply_patch(a, c.input, v1_shape("Authorizer"),
              {"name", "type", "providerARNs", "authType", "authorizerUri", "authorizerCredentials", "identitySource",
               "identityValidationExpression", "authorizerResultTtlInSeconds"});
  validate_authorizer(a);
  db().put(s, kind::authorizer, api, id, a);
  touch_api(s, api);
  return a;
}

Output delete_authorizer(Call& c) {
  Scope s = Scope::of(c);
  std::string api = api_of(c), id(str_or(c.input, "authorizerId"));
  require_child(s, kind::authorizer, api, id, [] { return "Invalid Authorizer identifier specified"; });
  for (auto& r : db().list(s, kind::resource, api))
    if (auto* ms = opt_obj(r, "resourceMethods"))
      for (auto& [k, m] : *ms)
        if (str_or(m.as_object(), "authorizerId") == id)
          throw err::conflict("Cannot delete authorizer '" + std::string(str_or(r, "path")) + "', is referenced in method: " +
                              std::string(k) + " " + std::string(str_or(r, "path")));
  db().remove(s, kind::authorizer, api, id);
  touch_api(s, api);
  return json::object{};
}

// --- request validators ---

Output create_request_validator(Call& c) {
  Scope s = Scope::of(c);
  std::string api = api_of(c);
  require_rest_api(s, api);
  std::string id;
  do id = new_id(6);
  while (db().get(s, kind::validator, api, id));
  json::object v{{"id", id}};
  copy_members(c.input, v, {"name"});
  v["validateRequestBody"] = get_bool(c.input, "validateRequestBody");
  v["validateRequestParameters"] = get_bool(c.input, "validateRequestParameters");
  db().put(s, kind::validator, api, id, v);
  touch_api(s, api);
  return v;
}

Output get_request_validator(Call& c) {
  return require_child(Scope::of(c), kind::validator, api_of(c), str_or(c.input, "requestValidatorId"),
                       [] { return "Invalid Request Validator identifier specified"; });
}

Output get_request_validators(Call& c) {
  Scope s = Scope::of(c);
  require_rest_api(s, api_of(c));
  return list_page(db().list(s, kind::validator, api_of(c)), c.input);
}

Output update_request_validator(Call& c) {
  Scope s = Scope::of(c);
  std::string api = api_of(c), id(str_or(c.input, "requestValidatorId"));
  json::object v = require_child(s, kind::validator, api, id, [] { return "Invalid Request Validator identifier specified"; });
  apply_patch(v, c.input, v1_shape("RequestValidator"), {"name", "validateRequestBody", "validateRequestParameters"});
  db().put(s, kind::validator, api, id, v);
  touch_api(s, api);
  return v;
}

Output delete_request_validator(Call& c) {
  Scope s = Scope::of(c);
  std::string api = api_of(c), id(str_or(c.input, "requestValidatorId"));
  require_child(s, kind::validator, api, id, [] { return "Invalid Request Validator identifier specified"; });
  db().remove(s, kind::validator, api, id);
  touch_api(s, api);
  return json::object{};
}

// --- models (stored under their name: every operation addresses them by name) ---

Output create_model(Call& c) {
  Scope s = Scope::of(c);
  std::string api = api_of(c);
  require_rest_api(s, api);
  std::string name(str_or(c.input, "name"));
  if (name.empty()) throw err::bad_request("Model name must be non-empty");
  for (char ch : name)
    if (!std::isalnum(static_cast<unsigned char>(ch))) throw err::bad_request("Model name must be alphanumeric: " + name);
  if (db().get(s, kind::model, api, name)) throw err::conflict("Model name already exists for this REST API");
  if (auto schema = opt_str(c.input, "schema")) {
    boost::system::error_code ec;
    auto v = json::parse(*schema, ec);
    if (ec || !v.is_object()) throw err::bad_request("Invalid model specified: Validation Result: warnings : [], errors : [Invalid model schema specified]");
  }
  json::object m{{"id", new_id(6)}, {"name", name}};
  copy_members(c.input, m, {"description", "schema", "contentType"});
  db().put(s, kind::model, api, name, m);
  touch_api(s, api);
  return m;
}

Output get_model(Call& c) {
  return require_child(Scope::of(c), kind::model, api_of(c), str_or(c.input, "modelName"),
                       [] { return "Invalid model name specified"; });
}

Output get_models(Call& c) {
  Scope s = Scope::of(c);
  require_rest_api(s, api_of(c));
  return list_page(db().list(s, kind::model, api_of(c)), c.input);
}

Output update_model(Call& c) {
  Scope s = Scope::of(c);
  std::string api = api_of(c), name(str_or(c.input, "modelName"));
  json::object m = require_child(s, kind::model, api, name, [] { return "Invalid model name specified"; });
  apply_patch(m, c.input, v1_shape("Model"), {"description", "schema"});
  db().put(s, kind::model, api, name, m);
  touch_api(s, api);
  return m;
}

Output delete_model(Call& c) {
  Scope s = Scope::of(c);
  std::string api = api_of(c), name(str_or(c.input, "modelName"));
  require_child(s, kind::model, api, name, [] { return "Invalid model name specified"; });
  db().remove(s, kind::model, api, name);
  touch_api(s, api);
  return json::object{};
}

Output get_model_template(Call& c) {
  json::object m = require_child(Scope::of(c), kind::model, api_of(c), str_or(c.input, "modelName"),
                                 [] { return "Invalid model name specified"; });
  // A mapping template that produces a document of the model's shape from $input.
  std::string tmpl = "#set($inputRoot = $input.path('$'))\n{";
  json::object schema = parse_object(str_or(m, "schema"));
  bool first = true;
  if (auto* props = opt_obj(schema, "properties"))
    for (auto& [k, v] : *props) {
      tmpl += first ? "\n" : ",\n";
      first = false;
      std::string_view type = v.is_object() ? str_or(v.as_object(), "type") : "";
      if (type == "string") tmpl += "  \"" + std::string(k) + "\" : \"$inputRoot." + std::string(k) + "\"";
      else tmpl += "  \"" + std::string(k) + "\" : $inputRoot." + std::string(k);
    }
  tmpl += "\n}";
  return json::object{{"value", tmpl}};
}

// --- gateway responses ---

namespace {

void check_response_type(std::string_view type) {
  if (!is_gateway_response_type(type))
    throw err::bad_request("Invalid response type specified: " + std::string(type));
}

json::object effective_gateway_response(const Scope& s, std::string_view api, std::string_view type) {
  if (auto d = db().get(s, kind::gateway_response, api, type)) return std::move(*d);
  return default_gateway_response(type);
}

}  // namespace

Output put_gateway_response(Call& c) {
  Scope s = Scope::of(c);
  std::string api = api_of(c), type(str_or(c.input, "responseType"));
  require_rest_api(s, api);
  check_response_type(type);
  json::object g{{"responseType", type}};
  copy_members(c.input, g, {"statusCode", "responseParameters", "responseTemplates"});
  g["defaultResponse"] = false;
  db().put(s, kind::gateway_response, api, type, g);
  touch_api(s, api);
  return g;
}

Output get_gateway_response(Call& c) {
  Scope s = Scope::of(c);
  std::string api = api_of(c), type(str_or(c.input, "responseType"));
  require_rest_api(s, api);
  check_response_type(type);
  return effective_gateway_response(s, api, type);
}

Output get_gateway_responses(Call& c) {
  Scope s = Scope::of(c);
  std::string api = api_of(c);
  require_rest_api(s, api);
  std::vector<json::object> items;
  for (auto type : gateway_response_types()) items.push_back(effective_gateway_response(s, api, type));
  return list_page(std::move(items), c.input);
}

Output update_gateway_response(Call& c) {
  Scope s = Scope::of(c);
  std::string api = api_of(c), type(str_or(c.input, "responseType"));
  require_rest_api(s, api);
  check_response_type(type);
  json::object g = effective_gateway_response(s, api, type);
  apply_patch(g, c.input, v1_shape("GatewayResponse"), {"statusCode", "responseParameters", "responseTemplates"});
  g["defaultResponse"] = false;
  db().put(s, kind::gateway_response, api, type, g);
  touch_api(s, api);
  return g;
}

Output delete_gateway_response(Call& c) {
  Scope s = Scope::of(c);
  std::string api = api_of(c), type(str_or(c.input, "responseType"));
  require_rest_api(s, api);
  check_response_type(type);
  if (!db().remove(s, kind::gateway_response, api, type)) throw err::not_found("Invalid Gateway Response identifier specified");
  touch_api(s, api);
  return json::object{};
}

// --- documentation parts and versions ---

Output create_documentation_part(Call& c) {
  Scope s = Scope::of(c);
  std::string api = api_of(c);
  require_rest_api(s, api);
  const json::object* loc = opt_obj(c.input, "location");
  if (!loc || str_or(*loc, "type").empty()) throw err::bad_request("Invalid documentation part location");
  for (auto& p : db().list(s, kind::doc_part, api))
    if (json::serialize(p["location"]) == json::serialize(*loc))
      throw err::conflict("Documentation part already exists for the given location");
  json::object d{{"id", new_id(6)}, {"location", *loc}};
  copy_members(c.input, d, {"properties"});
  db().put(s, kind::doc_part, api, str_or(d, "id"), d);
  return d;
}

Output get_documentation_part(Call& c) {
  return require_child(Scope::of(c), kind::doc_part, api_of(c), str_or(c.input, "documentationPartId"),
                       [] { return "Invalid Documentation part identifier specified"; });
}

Output get_documentation_parts(Call& c) {
  Scope s = Scope::of(c);
  require_rest_api(s, api_of(c));
  std::vector<json::object> items;
  auto type = opt_str(c.input, "type");
  for (auto& p : db().list(s, kind::doc_part, api_of(c)))
    if (!type || str_or(p["location"].as_object(), "type") == *type) items.push_back(p);
  return list_page(std::move(items), c.input);
}

Output update_documentation_part(Call& c) {
  Scope s = Scope::of(c);
  std::string api = api_of(c), id(str_or(c.input, "documentationPartId"));
  json::object d = require_child(s, kind::doc_part, api, id, [] { return "Invalid Documentation part identifier specified"; });
  apply_patch(d, c.input, v1_shape("DocumentationPart"), {"properties"});
  db().put(s, kind::doc_part, api, id, d);
  return d;
}

Output delete_documentation_part(Call& c) {
  Scope s = Scope::of(c);
  std::string api = api_of(c), id(str_or(c.input, "documentationPartId"));
  require_child(s, kind::doc_part, api, id, [] { return "Invalid Documentation part identifier specified"; });
  db().remove(s, kind::doc_part, api, id);
  return json::object{};
}

Output create_documentation_version(Call& c) {
  Scope s = Scope::of(c);
  std::string api = api_of(c), v(str_or(c.input, "documentationVersion"));
  require_rest_api(s, api);
  if (db().get(s, kind::doc_version, api, v)) throw err::conflict("Documentation version already exists");
  json::object d{{"version", v}, {"createdDate", now_seconds()}};
  copy_members(c.input, d, {"description"});
  db().put(s, kind::doc_version, api, v, d);
  return d;
}

Output get_documentation_version(Call& c) {
  return require_child(Scope::of(c), kind::doc_version, api_of(c), str_or(c.input, "documentationVersion"),
                       [] { return "Invalid Documentation version identifier specified"; });
}

Output get_documentation_versions(Call& c) {
  Scope s = Scope::of(c);
  require_rest_api(s, api_of(c));
  return list_page(db().list(s, kind::doc_version, api_of(c)), c.input);
}

Output delete_documentation_version(Call& c) {
  Scope s = Scope::of(c);
  std::string api = api_of(c), v(str_or(c.input, "documentationVersion"));
  require_child(s, kind::doc_version, api, v, [] { return "Invalid Documentation version identifier specified"; });
  db().remove(s, kind::doc_version, api, v);
  return json::object{};
}

}  // namespace stratus::apigateway::v1
