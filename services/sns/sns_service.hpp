#pragma once
// sns: see the issue for what this service must do; docs/SERVICES.md for the contract.
#include <stratus/service.hpp>

namespace stratus::sns {

class SnsService final : public Service {
 public:
  SnsService();
};

}  // namespace stratus::sns
