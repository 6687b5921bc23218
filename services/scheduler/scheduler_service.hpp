#pragma once
// scheduler: see the issue for what this service must do; docs/SERVICES.md for the contract.
#include <stratus/service.hpp>

namespace stratus::scheduler {

class SchedulerService final : public Service {
 public:
  SchedulerService();
};

}  // namespace stratus::scheduler
