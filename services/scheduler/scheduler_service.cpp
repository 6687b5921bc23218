#include "scheduler_service.hpp"

namespace stratus::scheduler {

SchedulerService::SchedulerService()
    : Service(ServiceInfo{
          .name = "scheduler",
          .models = {{"scheduler", Protocol::rest_json}},
          .signing_names = {"scheduler"},
      }) {}

}  // namespace stratus::scheduler
