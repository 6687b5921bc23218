#pragma once
// What a rule's target receives: the event, Input (constant JSON), InputPath (a JSONPath into the
// event) or InputTransformer (InputPathsMap + InputTemplate). Substitution follows
// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-transform-target-input.html:
// a variable inside a JSON string literal of the template is inserted as escaped text, outside
// one as a JSON value (strings quoted); a template that is not JSON takes values as plain text;
// a path that matches nothing yields an empty string (inside quotes or plain text) or null.
#include "json_text.hpp"

#include <map>
#include <optional>
#include <string>

namespace stratus::events::transform {

// Values EventBridge defines without a path.
struct Predefined {
  std::string rule_arn, rule_name, ingestion_time;
};

class InputTransformer {
 public:
  // Throws std::invalid_argument naming the problem (invalid path, reserved variable name).
  InputTransformer(const std::map<std::string, std::string>& paths, std::string input_template);
  std::string apply(const json_text::Node& event, const Predefined& vars) const;

 private:
  std::map<std::string, json_text::JsonPath> paths_;
  std::string template_;
  bool json_mode_;
};

bool is_reserved_variable(std::string_view name);

// The first <name> of the template (name in [A-Za-z0-9_.-]) that is neither a key of `paths` nor a
// predefined variable; nullopt when every placeholder is known.
std::optional<std::string> invalid_placeholder(std::string_view input_template,
                                               const std::map<std::string, std::string>& paths);

}  // namespace stratus::events::transform
