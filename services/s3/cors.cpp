// CORS: preflight answers (OPTIONS) and the headers of actual requests, from the bucket's rules.
#include "cors.hpp"

#include "errors.hpp"
#include "s3_service.hpp"
#include "store.hpp"

#include <stratus/strings.hpp>

namespace stratus::s3 {

bool cors_wildcard_match(std::string_view pattern, std::string_view value, bool icase) {
  std::string p = icase ? to_lower(pattern) : std::string(pattern);
  std::string v = icase ? to_lower(value) : std::string(value);
  auto star = p.find('*');
  if (star == std::string::npos) return p == v;
  std::string_view pre = std::string_view(p).substr(0, star), post = std::string_view(p).substr(star + 1);
  return v.size() >= pre.size() + post.size() && std::string_view(v).starts_with(pre) &&
         std::string_view(v).ends_with(post);
}

std::vector<std::string> split_header_list(std::string_view v) {
  std::vector<std::string> out;
  for (auto part : split(v, ',')) {
    auto t = trim(part);
    if (!t.empty()) out.push_back(to_lower(t));
  }
  return out;
}

namespace {
bool any_match(const json::array* list, std::string_view value, bool icase) {
  if (!list) return false;
  for (auto& v : *list)
    if (v.is_string() && cors_wildcard_match(v.get_string(), value, icase)) return true;
  return false;
}
std::string join(const json::array* list) {
  std::string s;
  if (!list) return s;
  for (auto& v : *list) {
    if (!v.is_string()) continue;
    if (!s.empty()) s += ", ";
    s += v.get_string();
  }
  return s;
}
}  // namespace

const json::object* match_cors_rule(const json::object& cfg, std::string_view origin, std::string_view method,
                                    const std::vector<std::string>& request_headers) {
  const json::array* rules = opt_arr(cfg, "CORSRules");
  if (!rules) return nullptr;
  for (auto& r : *rules) {
    if (!r.is_object()) continue;
    const auto& rule = r.get_object();
    if (!any_match(opt_arr(rule, "AllowedOrigins"), origin, false)) continue;
    bool method_ok = false;
    if (auto* ms = opt_arr(rule, "AllowedMethods"))
      for (auto& m : *ms) method_ok = method_ok || (m.is_string() && m.get_string() == method);
    if (!method_ok) continue;
    bool headers_ok = true;
    for (auto& h : request_headers) headers_ok = headers_ok && any_match(opt_arr(rule, "AllowedHeaders"), h, true);
    if (!headers_ok) continue;
    return &rule;
  }
  return nullptr;
}

void cors_headers_for(const json::object& rule, std::string_view origin, bool preflight,
                      const std::vector<std::string>& request_headers, Headers& out) {
  bool any_origin = false;
  if (auto* os = opt_arr(rule, "AllowedOrigins"))
    for (auto& o : *os) any_origin = any_origin || (o.is_string() && o.get_string() == "*");
  out.set("Access-Control-Allow-Origin", any_origin ? std::string("*") : std::string(origin));
  out.set("Access-Control-Allow-Methods", join(opt_arr(rule, "AllowedMethods")));
  if (!any_origin) out.set("Access-Control-Allow-Credentials", "true");
  if (auto expose = join(opt_arr(rule, "ExposeHeaders")); !expose.empty())
    out.set("Access-Control-Expose-Headers", expose);
  if (auto age = opt_int(rule, "MaxAgeSeconds")) out.set("Access-Control-Max-Age", std::to_string(*age));
  if (preflight && !request_headers.empty()) {
    std::string h;
    for (auto& x : request_headers) h += (h.empty() ? "" : ", ") + x;
    out.set("Access-Control-Allow-Headers", h);
  }
  out.set("Vary", "Origin, Access-Control-Request-Headers, Access-Control-Request-Method");
}

void S3Service::cors_response_headers(const std::string& bucket, const HttpRequest& req, Headers& out) {
  auto* origin = req.header("origin");
  if (!origin) return;
  auto cfg = store_->config(bucket, "cors");
  if (!cfg || !cfg->is_object()) return;
  if (const json::object* rule = match_cors_rule(cfg->as_object(), *origin, req.method, {}))
    cors_headers_for(*rule, *origin, false, {}, out);
}

boost::asio::awaitable<HttpResponse> S3Service::handle_preflight(RequestContext& ctx, HttpRequest& req,
                                                                 const std::string& bucket) {
  auto* origin = req.header("origin");
  auto* method = req.header("access-control-request-method");
  if (!origin || origin->empty())
    throw AwsError("BadRequest", "Insufficient information. Origin request header needed.", 400);
  if (!method || method->empty())
    throw AwsError("BadRequest", "Invalid Access-Control-Request-Method: null", 400);
  auto b = store_->bucket(bucket);
  if (!b) throw err::no_such_bucket(bucket);
  auto cfg = store_->config(bucket, "cors");
  if (!cfg || !cfg->is_object())
    throw AwsError("CORSResponse", "CORS is not enabled for this bucket.", 403)
        .with("Method", *method)
        .with("ResourceType", "BUCKET");
  auto requested = split_header_list(req.header_or("access-control-request-headers"));
  const json::object* rule = match_cors_rule(cfg->as_object(), *origin, *method, requested);
  if (!rule)
    throw AwsError("CORSResponse",
                   "This CORS request is not allowed. This is usually because the evalution of Origin, request method "
                   "/ Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the "
                   "resource's CORS spec.",
                   403)
        .with("Method", *method)
        .with("ResourceType", "OBJECT");
  HttpResponse r;
  r.status = 200;
  cors_headers_for(*rule, *origin, true, requested, r.headers);
  r.headers.set("Content-Length", "0");
  (void)ctx;
  co_return r;
}

}  // namespace stratus::s3
