#pragma once
// lambda: see the issue for what this service must do; docs/SERVICES.md for the contract.
#include <stratus/service.hpp>

namespace stratus::lambda {

class LambdaService final : public Service {
 public:
  LambdaService();
};

}  // namespace stratus::lambda
