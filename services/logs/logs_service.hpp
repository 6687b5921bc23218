#pragma once
// logs: see the issue for what this service must do; docs/SERVICES.md for the contract.
#include <stratus/service.hpp>

namespace stratus::logs {

class LogsService final : public Service {
 public:
  LogsService();
};

}  // namespace stratus::logs
