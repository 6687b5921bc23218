#include "backend.hpp"
#include "common.hpp"

#include <stratus/clock.hpp>
#include <stratus/ids.hpp>
#include <stratus/strings.hpp>

#include <cmath>

namespace stratus::apigateway {

std::string new_id(size_t n) { return ids::random_string(n, "abcdefghijklmnopqrstuvwxyz0123456789"); }

std::string new_key_value() {
  return ids::random_string(40, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789");
}

std::string new_connection_id() {
  return ids::random_string(15, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") + "=";
}

double now_seconds() {
  auto& b = Backend::get();
  return std::floor(b.started() ? b.env().clock.now_seconds() : 0.0);
}

json::object parse_object(std::string_view text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  return !ec && v.is_object() ? std::move(v.as_object()) : json::object();
}

std::string to_text(const json::value& v) {
  if (v.is_string()) return std::string(v.get_string());
  if (v.is_null()) return "";
  return json::serialize(v);
}

void copy_members(const json::object& from, json::object& to, std::initializer_list<std::string_view> names) {
  for (auto n : names)
    if (auto* v = find(from, n); v && !v->is_null()) to[n] = *v;
}

bool get_bool(const json::object& o, std::string_view key, bool def) { return opt_bool(o, key).value_or(def); }

Page page_v1(size_t total, const json::object& in) {
  Page p;
  int64_t limit = opt_int(in, "limit").value_or(25);
  if (limit < 1 || limit > 500) throw err::bad_request("Invalid limit: must be between 1 and 500");
  if (auto pos = opt_str(in, "position")) {
    auto n = parse_int(*pos);
    if (!n || *n < 0) throw err::bad_request("Invalid position parameter");
    p.begin = std::min<size_t>(static_cast<size_t>(*n), total);
  }
  p.end = std::min(total, p.begin + static_cast<size_t>(limit));
  if (p.end < total) p.next = std::to_string(p.end);
  return p;
}

Page page_v2(size_t total, const json::object& in) {
  Page p;
  int64_t limit = 100;
  if (auto mr = opt_str(in, "MaxResults")) {
    auto n = parse_int(*mr);
    if (!n || *n < 1) throw err::bad_request("Invalid MaxResults");
    limit = std::min<int64_t>(*n, 500);
  }
  if (auto tok = opt_str(in, "NextToken")) {
    auto n = parse_int(*tok);
    if (!n || *n < 0) throw err::bad_request("Invalid NextToken");
    p.begin = std::min<size_t>(static_cast<size_t>(*n), total);
  }
  p.end = std::min(total, p.begin + static_cast<size_t>(limit));
  if (p.end < total) p.next = std::to_string(p.end);
  return p;
}

std::string lambda_arn_from_uri(std::string_view uri) {
  // arn:aws:apigateway:<region>:lambda:path/2015-03-31/functions/<function arn>/invocations
  auto pos = uri.find(":lambda:path/");
  if (pos != std::string_view::npos) {
    auto f = uri.find("/functions/", pos);
    if (f == std::string_view::npos) return "";
    std::string_view rest = uri.substr(f + 11);
    auto inv = rest.rfind("/invocations");
    if (inv != std::string_view::npos) rest = rest.substr(0, inv);
    return url_decode(rest);
  }
  if (uri.starts_with("arn:") && uri.find(":lambda:") != std::string_view::npos &&
      uri.find(":function:") != std::string_view::npos)
    return std::string(uri);
  return "";
}

std::string invoke_host(std::string_view api_id, std::string_view endpoint) {
  std::string_view hostport = endpoint;
  if (auto p = hostport.find("://"); p != std::string_view::npos) hostport = hostport.substr(p + 3);
  std::string port = "4566";
  if (auto c = hostport.rfind(':'); c != std::string_view::npos && hostport.find(']') == std::string_view::npos)
    port = std::string(hostport.substr(c + 1));
  return std::string(api_id) + ".execute-api.localhost:" + port;
}

}  // namespace stratus::apigateway
