#pragma once
// AwsError factories for DynamoDB's codes, with AWS's messages.
#include <stratus/aws_error.hpp>

#include <string>

namespace stratus::dynamodb {

inline AwsError validation(std::string msg) { return AwsError("ValidationException", std::move(msg), 400); }
inline AwsError table_not_found() {
  return AwsError("ResourceNotFoundException", "Requested resource not found", 400);
}
inline AwsError table_not_found(const std::string& name) {
  return AwsError("ResourceNotFoundException", "Requested resource not found: Table: " + name + " not found", 400);
}
inline AwsError resource_in_use(std::string msg) { return AwsError("ResourceInUseException", std::move(msg), 400); }
inline AwsError conditional_failed() {
  return AwsError("ConditionalCheckFailedException", "The conditional request failed", 400);
}

}  // namespace stratus::dynamodb
