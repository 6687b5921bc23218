#include "sns_service.hpp"

namespace stratus::sns {

SnsService::SnsService()
    : Service(ServiceInfo{
          .name = "sns",
          .models = {{"sns", Protocol::query}},
          .signing_names = {"sns"},
          .query_version = "2010-03-31",
          .validation_error_code = "InvalidParameter",
          .max_body = 4ull << 20,
      }) {}

}  // namespace stratus::sns
