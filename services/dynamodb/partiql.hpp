#pragma once
// PartiQL for DynamoDB (SELECT, INSERT, UPDATE, DELETE), translated into the equivalent
// Query/Scan/GetItem/PutItem/UpdateItem/DeleteItem requests with expression placeholders, so one
// evaluator serves both. https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ql-reference.html
#include <stratus/json.hpp>

#include <map>
#include <string>
#include <vector>

namespace stratus::dynamodb {

struct Statement {
  enum class Kind { select, insert, update, del } kind = Kind::select;
  std::string table, index;
  json::object names, values;           // ExpressionAttributeNames / Values
  std::string projection;               // SELECT paths ("" = *)
  std::string where;                    // whole WHERE as a condition expression ("" = none)
  // Top-level AND-ed conjuncts of the WHERE: (expression text, attribute when it is `attr = value`).
  std::vector<std::pair<std::string, std::string>> conjuncts;
  std::map<std::string, std::string> equalities;  // attribute -> value placeholder of those `attr = value`
  json::object item;                    // INSERT value
  std::string update;                   // UPDATE's update expression
  std::string returning;                // ReturnValues for UPDATE/DELETE ("" = NONE)
};

// Parses a statement; `params` fill the `?` placeholders in order. Throws ValidationException.
Statement parse_partiql(std::string_view text, const json::array* params);

}  // namespace stratus::dynamodb
