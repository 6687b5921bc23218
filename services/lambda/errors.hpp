#pragma once
// AWS Lambda's error codes with the messages AWS uses. Every Lambda error carries "Type": "User"
// (or "Service" for ServiceException) beside its message.
#include <stratus/aws_error.hpp>

#include <string>

namespace stratus::lambda::errors {

inline AwsError user(std::string code, std::string msg, int status = 0) {
  return AwsError(std::move(code), std::move(msg), status).with("Type", "User");
}
inline AwsError invalid_parameter(std::string msg) { return user("InvalidParameterValueException", std::move(msg), 400); }
inline AwsError not_found(std::string msg) { return user("ResourceNotFoundException", std::move(msg), 404); }
inline AwsError function_not_found(const std::string& arn) { return not_found("Function not found: " + arn); }
inline AwsError conflict(std::string msg) { return user("ResourceConflictException", std::move(msg), 409); }
inline AwsError precondition_failed() {
  return user("PreconditionFailedException",
              "The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to "
              "retrieve the latest Revision Id",
              412);
}
inline AwsError request_too_large(std::string msg) { return user("RequestTooLargeException", std::move(msg), 413); }
inline AwsError invalid_content(std::string msg) { return user("InvalidRequestContentException", std::move(msg), 400); }
inline AwsError throttled(const std::string& reason) {
  return user("TooManyRequestsException", "Rate Exceeded.", 429).with("Reason", reason);
}
inline AwsError service(std::string msg) {
  return AwsError("ServiceException", std::move(msg), 500, false).with("Type", "Service");
}

}  // namespace stratus::lambda::errors
