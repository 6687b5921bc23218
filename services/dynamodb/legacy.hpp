#pragma once
// The pre-expression parameters (Expected, QueryFilter, ScanFilter, KeyConditions,
// AttributesToGet, AttributeUpdates, ConditionalOperator), translated into the same trees the
// expression parser builds, with AWS's validation messages.
#include "expressions.hpp"

#include <stratus/json.hpp>

namespace stratus::dynamodb {

struct Table;

// Expected (PutItem/UpdateItem/DeleteItem). Values in `expected` are validated in place.
Condition legacy_expected(json::object& expected, std::string_view conditional_operator);
// QueryFilter / ScanFilter / KeyConditions ({attr: {ComparisonOperator, AttributeValueList}}).
Condition legacy_filter(json::object& filter, std::string_view conditional_operator, bool key_conditions);
std::vector<Path> legacy_attributes_to_get(const json::array& names);
std::vector<UpdateAction> legacy_attribute_updates(json::object& updates, const Table& t);

// Rejects requests that mix expression and legacy parameters, with AWS's message.
void check_no_mixing(const json::object& in, std::initializer_list<std::string_view> expression_params,
                     std::initializer_list<std::string_view> legacy_params);

}  // namespace stratus::dynamodb
