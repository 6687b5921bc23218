#pragma once
// SQS errors. `code` is the JSON model's shape name (what current SDKs see in __type); the query
// code is what query clients see in <Code> and what JSON clients read from x-amzn-query-error
// (the JSON model carries no error codes, so every factory sets it). Codes and messages follow
// https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/CommonErrors.html and the
// per-operation Errors sections; messages are AWS's wording where it is known.
#include <stratus/aws_error.hpp>

#include <string>

namespace stratus::sqs::err {

inline AwsError make(std::string code, std::string query_code, std::string msg, int status = 400) {
  AwsError e(std::move(code), std::move(msg), status);
  e.query_code = std::move(query_code);
  return e;
}

// Query clients are told "...for this wsdl version." (the legacy endpoint's wording).
inline AwsError queue_does_not_exist(bool query_protocol) {
  return make("QueueDoesNotExist", "AWS.SimpleQueueService.NonExistentQueue",
              query_protocol ? "The specified queue does not exist for this wsdl version."
                             : "The specified queue does not exist.");
}
inline AwsError queue_name_exists(const std::string& attribute) {
  return make("QueueNameExists", "QueueAlreadyExists",
              "A queue already exists with the same name and a different value for attribute " + attribute);
}
inline AwsError invalid_parameter_value(std::string msg) {
  return make("InvalidParameterValue", "InvalidParameterValue", std::move(msg));
}
// "Value X for parameter P is invalid. Reason: R."
inline AwsError invalid_parameter(const std::string& value, const std::string& param, const std::string& reason) {
  return invalid_parameter_value("Value " + value + " for parameter " + param + " is invalid. Reason: " + reason);
}
inline AwsError missing_parameter(const std::string& param) {
  return make("MissingParameter", "MissingParameter", "The request must contain the parameter " + param + ".");
}
inline AwsError invalid_attribute_name(std::string msg) {
  return make("InvalidAttributeName", "InvalidAttributeName", std::move(msg));
}
inline AwsError unknown_attribute(const std::string& name) { return invalid_attribute_name("Unknown Attribute " + name + "."); }
inline AwsError invalid_attribute_value(const std::string& name, const std::string& reason = {}) {
  return make("InvalidAttributeValue", "InvalidAttributeValue",
              "Invalid value for the parameter " + name + "." + (reason.empty() ? "" : " Reason: " + reason));
}
inline AwsError receipt_handle_invalid(const std::string& handle) {
  return make("ReceiptHandleIsInvalid", "ReceiptHandleIsInvalid",
              "The input receipt handle \"" + handle + "\" is not a valid receipt handle.");
}
inline AwsError invalid_message_contents() {
  return make("InvalidMessageContents", "InvalidMessageContents",
              "Invalid characters found. Valid unicode characters are #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to "
              "#xFFFD | #x10000 to #x10FFFF");
}
inline AwsError invalid_address(const std::string& url) {
  return make("InvalidAddress", "InvalidAddress", "The address " + url + " is not valid for this endpoint.");
}
inline AwsError purge_in_progress(const std::string& queue) {
  return make("PurgeQueueInProgress", "AWS.SimpleQueueService.PurgeQueueInProgress",
              "Only one PurgeQueue operation on " + queue + " is allowed every 60 seconds.", 403);
}
inline AwsError empty_batch(const std::string& entry_shape) {
  return make("EmptyBatchRequest", "AWS.SimpleQueueService.EmptyBatchRequest",
              "There should be at least one " + entry_shape + " in the request.");
}
inline AwsError too_many_entries(size_t n) {
  return make("TooManyEntriesInBatchRequest", "AWS.SimpleQueueService.TooManyEntriesInBatchRequest",
              "Maximum number of entries per request are 10. You have sent " + std::to_string(n) + ".");
}
inline AwsError ids_not_distinct(const std::string& id) {
  return make("BatchEntryIdsNotDistinct", "AWS.SimpleQueueService.BatchEntryIdsNotDistinct", "Id " + id + " repeated.");
}
inline AwsError invalid_batch_entry_id() {
  return make("InvalidBatchEntryId", "AWS.SimpleQueueService.InvalidBatchEntryId",
              "A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most "
              "80 letters long.");
}
inline AwsError batch_too_long(int64_t limit, int64_t sent) {
  return make("BatchRequestTooLong", "AWS.SimpleQueueService.BatchRequestTooLong",
              "Batch requests cannot be longer than " + std::to_string(limit) + " bytes. You have sent " +
                  std::to_string(sent) + " bytes.");
}
inline AwsError resource_not_found(std::string msg) {
  return make("ResourceNotFoundException", "ResourceNotFoundException", std::move(msg), 404);
}
inline AwsError unsupported_operation(std::string msg) {
  return make("UnsupportedOperation", "AWS.SimpleQueueService.UnsupportedOperation", std::move(msg));
}
inline AwsError over_limit(std::string msg) { return make("OverLimit", "OverLimit", std::move(msg), 403); }

}  // namespace stratus::sqs::err
