#include "model.hpp"

#include "errors.hpp"

#include <stratus/clock.hpp>
#include <stratus/crypto.hpp>
#include <stratus/strings.hpp>

#include <algorithm>
#include <cctype>
#include <ctime>

namespace stratus::lambda {

namespace {
bool valid_name(std::string_view n) {
  if (n.empty() || n.size() > 64) return false;
  return std::all_of(n.begin(), n.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
  });
}
bool valid_qualifier(std::string_view q) {
  if (q.empty() || q.size() > 128) return false;
  return std::all_of(q.begin(), q.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '$';
  });
}
}  // namespace

FunctionRef parse_function_name(std::string_view text, std::string_view account, std::string_view region) {
  FunctionRef r{std::string(account), std::string(region), {}, std::nullopt};
  auto parts = split(text, ':');
  std::string_view name, qualifier;
  bool has_qualifier = false;
  if (text.starts_with("arn:")) {
    // arn:aws:lambda:<region>:<account>:function:<name>[:<qualifier>]
    if (parts.size() < 7 || parts.size() > 8 || parts[2] != "lambda" || parts[5] != "function")
      throw errors::invalid_parameter("1 validation error detected: Value '" + std::string(text) +
                                      "' at 'functionName' failed to satisfy constraint: Member must satisfy "
                                      "regular expression pattern: (arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}((-gov)|"
                                      "(-iso([a-z]?)))?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_]+)(:(\\$"
                                      "LATEST|[a-zA-Z0-9-_]+))?");
    r.region = std::string(parts[3]);
    r.account = std::string(parts[4]);
    name = parts[6];
    if (parts.size() == 8) {
      qualifier = parts[7];
      has_qualifier = true;
    }
  } else if (parts.size() >= 3 && parts[1] == "function") {
    r.account = std::string(parts[0]);
    name = parts[2];
    if (parts.size() == 4) {
      qualifier = parts[3];
      has_qualifier = true;
    } else if (parts.size() > 4) {
      throw errors::invalid_parameter("Invalid function name: " + std::string(text));
    }
  } else if (parts.size() <= 2) {
    name = parts[0];
    if (parts.size() == 2) {
      qualifier = parts[1];
      has_qualifier = true;
    }
  } else {
    throw errors::invalid_parameter("Invalid function name: " + std::string(text));
  }
  if (!valid_name(name) || (has_qualifier && !valid_qualifier(qualifier)))
    throw errors::invalid_parameter("1 validation error detected: Value '" + std::string(text) +
                                    "' at 'functionName' failed to satisfy constraint: Member must satisfy regular "
                                    "expression pattern: (arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}((-gov)|(-iso([a-z]"
                                    "?)))?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_]+)(:(\\$LATEST|[a-zA-"
                                    "Z0-9-_]+))?");
  r.name = std::string(name);
  if (has_qualifier) r.qualifier = std::string(qualifier);
  return r;
}

std::string function_arn(std::string_view region, std::string_view account, std::string_view name) {
  return "arn:aws:lambda:" + std::string(region) + ":" + std::string(account) + ":function:" + std::string(name);
}

std::string layer_arn(std::string_view region, std::string_view account, std::string_view name) {
  return "arn:aws:lambda:" + std::string(region) + ":" + std::string(account) + ":layer:" + std::string(name);
}

