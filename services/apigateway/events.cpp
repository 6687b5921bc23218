#include "events.hpp"

#include <stratus/crypto.hpp>
#include <stratus/ids.hpp>
#include <stratus/strings.hpp>

#include <ctime>

namespace stratus::apigateway {

const std::string* Invocation::header(std::string_view name) const {
  const std::string* found = nullptr;
  for (auto& [k, v] : headers)
    if (iequals(k, name)) found = &v;
  return found;
}

std::vector<std::string> Invocation::header_values(std::string_view name) const {
  std::vector<std::string> out;
  for (auto& [k, v] : headers)
    if (iequals(k, name)) out.push_back(v);
  return out;
}

std::string valid_utf8_text(std::string s) {
  if (valid_utf8(s)) return s;
  std::string out;
  out.reserve(s.size() + 8);
  for (size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    size_t len = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
    if (len && i + len <= s.size() && valid_utf8(std::string_view(s).substr(i, len))) {
      out.append(s, i, len);
      i += len;
    } else {
      out += "\xEF\xBF\xBD";
      ++i;
    }
  }
  return out;
}

std::string clf_time(int64_t epoch_ms) {
  std::time_t t = static_cast<std::time_t>(epoch_ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%d/%b/%Y:%H:%M:%S +0000", &tm);
  return buf;
}

std::string new_trace_id(int64_t epoch_ms) {
  char head[16];
  std::snprintf(head, sizeof head, "%08llx", static_cast<unsigned long long>(epoch_ms / 1000));
  // Trace ids need uniqueness, not secrecy: the ids PRNG, not the CSPRNG (a syscall per request).
  uint64_t a = ids::random64(), b = ids::random64();
  char tail[25];
  std::snprintf(tail, sizeof tail, "%016llx%08llx", static_cast<unsigned long long>(a),
                static_cast<unsigned long long>(b & 0xffffffffull));
  return "Root=1-" + std::string(head) + "-" + std::string(tail, 24);
}

std::string new_short_request_id() {
  return ids::random_string(15, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") + "=";
}

bool matches_media_type(std::string_view content_type, const json::array* types) {
  if (!types || types->empty()) return false;
  std::string ct = to_lower(trim(content_type.substr(0, content_type.find(';'))));
  for (auto& v : *types) {
    if (!v.is_string()) continue;
    // Types are stored escaped in patch paths (image~1png) but plain in documents.
    std::string t = to_lower(v.get_string());
    for (size_t p; (p = t.find("~1")) != std::string::npos;) t.replace(p, 2, "/");
    if (t == "*/*" || t == ct) return true;
    if (t.size() > 2 && t.ends_with("/*") && ct.starts_with(t.substr(0, t.size() - 1))) return true;
  }
  return false;
}

bool is_text_content(std::string_view content_type) {
  std::string ct = to_lower(trim(content_type.substr(0, content_type.find(';'))));
  if (ct.empty()) return true;
  return ct.starts_with("text/") || ct.find("json") != std::string::npos || ct.find("xml") != std::string::npos ||
         ct.find("javascript") != std::string::npos || ct.find("yaml") != std::string::npos ||
         ct == "application/graphql";
}

namespace {

json::value str_or_null(std::string_view s) { return s.empty() ? json::value(nullptr) : json::value(json::string(s)); }

// Single values keep the last occurrence, as AWS does.
void single_and_multi(const Pairs& pairs, json::object& single, json::object& multi) {
  for (auto& [k, v] : pairs) {
    single[k] = v;
    auto& slot = multi[k];
    if (!slot.is_array()) slot = json::array();
    slot.as_array().push_back(json::string(v));
  }
}

json::value or_null(json::object o) { return o.empty() ? json::value(nullptr) : json::value(std::move(o)); }

std::string title_case(std::string_view name) {
  std::string out(name);
  bool up = true;
  for (auto& ch : out) {
    ch = static_cast<char>(up ? std::toupper(static_cast<unsigned char>(ch)) : std::tolower(static_cast<unsigned char>(ch)));
    up = ch == '-';
  }
  return out;
}

std::string body_text(const Invocation& inv, bool base64) { return base64 ? crypto::base64(inv.body) : inv.body; }

}  // namespace

json::object rest_identity(const Invocation& inv) {
  return json::object{{"cognitoIdentityPoolId", nullptr},
                      {"accountId", nullptr},
                      {"cognitoIdentityId", nullptr},
                      {"caller", nullptr},
                      {"sourceIp", inv.source_ip},
                      {"principalOrgId", nullptr},
                      {"accessKey", nullptr},
                      {"cognitoAuthenticationType", nullptr},
                      {"cognitoAuthenticationProvider", nullptr},
                      {"userArn", nullptr},
                      {"userAgent", str_or_null(inv.user_agent)},
                      {"user", nullptr}};
}

json::object rest_request_context(const Invocation& inv, std::string_view resource_id, std::string_view resource_path,
                                  const json::object& identity, const json::object* authorizer) {
  json::object c;
  c["resourceId"] = resource_id;
  if (authorizer) c["authorizer"] = *authorizer;
  c["resourcePath"] = resource_path;
  c["httpMethod"] = inv.method;
  c["extendedRequestId"] = inv.extended_request_id;
  c["requestTime"] = clf_time(inv.time_ms);
  c["path"] = "/" + inv.stage + (inv.path == "/" ? std::string("/") : inv.path);
  c["accountId"] = inv.account;
  c["protocol"] = inv.protocol;
  c["stage"] = inv.stage;
  c["domainPrefix"] = inv.domain_prefix;
  c["requestTimeEpoch"] = inv.time_ms;
  c["requestId"] = inv.request_id;
  c["identity"] = identity;
  c["domainName"] = inv.domain_name;
  c["deploymentId"] = inv.deployment_id;
  c["apiId"] = inv.api_id;
  return c;
}

Pairs rest_event_headers(const Invocation& inv) {
  Pairs out;
  std::string xff;
  bool has_trace = false, has_port = false, has_proto = false;
  for (auto& [k, v] : inv.headers) {
    std::string lk = to_lower(k);
    if (lk == "content-length" || lk == "connection") continue;
    if (lk == "x-forwarded-for") {
      xff = v;
      continue;
    }
    if (lk == "x-amzn-trace-id") has_trace = true;
    if (lk == "x-forwarded-port") has_port = true;
    if (lk == "x-forwarded-proto") has_proto = true;
    // CloudFront, in front of every edge API, capitalises these two.
    if (lk == "authorization" || lk == "user-agent") out.emplace_back(title_case(k), v);
    else out.emplace_back(k, v);
  }
  if (!has_trace) out.emplace_back("X-Amzn-Trace-Id", inv.trace_id);
  out.emplace_back("X-Forwarded-For", xff.empty() ? inv.source_ip : xff + ", " + inv.source_ip);
  if (!has_port) out.emplace_back("X-Forwarded-Port", inv.port);
  if (!has_proto) out.emplace_back("X-Forwarded-Proto", "http");
  return out;
}

json::object rest_proxy_event(const Invocation& inv, std::string_view resource_path, const json::object& path_params,
                              const json::object* stage_variables, json::object request_context, bool base64_body) {
  json::object headers, mv_headers, query, mv_query;
  single_and_multi(rest_event_headers(inv), headers, mv_headers);
  single_and_multi(inv.query, query, mv_query);
  json::object e;
  e["resource"] = resource_path;
  e["path"] = inv.path;
  e["httpMethod"] = inv.method;
  e["headers"] = or_null(std::move(headers));
  e["multiValueHeaders"] = or_null(std::move(mv_headers));
  e["queryStringParameters"] = or_null(std::move(query));
  e["multiValueQueryStringParameters"] = or_null(std::move(mv_query));
  e["pathParameters"] = or_null(path_params);
  e["stageVariables"] = stage_variables && !stage_variables->empty() ? json::value(*stage_variables) : json::value(nullptr);
  e["requestContext"] = std::move(request_context);
  e["body"] = inv.body.empty() ? json::value(nullptr) : json::value(json::string(body_text(inv, base64_body)));
  e["isBase64Encoded"] = base64_body && !inv.body.empty();
  return e;
}

json::object http_v1_event(const Invocation& inv, std::string_view route_key, std::string_view resource_path,
                           const json::object& path_params, const json::object* stage_variables,
                           const json::object* authorizer, bool base64_body, const json::object* iam) {
  json::object headers, mv_headers, query, mv_query;
  Pairs hs;
  for (auto& [k, v] : inv.headers)
    if (!iequals(k, "connection")) hs.emplace_back(to_lower(k), v);
  if (!inv.header("x-amzn-trace-id")) hs.emplace_back("x-amzn-trace-id", inv.trace_id);
  if (!inv.header("x-forwarded-for")) hs.emplace_back("x-forwarded-for", inv.source_ip);
  if (!inv.header("x-forwarded-port")) hs.emplace_back("x-forwarded-port", inv.port);
  if (!inv.header("x-forwarded-proto")) hs.emplace_back("x-forwarded-proto", "http");
  single_and_multi(hs, headers, mv_headers);
  single_and_multi(inv.query, query, mv_query);
  json::object identity{{"accessKey", nullptr},
                        {"accountId", nullptr},
                        {"caller", nullptr},
                        {"cognitoAuthenticationProvider", nullptr},
                        {"cognitoAuthenticationType", nullptr},
                        {"cognitoIdentityId", nullptr},
                        {"cognitoIdentityPoolId", nullptr},
                        {"principalOrgId", nullptr},
                        {"sourceIp", inv.source_ip},
                        {"user", nullptr},
                        {"userAgent", inv.user_agent},
                        {"userArn", nullptr}};
  if (iam) {
    identity["accessKey"] = str_or(*iam, "accessKey");
    identity["accountId"] = str_or(*iam, "accountId");
    identity["caller"] = str_or(*iam, "callerId");
    identity["user"] = str_or(*iam, "userId");
    identity["userArn"] = str_or(*iam, "userArn");
  }
  json::object c;
  c["accountId"] = inv.account;
  c["apiId"] = inv.api_id;
  if (authorizer) c["authorizer"] = *authorizer;
  c["domainName"] = inv.domain_name;
  c["domainPrefix"] = inv.domain_prefix;
  c["extendedRequestId"] = inv.extended_request_id;
  c["httpMethod"] = inv.method;
  c["identity"] = std::move(identity);
  c["path"] = inv.raw_path;
  c["protocol"] = inv.protocol;
  c["requestId"] = inv.request_id;
  c["requestTime"] = clf_time(inv.time_ms);
  c["requestTimeEpoch"] = inv.time_ms;
  c["resourceId"] = route_key;
  c["resourcePath"] = resource_path;
  c["stage"] = inv.stage;
  json::object e;
  e["version"] = "1.0";
  e["resource"] = resource_path;
  e["path"] = inv.raw_path;
  e["httpMethod"] = inv.method;
  e["headers"] = std::move(headers);
  e["multiValueHeaders"] = std::move(mv_headers);
  e["queryStringParameters"] = or_null(std::move(query));
  e["multiValueQueryStringParameters"] = or_null(std::move(mv_query));
  e["requestContext"] = std::move(c);
  e["pathParameters"] = or_null(path_params);
  e["stageVariables"] = stage_variables && !stage_variables->empty() ? json::value(*stage_variables) : json::value(nullptr);
  e["body"] = inv.body.empty() ? json::value(nullptr) : json::value(json::string(body_text(inv, base64_body)));
  e["isBase64Encoded"] = base64_body && !inv.body.empty();
  return e;
}

json::object http_v2_headers(const Invocation& inv, json::array* cookies) {
  json::object headers;
  auto add = [&](std::string name, const std::string& v) {
    auto& slot = headers[name];
    if (slot.is_string()) slot = json::string(std::string(slot.get_string()) + "," + v);
    else slot = json::string(v);
  };
  for (auto& [k, v] : inv.headers) {
    std::string lk = to_lower(k);
    if (lk == "connection") continue;
    if (lk == "cookie" && cookies) {
      for (auto part : split(v, ';')) {
        auto t = trim(part);
        if (!t.empty()) cookies->push_back(json::string(t));
      }
      continue;
    }
    add(lk, v);
  }
  if (!headers.contains("x-amzn-trace-id")) headers["x-amzn-trace-id"] = inv.trace_id;
  if (auto* xff = headers.if_contains("x-forwarded-for"); xff && xff->is_string())
    *xff = json::string(std::string(xff->get_string()) + ", " + inv.source_ip);
  else headers["x-forwarded-for"] = inv.source_ip;
  if (!headers.contains("x-forwarded-port")) headers["x-forwarded-port"] = inv.port;
  if (!headers.contains("x-forwarded-proto")) headers["x-forwarded-proto"] = "http";
  return headers;
}

json::object http_v2_event(const Invocation& inv, std::string_view route_key, const json::object& path_params,
                           const json::object* stage_variables, const json::object* authorizer, bool base64_body) {
  json::array cookies;
  json::object headers = http_v2_headers(inv, &cookies);
  json::object query;
  for (auto& [k, v] : inv.query) {
    auto& slot = query[k];
    if (slot.is_string()) slot = json::string(std::string(slot.get_string()) + "," + v);
    else slot = json::string(v);
  }
  json::object http{{"method", inv.method},
                    {"path", inv.raw_path},
                    {"protocol", inv.protocol},
                    {"sourceIp", inv.source_ip},
                    {"userAgent", inv.user_agent}};
  json::object c;
  c["accountId"] = inv.account;
  c["apiId"] = inv.api_id;
  if (authorizer) c["authorizer"] = *authorizer;
  c["domainName"] = inv.domain_name;
  c["domainPrefix"] = inv.domain_prefix;
  c["http"] = std::move(http);
  c["requestId"] = inv.request_id;
  c["routeKey"] = route_key;
  c["stage"] = inv.stage;
  c["time"] = clf_time(inv.time_ms);
  c["timeEpoch"] = inv.time_ms;
  json::object e;
  e["version"] = "2.0";
  e["routeKey"] = route_key;
  e["rawPath"] = inv.raw_path;
  e["rawQueryString"] = inv.raw_query;
  if (!cookies.empty()) e["cookies"] = std::move(cookies);
  e["headers"] = std::move(headers);
  if (!query.empty()) e["queryStringParameters"] = std::move(query);
  e["requestContext"] = std::move(c);
  if (!inv.body.empty()) e["body"] = body_text(inv, base64_body);
  if (!path_params.empty()) e["pathParameters"] = path_params;
  e["isBase64Encoded"] = base64_body && !inv.body.empty();
  if (stage_variables && !stage_variables->empty()) e["stageVariables"] = *stage_variables;
  return e;
}

json::object websocket_event(const Invocation& inv, const WsEventInfo& info) {
  json::object e;
  if (info.headers) {
    json::object headers, mv;
    single_and_multi(*info.headers, headers, mv);
    e["headers"] = std::move(headers);
    e["multiValueHeaders"] = std::move(mv);
  }
  if (info.query && !info.query->empty()) {
    json::object q, mq;
    single_and_multi(*info.query, q, mq);
    e["queryStringParameters"] = std::move(q);
    e["multiValueQueryStringParameters"] = std::move(mq);
  }
  json::object c;
  c["routeKey"] = info.route_key;
  if (info.event_type == "MESSAGE") c["messageId"] = info.message_id;
  if (info.disconnect_status) c["disconnectStatusCode"] = *info.disconnect_status;
  if (info.authorizer) c["authorizer"] = *info.authorizer;
  c["eventType"] = info.event_type;
  c["extendedRequestId"] = inv.extended_request_id;
  c["requestTime"] = clf_time(inv.time_ms);
  c["messageDirection"] = "IN";
  if (info.event_type == "DISCONNECT") c["disconnectReason"] = info.disconnect_reason;
  c["stage"] = inv.stage;
  c["connectedAt"] = info.connected_at;
  c["requestTimeEpoch"] = inv.time_ms;
  json::object identity;
  if (!inv.user_agent.empty()) identity["userAgent"] = inv.user_agent;
  identity["sourceIp"] = inv.source_ip;
  c["identity"] = std::move(identity);
  c["requestId"] = inv.request_id;
  c["domainName"] = inv.domain_name;
  c["connectionId"] = info.connection_id;
  c["apiId"] = inv.api_id;
  e["requestContext"] = std::move(c);
  if (info.body) e["body"] = info.binary ? crypto::base64(*info.body) : *info.body;
  e["isBase64Encoded"] = info.binary;
  if (info.stage_variables && !info.stage_variables->empty()) e["stageVariables"] = *info.stage_variables;
  return e;
}

// --- responses ---

namespace {

std::optional<std::string> header_text(const json::value& v, bool strict) {
  if (v.is_string()) return std::string(v.get_string());
  if (v.is_bool()) return v.get_bool() ? "true" : "false";
  if (!strict && (v.is_number())) return json::serialize(v);
  if (v.is_number()) return json::serialize(v);
  return std::nullopt;
}

std::optional<int> status_of(const json::value& v) {
  if (v.is_int64()) return static_cast<int>(v.get_int64());
  if (v.is_uint64()) return static_cast<int>(v.get_uint64());
  if (v.is_double()) return static_cast<int>(v.get_double());
  if (v.is_string()) {
    if (auto n = parse_int(v.get_string())) return static_cast<int>(*n);
  }
  return std::nullopt;
}

}  // namespace

ProxyError parse_proxy_response_v1(std::string_view payload, bool strict, bool decode_base64, ProxyResponse& out) {
  boost::system::error_code ec;
  json::value v = json::parse(payload, ec);
  if (ec || !v.is_object()) return ProxyError::malformed;
  const auto& o = v.get_object();
  if (strict)
    for (auto& [k, _] : o)
      if (k != "statusCode" && k != "headers" && k != "multiValueHeaders" && k != "body" && k != "isBase64Encoded")
        return ProxyError::malformed;
  out.status = 200;
  if (auto* sc = find(o, "statusCode"); sc && !sc->is_null()) {
    auto s = status_of(*sc);
    if (!s || *s < 100 || *s > 599) return ProxyError::malformed;
    out.status = *s;
  }
  if (auto* h = find(o, "headers"); h && !h->is_null()) {
    if (!h->is_object()) return ProxyError::malformed;
    for (auto& [k, x] : h->get_object()) {
      if (x.is_null()) continue;
      auto t = header_text(x, strict);
      if (!t) return ProxyError::malformed;
      out.headers.set(k, *t);
    }
  }
  if (auto* mh = find(o, "multiValueHeaders"); mh && !mh->is_null()) {
    if (!mh->is_object()) return ProxyError::malformed;
    for (auto& [k, x] : mh->get_object()) {
      // Multi-value headers replace a single header of the same name.
      bool first = true;
      auto add = [&](const json::value& item) -> bool {
        auto t = header_text(item, strict);
        if (!t) return false;
        if (first) out.headers.remove(k);
        first = false;
        out.headers.add(std::string(k), *t);
        return true;
      };
      if (x.is_array()) {
        for (auto& item : x.get_array())
          if (!add(item)) return ProxyError::malformed;
      } else if (!x.is_null() && !add(x)) {
        return ProxyError::malformed;
      }
    }
  }
  bool b64 = false;
  if (auto* ib = find(o, "isBase64Encoded"); ib && !ib->is_null()) {
    if (ib->is_bool()) b64 = ib->get_bool();
    else if (strict) return ProxyError::malformed;
  }
  if (auto* b = find(o, "body"); b && !b->is_null()) {
    if (b->is_string()) out.body = std::string(b->get_string());
    else if (strict) return ProxyError::malformed;
    else out.body = json::serialize(*b);
  }
  if (b64 && decode_base64) {
    auto raw = crypto::base64_decode(out.body);
    if (!raw) return ProxyError::malformed;
    out.body = std::move(*raw);
  }
  return ProxyError::none;
}

ProxyError parse_proxy_response_v2(std::string_view payload, ProxyResponse& out) {
  boost::system::error_code ec;
  json::value v = json::parse(payload, ec);
  if (ec) {
    // A result that is not JSON at all is an error: API Gateway answers 500.
    return ProxyError::malformed;
  }
  if (!v.is_object() || !v.get_object().contains("statusCode")) {
    // No statusCode: the whole result is a 200 JSON body (a JSON string is unwrapped).
    out.status = 200;
    out.headers.set("content-type", "application/json");
    out.body = v.is_string() ? std::string(v.get_string()) : std::string(payload);
    return ProxyError::none;
  }
  const auto& o = v.get_object();
  auto s = status_of(o.at("statusCode"));
  if (!s || *s < 100 || *s > 599) return ProxyError::malformed;
  out.status = *s;
  if (auto* h = find(o, "headers"); h && h->is_object())
    for (auto& [k, x] : h->get_object())
      if (auto t = header_text(x, false)) out.headers.set(k, *t);
  if (auto* mh = find(o, "multiValueHeaders"); mh && mh->is_object())
    for (auto& [k, x] : mh->get_object())
      if (x.is_array()) {
        std::string joined;
        for (auto& item : x.get_array())
          if (auto t = header_text(item, false)) joined += (joined.empty() ? "" : ",") + *t;
        out.headers.set(k, joined);
      }
  if (auto* c = find(o, "cookies"); c && c->is_array())
    for (auto& item : c->get_array())
      if (item.is_string()) out.headers.add("Set-Cookie", std::string(item.get_string()));
  if (auto* b = find(o, "body"); b && !b->is_null()) out.body = b->is_string() ? std::string(b->get_string()) : json::serialize(*b);
  if (auto* ib = find(o, "isBase64Encoded"); ib && ib->is_bool() && ib->get_bool()) {
    auto raw = crypto::base64_decode(out.body);
    if (!raw) return ProxyError::malformed;
    out.body = std::move(*raw);
  }
  return ProxyError::none;
}

}  // namespace stratus::apigateway
