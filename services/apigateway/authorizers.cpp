#include "authorizers.hpp"

#include <stratus/clock.hpp>
#include <stratus/crypto.hpp>
#include <stratus/http_client.hpp>
#include <stratus/strings.hpp>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <spdlog/spdlog.h>

#include <ctime>
#include <boost/regex.hpp>

namespace stratus::apigateway {

// --- policies ---

bool wildcard_match(std::string_view p, std::string_view t) {
  size_t pi = 0, ti = 0, star = std::string_view::npos, mark = 0;
  while (ti < t.size()) {
    if (pi < p.size() && (p[pi] == '?' || p[pi] == t[ti])) {
      ++pi;
      ++ti;
    } else if (pi < p.size() && p[pi] == '*') {
      star = pi++;
      mark = ti;
    } else if (star != std::string_view::npos) {
      pi = star + 1;
      ti = ++mark;
    } else {
      return false;
    }
  }
  while (pi < p.size() && p[pi] == '*') ++pi;
  return pi == p.size();
}

namespace {

std::vector<std::string> strings_of(const json::value* v) {
  std::vector<std::string> out;
  if (!v) return out;
  if (v->is_string()) out.emplace_back(v->get_string());
  else if (v->is_array())
    for (auto& x : v->get_array())
      if (x.is_string()) out.emplace_back(x.get_string());
  return out;
}

bool action_matches(const std::vector<std::string>& actions) {
  for (auto& a : actions)
    if (wildcard_match(to_lower(a), "execute-api:invoke")) return true;
  return false;
}

}  // namespace

PolicyResult evaluate_policy(const json::value& policy, std::string_view arn) {
  const json::object* doc = policy.if_object();
  if (!doc) return PolicyResult::implicit_deny;
  const json::value* st = find(*doc, "Statement");
  if (!st) return PolicyResult::implicit_deny;
  std::vector<const json::object*> statements;
  if (st->is_object()) statements.push_back(&st->get_object());
  else if (st->is_array())
    for (auto& s : st->get_array())
      if (s.is_object()) statements.push_back(&s.get_object());
  bool allowed = false;
  for (auto* s : statements) {
    if (!action_matches(strings_of(find(*s, "Action")))) continue;
    bool hit = false;
    for (auto& r : strings_of(find(*s, "Resource"))) hit = hit || wildcard_match(r, arn);
    if (!hit) continue;
    std::string_view effect = str_or(*s, "Effect");
    if (iequals(effect, "Deny")) return PolicyResult::deny;
    if (iequals(effect, "Allow")) allowed = true;
  }
  return allowed ? PolicyResult::allow : PolicyResult::implicit_deny;
}

// --- JWT ---

namespace {

struct PkeyDeleter {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyDeleter>;

Pkey rsa_public_key(const std::string& n, const std::string& e) {
  BIGNUM* bn_n = BN_bin2bn(reinterpret_cast<const unsigned char*>(n.data()), static_cast<int>(n.size()), nullptr);
  BIGNUM* bn_e = BN_bin2bn(reinterpret_cast<const unsigned char*>(e.data()), static_cast<int>(e.size()), nullptr);
  OSSL_PARAM_BLD* bld = OSSL_PARAM_BLD_new();
  EVP_PKEY* pkey = nullptr;
  if (bn_n && bn_e && bld && OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, bn_n) &&
      OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, bn_e)) {
    OSSL_PARAM* params = OSSL_PARAM_BLD_to_param(bld);
    EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr);
    if (params && ctx && EVP_PKEY_fromdata_init(ctx) > 0) EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_PUBLIC_KEY, params);
    EVP_PKEY_CTX_free(ctx);
    OSSL_PARAM_free(params);
  }
  OSSL_PARAM_BLD_free(bld);
  BN_free(bn_n);
  BN_free(bn_e);
  return Pkey(pkey);
}

