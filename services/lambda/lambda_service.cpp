#include "lambda_service.hpp"

namespace stratus::lambda {

LambdaService::LambdaService()
    : Service(ServiceInfo{
          .name = "lambda",
          .models = {{"lambda", Protocol::rest_json}},
          .signing_names = {"lambda"},
          .max_body = 80ull << 20,
      }) {}

}  // namespace stratus::lambda
