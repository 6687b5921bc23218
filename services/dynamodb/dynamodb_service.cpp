#include "dynamodb_service.hpp"

namespace stratus::dynamodb {

DynamoDbService::DynamoDbService()
    : Service(ServiceInfo{
          .name = "dynamodb",
          .models = {{"dynamodb", Protocol::json}},
          .target_prefixes = {"DynamoDB_20120810"},
          .signing_names = {"dynamodb"},
          .json_error_prefix = "com.amazonaws.dynamodb.v20120810#",
          .json_error_types = {{"ValidationException", "com.amazon.coral.validate#ValidationException"}},
          .request_id = RequestIdStyle::dynamodb,
          .max_body = 16ull << 20,
          .crc32_header = true,
      }) {}

DynamoDbStreamsService::DynamoDbStreamsService()
    : Service(ServiceInfo{
          .name = "dynamodbstreams",
          .models = {{"dynamodbstreams", Protocol::json}},
          .target_prefixes = {"DynamoDBStreams_20120810"},
          .signing_names = {"dynamodb"},
          .json_error_prefix = "com.amazonaws.dynamodb.v20120810#",
          .json_error_types = {{"ValidationException", "com.amazon.coral.validate#ValidationException"}},
          .request_id = RequestIdStyle::dynamodb,
          .crc32_header = true,
      }) {}

}  // namespace stratus::dynamodb
