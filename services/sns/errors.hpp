#pragma once
// SNS errors: `code` is the model's error shape name; the query code (<Code>) comes from the
// shape's error trait (InvalidParameter, NotFound, ...). Messages follow AWS's wording, e.g.
// "Invalid parameter: TopicArn" — https://docs.aws.amazon.com/sns/latest/api/CommonErrors.html
#include <stratus/aws_error.hpp>

#include <string>

namespace stratus::sns::err {

inline AwsError invalid_parameter(const std::string& what) {
  return AwsError("InvalidParameterException", "Invalid parameter: " + what, 400);
}
// Raw message without the "Invalid parameter: " prefix.
inline AwsError invalid_parameter_raw(std::string msg) {
  return AwsError("InvalidParameterException", std::move(msg), 400);
}
inline AwsError invalid_parameter_value(std::string msg) {
  return AwsError("InvalidParameterValueException", std::move(msg), 400);
}
inline AwsError not_found(std::string msg) { return AwsError("NotFoundException", std::move(msg), 404); }
inline AwsError topic_not_found() { return not_found("Topic does not exist"); }
inline AwsError subscription_not_found() { return not_found("Subscription does not exist"); }
inline AwsError resource_not_found() { return AwsError("ResourceNotFoundException", "Resource does not exist", 404); }
inline AwsError endpoint_disabled() { return AwsError("EndpointDisabledException", "Endpoint is disabled", 400); }
inline AwsError platform_application_disabled() {
  return AwsError("PlatformApplicationDisabledException", "Platform application is disabled", 400);
}
inline AwsError tag_limit() {
  return AwsError("TagLimitExceededException", "Could not complete request: tag quota of per resource exceeded", 400);
}
inline AwsError empty_batch() {
  return AwsError("EmptyBatchRequestException", "The batch request doesn't contain any entries", 400);
}
inline AwsError too_many_entries() {
  return AwsError("TooManyEntriesInBatchRequestException", "The batch request contains more entries than permissible",
                  400);
}
inline AwsError ids_not_distinct() {
  return AwsError("BatchEntryIdsNotDistinctException", "Two or more batch entries in the request have the same Id",
                  400);
}
inline AwsError invalid_batch_entry_id() {
  return AwsError("InvalidBatchEntryIdException",
                  "A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at "
                  "most 80 letters long.",
                  400);
}
inline AwsError batch_too_long() {
  return AwsError("BatchRequestTooLongException", "The length of all the messages put together is more than the limit",
                  400);
}

}  // namespace stratus::sns::err
