// The edge router: one table decides which service a request is for, in DESIGN.md's order.
#include "core.hpp"

#include <stratus/sigv4.hpp>
#include <stratus/strings.hpp>

namespace stratus::server {

namespace {
bool is_form(const HttpRequest& req) {
  return req.header_or("content-type").find("x-www-form-urlencoded") != std::string_view::npos;
}
bool has_query_model(const ServiceInfo& info) {
  for (auto& m : info.models)
    if (m.protocol == Protocol::query) return true;
  return false;
}
}  // namespace

Router::Router(ServiceRegistry& services) : services_(services) {
  for (auto& s : services.all()) {
    const auto& info = s->info();
    for (auto& t : info.target_prefixes) by_target_[t] = s.get();
    for (auto& n : info.signing_names) by_signing_[n].push_back(s.get());
    if (!info.query_version.empty()) by_query_version_[info.query_version] = s.get();
    if (info.fallback) fallback_ = s.get();
    if (info.early_claims) early_.push_back(s.get());
  }
}

std::optional<Route> Router::claimed(Service* s, HttpRequest& req) const {
  Route r;
  r.service = s;
  switch (s->claim(req)) {
    case Service::Claim::none: return std::nullopt;
    case Service::Claim::model: return for_service(s, req);
    case Service::Claim::http: r.kind = Route::Kind::http; return r;
    case Service::Claim::websocket: r.kind = Route::Kind::websocket; return r;
  }
  return std::nullopt;
}

Route Router::for_service(Service* s, const HttpRequest& req) const {
  Route r;
  r.kind = Route::Kind::model;
  r.service = s;
  const auto& info = s->info();
  r.protocol = info.models.empty() ? Protocol::json : info.models.front().protocol;
  if (has_query_model(info) && (req.query_param("Action") || (req.method == "POST" && is_form(req))))
    r.protocol = Protocol::query;
  return r;
}

Route Router::route(HttpRequest& req, bool with_body) const {
  std::string_view path = req.path;
  // 1. Internal endpoints.
  if (path.starts_with("/_stratus/") || path.starts_with("/_localstack/") || path.starts_with("/moto-api/")) {
    // A service may own /_stratus/<name>/... (SNS's recorded deliveries) through its http claim.
    if (path.starts_with("/_stratus/"))
      for (auto& s : services_.all())
        if (path.substr(10).starts_with(s->name() + "/") && s->claim(req) == Service::Claim::http) {
          Route r;
          r.kind = Route::Kind::http;
          r.service = s.get();
          return r;
        }
    Route r;
    r.kind = Route::Kind::internal;
    return r;
  }
  // 2. X-Amz-Target (json protocols).
  if (auto* target = req.header("x-amz-target")) {
    std::string_view t = *target;
    auto dot = t.rfind('.');
    std::string prefix(dot == std::string_view::npos ? t : t.substr(0, dot));
    auto it = by_target_.find(prefix);
    if (it != by_target_.end()) {
      Route r;
      r.kind = Route::Kind::model;
      r.service = it->second;
      r.protocol = Protocol::json;
      return r;
    }
    Route r;
    r.why = "X-Amz-Target '" + std::string(t) + "' names no emulated service";
    return r;
  }
  // Services with exact data-plane hosts (API Gateway invoke URLs) claim before anything else
  // looks at the request, preflights included.
  for (Service* s : early_)
    if (auto r = claimed(s, req)) return *r;
  // CORS preflights carry no signature or target: those for API calls (an X-Amz-Target or
  // SigV4 header requested, or the service root) are answered by the core; the rest (S3 paths,
  // data planes with their own CORS rules) go to the service that claims them below.
  if (req.method == "OPTIONS" && req.header("origin") && req.header("access-control-request-method")) {
    std::string requested = to_lower(req.header_or("access-control-request-headers"));
    if (path == "/" || requested.find("x-amz-target") != std::string::npos) return Route{};
  }
  // 3. Host and path claims of services (virtual hosts, data planes).
  for (auto& s : services_.all())
    if (!s->info().early_claims)
      if (auto r = claimed(s.get(), req)) return *r;
  // 4. SigV4 credential scope.
  auto scope = sigv4::parse_scope(req);
  if (scope) {
    auto it = by_signing_.find(scope->service);
    if (it != by_signing_.end()) {
      const auto& candidates = it->second;
      if (candidates.size() == 1) return for_service(candidates.front(), req);
      // Several services share a signing name (apigateway: REST v1 and v2 under /v2/).
      for (Service* s : candidates)
        if (s->claim(req) != Service::Claim::none) return for_service(s, req);
      Service* pick = candidates.front();
      for (Service* s : candidates)
        if (s->name() == "apigatewayv2" && path.starts_with("/v2/")) pick = s;
        else if (s->name() == "apigateway" && !path.starts_with("/v2/") && pick->name() == "apigatewayv2") pick = s;
      return for_service(pick, req);
    }
  }
  // 5. Query protocol: Action= with Version= (query string, or the form body once read).
  const std::string* version = req.query_param("Version");
  std::string body_version;
  if (!version && with_body && req.method == "POST" && is_form(req) && req.body.size() < (1 << 20)) {
    for (auto& [k, v] : parse_query_string(req.body.read_all(), true))
      if (k == "Version") body_version = v;
    if (!body_version.empty()) version = &body_version;
  }
  if (version) {
    auto it = by_query_version_.find(*version);
    if (it != by_query_version_.end()) {
      Route r;
      r.kind = Route::Kind::model;
      r.service = it->second;
      r.protocol = Protocol::query;
      return r;
    }
  }
  if (scope) {
    Route r;
    r.why = "the SigV4 credential scope names service '" + scope->service + "', which Stratus does not emulate";
    return r;
  }
  // An unsigned form POST names its service in the body (Action=...&Version=...): read it first.
  if (!with_body && req.method == "POST" && is_form(req)) {
    Route r;
    r.why = "the form body names no known Action/Version";
    return r;
  }
  // 6. The fallback service (S3 takes unsigned path-style requests).
  if (fallback_) return for_service(fallback_, req);
  Route r;
  r.why = "no X-Amz-Target, no SigV4 credential scope, no Action/Version parameters, and no service claims host '" +
          std::string(req.host()) + "' or path '" + std::string(path) + "'";
  return r;
}

}  // namespace stratus::server
