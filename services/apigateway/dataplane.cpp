// Invoke URLs: which API a request is for, the cached API/stage/deployment views, and the
// pieces every data plane shares.
#include "dataplane.hpp"

#include "backend.hpp"

#include <stratus/clock.hpp>
#include <stratus/ids.hpp>
#include <stratus/strings.hpp>

namespace stratus::apigateway {

// --- gateway responses: AWS's default status per type (DEFAULT_4XX/5XX have none) ---
namespace {
struct GwType {
  std::string_view type;
  int status;
};
constexpr GwType kGatewayResponses[] = {
    {"ACCESS_DENIED", 403},
    {"API_CONFIGURATION_ERROR", 500},
    {"AUTHORIZER_CONFIGURATION_ERROR", 500},
    {"AUTHORIZER_FAILURE", 500},
    {"BAD_REQUEST_PARAMETERS", 400},
    {"BAD_REQUEST_BODY", 400},
    {"DEFAULT_4XX", 0},
    {"DEFAULT_5XX", 0},
    {"EXPIRED_TOKEN", 403},
    {"INTEGRATION_FAILURE", 504},
    {"INTEGRATION_TIMEOUT", 504},
    {"INVALID_API_KEY", 403},
    {"INVALID_SIGNATURE", 403},
    {"MISSING_AUTHENTICATION_TOKEN", 403},
    {"QUOTA_EXCEEDED", 429},
    {"REQUEST_TOO_LARGE", 413},
    {"RESOURCE_NOT_FOUND", 404},
    {"THROTTLED", 429},
    {"UNAUTHORIZED", 401},
    {"UNSUPPORTED_MEDIA_TYPE", 415},
    {"WAF_FILTERED", 403},
};
}  // namespace

bool is_gateway_response_type(std::string_view type) {
  for (auto& g : kGatewayResponses)
    if (g.type == type) return true;
  return false;
}

const std::vector<std::string_view>& gateway_response_types() {
  static const std::vector<std::string_view> kTypes = [] {
    std::vector<std::string_view> v;
    for (auto& g : kGatewayResponses) v.push_back(g.type);
    return v;
  }();
  return kTypes;
}

json::object default_gateway_response(std::string_view type) {
  json::object g{{"responseType", type}};
  for (auto& t : kGatewayResponses)
    if (t.type == type && t.status) g["statusCode"] = std::to_string(t.status);
  g["responseParameters"] = json::object{};
  g["responseTemplates"] = json::object{{"application/json", "{\"message\":$context.error.messageString}"}};
  g["defaultResponse"] = true;
  return g;
}

// --- invoke URLs ---

std::optional<InvokeTarget> invoke_target(const HttpRequest& req) {
  std::string_view host = req.host();
  std::string_view path = req.path;
  if (auto p = host.find(".execute-api."); p != std::string_view::npos && p > 0) {
    // /_aws/execute-api/... on an execute-api host is still the path form.
    if (!path.starts_with("/_aws/execute-api/")) return InvokeTarget{std::string(host.substr(0, p)), std::string(path), ""};
  }
  if (path.starts_with("/_aws/execute-api/")) {
    std::string_view rest = path.substr(18);
    auto slash = rest.find('/');
    std::string_view id = rest.substr(0, slash);
    if (id.empty()) return std::nullopt;
    std::string tail = slash == std::string_view::npos ? "/" : std::string(rest.substr(slash));
    return InvokeTarget{std::string(id), tail, "/_aws/execute-api/" + std::string(id)};
  }
  if (path.starts_with("/restapis/")) {
    auto marker = path.find("/_user_request_");
    if (marker == std::string_view::npos) return std::nullopt;
    auto parts = split(path.substr(10, marker - 10), '/');
    if (parts.size() != 2 || parts[0].empty() || parts[1].empty()) return std::nullopt;
    std::string_view rest = path.substr(marker + 15);
    std::string tail = "/" + std::string(parts[1]) + (rest.empty() ? "/" : std::string(rest));
    return InvokeTarget{std::string(parts[0]), tail, "/restapis/" + std::string(parts[0]) + "/" + std::string(parts[1]) + "/_user_request_"};
  }
  return std::nullopt;
}

// --- caches ---

// Compiled deployments are immutable, but auto-deploy makes one per change: they are dropped
// with everything else and recompiled on the next request.
void DataPlane::invalidate() {
  apis_.clear();
  rest_deployments_.clear();
  http_deployments_.clear();
}

void DataPlane::flush_authorizer_cache(std::string_view api_id) {
  std::string prefix = std::string(api_id) + "/";
  for (auto it = verdicts_.begin(); it != verdicts_.end();)
    it = it->first.starts_with(prefix) ? verdicts_.erase(it) : std::next(it);
}

void DataPlane::reset() {
  apis_.clear();
  rest_deployments_.clear();
  http_deployments_.clear();
  verdicts_.clear();
  jwks.clear();
  buckets_.clear();
}

bool DataPlane::take_token(const std::string& key, double rate, double burst, double now) {
  if (buckets_.size() > 100000) buckets_.clear();
  auto [it, fresh] = buckets_.try_emplace(key, Bucket{burst, now});
  Bucket& b = it->second;
  if (!fresh) b.tokens = std::min(burst, b.tokens + std::max(0.0, now - b.at) * std::max(0.0, rate));
  b.at = now;
  if (b.tokens < 1.0) return false;
  b.tokens -= 1.0;
  return true;
}

const AuthVerdict* DataPlane::cached_verdict(const std::string& key, double now) const {
  auto it = verdicts_.find(key);
  if (it == verdicts_.end() || it->second.expires <= now) return nullptr;
  return &it->second;
}

void DataPlane::cache_verdict(std::string key, AuthVerdict v) {
  if (verdicts_.size() > 10000) verdicts_.clear();
  verdicts_[std::move(key)] = std::move(v);
}

std::shared_ptr<const ApiEntry> DataPlane::api(std::string_view id) {
  if (auto it = apis_.find(std::string(id)); it != apis_.end()) return it->second;
  auto e = std::make_shared<ApiEntry>();
  e->id = std::string(id);
  Store& st = db();
  if (auto rest = st.find_any(kind::rest_api, id)) {
    e->type = ApiEntry::Type::rest;
    e->account = rest->account;
    e->region = rest->region;
    e->doc = std::move(rest->doc);
    Scope s{e->account, e->region};
    for (auto& stage : st.list(s, kind::stage, id)) {
      StageInfo si{std::string(str_or(stage, "stageName")), std::string(str_or(stage, "deploymentId")), {}};
      if (auto* v = opt_obj(stage, "variables")) si.variables = *v;
      if (auto* ms = opt_obj(stage, "methodSettings")) si.settings = *ms;
      e->stages[si.name] = std::move(si);
    }
  } else if (auto v2 = st.find_any(kind::api, id)) {
    e->type = str_or(v2->doc, "ProtocolType") == "WEBSOCKET" ? ApiEntry::Type::websocket : ApiEntry::Type::http;
    e->account = v2->account;
    e->region = v2->region;
    e->doc = std::move(v2->doc);
    Scope s{e->account, e->region};
    for (auto& stage : st.list(s, kind::v2_stage, id)) {
      StageInfo si{std::string(str_or(stage, "StageName")), std::string(str_or(stage, "DeploymentId")), {}};
      if (auto* v = opt_obj(stage, "StageVariables")) si.variables = *v;
      for (auto member : {"DefaultRouteSettings", "RouteSettings"})
        if (auto* rs = opt_obj(stage, member)) si.settings[member] = *rs;
      e->stages[si.name] = std::move(si);
    }
  } else {
    return nullptr;
  }
  std::shared_ptr<const ApiEntry> out = e;
  apis_[e->id] = out;
  return out;
}

// --- shared helpers ---

Invocation make_invocation(const RequestContext& ctx, const HttpRequest& req, const ApiEntry& api,
                           std::string_view stage, std::string path, std::string raw_path) {
  Invocation inv;
  inv.method = req.method;
  inv.path = std::move(path);
  inv.raw_path = std::move(raw_path);
  inv.raw_query = valid_utf8_text(req.query_string);
  inv.query = parse_query_string(req.query_string, true);
  for (auto& [k, v] : inv.query) {
    k = valid_utf8_text(std::move(k));
    v = valid_utf8_text(std::move(v));
  }
  inv.headers.reserve(req.headers.size());
  for (size_t i = 0; i < req.headers.size(); ++i) {
    const auto& [k, v] = req.headers[i];
    // The client's spelling of the name when the core kept it (same position, same name).
    if (i < req.header_names.size() && iequals(req.header_names[i], k))
      inv.headers.emplace_back(valid_utf8_text(req.header_names[i]), valid_utf8_text(v));
    else inv.headers.emplace_back(valid_utf8_text(k), valid_utf8_text(v));
  }
  inv.body = req.body.read_all();
  std::string_view ip = req.remote_ip;
  if (ip.starts_with("::ffff:")) ip.remove_prefix(7);
  inv.source_ip = ip.empty() ? "127.0.0.1" : std::string(ip);
  inv.user_agent = valid_utf8_text(std::string(req.header_or("user-agent")));
  inv.api_id = api.id;
  inv.stage = std::string(stage);
  inv.account = api.account;
  inv.region = api.region;
  std::string_view host = req.host();
  std::string_view hostname = host.substr(0, host.rfind(':') == std::string_view::npos ? host.size() : host.rfind(':'));
  if (auto colon = host.rfind(':'); colon != std::string_view::npos) inv.port = std::string(host.substr(colon + 1));
  else inv.port = "80";
  inv.domain_name = hostname.find(".execute-api.") != std::string_view::npos ? std::string(hostname)
                                                                              : api.id + ".execute-api.localhost";
  inv.domain_prefix = inv.domain_name.substr(0, inv.domain_name.find('.'));
  inv.request_id = ctx.request_id.empty() ? ids::uuid4() : ctx.request_id;
  inv.extended_request_id = new_short_request_id();
  inv.time_ms = Backend::get().env().clock.now_ms();
  inv.trace_id = new_trace_id(inv.time_ms);
  return inv;
}

HttpResponse json_message(int status, std::string_view message, std::string_view error_type) {
  HttpResponse r;
  r.status = status;
  std::string body = "{\"message\":";
  body += json::serialize(json::string(message));
  body += "}";
  r.body = Payload(std::move(body));
  r.headers.add("Content-Type", "application/json");
  if (!error_type.empty()) r.headers.add("x-amzn-ErrorType", std::string(error_type));
  return r;
}

std::string method_arn(const Invocation& inv, std::string_view method, std::string_view path) {
  std::string p(path);
  if (!p.empty() && p.front() == '/') p.erase(0, 1);
  return "arn:aws:execute-api:" + inv.region + ":" + inv.account + ":" + inv.api_id + "/" + inv.stage + "/" +
         std::string(method) + "/" + p;
}

std::string substitute_stage_variables(std::string_view text, const json::object* vars) {
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    auto p = text.find("${stageVariables.", i);
    if (p == std::string_view::npos) break;
    auto end = text.find('}', p);
    if (end == std::string_view::npos) break;
    out.append(text.substr(i, p - i));
    std::string_view name = text.substr(p + 17, end - p - 17);
    if (vars)
      if (auto* v = find(*vars, name); v && v->is_string()) out.append(v->get_string());
    i = end + 1;
  }
  out.append(text.substr(i));
  return out;
}

std::string encode_query(const Pairs& pairs) {
  std::string out;
  for (auto& [k, v] : pairs) {
    if (!out.empty()) out += '&';
    out += uri_encode(k) + "=" + uri_encode(v);
  }
  return out;
}

// --- dispatch ---

boost::asio::awaitable<HttpResponse> DataPlane::serve(RequestContext& ctx, HttpRequest& req) {
  auto t = invoke_target(req);
  if (!t) co_return json_message(404, "Not Found", "NotFoundException");
  auto a = api(t->api_id);
  if (!a) co_return json_message(404, "Not Found", "NotFoundException");
  switch (a->type) {
    case ApiEntry::Type::rest: co_return co_await serve_rest(ctx, req, a, *t);
    case ApiEntry::Type::http: co_return co_await serve_http_api(ctx, req, a, *t);
    case ApiEntry::Type::websocket: break;
  }
  // A WebSocket API answers plain HTTP requests with 403, as AWS's wss endpoints do.
  co_return json_message(403, "Forbidden", "ForbiddenException");
}

}  // namespace stratus::apigateway
