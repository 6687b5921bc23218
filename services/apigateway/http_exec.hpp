#pragma once
// One request through an HTTP API deployment.
#include "dataplane.hpp"

namespace stratus::apigateway {

std::shared_ptr<HttpDeployment> compile_http(std::string id, const json::object& snapshot);

// CORS of HTTP APIs (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-cors.html):
// API Gateway answers preflights itself and sets the CORS headers of every response.
HttpResponse cors_preflight(const json::object& cors, const HttpRequest& req);
void cors_response_headers(const json::object& cors, const HttpRequest& req, HttpResponse& r);

struct HttpExchange {
  DataPlane& dp;
  Env& env;
  const ApiEntry& api;
  const HttpDeployment& dep;
  Invocation inv;
  const json::object* stage_vars;
  std::string route_key, route_path;
  json::object path_params;
  std::optional<json::object> authorizer;
  const json::object* stage_settings = nullptr;  // StageInfo::settings (route throttling)
  std::optional<json::object> iam_caller;         // AWS_IAM routes: the signing caller

  boost::asio::awaitable<HttpResponse> run();
  // The value of a parameter-mapping expression ("$request.header.x", literals with ${...}).
  std::optional<std::string> param_value(std::string_view expr) const;

 private:
  boost::asio::awaitable<HttpResponse> lambda(const json::object& integration);
  boost::asio::awaitable<HttpResponse> http_proxy(const json::object& integration);
};

}  // namespace stratus::apigateway
