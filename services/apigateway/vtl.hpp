#pragma once
// The subset of Apache Velocity API Gateway mapping templates use
// (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-mapping-template-reference.html):
// references ($x, $!x, ${x}, $a.b.c, $a['k'], method calls), #set, #if/#elseif/#else, #foreach
// (with $foreach.hasNext / $velocityCount), #break, #stop, ## and #* *# comments, string literals
// with interpolation, arithmetic, comparisons and boolean logic; the $input, $util, $context and
// $stageVariables variables; JSONPath for $input.path/$input.json.
// Pure: tests/unit/apigateway/vtl_test.cpp.
#include "events.hpp"

#include <stdexcept>
#include <string>

namespace stratus::apigateway::vtl {

struct Error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// What $input reads.
struct Input {
  std::string body;
  Pairs path, query, header;
};

struct Variables {
  const Input* input = nullptr;
  json::value context;          // $context
  json::value stage_variables;  // $stageVariables
  json::object extra;           // further top-level variables ($method.request... in tests, $util is built in)
};

// Renders `tmpl`; throws vtl::Error on syntax errors or exceeded limits (loop iterations, output size).
std::string render(std::string_view tmpl, const Variables& vars);

// JSONPath as API Gateway evaluates it ($, .a, ['a'], [0], [*], ..a): the matched value, or null.
json::value json_path(const json::value& doc, std::string_view path);

// $util.escapeJavaScript as API Gateway implements it (escapes ' as \' and " as \", control characters).
std::string escape_javascript(std::string_view s);

}  // namespace stratus::apigateway::vtl
