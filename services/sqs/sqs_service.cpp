#include "sqs_service.hpp"

namespace stratus::sqs {

SqsService::SqsService()
    : Service(ServiceInfo{
          .name = "sqs",
          .models = {{"sqs", Protocol::json}, {"sqs-query", Protocol::query}},
          .target_prefixes = {"AmazonSQS"},
          .signing_names = {"sqs"},
          .query_version = "2012-11-05",
          .json_error_prefix = "com.amazonaws.sqs#",
          .max_body = 4ull << 20,
      }) {}

}  // namespace stratus::sqs
