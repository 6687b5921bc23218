#pragma once
// CloudWatch Logs error codes and AWS's messages for them.
#include <stratus/aws_error.hpp>

#include <cctype>
#include <string_view>

namespace stratus::logs::errors {

inline AwsError invalid_parameter(std::string msg) { return AwsError("InvalidParameterException", std::move(msg), 400); }
inline AwsError group_not_found() {
  return AwsError("ResourceNotFoundException", "The specified log group does not exist.", 400);
}
inline AwsError stream_not_found() {
  return AwsError("ResourceNotFoundException", "The specified log stream does not exist.", 400);
}
inline AwsError group_exists() {
  return AwsError("ResourceAlreadyExistsException", "The specified log group already exists", 400);
}
inline AwsError stream_exists() {
  return AwsError("ResourceAlreadyExistsException", "The specified log stream already exists", 400);
}

// Model patterns for names (AWS's Coral wording).
inline void check_group_name(std::string_view name) {
  for (char c : name)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_' || c == '/' || c == '#'))
      throw invalid_parameter("1 validation error detected: Value '" + std::string(name) +
                              "' at 'logGroupName' failed to satisfy constraint: Member must satisfy regular "
                              "expression pattern: [\\.\\-_/#A-Za-z0-9]+");
}
inline void check_stream_name(std::string_view name) {
  if (name.find_first_of(":*") != std::string_view::npos)
    throw invalid_parameter("1 validation error detected: Value '" + std::string(name) +
                            "' at 'logStreamName' failed to satisfy constraint: Member must satisfy regular "
                            "expression pattern: [^:*]*");
}

}  // namespace stratus::logs::errors