bool verify_rs256(EVP_PKEY* key, std::string_view data, std::string_view sig) {
  EVP_MD_CTX* md = EVP_MD_CTX_new();
  bool ok = md && EVP_DigestVerifyInit(md, nullptr, EVP_sha256(), nullptr, key) > 0 &&
            EVP_DigestVerifyUpdate(md, data.data(), data.size()) > 0 &&
            EVP_DigestVerifyFinal(md, reinterpret_cast<const unsigned char*>(sig.data()), sig.size()) == 1;
  EVP_MD_CTX_free(md);
  return ok;
}

std::optional<json::object> decode_part(std::string_view part) {
  auto raw = crypto::base64url_decode(part);
  if (!raw) return std::nullopt;
  boost::system::error_code ec;
  auto v = json::parse(*raw, ec);
  if (ec || !v.is_object()) return std::nullopt;
  return std::move(v.as_object());
}

std::optional<double> number_claim(const json::object& claims, std::string_view name) {
  auto* v = find(claims, name);
  if (!v) return std::nullopt;
  if (v->is_int64()) return static_cast<double>(v->get_int64());
  if (v->is_uint64()) return static_cast<double>(v->get_uint64());
  if (v->is_double()) return v->get_double();
  return std::nullopt;
}

}  // namespace

std::string jwt_kid(std::string_view token) {
  auto parts = split(token, '.');
  if (parts.size() != 3) return "";
  auto header = decode_part(parts[0]);
  return header ? std::string(str_or(*header, "kid")) : "";
}

std::string verify_jwt(std::string_view token, const json::object& jwks, double now, json::object& claims) {
  auto parts = split(token, '.');
  if (parts.size() != 3) return "the token is malformed";
  auto header = decode_part(parts[0]);
  auto payload = decode_part(parts[1]);
  auto sig = crypto::base64url_decode(parts[2]);
  if (!header || !payload || !sig) return "the token is malformed";
  if (str_or(*header, "alg") != "RS256") return "unsupported signing algorithm " + std::string(str_or(*header, "alg"));
  std::string_view kid = str_or(*header, "kid");
  const json::object* key = nullptr;
  if (auto* keys = opt_arr(jwks, "keys"))
    for (auto& k : *keys)
      if (k.is_object() && str_or(k.get_object(), "kid") == kid && str_or(k.get_object(), "kty") == "RSA") key = &k.get_object();
  if (!key) return "the signing key was not found in the JWKS";
  auto n = crypto::base64url_decode(str_or(*key, "n"));
  auto e = crypto::base64url_decode(str_or(*key, "e"));
  if (!n || !e) return "the JWKS key is malformed";
  Pkey pk = rsa_public_key(*n, *e);
  if (!pk) return "the JWKS key is malformed";
  std::string signed_part = std::string(parts[0]) + "." + std::string(parts[1]);
  if (!verify_rs256(pk.get(), signed_part, *sig)) return "signature verification failed";
  auto exp = number_claim(*payload, "exp");
  if (!exp) return "the token has no expiration";
  if (*exp <= now) return "the token has expired";
  if (auto nbf = number_claim(*payload, "nbf"); nbf && *nbf > now + 1) return "the token is not valid yet";
  claims = std::move(*payload);
  return "";
}

