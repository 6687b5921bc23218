#pragma once
// SNS subscription filter policies: parse → validate (AWS's InvalidParameter messages and limits)
// → match against message attributes or a JSON message body.
// https://docs.aws.amazon.com/sns/latest/dg/sns-subscription-filter-policies.html
#include <stratus/json.hpp>

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace stratus::sns {

enum class FilterScope { message_attributes, message_body };

class FilterPolicy {
 public:
  // Throws AwsError InvalidParameter "Invalid parameter: <context>FilterPolicy: ..." where
  // `context` is "Attributes Reason: " for Subscribe and "" for SetSubscriptionAttributes.
  static FilterPolicy parse(std::string_view text, FilterScope scope, std::string_view context = {});

  // Message attributes as SNS documents: {DataType, StringValue | BinaryValue}.
  bool matches_attributes(const json::object& attributes) const;
  // The message body must be a JSON object; anything else never matches a body policy.
  bool matches_body(std::string_view body) const;

  struct Condition {
    enum class Kind {
      exact_string, exact_number, exact_bool, exact_null, prefix, suffix, equals_ignore_case, anything_but,
      numeric, exists, cidr
    };
    Kind kind = Kind::exact_string;
    std::string text;
    double number = 0;
    bool flag = false;
    // anything-but: the excluded values, or one nested prefix/suffix/equals-ignore-case condition
    std::vector<Condition> inner;
    // numeric: (operator, operand) pairs
    std::vector<std::pair<std::string, double>> ranges;
    // cidr
    std::vector<uint8_t> network;
    int prefix_bits = 0;
  };
  // A value a condition is tested against (a message attribute value or a JSON body leaf).
  struct Value {
    enum class Type { string, number, boolean, null } type = Type::string;
    std::string text;
    double number = 0;
    bool flag = false;
  };
  static bool test(const Condition& c, const Value* v);

 private:
  // Disjunction of conjunctions: each alternative maps a key path to conditions (any may match).
  std::vector<std::map<std::string, std::vector<Condition>>> alternatives_;
};

}  // namespace stratus::sns
