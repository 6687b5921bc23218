// Expression parsing and evaluation (AWS's wording for errors).
#include "services/dynamodb/attr.hpp"
#include "services/dynamodb/expressions.hpp"

#include <gtest/gtest.h>

#include <stratus/aws_error.hpp>

using namespace stratus;
using namespace stratus::dynamodb;

namespace {
json::object obj(std::string_view text) { return json::parse(text).as_object(); }

std::string error_of(std::function<void()> fn) {
  try {
    fn();
  } catch (const AwsError& e) {
    return e.message;
  }
  return "";
}

bool cond(std::string_view expr, std::string_view item, std::string_view values = "{}", std::string_view names = "{}") {
  json::object v = obj(values), n = obj(names);
  ExprParser p(n.empty() ? nullptr : &n, v.empty() ? nullptr : &v);
  Condition c = p.condition(expr, "ConditionExpression");
  return evaluate(c, obj(item));
}

json::object update(std::string_view expr, std::string_view item, std::string_view values = "{}") {
  json::object v = obj(values);
  ExprParser p(nullptr, v.empty() ? nullptr : &v);
  auto actions = p.update(expr);
  json::object it = obj(item);
  apply_update(it, actions);
  return it;
}
}  // namespace

TEST(DynamoExpressions, Conditions) {
  const char* item = R"({"a":{"N":"5"},"s":{"S":"hello"},"l":{"L":[{"S":"x"},{"N":"1"}]},"ss":{"SS":["p","q"]},"m":{"M":{"k":{"BOOL":true}}}})";
  EXPECT_TRUE(cond("a = :v", item, R"({":v":{"N":"5.0"}})"));
  EXPECT_TRUE(cond("a BETWEEN :x AND :y", item, R"({":x":{"N":"1"},":y":{"N":"5"}})"));
  EXPECT_TRUE(cond("begins_with(s, :p) AND contains(ss, :q)", item, R"({":p":{"S":"he"},":q":{"S":"q"}})"));
  EXPECT_TRUE(cond("contains(l, :x) AND size(l) = :two", item, R"({":x":{"S":"x"},":two":{"N":"2"}})"));
  EXPECT_TRUE(cond("m.k = :t AND l[1] = :one", item, R"({":t":{"BOOL":true},":one":{"N":"1"}})"));
  EXPECT_TRUE(cond("attribute_exists(m.k) AND attribute_not_exists(m.z)", item));
  EXPECT_TRUE(cond("NOT a < :x OR a IN (:x)", item, R"({":x":{"N":"1"}})"));
  EXPECT_FALSE(cond("a < :s", item, R"({":s":{"S":"9"}})"));
  EXPECT_TRUE(cond("nope <> :x", item, R"({":x":{"N":"1"}})"));
  EXPECT_TRUE(cond("attribute_type(ss, :t)", item, R"({":t":{"S":"SS"}})"));
  EXPECT_TRUE(cond("#a > :x", item, R"({":x":{"N":"4"}})", R"({"#a":"a"})"));
}

TEST(DynamoExpressions, SyntaxErrors) {
  json::object v = obj(R"({":v":{"N":"1"}})");
  auto parse = [&](std::string_view e) { return error_of([&] { ExprParser(nullptr, &v).update(e); }); };
  EXPECT_EQ(parse("SET a = :v +"), "Invalid UpdateExpression: Syntax error; token: \"<EOF>\", near: \"+\"");
  EXPECT_EQ(parse("SET a = b / :v"), "Invalid UpdateExpression: Syntax error; token: \"/\", near: \"b / :v\"");
  EXPECT_EQ(parse("SET"), "Invalid UpdateExpression: Syntax error; token: \"<EOF>\", near: \"SET\"");
  EXPECT_EQ(parse("SET a = :v, a.b = :v"),
            "Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these "
            "paths; path one: [a], path two: [a, b]");
  EXPECT_EQ(parse("SET a[1] = :v, a.b = :v"),
            "Invalid UpdateExpression: Two document paths conflict with each other; must remove or rewrite one of these "
            "paths; path one: [a, [1]], path two: [a, b]");
  EXPECT_EQ(parse("ADD a :v DELETE b :v"),
            "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: DELETE, operand type: "
            "NUMBER, typeSet: ALLOWED_FOR_DELETE_OPERAND");
  auto proj = [&](std::string_view e) { return error_of([&] { ExprParser(nullptr, nullptr).projection(e); }); };
  EXPECT_EQ(proj("a,"), "Invalid ProjectionExpression: Syntax error; token: \"<EOF>\", near: \",\"");
  EXPECT_EQ(proj("a b"), "Invalid ProjectionExpression: Syntax error; token: \"b\", near: \"a b\"");
  EXPECT_EQ(proj(""), "Invalid ProjectionExpression: The expression can not be empty;");
  EXPECT_EQ(proj("name"), "Invalid ProjectionExpression: Attribute name is a reserved keyword; reserved keyword: name");
}

TEST(DynamoExpressions, Updates) {
  auto r = update("SET a = a + :one, l = list_append(l, :l) REMOVE r, k[0], k[2] ADD s :ss, n :one DELETE d :ds",
                  R"({"a":{"N":"1"},"l":{"L":[{"N":"1"},{"N":"2"}]},"k":{"L":[{"N":"0"},{"N":"1"},{"N":"2"}]},"r":{"S":"x"},"s":{"SS":["a"]},"d":{"SS":["x","y"]}})",
                  R"({":one":{"N":"1"},":l":{"L":[{"N":"3"}]},":ss":{"SS":["b","a"]},":ds":{"SS":["x"]}})");
  EXPECT_EQ(json::serialize(r.at("a")), R"({"N":"2"})");
  EXPECT_EQ(json::serialize(r.at("l")), R"({"L":[{"N":"1"},{"N":"2"},{"N":"3"}]})");
  EXPECT_EQ(json::serialize(r.at("k")), R"({"L":[{"N":"1"}]})");
  EXPECT_FALSE(r.contains("r"));
  EXPECT_EQ(json::serialize(r.at("s")), R"({"SS":["a","b"]})");
  EXPECT_EQ(json::serialize(r.at("n")), R"({"N":"1"})");
  EXPECT_EQ(json::serialize(r.at("d")), R"({"SS":["y"]})");
  EXPECT_EQ(error_of([] { update("SET x.y = :one", "{}", R"({":one":{"N":"1"}})"); }),
            "The document path provided in the update expression is invalid for update");
  EXPECT_EQ(error_of([] { update("SET x = y", "{}"); }),
            "The provided expression refers to an attribute that does not exist in the item");
}

TEST(DynamoExpressions, Projection) {
  json::object item = obj(R"({"a":{"L":[{"N":"0"},{"M":{"x":{"N":"1"},"y":{"N":"2"}}},{"N":"2"}]},"b":{"S":"b"}})");
  ExprParser p(nullptr, nullptr);
  auto paths = p.projection("a[2], a[1].y, b, c");
  EXPECT_EQ(json::serialize(project(item, paths)), R"({"a":{"L":[{"M":{"y":{"N":"2"}}},{"N":"2"}]},"b":{"S":"b"}})");
}

TEST(DynamoAttr, Validation) {
  json::value v = json::parse(R"({"SS":["a","a"]})");
  EXPECT_EQ(check_value(v), "One or more parameter values were invalid: Input collection [a, a] contains duplicates.");
  v = json::parse(R"({"NS":["1.0","01"]})");
  EXPECT_EQ(check_value(v), "Input collection contains duplicates");
  v = json::parse(R"({})");
  EXPECT_EQ(check_value(v), "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes");
  v = json::parse(R"({"S":"a","N":"1"})");
  EXPECT_EQ(check_value(v),
            "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes");
  v = json::parse(R"({"M":{"n":{"N":"1.50"}}})");
  EXPECT_EQ(check_value(v), "");
  EXPECT_EQ(json::serialize(v), R"({"M":{"n":{"N":"1.5"}}})");
  EXPECT_EQ(item_size(json::parse(R"({"ab":{"S":"xyz"},"n":{"BOOL":true}})").as_object()), 2u + 3u + 1u + 1u);
}
