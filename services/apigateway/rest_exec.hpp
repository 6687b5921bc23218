#pragma once
// One request through a REST API deployment (invoke URLs and TestInvokeMethod share it).
#include "dataplane.hpp"

#include <map>

namespace stratus::apigateway {

std::shared_ptr<RestDeployment> compile_rest(std::string id, const json::object& snapshot);

// JSON Schema (draft 4, the subset API Gateway models use) validation of a request body;
// "" when valid, else the first violation.
std::string validate_json_schema(const json::value& doc, const json::value& schema);

struct RestExchange {
  RestExchange(DataPlane& dp, Env& env, const ApiEntry& api, const RestDeployment& dep, Invocation inv,
               const json::object* stage_vars);

  // Runs the request; `forced_resource_id` pins the resource (TestInvokeMethod).
  boost::asio::awaitable<HttpResponse> run(const std::string* forced_resource_id);

  DataPlane& dp;
  Env& env;
  const ApiEntry& api;
  const RestDeployment& dep;
  Invocation inv;
  const json::object* stage_vars;
  std::string resource_id, resource_path;
  json::object path_params;
  json::object identity;
  std::optional<json::object> authorizer;
  std::string usage_key;
  std::string log;  // TestInvokeMethod's execution log
  const json::object* method_settings = nullptr;  // the stage's methodSettings (throttling)

  json::object context_variables() const;
  HttpResponse gateway_error(std::string_view type, json::value message, int status_override = 0);

 private:
  std::optional<std::string> source_value(std::string_view src) const;
  void map_request_parameters(const json::object& integration, Pairs& headers, Pairs& query,
                              std::map<std::string, std::string>& path) const;
  std::string render(std::string_view tmpl, const std::string& body, const Pairs* response_headers) const;
  std::string check_api_key(const std::string& value, std::string_view verb);
  bool stage_throttle_ok(std::string_view verb);
  std::string validate_body(std::string_view schema_text) const;
  boost::asio::awaitable<HttpResponse> lambda_proxy(const json::object& integration);
  boost::asio::awaitable<HttpResponse> http_proxy(const json::object& integration);
  boost::asio::awaitable<HttpResponse> mapped(const json::object& integration);
};

}  // namespace stratus::apigateway
