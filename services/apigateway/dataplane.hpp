#pragma once
// The invoke-URL data planes: REST APIs, HTTP APIs and WebSocket APIs. Deployments are frozen
// snapshots (what AWS serves until the next deployment), compiled once into route trees and
// cached by deployment id; API and stage lookups are cached until any control-plane write.
#include "events.hpp"
#include "routing.hpp"
#include "store.hpp"

#include <stratus/http.hpp>

#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <memory>
#include <unordered_map>

namespace stratus::apigateway {

// --- gateway responses (REST APIs) ---
bool is_gateway_response_type(std::string_view type);
const std::vector<std::string_view>& gateway_response_types();
json::object default_gateway_response(std::string_view type);

// Where an invoke URL points: the API id and the path that follows it.
struct InvokeTarget {
  std::string api_id;
  std::string path;   // after the API id: "/<stage>/rest..." (or "/rest..." for $default stages), encoded
  std::string prefix; // what precedes `path` in the URL ("" for host form)
};
// Host <id>.execute-api.<anything>, /_aws/execute-api/<id>/..., /restapis/<id>/<stage>/_user_request_/...
std::optional<InvokeTarget> invoke_target(const HttpRequest& req);

struct StageInfo {
  std::string name, deployment_id;
  json::object variables;
  // Throttling settings: REST methodSettings ("*/*", "~1pets/GET"), or for HTTP APIs
  // {"DefaultRouteSettings": ..., "RouteSettings": ...}.
  json::object settings;
};

struct ApiEntry {
  enum class Type { rest, http, websocket };
  Type type = Type::rest;
  std::string id, account, region;
  json::object doc;
  std::map<std::string, StageInfo, std::less<>> stages;
  const StageInfo* stage(std::string_view name) const {
    auto it = stages.find(name);
    return it == stages.end() ? nullptr : &it->second;
  }
};

// A REST method as the data plane uses it.
struct RestTarget {
  std::string resource_id, resource_path;
  json::object method;
};

struct RestDeployment {
  std::string id;
  json::object api;
  PathTree<RestTarget> tree;
  std::map<std::string, json::object, std::less<>> authorizers, validators, models, gateway_responses;
};

struct HttpRoute {
  std::string route_id, route_key, path;
  json::object route;
  json::object integration;  // empty when the route has no target
  json::object route_responses; // route response key → doc (WebSocket two-way routes)
};

struct HttpDeployment {
  std::string id;
  json::object api;
  PathTree<HttpRoute> tree;
  std::unordered_map<std::string, HttpRoute> by_key;  // every route by its key ($connect, GET /x ...)
  std::map<std::string, json::object, std::less<>> authorizers, integrations;
  const HttpRoute* route(std::string_view key) const {
    auto it = by_key.find(std::string(key));
    return it == by_key.end() ? nullptr : &it->second;
  }
};

// The outcome of a Lambda invocation through the bus.
struct LambdaResult {
  enum class Status { ok, function_error, timeout, failed };
  Status status = Status::failed;
  std::string payload;
  std::string error;  // why it failed (logs)
};
boost::asio::awaitable<LambdaResult> invoke_lambda(Env& env, std::string function_arn, std::string payload,
                                                   std::chrono::milliseconds timeout, std::string source_arn);

// A Lambda authorizer's verdict, cached by identity for its TTL.
struct AuthVerdict {
  enum class Kind { allow, unauthorized, deny, error };
  Kind kind = Kind::error;
  json::object context;     // $context.authorizer / requestContext.authorizer
  std::string principal_id;
  std::string usage_key;    // usageIdentifierKey (API keys from the authorizer)
  double expires = 0;
  json::value policy;       // the policy document (REST: evaluated per method ARN)
};

class Connections;

class DataPlane {
 public:
  void invalidate();  // after any control-plane write
  void flush_authorizer_cache(std::string_view api_id);
  void reset();

  boost::asio::awaitable<HttpResponse> serve(RequestContext& ctx, HttpRequest& req);
  boost::asio::awaitable<void> serve_websocket(RequestContext& ctx, HttpRequest& req, WebSocket& ws);

  std::shared_ptr<const ApiEntry> api(std::string_view id);
  std::shared_ptr<const RestDeployment> rest_deployment(const ApiEntry& api, std::string_view deployment_id);
  std::shared_ptr<const HttpDeployment> http_deployment(const ApiEntry& api, std::string_view deployment_id);

  // Authorizer result cache (key: api/authorizer/identity).
  const AuthVerdict* cached_verdict(const std::string& key, double now) const;
  void cache_verdict(std::string key, AuthVerdict v);

  // Token buckets of stage, route and usage-plan throttling: `rate` tokens a second, `burst` deep,
  // full when first used. False when the request is throttled (429 Too Many Requests).
  bool take_token(const std::string& key, double rate, double burst, double now);

  // JWKS documents by URL, refreshed after an hour or on an unknown key id.
  struct Jwks {
    json::object doc;
    double fetched = 0;
  };
  std::unordered_map<std::string, Jwks> jwks;

 private:
  boost::asio::awaitable<HttpResponse> serve_rest(RequestContext& ctx, HttpRequest& req, std::shared_ptr<const ApiEntry> api,
                                                  const InvokeTarget& t);
  boost::asio::awaitable<HttpResponse> serve_http_api(RequestContext& ctx, HttpRequest& req,
                                                      std::shared_ptr<const ApiEntry> api, const InvokeTarget& t);
  std::unordered_map<std::string, std::shared_ptr<const ApiEntry>> apis_;
  std::unordered_map<std::string, std::shared_ptr<const RestDeployment>> rest_deployments_;
  std::unordered_map<std::string, std::shared_ptr<const HttpDeployment>> http_deployments_;
  std::unordered_map<std::string, AuthVerdict> verdicts_;
  struct Bucket {
    double tokens = 0, at = 0;
  };
  std::unordered_map<std::string, Bucket> buckets_;
};

// --- helpers shared by the data-plane files ---
// A number member as a double (throttling rates are doubles, burst limits integers).
inline std::optional<double> opt_number(const json::object& o, std::string_view key) {
  auto* v = find(o, key);
  if (!v || !v->is_number()) return std::nullopt;
  return v->to_number<double>();
}
// The invocation for a request: headers with the client's spelling, the stage-relative path.
Invocation make_invocation(const RequestContext& ctx, const HttpRequest& req, const ApiEntry& api,
                           std::string_view stage, std::string path, std::string raw_path);
HttpResponse json_message(int status, std::string_view message, std::string_view error_type = {});
// "arn:aws:execute-api:<region>:<account>:<api>/<stage>/<METHOD>/<path without leading slash>"
std::string method_arn(const Invocation& inv, std::string_view method, std::string_view path);
// Replaces ${stageVariables.name} in integration URIs and similar strings.
std::string substitute_stage_variables(std::string_view text, const json::object* vars);
// The query string of `pairs`, percent-encoded.
std::string encode_query(const Pairs& pairs);

}  // namespace stratus::apigateway
