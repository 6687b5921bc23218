#include "events_service.hpp"

namespace stratus::events {

EventsService::EventsService()
    : Service(ServiceInfo{
          .name = "events",
          .models = {{"events", Protocol::json}},
          .target_prefixes = {"AWSEvents"},
          .signing_names = {"events"},
      }) {}

}  // namespace stratus::events
