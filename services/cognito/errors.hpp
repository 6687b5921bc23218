#pragma once
// Cognito user pools error codes and AWS's messages for them.
#include <stratus/aws_error.hpp>

#include <string>

namespace stratus::cognito::errors {

inline AwsError invalid_parameter(std::string msg) { return AwsError("InvalidParameterException", std::move(msg), 400); }
inline AwsError not_found(std::string msg) { return AwsError("ResourceNotFoundException", std::move(msg), 400); }
inline AwsError pool_not_found(const std::string& id) { return not_found("User pool " + id + " does not exist."); }
inline AwsError client_not_found(const std::string& id) { return not_found("User pool client " + id + " does not exist."); }
inline AwsError user_not_found() { return AwsError("UserNotFoundException", "User does not exist.", 400); }
inline AwsError username_exists() {
  return AwsError("UsernameExistsException", "User account already exists", 400);
}
inline AwsError not_authorized(std::string msg = "Incorrect username or password.") {
  return AwsError("NotAuthorizedException", std::move(msg), 400);
}
inline AwsError not_confirmed() { return AwsError("UserNotConfirmedException", "User is not confirmed.", 400); }
inline AwsError invalid_password(const std::string& why) {
  return AwsError("InvalidPasswordException", "Password did not conform with policy: " + why, 400);
}
inline AwsError code_mismatch() {
  return AwsError("CodeMismatchException", "Invalid verification code provided, please try again.", 400);
}
inline AwsError expired_code() {
  return AwsError("ExpiredCodeException", "Invalid code provided, please request a code again.", 400);
}
inline AwsError group_exists(const std::string& name) {
  return AwsError("GroupExistsException", "A group with the name " + name + " already exists.", 400);
}
inline AwsError group_not_found() { return not_found("Group not found."); }
// Pools whose usernames are emails: the email is taken (UsernameExistsException, not AliasExists).
inline AwsError email_exists() {
  return AwsError("UsernameExistsException", "An account with the given email already exists.", 400);
}
inline AwsError unsupported(std::string msg) { return AwsError("UnsupportedOperationException", std::move(msg), 400); }

}  // namespace stratus::cognito::errors
