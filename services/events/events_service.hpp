#pragma once
// events: see the issue for what this service must do; docs/SERVICES.md for the contract.
#include <stratus/service.hpp>

namespace stratus::events {

class EventsService final : public Service {
 public:
  EventsService();
};

}  // namespace stratus::events
