// Legacy parameters (Expected, QueryFilter, AttributeUpdates) and PartiQL translation.
#include "services/dynamodb/legacy.hpp"
#include "services/dynamodb/partiql.hpp"
#include "services/dynamodb/table.hpp"

#include <gtest/gtest.h>

#include <stratus/aws_error.hpp>

using namespace stratus;
using namespace stratus::dynamodb;

namespace {
json::object obj(std::string_view text) { return json::parse(text).as_object(); }
std::string error_of(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const AwsError& e) {
    return e.message;
  }
  return "";
}
}  // namespace

TEST(DynamoLegacy, Expected) {
  json::object item = obj(R"({"a":{"N":"5"},"s":{"SS":["x"]}})");
  json::object ex = obj(R"({"a":{"Value":{"N":"5"}},"b":{"Exists":false}})");
  EXPECT_TRUE(evaluate(legacy_expected(ex, "AND"), item));
  ex = obj(R"({"a":{"ComparisonOperator":"GT","AttributeValueList":[{"N":"9"}]},"s":{"ComparisonOperator":"CONTAINS","AttributeValueList":[{"S":"x"}]}})");
  EXPECT_FALSE(evaluate(legacy_expected(ex, "AND"), item));
  ex = obj(R"({"a":{"ComparisonOperator":"GT","AttributeValueList":[{"N":"9"}]},"s":{"ComparisonOperator":"CONTAINS","AttributeValueList":[{"S":"x"}]}})");
  EXPECT_TRUE(evaluate(legacy_expected(ex, "OR"), item));
  ex = obj(R"({"a":{"Exists":true}})");
  EXPECT_EQ(error_of([&] { legacy_expected(ex, "AND"); }),
            "One or more parameter values were invalid: Value must be provided when Exists is true for Attribute: a");
  ex = obj(R"({"a":{"ComparisonOperator":"BETWEEN","AttributeValueList":[{"N":"1"}]}})");
  EXPECT_EQ(error_of([&] { legacy_expected(ex, "AND"); }),
            "One or more parameter values were invalid: Invalid number of argument(s) for the BETWEEN ComparisonOperator");
  ex = obj(R"({"a":{"Exists":false,"Value":{"N":"1"}}})");
  EXPECT_EQ(error_of([&] { legacy_expected(ex, "AND"); }),
            "One or more parameter values were invalid: Value cannot be used when Exists is false for Attribute: a");
}

TEST(DynamoLegacy, AttributeUpdates) {
  Table t;
  t.desc = obj(R"({"AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}]})");
  t.derive();
  json::object up = obj(R"({"n":{"Action":"ADD","Value":{"N":"2"}},"l":{"Action":"ADD","Value":{"L":[{"S":"z"}]}},"gone":{"Action":"DELETE"},"v":{"Value":{"S":"new"}}})");
  auto actions = legacy_attribute_updates(up, t);
  json::object item = obj(R"({"pk":{"S":"k"},"n":{"N":"1"},"l":{"L":[{"S":"y"}]},"gone":{"S":"x"}})");
  apply_update(item, actions);
  EXPECT_EQ(json::serialize(item.at("n")), R"({"N":"3"})");
  EXPECT_EQ(json::serialize(item.at("l")), R"({"L":[{"S":"y"},{"S":"z"}]})");
  EXPECT_FALSE(item.contains("gone"));
  EXPECT_EQ(json::serialize(item.at("v")), R"({"S":"new"})");
  json::object bad = obj(R"({"pk":{"Value":{"S":"x"}}})");
  EXPECT_EQ(error_of([&] { legacy_attribute_updates(bad, t); }),
            "One or more parameter values were invalid: Cannot update attribute pk. This attribute is part of the key");
}

TEST(DynamoPartiQL, Translation) {
  json::array params{json::object{{"N", "3"}}};
  Statement st = parse_partiql(R"(SELECT a, b.c[1] FROM "T"."Idx" WHERE pk = 'x' AND n > ? AND tags IS NOT MISSING)", &params);
  EXPECT_EQ(st.kind, Statement::Kind::select);
  EXPECT_EQ(st.table, "T");
  EXPECT_EQ(st.index, "Idx");
  EXPECT_EQ(st.conjuncts.size(), 3u);
  ASSERT_TRUE(st.equalities.count("pk"));
  EXPECT_EQ(json::serialize(st.values.at(st.equalities.at("pk"))), R"({"S":"x"})");
  st = parse_partiql("INSERT INTO t VALUE {'pk': 'a', 'n': 1.50, 's': <<'x','y'>>, 'm': {'l': [TRUE, NULL]}}", nullptr);
  EXPECT_EQ(json::serialize(st.item.at("n")), R"({"N":"1.5"})");
  EXPECT_EQ(json::serialize(st.item.at("s")), R"({"SS":["x","y"]})");
  EXPECT_EQ(json::serialize(st.item.at("m")), R"({"M":{"l":{"L":[{"BOOL":true},{"NULL":true}]}}})");
  st = parse_partiql("UPDATE t SET a = a + 1 SET b = list_append(b, [2]) REMOVE c WHERE pk = 'k' RETURNING MODIFIED NEW *", nullptr);
  EXPECT_EQ(st.returning, "UPDATED_NEW");
  EXPECT_NE(st.update.find("REMOVE"), std::string::npos);
  EXPECT_EQ(error_of([] { parse_partiql("SELECT * FROM t WHERE a = ?", nullptr); }),
            "Number of parameters in request and statement don't match.");
  EXPECT_EQ(error_of([] { parse_partiql("DROP TABLE t", nullptr); }).rfind("Statement wasn't well formed", 0), 0u);
}
