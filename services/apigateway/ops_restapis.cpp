// REST APIs, tags and the account settings.
#include "dataplane.hpp"
#include "openapi.hpp"
#include "ops_v1.hpp"

#include <stratus/strings.hpp>

#include <set>

namespace stratus::apigateway::v1 {

json::object require_rest_api(const Scope& s, std::string_view api_id) {
  auto doc = db().get(s, kind::rest_api, "", api_id);
  if (!doc) throw err::not_found("Invalid API identifier specified " + s.account + ":" + std::string(api_id));
  return std::move(*doc);
}

json::object require_resource(const Scope& s, std::string_view api_id, std::string_view resource_id) {
  auto doc = db().get(s, kind::resource, api_id, resource_id);
  if (!doc) {
    require_rest_api(s, api_id);
    throw err::not_found("Invalid Resource identifier specified");
  }
  return std::move(*doc);
}

json::object& require_method(json::object& resource, std::string_view http_method) {
  auto* methods = resource.if_contains("resourceMethods");
  if (methods && methods->is_object())
    if (auto* m = methods->as_object().if_contains(http_method); m && m->is_object()) return m->as_object();
  throw err::not_found("Invalid Method identifier specified");
}

json::object& require_integration(json::object& method) {
  auto* i = method.if_contains("methodIntegration");
  if (!i || !i->is_object()) throw err::not_found("Invalid Integration identifier specified");
  return i->as_object();
}

void save_resource(const Scope& s, std::string_view api_id, const json::object& resource) {
  db().put(s, kind::resource, api_id, str_or(resource, "id"), resource);
}

void touch_api(const Scope& s, std::string_view api_id) {
  (void)s;
  (void)api_id;
  Backend::get().dataplane().invalidate();
}

std::string rest_api_arn(const Scope& s, std::string_view api_id) {
  return "arn:aws:apigateway:" + s.region + "::/restapis/" + std::string(api_id);
}

std::string valid_http_method(std::string_view m) {
  std::string up;
  for (char ch : m) up += static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  static const std::set<std::string, std::less<>> kMethods = {"GET", "POST", "PUT", "DELETE", "PATCH",
                                                              "HEAD", "OPTIONS", "ANY"};
  if (!kMethods.count(up)) throw err::bad_request("Invalid HttpMethod specified. Valid options are GET,PUT,POST,DELETE,PATCH,OPTIONS,HEAD,ANY");
  return up;
}

json::object list_page(std::vector<json::object> items, const json::object& in) {
  Page p = page_v1(items.size(), in);
  json::array arr;
  for (size_t i = p.begin; i < p.end; ++i) arr.push_back(std::move(items[i]));
  json::object out{{"items", std::move(arr)}};
  if (p.next) out["position"] = *p.next;
  return out;
}

json::object new_rest_api(const Scope& s, const json::object& in) {
  std::string id;
  do id = new_id(10);
  while (db().id_taken(kind::rest_api, id));
  std::string root = new_id(10);
  json::object api{{"id", id}, {"name", str_or(in, "name")}, {"createdDate", now_seconds()}};
  copy_members(in, api, {"description", "version", "binaryMediaTypes", "minimumCompressionSize", "policy"});
  api["apiKeySource"] = str_or(in, "apiKeySource", "HEADER");
  json::object endpoint{{"types", json::array{"EDGE"}}};
  if (auto* ec = opt_obj(in, "endpointConfiguration")) {
    if (auto* types = opt_arr(*ec, "types")) {
      if (types->size() != 1)
        throw err::bad_request("Cannot create an api with multiple Endpoint Types.");
      endpoint["types"] = *types;
    }
    copy_members(*ec, endpoint, {"vpcEndpointIds", "ipAddressType"});
  }
  if (!endpoint.contains("ipAddressType"))
    endpoint["ipAddressType"] = endpoint["types"].as_array()[0] == "PRIVATE" ? "dualstack" : "ipv4";
  api["endpointConfiguration"] = std::move(endpoint);
  api["disableExecuteApiEndpoint"] = get_bool(in, "disableExecuteApiEndpoint");
  api["rootResourceId"] = root;
  if (auto* tags = opt_obj(in, "tags"); tags && !tags->empty()) api["tags"] = *tags;
  db().put(s, kind::rest_api, "", id, api);
  db().put(s, kind::resource, id, root, json::object{{"id", root}, {"path", "/"}});
  // Every new REST API comes with the Empty and Error models.
  db().put(s, kind::model, id, "Empty",
           json::object{{"id", new_id(6)}, {"name", "Empty"}, {"description", "This is a default empty schema model"},
                        {"schema", "{\n  \"$schema\": \"http://json-schema.org/draft-04/schema#\",\n  \"title\" : \"Empty Schema\",\n  \"type\" : \"object\"\n}"},
                        {"contentType", "application/json"}});
  db().put(s, kind::model, id, "Error",
           json::object{{"id", new_id(6)}, {"name", "Error"}, {"description", "This is a default error schema model"},
                        {"schema", "{\n  \"$schema\" : \"http://json-schema.org/draft-04/schema#\",\n  \"title\" : \"Error Schema\",\n  \"type\" : \"object\",\n  \"properties\" : {\n    \"message\" : { \"type\" : \"string\" }\n  }\n}"},
                        {"contentType", "application/json"}});
  return api;
}

namespace {

void validate_name(const json::object& in) {
  if (str_or(in, "name").empty()) throw err::bad_request("Invalid REST API name specified");
}

// CloneFrom: the source API's resources (new ids, same tree), models, validators and authorizers.
void clone_into(const Scope& s, std::string_view from, json::object& api) {
  json::object src = require_rest_api(s, from);
  std::string to(str_or(api, "id"));
  std::map<std::string, std::string> ids{{std::string(str_or(src, "rootResourceId")), std::string(str_or(api, "rootResourceId"))}};
  auto resources = db().list(s, kind::resource, from);
  for (auto& r : resources)
    if (!ids.count(std::string(str_or(r, "id")))) ids[std::string(str_or(r, "id"))] = new_id(10);
  for (auto r : resources) {
    std::string old(str_or(r, "id"));
    r["id"] = ids[old];
    if (auto p = opt_str(r, "parentId")) r["parentId"] = ids[*p];
    db().put(s, kind::resource, to, ids[old], r);
  }
  for (auto k : {kind::model, kind::validator, kind::authorizer, kind::gateway_response})
    for (auto& d : db().list(s, k, from)) {
      std::string id(str_or(d, k == kind::gateway_response ? "responseType" : "id"));
      db().put(s, k, to, id, d);
    }
  copy_members(src, api, {"binaryMediaTypes", "minimumCompressionSize", "policy"});
  db().put(s, kind::rest_api, "", to, api);
}

struct ArnTarget {
  std::string_view kind;
  std::string parent, id;
};

// arn:aws:apigateway:<region>::/restapis/<id>[/stages/<name>], /apikeys/<id>, /usageplans/<id>, ...
ArnTarget parse_tag_arn(std::string_view arn) {
  auto pos = arn.find("::/");
  if (!arn.starts_with("arn:") || pos == std::string_view::npos)
    throw err::bad_request("Invalid ARN specified in the request");
  auto parts = split(arn.substr(pos + 3), '/');
  if (parts.size() == 2) {
    static const std::map<std::string_view, std::string_view> kTop = {
        {"restapis", kind::rest_api}, {"apikeys", kind::api_key}, {"usageplans", kind::usage_plan},
        {"clientcertificates", kind::client_cert}, {"vpclinks", kind::vpc_link}, {"domainnames", kind::domain_name}};
    auto it = kTop.find(parts[0]);
    if (it != kTop.end()) return {it->second, "", std::string(parts[1])};
  }
  if (parts.size() == 4 && parts[0] == "restapis" && parts[2] == "stages")
    return {kind::stage, std::string(parts[1]), std::string(parts[3])};
  throw err::bad_request("Invalid ARN specified in the request");
}

json::object load_tagged(const Scope& s, const ArnTarget& t) {
  auto doc = db().get(s, t.kind, t.parent, t.id);
  if (!doc) throw err::not_found("Invalid resource identifier specified");
  return std::move(*doc);
}

}  // namespace

Output create_rest_api(Call& c) {
  Scope s = Scope::of(c);
  validate_name(c.input);
  json::object api = new_rest_api(s, c.input);
  if (auto from = opt_str(c.input, "cloneFrom")) clone_into(s, *from, api);
  return api;
}

Output get_rest_api(Call& c) { return require_rest_api(Scope::of(c), str_or(c.input, "restApiId")); }

Output get_rest_apis(Call& c) { return list_page(db().list(Scope::of(c), kind::rest_api, ""), c.input); }

Output update_rest_api(Call& c) {
  Scope s = Scope::of(c);
  std::string id(str_or(c.input, "restApiId"));
  json::object api = require_rest_api(s, id);
  apply_patch(api, c.input, v1_shape("RestApi"),
              {"name", "description", "version", "binaryMediaTypes", "minimumCompressionSize", "apiKeySource",
               "endpointConfiguration", "policy", "disableExecuteApiEndpoint"});
  if (str_or(api, "name").empty()) throw err::bad_request("Invalid REST API name specified");
  db().put(s, kind::rest_api, "", id, api);
  touch_api(s, id);
  return api;
}

Output delete_rest_api(Call& c) {
  Scope s = Scope::of(c);
  std::string id(str_or(c.input, "restApiId"));
  require_rest_api(s, id);
  db().remove(s, kind::rest_api, "", id);
  db().remove_children(s, id);
  touch_api(s, id);
  return json::object{};
}

Output import_rest_api(Call& c) {
  Scope s = Scope::of(c);
  auto spec = openapi::parse_document(c.input.contains("body") ? std::string_view(c.input["body"].as_string()) : "");
  json::object params = c.input.contains("parameters") ? c.input["parameters"].as_object() : json::object{};
  json::object api = openapi::import_rest_api(s, spec, params, get_bool(c.input, "failOnWarnings"), "");
  return api;
}

Output put_rest_api(Call& c) {
  Scope s = Scope::of(c);
  std::string id(str_or(c.input, "restApiId"));
  require_rest_api(s, id);
  auto spec = openapi::parse_document(c.input.contains("body") ? std::string_view(c.input["body"].as_string()) : "");
  json::object params = c.input.contains("parameters") ? c.input["parameters"].as_object() : json::object{};
  std::string mode(str_or(c.input, "mode", "merge"));
  json::object api = openapi::import_rest_api(s, spec, params, get_bool(c.input, "failOnWarnings"), id, mode);
  touch_api(s, id);
  return api;
}

Output get_tags(Call& c) {
  Scope s = Scope::of(c);
  json::object doc = load_tagged(s, parse_tag_arn(str_or(c.input, "resourceArn")));
  json::object tags;
  if (auto* t = opt_obj(doc, "tags")) tags = *t;
  return json::object{{"tags", std::move(tags)}};
}

Output tag_resource(Call& c) {
  Scope s = Scope::of(c);
  auto t = parse_tag_arn(str_or(c.input, "resourceArn"));
  json::object doc = load_tagged(s, t);
  json::object tags;
  if (auto* old = opt_obj(doc, "tags")) tags = *old;
  if (auto* add = opt_obj(c.input, "tags"))
    for (auto& [k, v] : *add) tags[k] = v;
  if (tags.size() > 50) throw err::bad_request("Too many tags: the limit is 50");
  doc["tags"] = std::move(tags);
  db().put(s, t.kind, t.parent, t.id, doc);
  return json::object{};
}

Output untag_resource(Call& c) {
  Scope s = Scope::of(c);
  auto t = parse_tag_arn(str_or(c.input, "resourceArn"));
  json::object doc = load_tagged(s, t);
  if (auto* tags = doc.if_contains("tags"); tags && tags->is_object())
    if (auto* keys = opt_arr(c.input, "tagKeys"))
      for (auto& k : *keys)
        if (k.is_string()) tags->as_object().erase(k.get_string());
  db().put(s, t.kind, t.parent, t.id, doc);
  return json::object{};
}

namespace {
json::object account_doc(const Scope& s) {
  if (auto d = db().get(s, "account", "", "settings")) return std::move(*d);
  return json::object{{"throttleSettings", json::object{{"burstLimit", 5000}, {"rateLimit", 10000.0}}},
                      {"features", json::array{"UsagePlans"}},
                      {"apiKeyVersion", "4"}};
}
}  // namespace

Output get_account(Call& c) { return account_doc(Scope::of(c)); }

Output update_account(Call& c) {
  Scope s = Scope::of(c);
  json::object doc = account_doc(s);
  apply_patch(doc, c.input, v1_shape("Account"), {"cloudwatchRoleArn", "features"});
  db().put(s, "account", "", "settings", doc);
  return doc;
}

}  // namespace stratus::apigateway::v1