namespace {

// JWKS of an issuer, cached for an hour; re-fetched when a token names an unknown key.
boost::asio::awaitable<const json::object*> jwks_for(DataPlane& dp, Env& env, const std::string& url, bool refresh) {
  double now = env.clock.now_seconds();
  auto it = dp.jwks.find(url);
  if (it != dp.jwks.end() && !refresh && now - it->second.fetched < 3600) co_return &it->second.doc;
  if (it != dp.jwks.end() && refresh && now - it->second.fetched < 5) co_return &it->second.doc;
  try {
    HttpClientRequest rq;
    rq.url = url;
    rq.timeout = std::chrono::milliseconds(5000);
    auto resp = co_await http_request(env.io.get_executor(), std::move(rq));
    if (resp.status == 200) {
      auto doc = parse_object(resp.body);
      dp.jwks[url] = DataPlane::Jwks{std::move(doc), now};
      co_return &dp.jwks[url].doc;
    }
    spdlog::warn("apigateway: JWKS {} answered {}", url, resp.status);
  } catch (const std::exception& e) {
    spdlog::warn("apigateway: cannot fetch JWKS {}: {}", url, e.what());
  }
  if (it != dp.jwks.end()) co_return &it->second.doc;
  co_return nullptr;
}

// Cognito issuers are https://cognito-idp.<region>.amazonaws.com/<pool>: their keys are served by
// Stratus's own Cognito at /<pool>/.well-known/jwks.json (the LocalStack-compatible path).
std::string jwks_url(Env& env, std::string_view issuer) {
  std::string iss(issuer);
  while (!iss.empty() && iss.back() == '/') iss.pop_back();
  if (iss.starts_with("https://cognito-idp.") && iss.find(".amazonaws.com/") != std::string::npos)
    return env.local_endpoint() + iss.substr(iss.rfind('/')) + "/.well-known/jwks.json";
  return iss + "/.well-known/jwks.json";
}

// Claims as API Gateway passes them: every value a string (arrays "[a b]").
json::object stringify_claims(const json::object& claims) {
  json::object out;
  for (auto& [k, v] : claims) {
    if (v.is_string()) out[k] = v;
    else if (v.is_array()) {
      std::string s = "[";
      bool first = true;
      for (auto& x : v.get_array()) {
        s += (first ? "" : " ") + to_text(x);
        first = false;
      }
      out[k] = s + "]";
    } else {
      out[k] = to_text(v);
    }
  }
  return out;
}

std::vector<std::string> token_scopes(const json::object& claims) {
  std::vector<std::string> out;
  if (auto* scp = find(claims, "scp"); scp && scp->is_array())
    for (auto& s : scp->get_array())
      if (s.is_string()) out.emplace_back(s.get_string());
  for (auto part : split(str_or(claims, "scope"), ' '))
    if (!part.empty()) out.emplace_back(part);
  return out;
}

std::string strip_bearer(std::string_view v) {
  v = trim(v);
  if (v.size() > 7 && iequals(v.substr(0, 7), "bearer ")) v = trim(v.substr(7));
  return std::string(v);
}

AuthOutcome unauthorized(std::string why, std::string www = {}) {
  AuthOutcome o;
  o.kind = AuthOutcome::Kind::unauthorized;
  o.message = std::move(why);
  if (!www.empty()) o.headers.add("www-authenticate", std::move(www));
  return o;
}

AuthOutcome config_error(std::string why) {
  AuthOutcome o;
  o.kind = AuthOutcome::Kind::config_error;
  o.message = std::move(why);
  spdlog::warn("apigateway: authorizer configuration error: {}", o.message);
  return o;
}

AuthOutcome deny(std::string why) {
  AuthOutcome o;
  o.kind = AuthOutcome::Kind::deny;
  o.message = std::move(why);
  return o;
}

// Validates a bearer token for an issuer (JWT authorizers and Cognito user pools).
boost::asio::awaitable<std::string> validate_token(DataPlane& dp, Env& env, const std::string& token,
                                                  const std::vector<std::string>& issuers, json::object& claims) {
  auto parts = split(token, '.');
  if (parts.size() != 3) co_return "the token is malformed";
  auto payload = decode_part(parts[1]);
  if (!payload) co_return "the token is malformed";
  std::string iss(str_or(*payload, "iss"));
  std::string matched;
  for (auto& i : issuers) {
    std::string a = i, b = iss;
    while (!a.empty() && a.back() == '/') a.pop_back();
    while (!b.empty() && b.back() == '/') b.pop_back();
    if (a == b) matched = i;
  }
  if (matched.empty()) co_return "the token has an invalid issuer";
  std::string url = jwks_url(env, matched);
  const json::object* keys = co_await jwks_for(dp, env, url, false);
  std::string kid = jwt_kid(token);
  bool known = false;
  if (keys)
    if (auto* arr = opt_arr(*keys, "keys"))
      for (auto& k : *arr) known = known || (k.is_object() && str_or(k.get_object(), "kid") == kid);
  if (!known) keys = co_await jwks_for(dp, env, url, true);
  if (!keys) co_return "the signing keys of the issuer could not be fetched";
  co_return verify_jwt(token, *keys, env.clock.now_seconds(), claims);
}

std::string function_of(const json::object& authorizer, std::string_view uri_member) {
  return lambda_arn_from_uri(str_or(authorizer, uri_member));
}

// A Lambda authorizer's answer (policy or simple response) → verdict parts. Empty on success.
std::string parse_policy_answer(const json::object& o, AuthVerdict& v) {
  auto* principal = find(o, "principalId");
  if (!principal || !(principal->is_string() || principal->is_number())) return "the answer has no principalId";
  v.principal_id = to_text(*principal);
  auto* policy = find(o, "policyDocument");
  if (!policy || !policy->is_object()) return "the answer has no policyDocument";
  v.policy = *policy;
  if (auto* ctx = find(o, "context"); ctx && !ctx->is_null()) {
    if (!ctx->is_object()) return "the context is not a map";
    for (auto& [k, x] : ctx->get_object()) {
      if (x.is_object() || x.is_array()) return "context values must be strings, numbers or booleans";
      v.context[k] = x;
    }
  }
  if (auto* key = find(o, "usageIdentifierKey"); key && key->is_string()) v.usage_key = std::string(key->get_string());
  return "";
}

}  // namespace

