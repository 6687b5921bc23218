// The HTTP API data plane: stage ($default or named) → deployment → CORS → route (exact >
// parameter > greedy, then $default) → JWT / Lambda authorizer → AWS_PROXY (payload 1.0 or 2.0)
// or HTTP_PROXY integration with parameter mapping.
// https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop.html
#include "authorizers.hpp"
#include "backend.hpp"
#include "dataplane.hpp"
#include "http_exec.hpp"

#include <stratus/crypto.hpp>
#include <stratus/http_client.hpp>
#include <stratus/identity.hpp>
#include <stratus/strings.hpp>

#include <spdlog/spdlog.h>

namespace stratus::apigateway {

std::shared_ptr<HttpDeployment> compile_http(std::string id, const json::object& snapshot) {
  auto d = std::make_shared<HttpDeployment>();
  d->id = std::move(id);
  if (auto* api = opt_obj(snapshot, "api")) d->api = *api;
  if (auto* arr = opt_arr(snapshot, "integrations"))
    for (auto& v : *arr) d->integrations[std::string(str_or(v.as_object(), "IntegrationId"))] = v.as_object();
  if (auto* arr = opt_arr(snapshot, "authorizers"))
    for (auto& v : *arr) d->authorizers[std::string(str_or(v.as_object(), "AuthorizerId"))] = v.as_object();
  const json::object* route_responses = opt_obj(snapshot, "routeResponses");
  bool http = str_or(d->api, "ProtocolType", "HTTP") == "HTTP";
  if (auto* arr = opt_arr(snapshot, "routes"))
    for (auto& v : *arr) {
      const auto& r = v.as_object();
      HttpRoute route;
      route.route_id = std::string(str_or(r, "RouteId"));
      route.route_key = std::string(str_or(r, "RouteKey"));
      route.route = r;
      std::string_view target = str_or(r, "Target");
      if (target.starts_with("integrations/")) {
        auto it = d->integrations.find(target.substr(13));
        if (it != d->integrations.end()) route.integration = it->second;
      }
      if (route_responses)
        if (auto* rr = opt_obj(*route_responses, route.route_id)) route.route_responses = *rr;
      if (http && route.route_key != "$default") {
        auto space = route.route_key.find(' ');
        if (space != std::string::npos) {
          route.path = route.route_key.substr(space + 1);
          d->tree.add(route.path, route.route_key.substr(0, space), route);
        }
      }
      d->by_key[route.route_key] = std::move(route);
    }
  return d;
}

std::shared_ptr<const HttpDeployment> DataPlane::http_deployment(const ApiEntry& api, std::string_view deployment_id) {
  std::string key = api.id + "/" + std::string(deployment_id);
  if (auto it = http_deployments_.find(key); it != http_deployments_.end()) return it->second;
  auto doc = db().get(Scope{api.account, api.region}, kind::v2_deployment, api.id, deployment_id);
  if (!doc || !opt_obj(*doc, "_snapshot")) return nullptr;
  std::shared_ptr<const HttpDeployment> d = compile_http(std::string(deployment_id), *opt_obj(*doc, "_snapshot"));
  http_deployments_[key] = d;
  return d;
}

namespace {

bool hop_by_hop(std::string_view name) {
  static const char* kHop[] = {"connection", "keep-alive", "transfer-encoding", "content-length", "upgrade",
                               "proxy-connection", "te", "trailer", "host"};
  for (auto* h : kHop)
    if (iequals(name, h)) return true;
  return false;
}

std::string join(const std::vector<std::string>& v, std::string_view sep = ",") {
  std::string out;
  for (auto& s : v) out += (out.empty() ? "" : std::string(sep)) + s;
  return out;
}

bool origin_allowed(const std::vector<std::string>& origins, std::string_view origin) {
  for (auto& o : origins)
    if (o == "*" || iequals(o, origin)) return true;
  return false;
}

}  // namespace

HttpResponse cors_preflight(const json::object& cors, const HttpRequest& req) {
  HttpResponse r;
  r.status = 204;
  std::string_view origin = req.header_or("origin");
  auto origins = string_list(cors, "AllowOrigins");
  if (!origin_allowed(origins, origin)) return r;
  bool creds = get_bool(cors, "AllowCredentials");
  bool star = std::find(origins.begin(), origins.end(), "*") != origins.end();
  r.headers.add("access-control-allow-origin", star && !creds ? "*" : std::string(origin));
  auto methods = string_list(cors, "AllowMethods");
  std::string requested_method(req.header_or("access-control-request-method"));
  if (!methods.empty()) {
    bool any = std::find(methods.begin(), methods.end(), "*") != methods.end();
    r.headers.add("access-control-allow-methods", any ? requested_method : join(methods));
  }
  auto headers = string_list(cors, "AllowHeaders");
  std::string requested_headers(req.header_or("access-control-request-headers"));
  if (!headers.empty()) {
    bool any = std::find(headers.begin(), headers.end(), "*") != headers.end();
    r.headers.add("access-control-allow-headers", any ? requested_headers : to_lower(join(headers)));
  }
  if (auto age = opt_int(cors, "MaxAge"); age && *age >= 0) r.headers.add("access-control-max-age", std::to_string(*age));
  if (creds) r.headers.add("access-control-allow-credentials", "true");
  return r;
}

void cors_response_headers(const json::object& cors, const HttpRequest& req, HttpResponse& r) {
  auto* origin = req.header("origin");
  if (!origin) return;
  // API Gateway replaces whatever CORS headers the integration returned.
  for (auto name : {"access-control-allow-origin", "access-control-allow-credentials", "access-control-expose-headers",
                    "access-control-allow-methods", "access-control-allow-headers", "access-control-max-age"})
    r.headers.remove(name);
  auto origins = string_list(cors, "AllowOrigins");
  if (!origin_allowed(origins, *origin)) return;
  bool creds = get_bool(cors, "AllowCredentials");
  bool star = std::find(origins.begin(), origins.end(), "*") != origins.end();
  r.headers.add("access-control-allow-origin", star && !creds ? "*" : *origin);
  if (creds) r.headers.add("access-control-allow-credentials", "true");
  auto expose = string_list(cors, "ExposeHeaders");
  if (!expose.empty()) r.headers.add("access-control-expose-headers", to_lower(join(expose)));
  r.headers.add("vary", "origin");
}

// --- one exchange ---

std::optional<std::string> HttpExchange::param_value(std::string_view expr) const {
  // "$request.header.x", "$request.querystring.x", "$request.path.x", "$request.path", "$context.x",
  // "$stageVariables.x", "$request.body.x" (JSONPath-less: top-level member), or literal text
  // (which may embed ${...} expressions).
  auto one = [&](std::string_view e) -> std::optional<std::string> {
    if (e.starts_with("$request.header.")) {
      auto vals = inv.header_values(e.substr(16));
      if (vals.empty()) return std::nullopt;
      return join(vals);
    }
    if (e.starts_with("$request.querystring.")) {
      std::vector<std::string> vals;
      for (auto& [k, v] : inv.query)
        if (k == e.substr(21)) vals.push_back(v);
      if (vals.empty()) return std::nullopt;
      return join(vals);
    }
    if (e == "$request.path") return inv.path;
    if (e.starts_with("$request.path.")) {
      if (auto* v = find(path_params, e.substr(14))) return to_text(*v);
      return std::nullopt;
    }
    if (e.starts_with("$request.body.")) {
      auto doc = parse_object(inv.body);
      if (auto* v = find(doc, e.substr(14))) return to_text(*v);
      return std::nullopt;
    }
    if (e.starts_with("$stageVariables.")) {
      if (stage_vars)
        if (auto* v = find(*stage_vars, e.substr(16))) return to_text(*v);
      return std::nullopt;
    }
    if (e.starts_with("$context.")) {
      auto name = e.substr(9);
      if (name == "requestId") return inv.request_id;
      if (name == "stage") return inv.stage;
      if (name == "apiId") return inv.api_id;
      if (name == "routeKey") return route_key;
      if (name == "httpMethod") return inv.method;
      if (name == "path") return inv.raw_path;
      if (name == "identity.sourceIp") return inv.source_ip;
      if (name == "identity.userAgent") return inv.user_agent;
      if (name.starts_with("authorizer.") && authorizer) {
        const json::value* cur = nullptr;
        json::value root = *authorizer;
        cur = &root;
        for (auto part : split(name.substr(11), '.')) {
          if (!cur->is_object()) return std::nullopt;
          cur = find(cur->get_object(), part);
          if (!cur) {
            // $context.authorizer.x also reads the Lambda context ($context.authorizer.lambda.x).
            return std::nullopt;
          }
        }
        return to_text(*cur);
      }
      return std::nullopt;
    }
    return std::string(e);
  };
  auto ident = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-'; };
  bool whole = expr.starts_with("$") && !expr.starts_with("${");
  for (size_t k = 1; whole && k < expr.size(); ++k) whole = ident(expr[k]);
  if (whole) return one(expr);
  // Literal text with embedded ${...} or $request... references.
  std::string out;
  size_t i = 0;
  while (i < expr.size()) {
    auto p = expr.find('$', i);
    if (p == std::string_view::npos) break;
    out.append(expr.substr(i, p - i));
    if (p + 1 < expr.size() && expr[p + 1] == '{') {
      auto end = expr.find('}', p);
      if (end == std::string_view::npos) break;
      if (auto v = one("$" + std::string(expr.substr(p + 2, end - p - 2)))) out += *v;
      i = end + 1;
    } else {
      size_t end = p + 1;
      while (end < expr.size() && ident(expr[end])) ++end;
      while (end > p + 1 && expr[end - 1] == '.') --end;
      if (end == p + 1) {
        out += '$';
        i = p + 1;
        continue;
      }
      if (auto v = one(expr.substr(p, end - p))) out += *v;
      i = end;
    }
  }
  out.append(expr.substr(i));
  return out;
}

boost::asio::awaitable<HttpResponse> HttpExchange::lambda(const json::object& integration) {
  std::string fn = lambda_arn_from_uri(str_or(integration, "IntegrationUri"));
  if (fn.empty()) co_return json_message(500, "Internal Server Error");
  std::string version(str_or(integration, "PayloadFormatVersion", "1.0"));
  if (iam_caller && version == "2.0") authorizer = json::object{{"iam", *iam_caller}};
  const std::string* ct = inv.header("content-type");
  bool b64 = !is_text_content(ct ? *ct : "") || !valid_utf8(inv.body) ||
             (ct && to_lower(*ct).find("x-www-form-urlencoded") != std::string::npos);
  json::object event = version == "2.0"
                           ? http_v2_event(inv, route_key, path_params, stage_vars, authorizer ? &*authorizer : nullptr, b64)
                           : http_v1_event(inv, route_key, route_path, path_params, stage_vars,
                                           authorizer ? &*authorizer : nullptr, b64, iam_caller ? &*iam_caller : nullptr);
  auto timeout = std::chrono::milliseconds(opt_int(integration, "TimeoutInMillis").value_or(30000));
  LambdaResult res = co_await invoke_lambda(env, fn, json::serialize(event), timeout, method_arn(inv, inv.method, inv.path));
  switch (res.status) {
    case LambdaResult::Status::timeout: co_return json_message(503, "Service Unavailable");
    case LambdaResult::Status::failed:
    case LambdaResult::Status::function_error: co_return json_message(500, "Internal Server Error");
    case LambdaResult::Status::ok: break;
  }
  ProxyResponse pr;
  ProxyError e = version == "2.0" ? parse_proxy_response_v2(res.payload, pr)
                                  : parse_proxy_response_v1(res.payload, false, true, pr);
  if (e != ProxyError::none) co_return json_message(500, "Internal Server Error");
  HttpResponse r;
  r.status = pr.status;
  r.headers = std::move(pr.headers);
  r.body = Payload(std::move(pr.body));
  co_return r;
}

boost::asio::awaitable<HttpResponse> HttpExchange::http_proxy(const json::object& integration) {
  std::string uri(str_or(integration, "IntegrationUri"));
  Pairs headers;
  for (auto& [k, v] : inv.headers)
    if (!hop_by_hop(k)) headers.emplace_back(k, v);
  Pairs query = inv.query;
  std::string path_override;
  // Parameter mapping: "<action>:<location>.<name>" → value expression.
  if (auto* params = opt_obj(integration, "RequestParameters"))
    for (auto& [k, v] : *params) {
      std::string_view key = k;
      auto colon = key.find(':');
      if (colon == std::string_view::npos) continue;
      std::string_view action = key.substr(0, colon), target = key.substr(colon + 1);
      auto value = param_value(to_text(v));
      if (target == "path") {
        if (action == "overwrite" && value) path_override = *value;
        continue;
      }
      auto dot = target.find('.');
      if (dot == std::string_view::npos) continue;
      std::string_view where = target.substr(0, dot);
      std::string name(target.substr(dot + 1));
      Pairs& list = where == "header" ? headers : query;
      if (where != "header" && where != "querystring") continue;
      auto same = [&](const auto& p) { return where == "header" ? iequals(p.first, name) : p.first == name; };
      if (action == "remove" || action == "overwrite") std::erase_if(list, same);
      if ((action == "append" || action == "overwrite") && value) list.emplace_back(name, *value);
    }
  // {proxy} / {name} in the URI take the route's path parameters.
  for (auto& [key, v] : path_params) {
    std::string k(key), val = to_text(v);
    for (std::string token : {"{" + k + "+}", "{" + k + "}"})
      for (size_t p; (p = uri.find(token)) != std::string::npos;) uri.replace(p, token.size(), val);
  }
  if (!path_override.empty()) {
    auto scheme = uri.find("://");
    auto slash = uri.find('/', scheme == std::string::npos ? 0 : scheme + 3);
    uri = (slash == std::string::npos ? uri : uri.substr(0, slash)) + path_override;
  }
  HttpClientRequest rq;
  rq.method = std::string(str_or(integration, "IntegrationMethod", "ANY"));
  if (rq.method == "ANY") rq.method = inv.method;
  rq.url = uri;
  std::string qs = encode_query(query);
  if (!qs.empty()) rq.url += (rq.url.find('?') == std::string::npos ? "?" : "&") + qs;
  for (auto& [k, v] : headers) rq.headers.add(k, v);
  rq.body = inv.body;
  rq.timeout = std::chrono::milliseconds(opt_int(integration, "TimeoutInMillis").value_or(30000));
  HttpResponse r;
  try {
    auto resp = co_await http_request(env.io.get_executor(), std::move(rq));
    r.status = resp.status;
    for (auto& [k, v] : resp.headers)
      if (!hop_by_hop(k)) r.headers.add(k, v);
    r.body = Payload(std::move(resp.body));
  } catch (const HttpClientError& e) {
    spdlog::warn("apigateway: HTTP integration {} failed: {}", uri, e.what());
    if (std::string_view(e.what()).find("time") != std::string_view::npos) co_return json_message(503, "Service Unavailable");
    co_return json_message(500, "Internal Server Error");
  }
  // Response parameter mapping by status code.
  if (auto* rps = opt_obj(integration, "ResponseParameters"))
    if (auto* m = opt_obj(*rps, std::to_string(r.status)))
      for (auto& [k, v] : *m) {
        std::string_view key = k;
        auto colon = key.find(':');
        if (colon == std::string_view::npos) continue;
        std::string_view action = key.substr(0, colon), target = key.substr(colon + 1);
        std::string expr = to_text(v);
        std::optional<std::string> value;
        if (expr.starts_with("$response.header.")) {
          if (auto* h = r.headers.get(std::string_view(expr).substr(17))) value = *h;
        } else if (expr == "$response.body") {
          value = r.body.read_all();
        } else {
          value = param_value(expr);
        }
        if (target == "statuscode") {
          if (value)
            if (auto n = parse_int(*value)) r.status = static_cast<int>(*n);
          continue;
        }
        if (!target.starts_with("header.")) continue;
        std::string name(target.substr(7));
        if (action == "remove" || action == "overwrite") r.headers.remove(name);
        if ((action == "append" || action == "overwrite") && value) r.headers.add(name, *value);
      }
  co_return r;
}

boost::asio::awaitable<HttpResponse> HttpExchange::run() {
  auto match = dep.tree.match(inv.path, inv.method);
  const HttpRoute* route = nullptr;
  if (match) {
    route = match->target;
    for (auto& [k, v] : match->params) path_params[k] = valid_utf8_text(url_decode(v));
  } else {
    route = dep.route("$default");
  }
  if (!route) co_return json_message(404, "Not Found");
  route_key = route->route_key;
  route_path = route->path.empty() ? inv.path : route->path;
  const json::object& r = route->route;
  // Route throttling: the route's settings, else the stage's default route settings.
  if (stage_settings) {
    const json::object* limits = nullptr;
    // Each route has its own bucket, also under the stage's defaults.
    std::string bucket = "route/" + inv.api_id + "/" + inv.stage + "/" + route_key;
    if (auto* routes = opt_obj(*stage_settings, "RouteSettings"))
      if (auto* mine = opt_obj(*routes, route_key);
          mine && (find(*mine, "ThrottlingRateLimit") || find(*mine, "ThrottlingBurstLimit")))
        limits = mine;
    if (!limits) limits = opt_obj(*stage_settings, "DefaultRouteSettings");
    if (limits) {
      auto rate = opt_number(*limits, "ThrottlingRateLimit");
      auto burst = opt_number(*limits, "ThrottlingBurstLimit");
      if ((rate || burst) && !dp.take_token(bucket, rate.value_or(10000.0), burst.value_or(5000.0),
                                            static_cast<double>(inv.time_ms) / 1000.0))
        co_return json_message(429, "Too Many Requests");
    }
  }
  std::string_view auth = str_or(r, "AuthorizationType", "NONE");
  if (auth == "JWT" || auth == "CUSTOM") {
    auto it = dep.authorizers.find(str_or(r, "AuthorizerId"));
    if (it == dep.authorizers.end()) co_return json_message(500, "Internal Server Error");
    HttpAuthRequest ar{&inv, route_key, &path_params, stage_vars, opt_arr(r, "AuthorizationScopes")};
    AuthOutcome out = co_await v2_authorize(dp, env, it->second, ar);
    switch (out.kind) {
      case AuthOutcome::Kind::unauthorized: {
        HttpResponse e = json_message(401, "Unauthorized");
        for (auto& h : out.headers) e.headers.add(h.first, h.second);
        co_return e;
      }
      case AuthOutcome::Kind::deny: {
        HttpResponse e = json_message(403, "Forbidden");
        for (auto& h : out.headers) e.headers.add(h.first, h.second);
        co_return e;
      }
      case AuthOutcome::Kind::config_error: co_return json_message(500, "Internal Server Error");
      case AuthOutcome::Kind::allow: break;
    }
    authorizer = std::move(out.context);
  } else if (auth == "AWS_IAM") {
    const std::string* authz = inv.header("authorization");
    if (!authz || !authz->starts_with("AWS4-HMAC-SHA256")) co_return json_message(403, "Forbidden");
    // The caller as its SigV4 credential names it (signatures are checked only in --auth strict, by
    // the core): payload 2.0 events carry it as requestContext.authorizer.iam.
    auto cred = authz->find("Credential=");
    if (cred != std::string::npos) {
      std::string akid = authz->substr(cred + 11, authz->find('/', cred) - cred - 11);
      std::string account = env.identities.account_for(akid);
      const Principal* p = env.identities.find(akid);
      std::string user_id = p && !p->user_id.empty() ? p->user_id : akid;
      iam_caller = json::object{{"accessKey", akid},
                                {"accountId", account},
                                {"callerId", user_id},
                                {"cognitoIdentity", nullptr},
                                {"principalOrgId", nullptr},
                                {"userArn", p && !p->arn.empty() ? p->arn : "arn:aws:iam::" + account + ":root"},
                                {"userId", user_id}};
    }
  }
  if (route->integration.empty()) co_return json_message(500, "Internal Server Error");
  std::string_view type = str_or(route->integration, "IntegrationType");
  if (type == "AWS_PROXY") co_return co_await lambda(route->integration);
  if (type == "HTTP_PROXY") co_return co_await http_proxy(route->integration);
  spdlog::warn("apigateway: HTTP API integration type {} is not supported by Stratus", type);
  co_return json_message(500, "Internal Server Error");
}

// --- entry point ---

boost::asio::awaitable<HttpResponse> DataPlane::serve_http_api(RequestContext& ctx, HttpRequest& req,
                                                               std::shared_ptr<const ApiEntry> api, const InvokeTarget& t) {
  auto second = t.path.find('/', 1);
  std::string first = t.path.size() > 1 ? t.path.substr(1, second == std::string::npos ? std::string::npos : second - 1) : "";
  std::string stage, rest;
  const StageInfo* st = nullptr;
  if (!first.empty() && first != "$default" && (st = api->stage(first))) {
    stage = first;
    rest = second == std::string::npos ? "/" : t.path.substr(second);
  } else if ((st = api->stage("$default"))) {
    stage = "$default";
    rest = t.path.empty() ? "/" : t.path;
  }
  if (!st || get_bool(api->doc, "DisableExecuteApiEndpoint")) co_return json_message(404, "Not Found");
  auto dep = http_deployment(*api, st->deployment_id);
  if (!dep) co_return json_message(404, "Not Found");
  const json::object* cors = opt_obj(dep->api, "CorsConfiguration");
  if (cors && req.method == "OPTIONS" && req.header("origin") && req.header("access-control-request-method")) {
    HttpResponse r = cors_preflight(*cors, req);
    r.headers.add("apigw-requestid", new_short_request_id());
    co_return r;
  }
  Invocation inv = make_invocation(ctx, req, *api, stage, rest, t.path);
  inv.request_id = inv.extended_request_id;
  inv.deployment_id = st->deployment_id;
  HttpExchange x{*this, Backend::get().env(), *api, *dep, std::move(inv), st->variables.empty() ? nullptr : &st->variables};
  x.stage_settings = &st->settings;
  HttpResponse r = co_await x.run();
  if (cors) cors_response_headers(*cors, req, r);
  r.headers.set("apigw-requestid", x.inv.request_id);
  co_return r;
}

}  // namespace stratus::apigateway
