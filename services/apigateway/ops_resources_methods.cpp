// Resources, methods, method responses, integrations and integration responses. A resource is
// stored with its methods embedded (resourceMethods → Method with methodIntegration and
// methodResponses), exactly as GetResources?embed=methods returns it.
#include "ops_v1.hpp"

#include <stratus/strings.hpp>

#include <boost/regex.hpp>
#include <set>

namespace stratus::apigateway::v1 {

namespace {

std::string api_of(const Call& c) { return std::string(str_or(c.input, "restApiId")); }

bool is_variable(std::string_view part) { return part.size() > 2 && part.front() == '{' && part.back() == '}'; }
bool is_greedy(std::string_view part) { return is_variable(part) && part[part.size() - 2] == '+'; }

void validate_path_part(std::string_view part) {
  static const boost::regex kPlain(R"([a-zA-Z0-9._\-:]+)");
  static const boost::regex kVar(R"(\{[a-zA-Z0-9._\-]+\+?\})");
  if (part.empty() || !(boost::regex_match(part.begin(), part.end(), kPlain) || boost::regex_match(part.begin(), part.end(), kVar)))
    throw err::bad_request(
        "Resource's path part only allow a-zA-Z0-9._- and curly braces at the beginning and the end and an optional "
        "plus sign before the closing brace.");
}

std::string child_path(std::string_view parent_path, std::string_view part) {
  return parent_path == "/" ? "/" + std::string(part) : std::string(parent_path) + "/" + std::string(part);
}

void check_siblings(const std::vector<json::object>& all, std::string_view parent_id, std::string_view part,
                    std::string_view self_id) {
  for (auto& r : all) {
    if (str_or(r, "parentId") != parent_id || str_or(r, "id") == self_id) continue;
    std::string_view other = str_or(r, "pathPart");
    if (other == part) throw err::conflict("Another resource with the same parent already has this name: " + std::string(part));
    if (is_variable(other) && is_variable(part))
      throw err::bad_request("A sibling (" + std::string(other) + ") of this resource already has a variable path part -- only one is allowed");
  }
}

// The resource as the list/get operations show it: methods as keys only unless embedded.
json::object resource_view(const json::object& r, bool embed) {
  json::object out;
  copy_members(r, out, {"id", "parentId", "pathPart", "path"});
  if (auto* methods = opt_obj(r, "resourceMethods"); methods && !methods->empty()) {
    json::object ms;
    for (auto& [k, v] : *methods) ms[k] = embed && v.is_object() ? json::value(method_view(v.get_object())) : json::value(json::object{});
    out["resourceMethods"] = std::move(ms);
  }
  return out;
}

bool wants_methods(const json::object& in) {
  if (auto* e = opt_arr(in, "embed"))
    for (auto& v : *e)
      if (v.is_string())
        for (auto part : split(v.get_string(), ','))
          if (trim(part) == "methods") return true;
  return false;
}

void recompute_paths(const Scope& s, std::string_view api, std::vector<json::object>& all) {
  std::map<std::string, json::object*> by_id;
  for (auto& r : all) by_id[std::string(str_or(r, "id"))] = &r;
  std::function<std::string(json::object&, int)> path_of = [&](json::object& r, int depth) -> std::string {
    auto pid = opt_str(r, "parentId");
    if (!pid || depth > 1000) return "/";
    auto it = by_id.find(*pid);
    if (it == by_id.end()) return "/";
    return child_path(path_of(*it->second, depth + 1), str_or(r, "pathPart"));
  };
  for (auto& r : all) {
    std::string p = path_of(r, 0);
    if (str_or(r, "path") != p) {
      r["path"] = p;
      save_resource(s, api, r);
    }
  }
}

const std::set<std::string, std::less<>> kAuthTypes = {"NONE", "AWS_IAM", "CUSTOM", "COGNITO_USER_POOLS"};

void check_authorizer(const Scope& s, std::string_view api, const json::object& method) {
  std::string_view type = str_or(method, "authorizationType");
  if (!kAuthTypes.count(type))
    throw err::bad_request("Invalid authorization type specified. Valid options are NONE,AWS_IAM,CUSTOM,COGNITO_USER_POOLS");
  if (type == "CUSTOM" || type == "COGNITO_USER_POOLS") {
    auto id = opt_str(method, "authorizerId");
    if (!id || !db().get(s, kind::authorizer, api, *id)) throw err::bad_request("Invalid authorizer ID specified");
  }
  if (auto v = opt_str(method, "requestValidatorId"); v && !db().get(s, kind::validator, api, *v))
    throw err::bad_request("Invalid Request Validator identifier specified");
}

void check_status_code(std::string_view code) {
  if (code.size() != 3 || code[0] < '1' || code[0] > '5' || !std::isdigit(static_cast<unsigned char>(code[1])) ||
      !std::isdigit(static_cast<unsigned char>(code[2])))
    throw err::bad_request("Invalid status code specified. Must be between 100 and 599");
}

// Loads resource + method for the call; the caller saves the resource back.
struct MethodRef {
  Scope s;
  std::string api;
  json::object resource;
  std::string http_method;
  json::object& method() { return require_method(resource, http_method); }
  void save() {
    save_resource(s, api, resource);
    touch_api(s, api);
  }
};

MethodRef load_method(const Call& c) {
  MethodRef r{Scope::of(c), api_of(c), {}, {}};
  r.resource = require_resource(r.s, r.api, str_or(c.input, "resourceId"));
  r.http_method = valid_http_method(str_or(c.input, "httpMethod"));
  r.method();  // 404 when absent
  return r;
}

json::object integration_view(const json::object& i) {
  json::object out = i;
  return out;
}

void validate_integration(const json::object& i) {
  std::string_view type = str_or(i, "type");
  if (type == "MOCK") return;
  if (str_or(i, "httpMethod").empty()) throw err::bad_request("Enumeration value for HttpMethod must be non-empty");
  std::string_view uri = str_or(i, "uri");
  if (type == "HTTP" || type == "HTTP_PROXY") {
    if (str_or(i, "connectionType") == "VPC_LINK") return;
    if (!(uri.starts_with("http://") || uri.starts_with("https://")) || uri.size() < 9)
      throw err::bad_request("Invalid HTTP endpoint specified for URI");
  } else if (type == "AWS" || type == "AWS_PROXY") {
    if (!uri.starts_with("arn:") || uri.find(":apigateway:") == std::string_view::npos)
      throw err::bad_request("AWS ARN for integration must contain path or action");
    if (type == "AWS_PROXY" && uri.find(":lambda:path/") == std::string_view::npos)
      throw err::bad_request("Integrations of type 'AWS_PROXY' currently only supports Lambda function and Firehose stream invocations.");
  }
}

}  // namespace

json::object method_view(const json::object& method) {
  json::object out = method;
  return out;
}

// --- resources ---

Output create_resource(Call& c) {
  Scope s = Scope::of(c);
  std::string api = api_of(c);
  json::object parent = require_resource(s, api, str_or(c.input, "parentId"));
  std::string part(str_or(c.input, "pathPart"));
  validate_path_part(part);
  if (is_greedy(str_or(parent, "pathPart")))
    throw err::bad_request("Cannot create a child of a resource with a greedy path variable: " + std::string(str_or(parent, "pathPart")));
  check_siblings(db().list(s, kind::resource, api), str_or(parent, "id"), part, "");
  std::string id;
  do id = new_id(10);
  while (db().get(s, kind::resource, api, id));
  json::object r{{"id", id}, {"parentId", str_or(parent, "id")}, {"pathPart", part},
                 {"path", child_path(str_or(parent, "path"), part)}};
  save_resource(s, api, r);
  touch_api(s, api);
  return r;
}

Output get_resource(Call& c) {
  json::object r = require_resource(Scope::of(c), api_of(c), str_or(c.input, "resourceId"));
  return resource_view(r, wants_methods(c.input));
}

Output get_resources(Call& c) {
  Scope s = Scope::of(c);
  std::string api = api_of(c);
  require_rest_api(s, api);
  bool embed = wants_methods(c.input);
  std::vector<json::object> items;
  for (auto& r : db().list(s, kind::resource, api)) items.push_back(resource_view(r, embed));
  return list_page(std::move(items), c.input);
}

Output update_resource(Call& c) {
  Scope s = Scope::of(c);
  std::string api = api_of(c);
  std::string id(str_or(c.input, "resourceId"));
  json::object r = require_resource(s, api, id);
  if (!r.contains("parentId")) throw err::bad_request("Cannot update the root resource");
  apply_patch(r, c.input, v1_shape("Resource"), {"pathPart", "parentId"});
  validate_path_part(str_or(r, "pathPart"));
  auto all = db().list(s, kind::resource, api);
  require_resource(s, api, str_or(r, "parentId"));
  check_siblings(all, str_or(r, "parentId"), str_or(r, "pathPart"), id);
  for (auto& x : all)
    if (str_or(x, "id") == id) x = r;
  save_resource(s, api, r);
  recompute_paths(s, api, all);
  touch_api(s, api);
  return resource_view(*db().get(s, kind::resource, api, id), false);
}

Output delete_resource(Call& c) {
  Scope s = Scope::of(c);
  std::string api = api_of(c);
  std::string id(str_or(c.input, "resourceId"));
  json::object r = require_resource(s, api, id);
  if (!r.contains("parentId")) throw err::bad_request("Cannot delete root resource");
  auto all = db().list(s, kind::resource, api);
  std::set<std::string> doomed{id};
  for (bool grew = true; grew;) {
    grew = false;
    for (auto& x : all) {
      std::string xid(str_or(x, "id"));
      if (!doomed.count(xid) && doomed.count(std::string(str_or(x, "parentId")))) grew = doomed.insert(xid).second;
    }
  }
  for (auto& d : doomed) db().remove(s, kind::resource, api, d);
  touch_api(s, api);
  return json::object{};
}

// --- methods ---

Output put_method(Call& c) {
  Scope s = Scope::of(c);
  std::string api = api_of(c);
  json::object r = require_resource(s, api, str_or(c.input, "resourceId"));
  std::string hm = valid_http_method(str_or(c.input, "httpMethod"));
  auto& methods = r["resourceMethods"];
  if (!methods.is_object()) methods = json::object();
  if (methods.as_object().contains(hm)) throw err::conflict("Method already exists for this resource");
  json::object m{{"httpMethod", hm}, {"authorizationType", str_or(c.input, "authorizationType")}};
  copy_members(c.input, m, {"authorizerId"});
  m["apiKeyRequired"] = get_bool(c.input, "apiKeyRequired");
  copy_members(c.input, m, {"requestValidatorId", "operationName", "requestParameters", "requestModels", "authorizationScopes"});
  check_authorizer(s, api, m);
  methods.as_object()[hm] = m;
  save_resource(s, api, r);
  touch_api(s, api);
  return m;
}

Output get_method(Call& c) {
  auto ref = load_method(c);
  return method_view(ref.method());
}

Output update_method(Call& c) {
  auto ref = load_method(c);
  json::object& m = ref.method();
  apply_patch(m, c.input, v1_shape("Method"),
              {"authorizationType", "authorizerId", "apiKeyRequired", "requestValidatorId", "operationName",
               "requestParameters", "requestModels", "authorizationScopes"});
  check_authorizer(ref.s, ref.api, m);
  json::object out = method_view(m);
  ref.save();
  return out;
}

Output delete_method(Call& c) {
  auto ref = load_method(c);
  ref.resource["resourceMethods"].as_object().erase(ref.http_method);
  if (ref.resource["resourceMethods"].as_object().empty()) ref.resource.erase("resourceMethods");
  ref.save();
  return json::object{};
}

// --- method responses ---

Output put_method_response(Call& c) {
  auto ref = load_method(c);
  std::string code(str_or(c.input, "statusCode"));
  check_status_code(code);
  json::object mr{{"statusCode", code}};
  copy_members(c.input, mr, {"responseParameters", "responseModels"});
  auto& slot = ref.method()["methodResponses"];
  if (!slot.is_object()) slot = json::object();
  slot.as_object()[code] = mr;
  ref.save();
  return mr;
}

namespace {
json::object& require_method_response(json::object& method, std::string_view code) {
  if (auto* mrs = method.if_contains("methodResponses"); mrs && mrs->is_object())
    if (auto* mr = mrs->as_object().if_contains(code); mr && mr->is_object()) return mr->as_object();
  throw err::not_found("Invalid Response status code specified");
}
}  // namespace

Output get_method_response(Call& c) {
  auto ref = load_method(c);
  return require_method_response(ref.method(), str_or(c.input, "statusCode"));
}

Output update_method_response(Call& c) {
  auto ref = load_method(c);
  json::object& mr = require_method_response(ref.method(), str_or(c.input, "statusCode"));
  apply_patch(mr, c.input, v1_shape("MethodResponse"), {"responseParameters", "responseModels"});
  json::object out = mr;
  ref.save();
  return out;
}

Output delete_method_response(Call& c) {
  auto ref = load_method(c);
  json::object& m = ref.method();
  require_method_response(m, str_or(c.input, "statusCode"));
  m["methodResponses"].as_object().erase(str_or(c.input, "statusCode"));
  if (m["methodResponses"].as_object().empty()) m.erase("methodResponses");
  ref.save();
  return json::object{};
}

// --- integrations ---

Output put_integration(Call& c) {
  auto ref = load_method(c);
  json::object& m = ref.method();
  const auto& in = c.input;
  std::string type(str_or(in, "type"));
  json::object i{{"type", type}};
  if (auto hm = opt_str(in, "integrationHttpMethod")) i["httpMethod"] = valid_http_method(*hm);
  copy_members(in, i, {"uri"});
  if (type != "MOCK") i["connectionType"] = str_or(in, "connectionType", "INTERNET");
  copy_members(in, i, {"connectionId", "credentials", "requestParameters", "requestTemplates"});
  i["passthroughBehavior"] = str_or(in, "passthroughBehavior", "WHEN_NO_MATCH");
  copy_members(in, i, {"contentHandling"});
  int64_t timeout = opt_int(in, "timeoutInMillis").value_or(29000);
  if (timeout < 50) throw err::bad_request("Timeout should be between 50 ms and 29000 ms");
  i["timeoutInMillis"] = timeout;
  i["cacheNamespace"] = str_or(in, "cacheNamespace", str_or(ref.resource, "id"));
  i["cacheKeyParameters"] = in.contains("cacheKeyParameters") ? in.at("cacheKeyParameters") : json::array();
  copy_members(in, i, {"tlsConfig", "responseTransferMode"});
  validate_integration(i);
  static const std::set<std::string, std::less<>> kPassthrough = {"WHEN_NO_MATCH", "WHEN_NO_TEMPLATES", "NEVER"};
  if (!kPassthrough.count(str_or(i, "passthroughBehavior")))
    throw err::bad_request("Invalid passthrough behavior specified. Valid options are WHEN_NO_MATCH, WHEN_NO_TEMPLATES, NEVER");
  if (auto* old = m.if_contains("methodIntegration"); old && old->is_object())
    if (auto* irs = old->as_object().if_contains("integrationResponses")) i["integrationResponses"] = *irs;
  m["methodIntegration"] = i;
  ref.save();
  return integration_view(i);
}

Output get_integration(Call& c) {
  auto ref = load_method(c);
  return integration_view(require_integration(ref.method()));
}

Output update_integration(Call& c) {
  auto ref = load_method(c);
  json::object& i = require_integration(ref.method());
  apply_patch(i, c.input, v1_shape("Integration"),
              {"uri", "httpMethod", "requestTemplates", "requestParameters", "passthroughBehavior", "timeoutInMillis",
               "cacheKeyParameters", "cacheNamespace", "contentHandling", "connectionType", "connectionId",
               "credentials", "tlsConfig", "type", "responseTransferMode"});
  validate_integration(i);
  json::object out = integration_view(i);
  ref.save();
  return out;
}

Output delete_integration(Call& c) {
  auto ref = load_method(c);
  require_integration(ref.method());
  ref.method().erase("methodIntegration");
  ref.save();
  return json::object{};
}

// --- integration responses ---

namespace {
json::object& require_integration_response(json::object& integration, std::string_view code) {
  if (auto* irs = integration.if_contains("integrationResponses"); irs && irs->is_object())
    if (auto* ir = irs->as_object().if_contains(code); ir && ir->is_object()) return ir->as_object();
  throw err::not_found("Invalid Response status code specified");
}
}  // namespace

Output put_integration_response(Call& c) {
  auto ref = load_method(c);
  json::object& i = require_integration(ref.method());
  std::string code(str_or(c.input, "statusCode"));
  check_status_code(code);
  json::object ir{{"statusCode", code}};
  copy_members(c.input, ir, {"selectionPattern", "responseParameters", "responseTemplates", "contentHandling"});
  if (auto sp = opt_str(ir, "selectionPattern")) {
    try {
      boost::regex re(*sp);
    } catch (const boost::regex_error&) {
      throw err::bad_request("Invalid selection pattern specified for integration response: " + *sp);
    }
  }
  auto& slot = i["integrationResponses"];
  if (!slot.is_object()) slot = json::object();
  slot.as_object()[code] = ir;
  ref.save();
  return ir;
}

Output get_integration_response(Call& c) {
  auto ref = load_method(c);
  return require_integration_response(require_integration(ref.method()), str_or(c.input, "statusCode"));
}

Output update_integration_response(Call& c) {
  auto ref = load_method(c);
  json::object& ir = require_integration_response(require_integration(ref.method()), str_or(c.input, "statusCode"));
  apply_patch(ir, c.input, v1_shape("IntegrationResponse"),
              {"selectionPattern", "responseParameters", "responseTemplates", "contentHandling"});
  json::object out = ir;
  ref.save();
  return out;
}

Output delete_integration_response(Call& c) {
  auto ref = load_method(c);
  json::object& i = require_integration(ref.method());
  require_integration_response(i, str_or(c.input, "statusCode"));
  i["integrationResponses"].as_object().erase(str_or(c.input, "statusCode"));
  if (i["integrationResponses"].as_object().empty()) i.erase("integrationResponses");
  ref.save();
  return json::object{};
}

}  // namespace stratus::apigateway::v1