// --- REST ---

boost::asio::awaitable<AuthOutcome> rest_lambda_authorize(DataPlane& dp, Env& env, const json::object& a,
                                                          const RestAuthRequest& r) {
  const Invocation& inv = *r.inv;
  std::string type(str_or(a, "type"));
  std::string arn = method_arn(inv, inv.method, r.resource_path == "/" ? "" : inv.path);
  // Identity: the token header (TOKEN) or every identity source (REQUEST).
  std::string identity;
  std::string token;
  if (type == "TOKEN") {
    std::string_view src = str_or(a, "identitySource");
    std::string header(src.starts_with("method.request.header.") ? src.substr(22) : "Authorization");
    const std::string* v = inv.header(header);
    if (!v || v->empty()) co_return unauthorized("missing token");
    token = *v;
    if (auto re = opt_str(a, "identityValidationExpression"); re && !re->empty()) {
      try {
        if (!boost::regex_match(token, boost::regex(*re))) co_return unauthorized("token does not match the validation expression");
      } catch (const boost::regex_error&) {
        co_return config_error("invalid identityValidationExpression");
      }
    }
    identity = token;
  } else {
    for (auto part : split(str_or(a, "identitySource"), ',')) {
      auto src = trim(part);
      if (src.empty()) continue;
      std::optional<std::string> value;
      if (src.starts_with("method.request.header.")) {
        if (auto* h = inv.header(src.substr(22))) value = *h;
      } else if (src.starts_with("method.request.querystring.")) {
        for (auto& [k, v] : inv.query)
          if (k == src.substr(27)) value = v;
      } else if (src.starts_with("stageVariables.")) {
        if (r.stage_variables)
          if (auto* v = find(*r.stage_variables, src.substr(15)); v && v->is_string()) value = std::string(v->get_string());
      } else if (src.starts_with("context.")) {
        if (r.request_context)
          if (auto* v = find(*r.request_context, src.substr(8))) value = to_text(*v);
      }
      if (!value || value->empty()) co_return unauthorized("missing identity source " + std::string(src));
      identity += *value + "\x1f";
    }
  }
  int64_t ttl = opt_int(a, "authorizerResultTtlInSeconds").value_or(300);
  std::string cache_key = inv.api_id + "/" + std::string(str_or(a, "id")) + "/" + identity;
  double now = env.clock.now_seconds();
  const AuthVerdict* cached = ttl > 0 && !identity.empty() ? dp.cached_verdict(cache_key, now) : nullptr;
  AuthVerdict verdict;
  if (cached) {
    verdict = *cached;
  } else {
    json::object event;
    if (type == "TOKEN") {
      event = json::object{{"type", "TOKEN"}, {"authorizationToken", token}, {"methodArn", arn}};
    } else {
      event = json::object{{"type", "REQUEST"}, {"methodArn", arn}};
      json::object full = rest_proxy_event(inv, r.resource_path, *r.path_params, r.stage_variables,
                                           r.request_context ? *r.request_context : json::object{}, false);
      for (auto& [k, v] : full)
        if (k != "body" && k != "isBase64Encoded") event[k] = v;
    }
    auto t0 = std::chrono::steady_clock::now();
    std::string fn = function_of(a, "authorizerUri");
    LambdaResult res = co_await invoke_lambda(env, fn, json::serialize(event), std::chrono::milliseconds(29000),
                                              "arn:aws:execute-api:" + inv.region + ":" + inv.account + ":" + inv.api_id + "/authorizers/" + std::string(str_or(a, "id")));
    auto latency = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();
    if (res.status == LambdaResult::Status::function_error) {
      auto err = parse_object(res.payload);
      if (str_or(err, "errorMessage") == "Unauthorized") co_return unauthorized("the authorizer answered Unauthorized");
      co_return config_error("the authorizer function failed: " + res.payload);
    }
    if (res.status != LambdaResult::Status::ok) co_return config_error("the authorizer could not be invoked: " + res.error);
    boost::system::error_code ec;
    auto answer = json::parse(res.payload, ec);
    if (ec || !answer.is_object()) co_return config_error("the authorizer answer is not a JSON object");
    if (auto why = parse_policy_answer(answer.get_object(), verdict); !why.empty()) co_return config_error(why);
    verdict.context["principalId"] = verdict.principal_id;
    verdict.context["integrationLatency"] = latency;
    verdict.kind = AuthVerdict::Kind::allow;
    verdict.expires = now + static_cast<double>(ttl);
    if (ttl > 0 && !identity.empty()) dp.cache_verdict(cache_key, verdict);
  }
  switch (evaluate_policy(verdict.policy, arn)) {
    case PolicyResult::deny: co_return deny("User is not authorized to access this resource with an explicit deny");
    case PolicyResult::implicit_deny: co_return deny("User is not authorized to access this resource");
    case PolicyResult::allow: break;
  }
  AuthOutcome o;
  o.kind = AuthOutcome::Kind::allow;
  // principalId first, then the context, then integrationLatency, as AWS orders them.
  o.context["principalId"] = verdict.principal_id;
  for (auto& [k, v] : verdict.context)
    if (k != "principalId" && k != "integrationLatency") o.context[k] = v;
  o.context["integrationLatency"] = cached ? 0 : verdict.context["integrationLatency"];
  o.usage_key = verdict.usage_key;
  co_return o;
}

