#pragma once
// Event filtering for event-source mappings (FilterCriteria): the EventBridge pattern language
// applied to SQS messages and DynamoDB stream records.
// https://docs.aws.amazon.com/lambda/latest/dg/invocation-eventfiltering.html
#include <stratus/json.hpp>

#include <string_view>
#include <vector>

namespace stratus::lambda {

// Parses a pattern ("{\"body\": {\"kind\": [\"order\"]}}"); throws std::invalid_argument.
json::object parse_pattern(std::string_view text);
// True when `event` matches `pattern` (every key of the pattern must match).
bool pattern_matches(const json::object& pattern, const json::value& event);
// True when any of the patterns matches (no patterns: everything matches).
bool any_pattern_matches(const std::vector<json::object>& patterns, const json::value& event);

}  // namespace stratus::lambda
