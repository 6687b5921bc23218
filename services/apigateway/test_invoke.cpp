// TestInvokeMethod and TestInvokeAuthorizer: the data plane run against the API as it is now
// (no deployment needed), as the console's Test button does.
#include "authorizers.hpp"
#include "ops_v1.hpp"
#include "rest_exec.hpp"

#include <stratus/clock.hpp>
#include <stratus/ids.hpp>
#include <stratus/strings.hpp>

namespace stratus::apigateway::v1 {

namespace {

Invocation test_invocation(const Call& c, const ApiEntry& api, std::string_view default_path, std::string_view method) {
  Invocation inv;
  inv.method = std::string(method);
  std::string pq(str_or(c.input, "pathWithQueryString", default_path));
  auto q = pq.find('?');
  inv.path = q == std::string::npos ? pq : pq.substr(0, q);
  if (inv.path.empty() || inv.path.front() != '/') inv.path = "/" + inv.path;
  inv.raw_query = q == std::string::npos ? "" : pq.substr(q + 1);
  inv.query = parse_query_string(inv.raw_query, true);
  if (auto* hs = opt_obj(c.input, "headers"))
    for (auto& [k, v] : *hs) inv.headers.emplace_back(std::string(k), to_text(v));
  if (auto* mhs = opt_obj(c.input, "multiValueHeaders"))
    for (auto& [k, v] : *mhs)
      if (v.is_array())
        for (auto& x : v.get_array()) inv.headers.emplace_back(std::string(k), to_text(x));
  inv.body = std::string(str_or(c.input, "body"));
  inv.source_ip = "test-invoke-source-ip";
  inv.user_agent = std::string(str_or(c.input, "userAgent", "aws-internal/3 aws-sdk-java/1.12"));
  inv.api_id = api.id;
  inv.stage = "test-invoke-stage";
  inv.account = api.account;
  inv.region = api.region;
  inv.deployment_id = "test-invoke-deployment-id";
  inv.domain_name = "testPrefix.testDomainName";
  inv.domain_prefix = "testPrefix";
  inv.request_id = c.ctx.request_id;
  inv.extended_request_id = "test-invoke-extendedRequestId";
  inv.time_ms = Backend::get().env().clock.now_ms();
  inv.trace_id = new_trace_id(inv.time_ms);
  inv.raw_path = inv.path;
  return inv;
}

ApiEntry entry_for(const Scope& s, const json::object& api) {
  ApiEntry e;
  e.type = ApiEntry::Type::rest;
  e.id = std::string(str_or(api, "id"));
  e.account = s.account;
  e.region = s.region;
  e.doc = api;
  return e;
}

}  // namespace

boost::asio::awaitable<Output> test_invoke_method(Call& c) {
  Scope s = Scope::of(c);
  std::string api_id(str_or(c.input, "restApiId"));
  json::object resource = require_resource(s, api_id, str_or(c.input, "resourceId"));
  std::string verb = valid_http_method(str_or(c.input, "httpMethod"));
  require_method(resource, verb);
  auto dep = compile_rest("test-invoke", snapshot_api(s, api_id));
  ApiEntry api = entry_for(s, dep->api);
  json::object stage_vars;
  if (auto* sv = opt_obj(c.input, "stageVariables")) stage_vars = *sv;
  Invocation inv = test_invocation(c, api, str_or(resource, "path"), verb == "ANY" ? "GET" : verb);
  auto t0 = std::chrono::steady_clock::now();
  RestExchange x(Backend::get().dataplane(), Backend::get().env(), api, *dep, std::move(inv),
                 stage_vars.empty() ? nullptr : &stage_vars);
  std::string rid(str_or(resource, "id"));
  HttpResponse r = co_await x.run(&rid);
  auto latency = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();
  json::object headers, multi;
  for (auto& [k, v] : r.headers) {
    headers[k] = v;
    auto& slot = multi[k];
    if (!slot.is_array()) slot = json::array();
    slot.as_array().push_back(json::string(v));
  }
  std::string log = "Execution log for request " + std::string(c.ctx.request_id) + "\n" + x.log;
  co_return json::object{{"status", r.status},
                         {"body", r.body.read_all()},
                         {"headers", std::move(headers)},
                         {"multiValueHeaders", std::move(multi)},
                         {"log", log},
                         {"latency", latency}};
}

boost::asio::awaitable<Output> test_invoke_authorizer(Call& c) {
  Scope s = Scope::of(c);
  std::string api_id(str_or(c.input, "restApiId"));
  json::object api_doc = require_rest_api(s, api_id);
  auto a = db().get(s, kind::authorizer, api_id, str_or(c.input, "authorizerId"));
  if (!a) throw err::not_found("Invalid Authorizer identifier specified");
  ApiEntry api = entry_for(s, api_doc);
  Invocation inv = test_invocation(c, api, "/", "GET");
  json::object stage_vars;
  if (auto* sv = opt_obj(c.input, "stageVariables")) stage_vars = *sv;
  auto t0 = std::chrono::steady_clock::now();
  AuthOutcome out;
  auto& dp = Backend::get().dataplane();
  auto& env = Backend::get().env();
  // A fresh evaluation: the test never reads the cache.
  (*a)["authorizerResultTtlInSeconds"] = 0;
  if (str_or(*a, "type") == "COGNITO_USER_POOLS") {
    out = co_await cognito_authorize(dp, env, *a, inv, nullptr);
  } else {
    json::object ctx = rest_request_context(inv, "", inv.path, rest_identity(inv), nullptr);
    json::object none;
    RestAuthRequest ar{&inv, inv.path, &none, stage_vars.empty() ? nullptr : &stage_vars, &ctx};
    out = co_await rest_lambda_authorize(dp, env, *a, ar);
  }
  auto latency = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();
  json::object result;
  switch (out.kind) {
    case AuthOutcome::Kind::allow: result["clientStatus"] = 200; break;
    case AuthOutcome::Kind::deny: result["clientStatus"] = 403; break;
    case AuthOutcome::Kind::unauthorized: result["clientStatus"] = 401; break;
    case AuthOutcome::Kind::config_error: result["clientStatus"] = 500; break;
  }
  result["log"] = out.message;
  result["latency"] = latency;
  if (auto* p = find(out.context, "principalId")) result["principalId"] = to_text(*p);
  if (auto* claims = opt_obj(out.context, "claims")) result["claims"] = *claims;
  co_return result;
}

}  // namespace stratus::apigateway::v1