boost::asio::awaitable<AuthOutcome> cognito_authorize(DataPlane& dp, Env& env, const json::object& a,
                                                      const Invocation& inv, const json::array* scopes) {
  std::string_view src = str_or(a, "identitySource", "method.request.header.Authorization");
  const std::string* v = inv.header(src.starts_with("method.request.header.") ? src.substr(22) : "Authorization");
  if (!v || v->empty()) co_return unauthorized("missing token");
  std::string token = strip_bearer(*v);
  std::vector<std::string> issuers;
  if (auto* arns = opt_arr(a, "providerARNs"))
    for (auto& arn : *arns) {
      // arn:aws:cognito-idp:<region>:<account>:userpool/<pool id>
      const std::string text = to_text(arn);  // split() views into it
      auto parts = split(text, ':');
      if (parts.size() < 6) continue;
      std::string_view res = parts[5];
      issuers.push_back("https://cognito-idp." + std::string(parts[3]) + ".amazonaws.com/" +
                        std::string(res.substr(res.find('/') + 1)));
    }
  json::object claims;
  std::string why = co_await validate_token(dp, env, token, issuers, claims);
  if (!why.empty()) co_return unauthorized(why);
  // Without method scopes the authorizer takes ID tokens only; with scopes, access tokens carrying
  // one of them (API Gateway developer guide, "Integrate a REST API with an Amazon Cognito user pool").
  if ((!scopes || scopes->empty()) && str_or(claims, "token_use") != "id")
    co_return unauthorized("an ID token is required when the method has no OAuth scopes");
  if (scopes && !scopes->empty()) {
    auto have = token_scopes(claims);
    bool ok = false;
    for (auto& s : *scopes)
      for (auto& h : have) ok = ok || (s.is_string() && s.get_string() == h);
    if (!ok) co_return unauthorized("the token has none of the method's scopes");
  }
  AuthOutcome o;
  o.kind = AuthOutcome::Kind::allow;
  json::object shown = stringify_claims(claims);
  // REST APIs join array claims with commas ("cognito:groups": "admins,readers"; HTTP APIs show
  // "[admins readers]") and show exp and iat as Java date strings ("Fri Jul 29 18:52:53 UTC 2016");
  // auth_time stays numeric text.
  for (auto& [k, v] : claims)
    if (v.is_array()) {
      std::string joined;
      for (auto& x : v.get_array()) joined += (joined.empty() ? "" : ",") + to_text(x);
      shown[k] = joined;
    }
  for (const char* k : {"exp", "iat"})
    if (auto n = number_claim(claims, k)) {
      std::time_t t = static_cast<std::time_t>(*n);
      std::tm tm{};
      gmtime_r(&t, &tm);
      char buf[64];
      std::strftime(buf, sizeof buf, "%a %b %d %H:%M:%S UTC %Y", &tm);
      shown[k] = std::string(buf);
    }
  o.context["claims"] = std::move(shown);
  co_return o;
}

