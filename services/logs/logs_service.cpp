#include "logs_service.hpp"

namespace stratus::logs {

LogsService::LogsService()
    : Service(ServiceInfo{
          .name = "logs",
          .models = {{"logs", Protocol::json}},
          .target_prefixes = {"Logs_20140328"},
          .signing_names = {"logs"},
      }) {}

}  // namespace stratus::logs
