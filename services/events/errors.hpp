#pragma once
// EventBridge's error codes and messages (JSON protocol, unqualified __type). Messages as AWS
// returns them; https://docs.aws.amazon.com/eventbridge/latest/APIReference/CommonErrors.html
#include <stratus/aws_error.hpp>

#include <string>

namespace stratus::events::err {

inline AwsError validation(std::string msg) { return {"ValidationException", std::move(msg), 400}; }
inline AwsError not_found(std::string msg) { return {"ResourceNotFoundException", std::move(msg), 400}; }
inline AwsError exists(std::string msg) { return {"ResourceAlreadyExistsException", std::move(msg), 400}; }
inline AwsError invalid_pattern(const std::string& reason) {
  return {"InvalidEventPatternException", "Event pattern is not valid. Reason: " + reason, 400};
}
inline AwsError limit(std::string msg = "The requested resource exceeds the maximum number allowed.") {
  return {"LimitExceededException", std::move(msg), 400};
}
inline AwsError managed_rule(std::string msg) { return {"ManagedRuleException", std::move(msg), 400}; }
inline AwsError illegal_status(std::string msg) { return {"IllegalStatusException", std::move(msg), 400}; }

inline AwsError bus_not_found(const std::string& bus) { return not_found("Event bus " + bus + " does not exist."); }
inline AwsError rule_not_found(const std::string& rule, const std::string& bus) {
  return not_found("Rule " + rule + " does not exist on EventBus " + bus + ".");
}

}  // namespace stratus::events::err
