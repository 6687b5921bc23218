#pragma once
// Systems Manager Parameter Store error codes and AWS's messages for them.
#include <stratus/aws_error.hpp>

#include <string>
#include <string_view>

namespace stratus::ssm::errors {

inline AwsError validation(std::string msg) { return AwsError("ValidationException", std::move(msg), 400); }

// GetParameter / DeleteParameter answer ParameterNotFound without a message; the other operations name it.
inline AwsError parameter_not_found(std::string msg = {}) {
  return AwsError("ParameterNotFound", std::move(msg), 400);
}
inline AwsError parameter_not_found_named(std::string_view name) {
  return parameter_not_found("Parameter " + std::string(name) + " not found.");
}
inline AwsError already_exists() {
  return AwsError("ParameterAlreadyExists",
                  "The parameter already exists. To overwrite this value, set the overwrite option in the request "
                  "to true.",
                  400);
}
inline AwsError version_not_found(std::string_view name, int64_t version) {
  return AwsError("ParameterVersionNotFound",
                  "Systems Manager could not find version " + std::to_string(version) + " of " + std::string(name) +
                      ". Verify the version and try again.",
                  400);
}
inline AwsError label_not_found(std::string_view name, std::string_view label) {
  return AwsError("ParameterVersionNotFound",
                  "Systems Manager could not find label " + std::string(label) + " of " + std::string(name) +
                      ". Verify the label and try again.",
                  400);
}
inline AwsError pattern_mismatch(std::string_view pattern) {
  return AwsError("ParameterPatternMismatchException",
                  "Parameter value, cannot be validated against allowedPattern: " + std::string(pattern), 400);
}
inline AwsError invalid_allowed_pattern(std::string_view pattern) {
  return AwsError("InvalidAllowedPatternException",
                  "The request does not meet the regular expression requirement: " + std::string(pattern), 400);
}
inline AwsError hierarchy_limit() {
  return AwsError("HierarchyLevelLimitExceededException",
                  "A hierarchy can have a maximum of 15 levels. For more information, see "
                  "https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-parameter-name-constraints.html",
                  400);
}
inline AwsError max_versions(std::string_view name, int64_t oldest) {
  return AwsError("ParameterMaxVersionLimitExceeded",
                  "You attempted to create a new version of " + std::string(name) +
                      " by calling the PutParameter API with the overwrite flag. Version " + std::to_string(oldest) +
                      ", the oldest version, can't be deleted because it has a label associated with it. Move the "
                      "label to another version of the parameter, and try again.",
                  400);
}
inline AwsError label_limit() {
  return AwsError("ParameterVersionLabelLimitExceeded",
                  "A parameter version can have maximum 10 labels.Move one or more labels to another version and try "
                  "again.",
                  400);
}
inline AwsError invalid_filter_key(std::string msg) { return AwsError("InvalidFilterKey", std::move(msg), 400); }
inline AwsError invalid_filter_value(std::string msg) { return AwsError("InvalidFilterValue", std::move(msg), 400); }
inline AwsError invalid_filter_option(std::string msg) { return AwsError("InvalidFilterOption", std::move(msg), 400); }
inline AwsError invalid_next_token() { return AwsError("InvalidNextToken", "The specified token isn't valid.", 400); }
inline AwsError invalid_resource_id() {
  return AwsError("InvalidResourceId", "The resource ID isn't valid. Verify that you entered the correct ID and try again.",
                  400);
}
inline AwsError invalid_resource_type() {
  return AwsError("InvalidResourceType", "The resource type isn't valid. Verify the resource type and try again.", 400);
}
inline AwsError too_many_tags() {
  return AwsError("TooManyTagsError",
                  "The Targets parameter includes too many tags. Remove one or more tags and try again.", 400);
}
inline AwsError reserved_name(std::string_view name) {
  return AwsError("AccessDeniedException", "No access to reserved parameter name: " + std::string(name) + ".", 400);
}

}  // namespace stratus::ssm::errors
