#pragma once
// apigateway: see the issue for what this service must do; docs/SERVICES.md for the contract.
#include <stratus/service.hpp>

namespace stratus::apigateway {

class ApiGatewayService final : public Service {
 public:
  ApiGatewayService();
};

class ApiGatewayV2Service final : public Service {
 public:
  ApiGatewayV2Service();
};

class ApiGatewayManagementService final : public Service {
 public:
  ApiGatewayManagementService();
};

}  // namespace stratus::apigateway
