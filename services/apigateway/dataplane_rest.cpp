// The REST API data plane: stage → deployment snapshot → resource and method → authorizer →
// API key → request validation → integration (AWS_PROXY, AWS, HTTP, HTTP_PROXY, MOCK) →
// integration response and method response mapping, with gateway responses for every failure.
// https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-develop.html
#include "authorizers.hpp"
#include "backend.hpp"
#include "dataplane.hpp"
#include "rest_exec.hpp"
#include "vtl.hpp"

#include <stratus/clock.hpp>
#include <stratus/crypto.hpp>
#include <stratus/http_client.hpp>
#include <stratus/identity.hpp>
#include <stratus/strings.hpp>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/regex.hpp>

namespace stratus::apigateway {

std::shared_ptr<RestDeployment> compile_rest(std::string id, const json::object& snapshot) {
  auto d = std::make_shared<RestDeployment>();
  d->id = std::move(id);
  if (auto* api = opt_obj(snapshot, "api")) d->api = *api;
  if (auto* res = opt_arr(snapshot, "resources"))
    for (auto& rv : *res) {
      const auto& r = rv.as_object();
      if (auto* methods = opt_obj(r, "resourceMethods"))
        for (auto& [verb, m] : *methods)
          if (m.is_object())
            d->tree.add(str_or(r, "path"), std::string(verb),
                        RestTarget{std::string(str_or(r, "id")), std::string(str_or(r, "path")), m.get_object()});
    }
  auto index = [&](std::string_view member, std::string_view key, auto& out) {
    if (auto* arr = opt_arr(snapshot, member))
      for (auto& v : *arr)
        if (v.is_object()) out[std::string(str_or(v.get_object(), key))] = v.get_object();
  };
  index("authorizers", "id", d->authorizers);
  index("validators", "id", d->validators);
  index("models", "name", d->models);
  index("gatewayResponses", "responseType", d->gateway_responses);
  return d;
}

std::shared_ptr<const RestDeployment> DataPlane::rest_deployment(const ApiEntry& api, std::string_view deployment_id) {
  std::string key = api.id + "/" + std::string(deployment_id);
  if (auto it = rest_deployments_.find(key); it != rest_deployments_.end()) return it->second;
  auto doc = db().get(Scope{api.account, api.region}, kind::deployment, api.id, deployment_id);
  if (!doc) return nullptr;
  std::shared_ptr<const RestDeployment> d = compile_rest(std::string(deployment_id), *opt_obj(*doc, "_snapshot"));
  rest_deployments_[key] = d;
  return d;
}

namespace {

const char* error_type_of(std::string_view type) {
  if (type == "MISSING_AUTHENTICATION_TOKEN") return "MissingAuthenticationTokenException";
  if (type == "UNAUTHORIZED") return "UnauthorizedException";
  if (type == "ACCESS_DENIED") return "AccessDeniedException";
  if (type == "INVALID_API_KEY") return "ForbiddenException";
  if (type == "AUTHORIZER_CONFIGURATION_ERROR") return "AuthorizerConfigurationException";
  if (type == "AUTHORIZER_FAILURE") return "AuthorizerFailureException";
  if (type == "BAD_REQUEST_PARAMETERS" || type == "BAD_REQUEST_BODY") return "BadRequestException";
  if (type == "QUOTA_EXCEEDED") return "LimitExceededException";
  if (type == "THROTTLED") return "TooManyRequestsException";
  if (type == "UNSUPPORTED_MEDIA_TYPE") return "UnsupportedMediaTypeException";
  if (type == "RESOURCE_NOT_FOUND") return "NotFoundException";
  if (type == "REQUEST_TOO_LARGE") return "RequestTooLargeException";
  if (type == "INTEGRATION_TIMEOUT") return "";
  return "InternalServerErrorException";
}

constexpr std::string_view kDefaultTemplate = "{\"message\":$context.error.messageString}";

std::string content_type_key(std::string_view ct) {
  std::string k = to_lower(trim(ct.substr(0, ct.find(';'))));
  return k.empty() ? "application/json" : k;
}

// The template for a content type: exact, else the first one when the type is absent.
const json::value* pick_template(const json::object* templates, std::string_view content_type) {
  if (!templates || templates->empty()) return nullptr;
  if (auto* t = find(*templates, content_type_key(content_type))) return t;
  return nullptr;
}

const json::value* dig(const json::value& v, std::string_view dotted) {
  const json::value* cur = &v;
  for (auto part : split(dotted, '.')) {
    if (!cur->is_object()) return nullptr;
    cur = find(cur->get_object(), part);
    if (!cur) return nullptr;
  }
  return cur;
}

}  // namespace

// --- one exchange ---

RestExchange::RestExchange(DataPlane& dp_, Env& env_, const ApiEntry& api_, const RestDeployment& dep_, Invocation inv_,
                           const json::object* stage_vars_)
    : dp(dp_), env(env_), api(api_), dep(dep_), inv(std::move(inv_)), stage_vars(stage_vars_) {
  identity = rest_identity(inv);
}

json::object RestExchange::context_variables() const {
  json::object c = rest_request_context(inv, resource_id, resource_path, identity, authorizer ? &*authorizer : nullptr);
  return c;
}

HttpResponse RestExchange::gateway_error(std::string_view type, json::value message, int status_override) {
  log += "Gateway response type: " + std::string(type) + "\n";
  bool is4xx = true;
  json::object g;
  auto custom = dep.gateway_responses.find(type);
  json::object def = default_gateway_response(type);
  int status = 0;
  if (auto code = opt_str(def, "statusCode")) status = static_cast<int>(parse_int(*code).value_or(500));
  else status = type == "DEFAULT_5XX" ? 500 : 400;
  is4xx = status < 500;
  if (custom != dep.gateway_responses.end()) {
    g = custom->second;
  } else if (auto fallback = dep.gateway_responses.find(is4xx ? "DEFAULT_4XX" : "DEFAULT_5XX");
             fallback != dep.gateway_responses.end()) {
    g = fallback->second;
    g.erase("statusCode");
  } else {
    g = def;
  }
  if (auto code = opt_str(g, "statusCode")) status = static_cast<int>(parse_int(*code).value_or(status));
  if (status_override) status = status_override;
  HttpResponse r;
  r.status = status;
  std::string message_string = message.is_null() ? "null" : json::serialize(message);
  const json::value* tmpl = nullptr;
  if (auto* ts = opt_obj(g, "responseTemplates")) {
    tmpl = find(*ts, "application/json");
    if (!tmpl && !ts->empty()) tmpl = &ts->begin()->value();
  }
  std::string body;
  if (!tmpl || (tmpl->is_string() && tmpl->get_string() == kDefaultTemplate)) {
    // AWS's explicit-deny answers spell the member "Message".
    body = std::string(type == "ACCESS_DENIED" ? "{\"Message\":" : "{\"message\":") +
           message_string + "}";
  } else {
    vtl::Input in{inv.body, {}, inv.query, inv.headers};
    vtl::Variables vars;
    vars.input = &in;
    json::object ctx = context_variables();
    ctx["error"] = json::object{{"message", message}, {"messageString", message_string}, {"responseType", type}};
    vars.context = std::move(ctx);
    vars.stage_variables = stage_vars ? json::value(*stage_vars) : json::value(json::object{});
    try {
      body = vtl::render(to_text(*tmpl), vars);
    } catch (const std::exception& e) {
      body = "{\"message\":" + message_string + "}";
    }
  }
  r.body = Payload(std::move(body));
  r.headers.add("Content-Type", "application/json");
  if (auto* params = opt_obj(g, "responseParameters"))
    for (auto& [k, v] : *params) {
      if (!k.starts_with("gatewayresponse.header.")) continue;
      std::string name(k.substr(23));
      std::string src = to_text(v);
      if (src.size() >= 2 && src.front() == '\'' && src.back() == '\'') r.headers.set(name, src.substr(1, src.size() - 2));
      else if (src.starts_with("method.request.header.")) {
        if (auto* h = inv.header(std::string_view(src).substr(22))) r.headers.set(name, *h);
      } else if (src.starts_with("stageVariables.") && stage_vars) {
        if (auto* sv = find(*stage_vars, std::string_view(src).substr(15))) r.headers.set(name, to_text(*sv));
      }
    }
  if (const char* et = error_type_of(type); *et) r.headers.set("x-amzn-ErrorType", et);
  return r;
}

// Resolves a request-parameter source expression ('literal', method.request.*, context.*, stageVariables.*).
std::optional<std::string> RestExchange::source_value(std::string_view src) const {
  if (src.size() >= 2 && src.front() == '\'' && src.back() == '\'') return std::string(src.substr(1, src.size() - 2));
  if (src.starts_with("method.request.path.")) {
    if (auto* v = find(path_params, src.substr(20))) return to_text(*v);
    return std::nullopt;
  }
  if (src.starts_with("method.request.querystring.") || src.starts_with("method.request.multivaluequerystring.")) {
    bool multi = src.starts_with("method.request.multivalue");
    auto name = src.substr(src.find("querystring.") + 12);
    std::optional<std::string> v;
    for (auto& [k, x] : inv.query)
      if (k == name) v = multi && v ? *v + "," + x : x;
    return v;
  }
  if (src.starts_with("method.request.header.") || src.starts_with("method.request.multivalueheader.")) {
    bool multi = src.starts_with("method.request.multivalue");
    auto name = src.substr(src.find("header.") + 7);
    if (multi) {
      auto vals = inv.header_values(name);
      if (vals.empty()) return std::nullopt;
      std::string j;
      for (auto& v : vals) j += (j.empty() ? "" : ",") + v;
      return j;
    }
    if (auto* h = inv.header(name)) return *h;
    return std::nullopt;
  }
  if (src == "method.request.body") return inv.body;
  if (src.starts_with("method.request.body.")) {
    boost::system::error_code ec;
    auto doc = json::parse(inv.body, ec);
    if (ec) return std::nullopt;
    auto v = vtl::json_path(doc, "$." + std::string(src.substr(20)));
    if (v.is_null()) return std::nullopt;
    return to_text(v);
  }
  if (src.starts_with("context.")) {
    json::value ctx = context_variables();
    if (auto* v = dig(ctx, src.substr(8))) return to_text(*v);
    return std::nullopt;
  }
  if (src.starts_with("stageVariables.")) {
    if (stage_vars)
      if (auto* v = find(*stage_vars, src.substr(15))) return to_text(*v);
    return std::nullopt;
  }
  return std::nullopt;
}

void RestExchange::map_request_parameters(const json::object& integration, Pairs& headers, Pairs& query,
                                          std::map<std::string, std::string>& path) const {
  auto* params = opt_obj(integration, "requestParameters");
  if (!params) return;
  for (auto& [k, v] : *params) {
    auto value = source_value(to_text(v));
    if (!value) continue;
    std::string_view key = k;
    if (key.starts_with("integration.request.header.")) {
      std::string name(key.substr(27));
      std::erase_if(headers, [&](auto& p) { return iequals(p.first, name); });
      headers.emplace_back(name, *value);
    } else if (key.starts_with("integration.request.querystring.")) {
      std::string name(key.substr(32));
      std::erase_if(query, [&](auto& p) { return p.first == name; });
      query.emplace_back(name, *value);
    } else if (key.starts_with("integration.request.path.")) {
      path[std::string(key.substr(25))] = *value;
    }
  }
}

std::string RestExchange::render(std::string_view tmpl, const std::string& body, const Pairs* response_headers) const {
  vtl::Input in;
  in.body = body;
  for (auto& [k, v] : path_params) in.path.emplace_back(k, to_text(v));
  in.query = inv.query;
  in.header = response_headers ? *response_headers : inv.headers;
  vtl::Variables vars;
  vars.input = &in;
  vars.context = context_variables();
  vars.stage_variables = stage_vars ? json::value(*stage_vars) : json::value(json::object{});
  return vtl::render(tmpl, vars);
}

namespace {

bool hop_by_hop(std::string_view name) {
  static const char* kHop[] = {"connection", "keep-alive", "transfer-encoding", "content-length", "upgrade",
                               "proxy-connection", "te", "trailer", "host"};
  for (auto* h : kHop)
    if (iequals(name, h)) return true;
  return false;
}

// Response headers of proxy integrations as REST APIs pass them on: these are renamed
// x-amzn-Remapped-<name> (API Gateway sets its own Date, Server ...) and these dropped
// ("Amazon API Gateway important notes for REST APIs", headers table). Test:
// tests/e2e/py/test_apigateway_lambda.py test_rest_response_mapping_and_errors.
void remap_integration_headers(Headers& h, bool lambda) {
  static constexpr std::string_view kRemapped[] = {"authorization", "connection", "content-md5", "date",
                                                   "max-forwards",  "server",     "user-agent",  "www-authenticate"};
  static constexpr std::string_view kDropped[] = {"expect", "host", "proxy-authenticate", "te", "transfer-encoding",
                                                  "trailer", "upgrade", "content-length", "keep-alive", "proxy-connection"};
  auto in = [](auto& list, std::string_view name) { return std::find(std::begin(list), std::end(list), name) != std::end(list); };
  Headers out;
  for (auto& [k, v] : h) {
    std::string lk = to_lower(k);
    if (in(kDropped, lk) || (lambda && lk == "via")) continue;
    if (in(kRemapped, lk)) out.add("x-amzn-Remapped-" + k, v);
    else out.add(k, v);
  }
  h = std::move(out);
}

// "http://host/a/{id}/{proxy}" with path variables filled (greedy values keep their slashes).
std::string fill_uri(std::string uri, const std::map<std::string, std::string>& path) {
  for (auto& [k, v] : path) {
    for (std::string token : {"{" + k + "+}", "{" + k + "}"}) {
      for (size_t p; (p = uri.find(token)) != std::string::npos;) uri.replace(p, token.size(), v);
    }
  }
  return uri;
}

}  // namespace

boost::asio::awaitable<HttpResponse> RestExchange::http_proxy(const json::object& integration) {
  std::string uri = substitute_stage_variables(str_or(integration, "uri"), stage_vars);
  Pairs headers;
  for (auto& [k, v] : inv.headers)
    if (!hop_by_hop(k)) headers.emplace_back(k, v);
  Pairs query = inv.query;
  std::map<std::string, std::string> path;
  for (auto& [k, v] : path_params) path[k] = to_text(v);
  map_request_parameters(integration, headers, query, path);
  HttpClientRequest rq;
  rq.method = std::string(str_or(integration, "httpMethod", inv.method));
  if (rq.method == "ANY") rq.method = inv.method;
  rq.url = fill_uri(uri, path);
  std::string qs = encode_query(query);
  if (!qs.empty()) rq.url += (rq.url.find('?') == std::string::npos ? "?" : "&") + qs;
  for (auto& [k, v] : headers) rq.headers.add(k, v);
  rq.body = inv.body;
  rq.timeout = std::chrono::milliseconds(opt_int(integration, "timeoutInMillis").value_or(29000));
  log += "Endpoint request URI: " + rq.url + "\n";
  try {
    auto resp = co_await http_request(env.io.get_executor(), std::move(rq));
    HttpResponse r;
    r.status = resp.status;
    for (auto& [k, v] : resp.headers)
      if (!hop_by_hop(k) || iequals(k, "connection")) r.headers.add(k, v);
    remap_integration_headers(r.headers, false);
    r.body = Payload(std::move(resp.body));
    co_return r;
  } catch (const HttpClientError& e) {
    log += std::string("Execution failed due to configuration error: ") + e.what() + "\n";
    if (std::string_view(e.what()).find("timed out") != std::string_view::npos ||
        std::string_view(e.what()).find("timeout") != std::string_view::npos)
      co_return gateway_error("INTEGRATION_TIMEOUT", "Endpoint request timed out");
    co_return gateway_error("INTEGRATION_FAILURE", "Internal server error", 500);
  }
}

boost::asio::awaitable<HttpResponse> RestExchange::lambda_proxy(const json::object& integration) {
  std::string fn = lambda_arn_from_uri(substitute_stage_variables(str_or(integration, "uri"), stage_vars));
  if (fn.empty()) co_return gateway_error("API_CONFIGURATION_ERROR", "Internal server error");
  const json::array* binary = opt_arr(dep.api, "binaryMediaTypes");
  const std::string* ct = inv.header("content-type");
  bool b64 = matches_media_type(ct ? *ct : "", binary) || !valid_utf8(inv.body);
  json::object event = rest_proxy_event(inv, resource_path, path_params, stage_vars, context_variables(), b64);
  auto timeout = std::chrono::milliseconds(opt_int(integration, "timeoutInMillis").value_or(29000));
  LambdaResult res = co_await invoke_lambda(env, fn, json::serialize(event), timeout,
                                            method_arn(inv, inv.method, inv.path));
  switch (res.status) {
    case LambdaResult::Status::timeout: co_return gateway_error("INTEGRATION_TIMEOUT", "Endpoint request timed out");
    case LambdaResult::Status::failed: co_return gateway_error("API_CONFIGURATION_ERROR", "Internal server error");
    case LambdaResult::Status::function_error:
      log += "Lambda execution failed with status 200 due to customer function error: " + res.payload + "\n";
      co_return gateway_error("DEFAULT_5XX", "Internal server error", 502);
    case LambdaResult::Status::ok: break;
  }
  ProxyResponse pr;
  // Base64 bodies come back as bytes only when the API declares binary media types for them.
  const std::string* accept = inv.header("accept");
  bool decode = binary && !binary->empty();
  if (parse_proxy_response_v1(res.payload, true, false, pr) != ProxyError::none) {
    log += "Execution failed due to configuration error: Malformed Lambda proxy response\n";
    co_return gateway_error("DEFAULT_5XX", "Internal server error", 502);
  }
  boost::system::error_code ec;
  auto answer = json::parse(res.payload, ec);
  if (decode && answer.is_object() && get_bool(answer.get_object(), "isBase64Encoded")) {
    const std::string* rct = pr.headers.get("content-type");
    if (matches_media_type(rct ? *rct : "", binary) || (accept && matches_media_type(*accept, binary))) {
      auto raw = crypto::base64_decode(pr.body);
      if (!raw) co_return gateway_error("DEFAULT_5XX", "Internal server error", 502);
      pr.body = std::move(*raw);
    }
  }
  HttpResponse r;
  r.status = pr.status;
  r.headers = std::move(pr.headers);
  remap_integration_headers(r.headers, true);
  if (!r.headers.get("content-type")) r.headers.add("Content-Type", "application/json");
  r.headers.set("X-Amzn-Trace-Id", inv.trace_id);
  r.body = Payload(std::move(pr.body));
  co_return r;
}

// AWS (Lambda), HTTP and MOCK: request template → backend → integration response selection →
// response template and response parameters.
boost::asio::awaitable<HttpResponse> RestExchange::mapped(const json::object& integration) {
  std::string type(str_or(integration, "type"));
  const std::string* req_ct = inv.header("content-type");
  const json::object* templates = opt_obj(integration, "requestTemplates");
  std::string payload = inv.body;
  if (const json::value* t = pick_template(templates, req_ct ? *req_ct : "")) {
    try {
      payload = render(to_text(*t), inv.body, nullptr);
    } catch (const std::exception& e) {
      log += std::string("Execution failed: mapping template error: ") + e.what() + "\n";
      co_return gateway_error("DEFAULT_5XX", "Internal server error", 500);
    }
  } else {
    std::string_view pb = str_or(integration, "passthroughBehavior", "WHEN_NO_MATCH");
    if (pb == "NEVER" || (pb == "WHEN_NO_TEMPLATES" && templates && !templates->empty()))
      co_return gateway_error("UNSUPPORTED_MEDIA_TYPE", "Unsupported Media Type");
  }
  log += "Endpoint request body after transformations: " + payload + "\n";

  // The backend's answer.
  int backend_status = 200;
  std::string backend_body;
  Pairs backend_headers;
  std::string selector;  // what selectionPattern is matched against
  bool lambda_error = false;
  if (type == "MOCK") {
    boost::system::error_code ec;
    auto v = json::parse(payload, ec);
    if (!ec && v.is_object())
      if (auto* sc = find(v.get_object(), "statusCode")) {
        if (sc->is_int64()) backend_status = static_cast<int>(sc->get_int64());
        else if (sc->is_string()) backend_status = static_cast<int>(parse_int(sc->get_string()).value_or(200));
      }
    selector = std::to_string(backend_status);
  } else if (type == "AWS") {
    std::string fn = lambda_arn_from_uri(substitute_stage_variables(str_or(integration, "uri"), stage_vars));
    if (fn.empty()) {
      log += "Execution failed: only Lambda AWS integrations are supported by Stratus\n";
      co_return gateway_error("API_CONFIGURATION_ERROR", "Internal server error");
    }
    auto timeout = std::chrono::milliseconds(opt_int(integration, "timeoutInMillis").value_or(29000));
    LambdaResult res = co_await invoke_lambda(env, fn, payload, timeout, method_arn(inv, inv.method, inv.path));
    if (res.status == LambdaResult::Status::timeout) co_return gateway_error("INTEGRATION_TIMEOUT", "Endpoint request timed out");
    if (res.status == LambdaResult::Status::failed) co_return gateway_error("API_CONFIGURATION_ERROR", "Internal server error");
    backend_body = res.payload;
    if (res.status == LambdaResult::Status::function_error) {
      lambda_error = true;
      auto err = parse_object(res.payload);
      selector = std::string(str_or(err, "errorMessage"));
    }
  } else {  // HTTP
    Pairs headers;
    Pairs query;
    std::map<std::string, std::string> path;
    for (auto& [k, v] : path_params) path[k] = to_text(v);
    map_request_parameters(integration, headers, query, path);
    HttpClientRequest rq;
    rq.method = std::string(str_or(integration, "httpMethod", inv.method));
    if (rq.method == "ANY") rq.method = inv.method;
    rq.url = fill_uri(substitute_stage_variables(str_or(integration, "uri"), stage_vars), path);
    std::string qs = encode_query(query);
    if (!qs.empty()) rq.url += (rq.url.find('?') == std::string::npos ? "?" : "&") + qs;
    for (auto& [k, v] : headers) rq.headers.add(k, v);
    if (!rq.headers.get("content-type")) rq.headers.add("Content-Type", req_ct ? *req_ct : "application/json");
    rq.body = payload;
    rq.timeout = std::chrono::milliseconds(opt_int(integration, "timeoutInMillis").value_or(29000));
    try {
      auto resp = co_await http_request(env.io.get_executor(), std::move(rq));
      backend_status = resp.status;
      backend_body = std::move(resp.body);
      for (auto& [k, v] : resp.headers) backend_headers.emplace_back(k, v);
    } catch (const HttpClientError& e) {
      if (std::string_view(e.what()).find("time") != std::string_view::npos)
        co_return gateway_error("INTEGRATION_TIMEOUT", "Endpoint request timed out");
      co_return gateway_error("INTEGRATION_FAILURE", "Internal server error", 500);
    }
    selector = std::to_string(backend_status);
  }

  // Integration response: the first whose selectionPattern matches, else the default one.
  const json::object* chosen = nullptr;
  const json::object* fallback = nullptr;
  if (auto* irs = opt_obj(integration, "integrationResponses"))
    for (auto& [code, v] : *irs) {
      if (!v.is_object()) continue;
      const auto& ir = v.get_object();
      std::string_view pattern = str_or(ir, "selectionPattern");
      if (pattern.empty()) {
        if (!fallback) fallback = &ir;
        continue;
      }
      if (type == "AWS" && !lambda_error) continue;
      try {
        if (!chosen && boost::regex_match(selector, boost::regex(std::string(pattern)))) chosen = &ir;
      } catch (const boost::regex_error&) {
      }
    }
  if (!chosen) chosen = fallback;
  if (!chosen) {
    log += "Execution failed due to configuration error: No match for output mapping and no default output mapping configured. "
           "Endpoint Response Status Code: " + std::to_string(backend_status) + "\n";
    co_return gateway_error("API_CONFIGURATION_ERROR", "Internal server error");
  }
  HttpResponse r;
  r.status = static_cast<int>(parse_int(str_or(*chosen, "statusCode")).value_or(200));
  std::string body = backend_body;
  std::string content_type;
  for (auto& [k, v] : backend_headers)
    if (iequals(k, "content-type")) content_type = v;
  if (auto* rts = opt_obj(*chosen, "responseTemplates"); rts && !rts->empty()) {
    const std::string* accept = inv.header("accept");
    const json::value* t = accept ? find(*rts, content_type_key(*accept)) : nullptr;
    std::string key = t ? content_type_key(*accept) : "application/json";
    if (!t) t = find(*rts, "application/json");
    if (!t) {
      t = &rts->begin()->value();
      key = std::string(rts->begin()->key());
    }
    std::string tmpl = to_text(*t);
    if (!tmpl.empty()) {
      try {
        body = render(tmpl, backend_body, &backend_headers);
      } catch (const std::exception& e) {
        log += std::string("Execution failed: mapping template error: ") + e.what() + "\n";
        co_return gateway_error("DEFAULT_5XX", "Internal server error", 500);
      }
    }
    content_type = key;
  }
  if (auto* rps = opt_obj(*chosen, "responseParameters"))
    for (auto& [k, v] : *rps) {
      if (!k.starts_with("method.response.header.")) continue;
      std::string name(k.substr(23));
      std::string src = to_text(v);
      std::optional<std::string> value;
      if (src.starts_with("integration.response.header.")) {
        for (auto& [hk, hv] : backend_headers)
          if (iequals(hk, std::string_view(src).substr(28))) value = hv;
      } else if (src == "integration.response.body") {
        value = backend_body;
      } else if (src.starts_with("integration.response.body.")) {
        boost::system::error_code ec;
        auto doc = json::parse(backend_body, ec);
        if (!ec) {
          auto x = vtl::json_path(doc, "$." + src.substr(26));
          if (!x.is_null()) value = to_text(x);
        }
      } else {
        value = source_value(src);
      }
      if (value) r.headers.set(name, *value);
    }
  if (!r.headers.get("content-type")) r.headers.add("Content-Type", content_type.empty() ? "application/json" : content_type);
  r.body = Payload(std::move(body));
  co_return r;
}

boost::asio::awaitable<HttpResponse> RestExchange::run(const std::string* forced_resource_id) {
  // Route.
  auto match = dep.tree.match(inv.path, inv.method);
  if (!match || (forced_resource_id && match->target->resource_id != *forced_resource_id)) {
    log += "No method found for " + inv.method + " " + inv.path + "\n";
    co_return gateway_error("MISSING_AUTHENTICATION_TOKEN", "Missing Authentication Token");
  }
  const RestTarget& target = *match->target;
  resource_id = target.resource_id;
  resource_path = target.resource_path;
  for (auto& [k, v] : match->params) path_params[k] = valid_utf8_text(url_decode(v));
  const json::object& method = target.method;
  std::string verb(str_or(method, "httpMethod", inv.method));

  // Stage throttling (the stage's method settings), before anything else runs.
  if (!stage_throttle_ok(verb)) co_return gateway_error("THROTTLED", "Too Many Requests");

  // Authorization.
  std::string_view auth_type = str_or(method, "authorizationType", "NONE");
  if (auth_type == "AWS_IAM") {
    const std::string* authz = inv.header("authorization");
    bool presigned = false;
    for (auto& [k, v] : inv.query) presigned = presigned || k == "X-Amz-Signature";
    if ((!authz || !authz->starts_with("AWS4-HMAC-SHA256")) && !presigned)
      co_return gateway_error("MISSING_AUTHENTICATION_TOKEN", "Missing Authentication Token");
    // Signatures are not verified (Stratus's default auth mode): the caller is who it claims.
    if (authz) {
      auto cred = authz->find("Credential=");
      if (cred != std::string::npos) {
        std::string akid = authz->substr(cred + 11, authz->find('/', cred) - cred - 11);
        std::string acct = env.identities.account_for(akid);
        identity["accessKey"] = akid;
        identity["accountId"] = acct;
        identity["caller"] = akid;
        identity["user"] = akid;
        identity["userArn"] = "arn:aws:iam::" + acct + ":root";
      }
    }
  } else if (auth_type == "CUSTOM" || auth_type == "COGNITO_USER_POOLS") {
    auto it = dep.authorizers.find(str_or(method, "authorizerId"));
    if (it == dep.authorizers.end()) co_return gateway_error("AUTHORIZER_CONFIGURATION_ERROR", nullptr);
    const json::object& a = it->second;
    AuthOutcome out;
    if (str_or(a, "type") == "COGNITO_USER_POOLS") {
      out = co_await cognito_authorize(dp, env, a, inv, opt_arr(method, "authorizationScopes"));
    } else {
      json::object ctx = context_variables();
      RestAuthRequest ar{&inv, resource_path, &path_params, stage_vars, &ctx};
      out = co_await rest_lambda_authorize(dp, env, a, ar);
    }
    log += out.message.empty() ? "" : "Authorizer: " + out.message + "\n";
    switch (out.kind) {
      case AuthOutcome::Kind::unauthorized: co_return gateway_error("UNAUTHORIZED", "Unauthorized");
      case AuthOutcome::Kind::deny: co_return gateway_error("ACCESS_DENIED", json::string(out.message));
      case AuthOutcome::Kind::config_error: co_return gateway_error("AUTHORIZER_CONFIGURATION_ERROR", nullptr);
      case AuthOutcome::Kind::allow: break;
    }
    authorizer = std::move(out.context);
    usage_key = out.usage_key;
  }

  // API key.
  if (get_bool(method, "apiKeyRequired")) {
    std::string key = str_or(dep.api, "apiKeySource", "HEADER") == "AUTHORIZER" ? usage_key : "";
    if (key.empty())
      if (auto* h = inv.header("x-api-key")) key = *h;
    auto verdict = check_api_key(key, verb);
    if (!verdict.empty())
      co_return gateway_error(verdict, verdict == "QUOTA_EXCEEDED" ? "Limit Exceeded"
                                       : verdict == "THROTTLED"    ? "Too Many Requests"
                                                                   : "Forbidden");
  }

  // Request validation.
  if (auto vid = opt_str(method, "requestValidatorId")) {
    auto it = dep.validators.find(*vid);
    if (it != dep.validators.end()) {
      if (get_bool(it->second, "validateRequestParameters")) {
        std::vector<std::string> missing;
        if (auto* rp = opt_obj(method, "requestParameters"))
          for (auto& [k, required] : *rp)
            if (required.is_bool() && required.get_bool() && !source_value(k))
              missing.push_back(std::string(k.substr(k.rfind('.') + 1)));
        if (!missing.empty()) {
          std::string list;
          for (auto& m : missing) list += (list.empty() ? "" : ", ") + m;
          co_return gateway_error("BAD_REQUEST_PARAMETERS", json::string("Missing required request parameters: [" + list + "]"));
        }
      }
      if (get_bool(it->second, "validateRequestBody"))
        if (auto* models = opt_obj(method, "requestModels")) {
          const std::string* ct = inv.header("content-type");
          auto* name = find(*models, content_type_key(ct ? *ct : ""));
          if (name) {
            auto m = dep.models.find(to_text(*name));
            if (m != dep.models.end()) {
              std::string why = validate_body(str_or(m->second, "schema"));
              if (!why.empty()) co_return gateway_error("BAD_REQUEST_BODY", "Invalid request body");
            }
          }
        }
    }
  }

  // Integration.
  const json::object* integration = opt_obj(method, "methodIntegration");
  if (!integration) co_return gateway_error("API_CONFIGURATION_ERROR", "Internal server error");
  std::string_view type = str_or(*integration, "type");
  HttpResponse r;
  if (type == "AWS_PROXY") r = co_await lambda_proxy(*integration);
  else if (type == "HTTP_PROXY") r = co_await http_proxy(*integration);
  else r = co_await mapped(*integration);
  co_return r;
}

// Stage-level throttling: the method's settings ("~1pets/GET"), else the stage-wide "*/*" ones,
// when the stage sets any (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-request-throttling.html).
bool RestExchange::stage_throttle_ok(std::string_view verb) {
  if (!method_settings || method_settings->empty()) return true;
  std::string escaped;
  for (char ch : resource_path) escaped += ch == '/' ? std::string("~1") : std::string(1, ch);
  std::string key = escaped + "/" + std::string(verb);
  const json::object* s = opt_obj(*method_settings, key);
  if (!s || (!find(*s, "throttlingRateLimit") && !find(*s, "throttlingBurstLimit"))) {
    key = "*/*";
    s = opt_obj(*method_settings, key);
  }
  if (!s) return true;
  auto rate = opt_number(*s, "throttlingRateLimit");
  auto burst = opt_number(*s, "throttlingBurstLimit");
  if (!rate && !burst) return true;
  return dp.take_token("stage/" + inv.api_id + "/" + inv.stage + "/" + key, rate.value_or(10000.0), burst.value_or(5000.0),
                       static_cast<double>(inv.time_ms) / 1000.0);
}

std::string RestExchange::check_api_key(const std::string& value, std::string_view verb) {
  if (value.empty()) return "INVALID_API_KEY";
  Scope s{api.account, api.region};
  std::optional<json::object> key;
  for (auto& k : db().list(s, kind::api_key, ""))
    if (str_or(k, "value") == value) key = std::move(k);
  if (!key || !get_bool(*key, "enabled")) return "INVALID_API_KEY";
  std::string key_id(str_or(*key, "id"));
  for (auto& plan : db().list(s, kind::usage_plan, "")) {
    const json::object* stage = nullptr;
    if (auto* stages = opt_arr(plan, "apiStages"))
      for (auto& st : *stages)
        if (st.is_object() && str_or(st.as_object(), "apiId") == inv.api_id && str_or(st.as_object(), "stage") == inv.stage)
          stage = &st.as_object();
    if (!stage || !db().get(s, kind::usage_plan_key, str_or(plan, "id"), key_id)) continue;
    // Throttling of the plan: per key, the method's own limits ("/pets/GET") over the plan's.
    // https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-api-usage-plans.html
    double now = static_cast<double>(inv.time_ms) / 1000.0;
    std::string bucket = "plan/" + std::string(str_or(plan, "id")) + "/" + key_id;
    const json::object* limits = opt_obj(plan, "throttle");
    if (auto* per_method = opt_obj(*stage, "throttle"))
      if (auto* m = opt_obj(*per_method, resource_path + "/" + std::string(verb))) {
        limits = m;
        bucket += "/" + resource_path + "/" + std::string(verb);
      }
    if (limits) {
      auto rate = opt_number(*limits, "rateLimit");
      auto burst = opt_number(*limits, "burstLimit");
      if ((rate || burst) && !dp.take_token(bucket, rate.value_or(10000.0), burst.value_or(5000.0), now)) return "THROTTLED";
    }
    // Quota: requests per day/week/month counted per key.
    std::string day = iso8601(static_cast<double>(inv.time_ms) / 1000.0, false).substr(0, 10);
    std::string usage_id = key_id + "/" + day;
    int64_t used = 0;
    if (auto u = db().get(s, "usage", str_or(plan, "id"), usage_id)) used = opt_int(*u, "used").value_or(0);
    if (auto* q = opt_obj(plan, "quota")) {
      int64_t limit = opt_int(*q, "limit").value_or(0);
      std::string_view period = str_or(*q, "period", "DAY");
      int64_t window_used = used;
      if (period != "DAY") {
        int days = period == "WEEK" ? 7 : 31;
        for (int i = 1; i < days; ++i) {
          std::string d = iso8601(static_cast<double>(inv.time_ms) / 1000.0 - i * 86400.0, false).substr(0, 10);
          if (auto u = db().get(s, "usage", str_or(plan, "id"), key_id + "/" + d)) window_used += opt_int(*u, "used").value_or(0);
        }
      }
      if (window_used >= limit) return "QUOTA_EXCEEDED";
    }
    db().put(s, "usage", str_or(plan, "id"), usage_id, json::object{{"used", used + 1}});
    identity["apiKey"] = value;
    identity["apiKeyId"] = key_id;
    return "";
  }
  return "INVALID_API_KEY";
}

// --- entry point ---

boost::asio::awaitable<HttpResponse> DataPlane::serve_rest(RequestContext& ctx, HttpRequest& req,
                                                           std::shared_ptr<const ApiEntry> api, const InvokeTarget& t) {
  auto segs_end = t.path.find('/', 1);
  std::string stage = t.path.size() > 1 ? t.path.substr(1, segs_end == std::string::npos ? std::string::npos : segs_end - 1) : "";
  std::string rest = segs_end == std::string::npos ? "/" : t.path.substr(segs_end);
  const StageInfo* st = stage.empty() ? nullptr : api->stage(stage);
  if (!st || get_bool(api->doc, "disableExecuteApiEndpoint")) co_return json_message(403, "Forbidden", "ForbiddenException");
  auto dep = rest_deployment(*api, st->deployment_id);
  if (!dep) co_return json_message(403, "Forbidden", "ForbiddenException");
  // A trailing slash stays in the event (path, requestContext.path), as AWS delivers it; routing
  // ignores it and {proxy+} values never end with it.
  Invocation inv = make_invocation(ctx, req, *api, stage, rest, t.path);
  inv.deployment_id = st->deployment_id;
  RestExchange x(*this, Backend::get().env(), *api, *dep, std::move(inv), st->variables.empty() ? nullptr : &st->variables);
  x.method_settings = &st->settings;
  HttpResponse r = co_await x.run(nullptr);
  r.headers.set("x-amz-apigw-id", x.inv.extended_request_id);
  co_return r;
}

}  // namespace stratus::apigateway
