#pragma once
// DynamoDB expressions (ConditionExpression, FilterExpression, KeyConditionExpression,
// ProjectionExpression, UpdateExpression): parse -> resolve placeholders -> evaluate, after
// Alternator's design. Every syntax or semantic error is a ValidationException with AWS's wording
// ("Invalid UpdateExpression: Syntax error; token: \"<EOF>\", near: \"+\"").
#include <stratus/json.hpp>

#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace stratus::dynamodb {

bool is_reserved_word(std::string_view name);

struct PathElem {
  std::string name;
  int64_t index = -1;  // >= 0: a list index
  bool is_index() const { return index >= 0; }
  bool operator==(const PathElem&) const = default;
};
using Path = std::vector<PathElem>;
std::string render_path(const Path& p);  // "[a, b, [1]]" as AWS writes paths in messages
std::string path_text(const Path& p);    // "a.b[1]"

struct Operand {
  enum class Kind : uint8_t { path, value, size, if_not_exists, list_append, plus, minus };
  Kind kind = Kind::value;
  Path path;
  const json::value* value = nullptr;  // an ExpressionAttributeValues entry (or legacy value)
  std::vector<Operand> args;
};

struct Condition {
  enum class Kind : uint8_t {
    eq, ne, lt, le, gt, ge, between, in, and_, or_, not_,
    exists, not_exists, type, begins_with, contains,
    // legacy (Expected / QueryFilter) only
    legacy_null, legacy_not_null, legacy_not_contains
  };
  Kind kind = Kind::eq;
  std::vector<Operand> ops;
  std::vector<Condition> kids;
};

struct UpdateAction {
  enum class Kind : uint8_t { set, remove, add, del };
  Kind kind = Kind::set;
  Path path;
  Operand value;
};

// Parses the expressions of one request against its ExpressionAttributeNames/Values, recording
// which placeholders were used so unused ones can be reported like AWS does.
class ExprParser {
 public:
  ExprParser(const json::object* names, const json::object* values) : names_(names), values_(values) {}

  // `which`: "ConditionExpression", "FilterExpression", "KeyConditionExpression".
  Condition condition(std::string_view text, std::string_view which);
  std::vector<UpdateAction> update(std::string_view text);
  std::vector<Path> projection(std::string_view text);
  // Throws for names/values supplied but never used.
  void check_unused() const;

 private:
  friend struct Parser;
  const json::object* names_;
  const json::object* values_;
  std::set<std::string, std::less<>> used_names_, used_values_;
};

// Validates ExpressionAttributeNames/Values of a request (keys, value shapes, empty maps,
// "can only be specified when using expressions"). `values` may be canonicalised in place.
void check_expression_maps(json::object& input, bool uses_expressions);

// --- evaluation ---
const json::value* resolve(const json::object& item, const Path& p);
bool evaluate(const Condition& c, const json::object& item);
// Applies an update in place. Throws ValidationException with AWS's messages.
void apply_update(json::object& item, const std::vector<UpdateAction>& actions);
// The item reduced to the given paths.
json::object project(const json::object& item, const std::vector<Path>& paths);
// Top-level attribute names an update touches (for UPDATED_OLD / UPDATED_NEW).
std::set<std::string> updated_attributes(const std::vector<UpdateAction>& actions);

}  // namespace stratus::dynamodb