// --- HTTP and WebSocket APIs ---

boost::asio::awaitable<AuthOutcome> v2_authorize(DataPlane& dp, Env& env, const json::object& a, const HttpAuthRequest& r) {
  const Invocation& inv = *r.inv;
  std::string type(str_or(a, "AuthorizerType"));
  std::vector<std::string> sources;
  if (auto* ids = opt_arr(a, "IdentitySource"))
    for (auto& s : *ids)
      if (s.is_string())
        for (auto part : split(s.get_string(), ','))
          if (!trim(part).empty()) sources.emplace_back(trim(part));
  auto resolve = [&](std::string_view src) -> std::optional<std::string> {
    if (src.starts_with("$request.header.")) {
      if (auto* h = inv.header(src.substr(16))) return *h;
    } else if (src.starts_with("route.request.header.")) {
      if (auto* h = inv.header(src.substr(21))) return *h;
    } else if (src.starts_with("$request.querystring.") || src.starts_with("route.request.querystring.")) {
      auto name = src.substr(src.find("querystring.") + 12);
      std::optional<std::string> v;
      for (auto& [k, x] : inv.query)
        if (k == name) v = v ? *v + "," + x : x;
      return v;
    } else if (src.starts_with("$stageVariables.") || src.starts_with("stageVariables.")) {
      if (r.stage_variables)
        if (auto* v = find(*r.stage_variables, src.substr(src.find('.') + 1)); v && v->is_string())
          return std::string(v->get_string());
    } else if (src.starts_with("$context.") || src.starts_with("context.")) {
      auto name = src.substr(src.find('.') + 1);
      if (name == "routeKey") return r.route_key;
      if (name == "stage") return inv.stage;
      if (name == "apiId") return inv.api_id;
      if (name == "connectionId" && r.websocket) return r.connection_id;
    }
    return std::nullopt;
  };

  if (type == "JWT") {
    std::string src = sources.empty() ? "$request.header.Authorization" : sources.front();
    auto raw = resolve(src);
    const std::string www_base = "Bearer scope=\"\" error=\"invalid_token\" error_description=";
    if (!raw || raw->empty()) co_return unauthorized("missing token");
    std::string token = strip_bearer(*raw);
    const json::object* cfg = opt_obj(a, "JwtConfiguration");
    std::vector<std::string> issuers;
    if (cfg)
      if (auto iss = opt_str(*cfg, "Issuer")) issuers.push_back(*iss);
    json::object claims;
    std::string why = co_await validate_token(dp, env, token, issuers, claims);
    if (!why.empty()) co_return unauthorized(why, www_base + "\"" + why + "\"");
    // Audience: the aud claim, or client_id for access tokens without aud.
    std::vector<std::string> audience;
    if (cfg)
      for (auto& x : strings_of(find(*cfg, "Audience"))) audience.push_back(x);
    if (!audience.empty()) {
      auto auds = strings_of(find(claims, "aud"));
      if (auds.empty()) auds = strings_of(find(claims, "client_id"));
      bool ok = false;
      for (auto& x : auds)
        for (auto& y : audience) ok = ok || x == y;
      if (!ok) co_return unauthorized("invalid audience", www_base + "\"the token has an invalid audience\"");
    }
    auto have = token_scopes(claims);
    if (r.scopes && !r.scopes->empty()) {
      bool ok = false;
      for (auto& s : *r.scopes)
        for (auto& h : have) ok = ok || (s.is_string() && s.get_string() == h);
      if (!ok) {
        AuthOutcome o = deny("the token has none of the route's scopes");
        o.headers.add("www-authenticate", "Bearer scope=\"" + [&] {
          std::string s;
          for (auto& x : *r.scopes) s += (s.empty() ? "" : " ") + to_text(x);
          return s;
        }() + "\" error=\"insufficient_scope\" error_description=\"expected scopes: " + to_text(r.scopes->front()) + "\"");
        co_return o;
      }
    }
    json::array scopes;
    for (auto& s : have) scopes.push_back(json::string(s));
    AuthOutcome o;
    o.kind = AuthOutcome::Kind::allow;
    o.context["jwt"] = json::object{{"claims", stringify_claims(claims)},
                                    {"scopes", scopes.empty() ? json::value(nullptr) : json::value(std::move(scopes))}};
    co_return o;
  }

  // Lambda REQUEST authorizer.
  std::vector<std::string> values;
  for (auto& s : sources) {
    auto v = resolve(s);
    if (!v || v->empty()) co_return unauthorized("missing identity source " + s);
    values.push_back(*v);
  }
  std::string version(str_or(a, "AuthorizerPayloadFormatVersion", r.websocket ? "1.0" : "2.0"));
  bool simple = get_bool(a, "EnableSimpleResponses") && version == "2.0" && !r.websocket;
  int64_t ttl = opt_int(a, "AuthorizerResultTtlInSeconds").value_or(r.websocket ? 300 : 0);
  std::string identity;
  for (auto& v : values) identity += v + "\x1f";
  std::string cache_key = inv.api_id + "/" + std::string(str_or(a, "AuthorizerId")) + "/" + r.route_key + "/" + identity;
  double now = env.clock.now_seconds();
  std::string route_arn = r.websocket ? method_arn(inv, r.route_key, "") : method_arn(inv, inv.method, inv.path);
  if (r.websocket && !route_arn.empty() && route_arn.back() == '/') route_arn.pop_back();
  const AuthVerdict* cached = ttl > 0 && !sources.empty() ? dp.cached_verdict(cache_key, now) : nullptr;
  AuthVerdict verdict;
  if (cached) {
    verdict = *cached;
  } else {
    json::object event;
    if (r.websocket) {
      event["type"] = "REQUEST";
      event["methodArn"] = route_arn;
      WsEventInfo info;
      info.route_key = "$connect";
      info.event_type = "CONNECT";
      info.connection_id = r.connection_id;
      info.connected_at = r.connected_at;
      info.headers = &inv.headers;
      info.query = &inv.query;
      info.stage_variables = r.stage_variables;
      json::object ws = websocket_event(inv, info);
      for (auto& [k, v] : ws)
        if (k != "isBase64Encoded") event[k] = v;
      if (!event.contains("stageVariables")) event["stageVariables"] = r.stage_variables ? json::value(*r.stage_variables) : json::value(json::object{});
    } else if (version == "2.0") {
      json::array ids;
      for (auto& v : values) ids.push_back(json::string(v));
      json::object full = http_v2_event(inv, r.route_key, *r.path_params, r.stage_variables, nullptr, false);
      event["version"] = "2.0";
      event["type"] = "REQUEST";
      event["routeArn"] = route_arn;
      event["identitySource"] = std::move(ids);
      for (auto& [k, v] : full)
        if (k != "version" && k != "body" && k != "isBase64Encoded") event[k] = v;
    } else {
      std::string joined;
      for (auto& v : values) joined += (joined.empty() ? "" : ",") + v;
      json::object full = http_v1_event(inv, r.route_key, r.route_key, *r.path_params, r.stage_variables, nullptr, false);
      event["version"] = "1.0";
      event["type"] = "REQUEST";
      event["methodArn"] = route_arn;
      event["identitySource"] = joined;
      event["authorizationToken"] = values.empty() ? json::value(nullptr) : json::value(json::string(values.front()));
      for (auto& [k, v] : full)
        if (k != "version" && k != "body" && k != "isBase64Encoded") event[k] = v;
    }
    auto t0 = std::chrono::steady_clock::now();
    LambdaResult res = co_await invoke_lambda(env, function_of(a, "AuthorizerUri"), json::serialize(event),
                                              std::chrono::milliseconds(10000), route_arn);
    auto latency = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();
    if (res.status == LambdaResult::Status::function_error) {
      if (str_or(parse_object(res.payload), "errorMessage") == "Unauthorized") co_return unauthorized("the authorizer answered Unauthorized");
      co_return config_error("the authorizer function failed: " + res.payload);
    }
    if (res.status != LambdaResult::Status::ok) co_return config_error("the authorizer could not be invoked: " + res.error);
    boost::system::error_code ec;
    auto answer = json::parse(res.payload, ec);
    if (ec || !answer.is_object()) co_return config_error("the authorizer answer is not a JSON object");
    const auto& o = answer.get_object();
    if (simple) {
      auto* ok = find(o, "isAuthorized");
      if (!ok || !ok->is_bool()) co_return config_error("a simple response needs a boolean isAuthorized");
      verdict.kind = ok->get_bool() ? AuthVerdict::Kind::allow : AuthVerdict::Kind::deny;
      if (auto* ctx = opt_obj(o, "context")) verdict.context = *ctx;
    } else {
      if (auto why = parse_policy_answer(o, verdict); !why.empty()) co_return config_error(why);
      verdict.kind = evaluate_policy(verdict.policy, route_arn) == PolicyResult::allow ? AuthVerdict::Kind::allow
                                                                                      : AuthVerdict::Kind::deny;
    }
    verdict.context["integrationLatency"] = latency;
    verdict.expires = now + static_cast<double>(ttl);
    if (ttl > 0 && !sources.empty()) dp.cache_verdict(cache_key, verdict);
  }
  if (verdict.kind != AuthVerdict::Kind::allow) co_return deny("the authorizer denied the request");
  AuthOutcome out;
  out.kind = AuthOutcome::Kind::allow;
  json::object ctx;
  if (!verdict.principal_id.empty()) ctx["principalId"] = verdict.principal_id;
  for (auto& [k, v] : verdict.context)
    if (k != "integrationLatency") ctx[k] = v;
  if (r.websocket || version == "1.0") {
    ctx["integrationLatency"] = cached ? 0 : verdict.context["integrationLatency"];
    out.context = std::move(ctx);
  } else {
    out.context["lambda"] = std::move(ctx);
  }
  co_return out;
}

}  // namespace stratus::apigateway
