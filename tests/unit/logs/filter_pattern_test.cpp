// CloudWatch Logs filter pattern syntax:
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html
#include "services/logs/filter_pattern.hpp"
#include "services/logs/store.hpp"

#include <gtest/gtest.h>

using stratus::logs::FilterPattern;

TEST(LogsFilterPattern, EmptyMatchesEverything) {
  EXPECT_TRUE(FilterPattern::parse("").matches("anything"));
  EXPECT_TRUE(FilterPattern::parse("\"\"").matches("anything"));
}

TEST(LogsFilterPattern, TermsAreCaseSensitiveAndAllRequired) {
  auto p = FilterPattern::parse("ERROR timeout");
  EXPECT_TRUE(p.matches("[ERROR] request timeout after 3s"));
  EXPECT_FALSE(p.matches("[ERROR] request failed"));
  EXPECT_FALSE(p.matches("[error] timeout"));
}

TEST(LogsFilterPattern, OptionalExcludedAndQuotedTerms) {
  auto any = FilterPattern::parse("?ERROR ?WARN");
  EXPECT_TRUE(any.matches("WARN low disk"));
  EXPECT_FALSE(any.matches("INFO ok"));
  auto excl = FilterPattern::parse("ERROR -Exiting");
  EXPECT_TRUE(excl.matches("ERROR x"));
  EXPECT_FALSE(excl.matches("ERROR Exiting now"));
  auto quoted = FilterPattern::parse("\"Task timed out\"");
  EXPECT_TRUE(quoted.matches("2024 id Task timed out after 3.00 seconds"));
  EXPECT_FALSE(quoted.matches("Task finished; timed out never"));
}

TEST(LogsFilterPattern, JsonSelectors) {
  auto p = FilterPattern::parse("{ $.level = \"ERROR\" && $.latency > 100 }");
  EXPECT_TRUE(p.matches(R"({"level":"ERROR","latency":250})"));
  EXPECT_FALSE(p.matches(R"({"level":"ERROR","latency":50})"));
  EXPECT_FALSE(p.matches("not json"));
  auto wild = FilterPattern::parse("{ $.user.name = \"adm*\" || $.code NOT EXISTS }");
  EXPECT_TRUE(wild.matches(R"({"user":{"name":"admin"},"code":1})"));
  EXPECT_TRUE(wild.matches(R"({"user":{"name":"bob"}})"));
  EXPECT_FALSE(wild.matches(R"({"user":{"name":"bob"},"code":1})"));
  auto arr = FilterPattern::parse("{ $.items[1] = \"b\" }");
  EXPECT_TRUE(arr.matches(R"({"items":["a","b"]})"));
  EXPECT_THROW(FilterPattern::parse("{ $.a = }"), std::invalid_argument);
}

TEST(LogsFilterPattern, SpaceDelimitedAndRegex) {
  auto p = FilterPattern::parse("[ip, user, ..., status = 404, bytes > 1000]");
  EXPECT_TRUE(p.matches("127.0.0.1 frank [10/Oct/2000:13:25:15 -0700] \"GET /x HTTP/1.0\" 404 2000"));
  EXPECT_FALSE(p.matches("127.0.0.1 frank [10/Oct/2000:13:25:15 -0700] \"GET /x HTTP/1.0\" 200 2000"));
  auto re = FilterPattern::parse("%ERR(OR)?|FATAL%");
  EXPECT_TRUE(re.matches("a FATAL thing"));
  EXPECT_FALSE(re.matches("fine"));
}

TEST(LogsTokens, PositionsRoundTripAs56Digits) {
  stratus::logs::Position p{1700000000123, 42};
  auto s = stratus::logs::encode_position(p);
  EXPECT_EQ(s.size(), 56u);
  auto back = stratus::logs::decode_position(s);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->timestamp, p.timestamp);
  EXPECT_EQ(back->id, 42);
  EXPECT_FALSE(stratus::logs::decode_position("12x"));
}
