#include "apigateway_service.hpp"

namespace stratus::apigateway {

ApiGatewayService::ApiGatewayService()
    : Service(ServiceInfo{
          .name = "apigateway",
          .models = {{"apigateway", Protocol::rest_json}},
          .signing_names = {"apigateway"},
          .handles_cors = true,
          .max_body = 16ull << 20,
      }) {}

ApiGatewayV2Service::ApiGatewayV2Service()
    : Service(ServiceInfo{
          .name = "apigatewayv2",
          .models = {{"apigatewayv2", Protocol::rest_json}},
          .signing_names = {"apigateway"},
          .handles_cors = true,
          .max_body = 16ull << 20,
      }) {}

ApiGatewayManagementService::ApiGatewayManagementService()
    : Service(ServiceInfo{
          .name = "apigatewaymanagementapi",
          .models = {{"apigatewaymanagementapi", Protocol::rest_json}},
          .signing_names = {"execute-api"},
      }) {}

}  // namespace stratus::apigateway