bool is_version_number(std::string_view q) {
  return !q.empty() && q.size() < 10 && std::all_of(q.begin(), q.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool valid_alias_name(std::string_view n) {
  if (n.empty() || n.size() > 128 || is_version_number(n)) return false;
  if (!std::isalpha(static_cast<unsigned char>(n[0])) && n[0] != '-' && n[0] != '_') return false;
  return std::all_of(n.begin(), n.end(),
                     [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_'; });
}

std::string lambda_timestamp(double epoch_seconds) {
  std::string s = iso8601(epoch_seconds, true);
  if (!s.empty() && s.back() == 'Z') s.pop_back();
  return s + "+0000";
}

RuntimeFamily runtime_family(std::string_view rt) {
  if (rt.starts_with("nodejs")) return RuntimeFamily::nodejs;
  if (rt.starts_with("python")) return RuntimeFamily::python;
  if (rt.starts_with("provided")) return RuntimeFamily::provided;
  return RuntimeFamily::other;
}

bool runtime_deprecated(std::string_view rt) {
  static constexpr std::string_view kGone[] = {
      "nodejs",      "nodejs4.3",  "nodejs4.3-edge", "nodejs6.10",    "nodejs8.10",    "nodejs10.x",
      "nodejs12.x",  "nodejs14.x", "python2.7",      "python3.6",     "python3.7",     "dotnetcore1.0",
      "dotnetcore2.0", "dotnetcore2.1", "dotnetcore3.1", "ruby2.5", "ruby2.7", "java8", "go1.x", "dotnet6"};
  return std::find(std::begin(kGone), std::end(kGone), rt) != std::end(kGone);
}

bool reserved_variable(std::string_view n) {
  static constexpr std::string_view kReserved[] = {
      "_HANDLER", "_X_AMZN_TRACE_ID", "AWS_DEFAULT_REGION", "AWS_REGION", "AWS_EXECUTION_ENV",
      "AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "AWS_LAMBDA_FUNCTION_VERSION",
      "AWS_LAMBDA_INITIALIZATION_TYPE", "AWS_LAMBDA_LOG_GROUP_NAME", "AWS_LAMBDA_LOG_STREAM_NAME",
      "AWS_ACCESS_KEY", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
      "AWS_LAMBDA_RUNTIME_API", "LAMBDA_TASK_ROOT", "LAMBDA_RUNTIME_DIR"};
  return std::find(std::begin(kReserved), std::end(kReserved), n) != std::end(kReserved);
}

std::string pick_version(const std::string& primary, const std::vector<std::pair<std::string, double>>& weights,
                         double random) {
  double acc = 0;
  for (auto& [v, w] : weights) {
    acc += w;
    if (random < acc) return v;
  }
  return primary;
}

std::string event_stream_message(const std::vector<std::pair<std::string, std::string>>& headers,
                                 std::string_view payload) {
  std::string h;
  for (auto& [name, value] : headers) {
    h.push_back(static_cast<char>(name.size()));
    h += name;
    h.push_back(7);  // string
    h.push_back(static_cast<char>((value.size() >> 8) & 0xff));
    h.push_back(static_cast<char>(value.size() & 0xff));
    h += value;
  }
  auto be32 = [](std::string& out, uint32_t v) {
    out.push_back(static_cast<char>((v >> 24) & 0xff));
    out.push_back(static_cast<char>((v >> 16) & 0xff));
    out.push_back(static_cast<char>((v >> 8) & 0xff));
    out.push_back(static_cast<char>(v & 0xff));
  };
  const uint32_t total = static_cast<uint32_t>(12 + h.size() + payload.size() + 4);
  std::string msg;
  msg.reserve(total);
  be32(msg, total);
  be32(msg, static_cast<uint32_t>(h.size()));
  be32(msg, crypto::crc32(msg));
  msg += h;
  msg += payload;
  be32(msg, crypto::crc32(msg));
  return msg;
}

bool textual_content_type(std::string_view ct) {
  std::string t = to_lower(ct);
  return t.starts_with("text/") || t.find("json") != std::string::npos || t.find("xml") != std::string::npos ||
         t.find("javascript") != std::string::npos || t.find("x-www-form-urlencoded") != std::string::npos ||
         t.find("yaml") != std::string::npos;
}

json::object url_event(const UrlRequest& r, const std::string& url_id, const std::string& region,
                       const std::string& account, const std::string& request_id, double epoch_seconds,
                       const json::object* authorizer) {
  json::object headers;
  json::array cookies;
  for (auto& [k, v] : r.headers) {
    if (k == "cookie") {
      for (auto part : split(v, ';')) {
        auto c = trim(part);
        if (!c.empty()) cookies.push_back(json::string(c));
      }
      continue;
    }
    auto it = headers.find(k);
    if (it != headers.end()) it->value() = json::string(std::string(it->value().get_string()) + "," + v);
    else headers[k] = v;
  }
  json::object query;
  for (auto& [k, v] : parse_query_string(r.raw_query, true)) {
    auto it = query.find(k);
    if (it != query.end()) it->value() = json::string(std::string(it->value().get_string()) + "," + v);
    else query[k] = v;
  }
  std::time_t whole = static_cast<std::time_t>(epoch_seconds);
  std::tm tm{};
  gmtime_r(&whole, &tm);
  char when[40];
  std::strftime(when, sizeof when, "%d/%b/%Y:%H:%M:%S +0000", &tm);
  json::object http{{"method", r.method},
                    {"path", r.raw_path},
                    {"protocol", r.protocol},
                    {"sourceIp", r.source_ip},
                    {"userAgent", r.user_agent}};
  json::object ctx{{"accountId", authorizer ? account : std::string("anonymous")},
                   {"apiId", url_id},
                   {"domainName", url_id + ".lambda-url." + region + ".on.aws"},
                   {"domainPrefix", url_id},
                   {"http", std::move(http)},
                   {"requestId", request_id},
                   {"routeKey", "$default"},
                   {"stage", "$default"},
                   {"time", when},
                   {"timeEpoch", static_cast<int64_t>(epoch_seconds * 1000)}};
  if (authorizer) ctx["authorizer"] = *authorizer;
  json::object ev{{"version", "2.0"},
                  {"routeKey", "$default"},
                  {"rawPath", r.raw_path},
                  {"rawQueryString", r.raw_query}};
  if (!cookies.empty()) ev["cookies"] = std::move(cookies);
  ev["headers"] = std::move(headers);
  if (!query.empty()) ev["queryStringParameters"] = std::move(query);
  ev["requestContext"] = std::move(ctx);
  if (!r.body.empty()) ev["body"] = r.body_is_binary ? crypto::base64(r.body) : r.body;
  ev["isBase64Encoded"] = r.body_is_binary && !r.body.empty();
  return ev;
}

UrlResponse url_response(std::string_view payload) {
  UrlResponse out;
  boost::system::error_code ec;
  json::value v = json::parse(payload, ec);
  if (!ec && v.is_object() && v.as_object().contains("statusCode")) {
    const auto& o = v.as_object();
    if (auto s = opt_int(o, "statusCode")) out.status = static_cast<int>(*s);
    bool has_type = false;
    if (auto* h = opt_obj(o, "headers"))
      for (auto& [k, val] : *h) {
        std::string text = val.is_string() ? std::string(val.get_string()) : json::serialize(val);
        has_type = has_type || iequals(k, "content-type");
        out.headers.emplace_back(std::string(k), std::move(text));
      }
    if (auto* c = opt_arr(o, "cookies"))
      for (auto& cookie : *c)
        if (cookie.is_string()) out.headers.emplace_back("Set-Cookie", std::string(cookie.get_string()));
    if (auto* b = find(o, "body")) {
      std::string body = b->is_string() ? std::string(b->get_string()) : json::serialize(*b);
      if (opt_bool(o, "isBase64Encoded").value_or(false)) {
        auto d = crypto::base64_decode(body);
        out.body = d ? *d : body;
      } else {
        out.body = std::move(body);
      }
    }
    if (!has_type) out.headers.emplace_back("Content-Type", "application/json");
    return out;
  }
  out.headers.emplace_back("Content-Type", "application/json");
  out.body = std::string(payload);
  return out;
}

}  // namespace stratus::lambda
