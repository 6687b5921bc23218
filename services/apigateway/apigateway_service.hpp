#pragma once
// Amazon API Gateway: the REST API control plane (apigateway), the HTTP/WebSocket API control
// plane (apigatewayv2), the @connections management API (apigatewaymanagementapi), and the
// invoke-URL data planes of all three kinds of API. The three services share one store
// (services/apigateway/backend.hpp).
#include <stratus/service.hpp>

namespace stratus::apigateway {

class ApiGatewayService final : public Service {
 public:
  ApiGatewayService();
  void start(Env& env) override;
  void reset() override;
  bool serves_http() const override { return true; }
  Claim claim(HttpRequest& req) const override;
  boost::asio::awaitable<HttpResponse> handle_http(RequestContext& ctx, HttpRequest& req) override;
  boost::asio::awaitable<void> handle_websocket(RequestContext& ctx, HttpRequest& req, WebSocket& ws) override;
};

class ApiGatewayV2Service final : public Service {
 public:
  ApiGatewayV2Service();
  void start(Env& env) override;
  void reset() override;
  bool serves_http() const override { return true; }
  // Claims invoke URLs only when the REST service is disabled (--services).
  Claim claim(HttpRequest& req) const override;
  boost::asio::awaitable<HttpResponse> handle_http(RequestContext& ctx, HttpRequest& req) override;
  boost::asio::awaitable<void> handle_websocket(RequestContext& ctx, HttpRequest& req, WebSocket& ws) override;
};

class ApiGatewayManagementService final : public Service {
 public:
  ApiGatewayManagementService();
  void start(Env& env) override;
  void reset() override;
  // <api>.execute-api.<host>/<stage>/@connections/<id> and /_aws/execute-api/<api>/<stage>/@connections/<id>.
  Claim claim(HttpRequest& req) const override;
};

}  // namespace stratus::apigateway
