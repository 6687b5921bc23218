// Schedule expressions: https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-scheduled-rule-pattern.html
// and https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html
#include "schedule.hpp"

#include <gtest/gtest.h>

namespace {
using namespace stratus::events::schedule;

int64_t at(int y, unsigned mo, unsigned d, int h = 0, int mi = 0, int s = 0) {
  return days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s;
}

std::optional<int64_t> next(const char* expr, int64_t after, const TimeZone& tz = TimeZone::utc()) {
  auto e = Expression::parse(expr, Flavor::rule);
  EXPECT_TRUE(e.has_value()) << expr;
  return e ? e->next_cron(after, tz) : std::nullopt;
}

TEST(Schedule, RateRules) {
  EXPECT_TRUE(Expression::parse("rate(1 minute)", Flavor::rule));
  EXPECT_TRUE(Expression::parse("rate(5 minutes)", Flavor::rule));
  EXPECT_TRUE(Expression::parse("rate(1 day)", Flavor::rule));
  // Rules require the singular for 1 and the plural otherwise; Scheduler accepts either.
  EXPECT_FALSE(Expression::parse("rate(1 minutes)", Flavor::rule));
  EXPECT_FALSE(Expression::parse("rate(5 minute)", Flavor::rule));
  EXPECT_TRUE(Expression::parse("rate(1 minutes)", Flavor::scheduler));
  EXPECT_FALSE(Expression::parse("rate(0 minutes)", Flavor::rule));
  EXPECT_FALSE(Expression::parse("rate(5 seconds)", Flavor::rule));
  EXPECT_FALSE(Expression::parse("rate(-1 minutes)", Flavor::rule));
  auto e = Expression::parse("rate(5 minutes)", Flavor::rule);
  EXPECT_EQ(e->rate_seconds(), 300);
  EXPECT_EQ(e->next_rate(1000, 1000), 1300);
  EXPECT_EQ(e->next_rate(1000, 1299), 1300);
  EXPECT_EQ(e->next_rate(1000, 1300), 1600);
}

TEST(Schedule, CronFieldsAndValidation) {
  // Exactly one of day-of-month and day-of-week is '?'.
  EXPECT_FALSE(Expression::parse("cron(* * * * * *)", Flavor::rule));
  EXPECT_FALSE(Expression::parse("cron(0 12 ? * ? *)", Flavor::rule));
  EXPECT_FALSE(Expression::parse("cron(0 12 * *)", Flavor::rule));
  EXPECT_FALSE(Expression::parse("cron(60 12 * * ? *)", Flavor::rule));
  EXPECT_FALSE(Expression::parse("cron(0 24 * * ? *)", Flavor::rule));
  EXPECT_FALSE(Expression::parse("cron(0 0 32 * ? *)", Flavor::rule));
  EXPECT_FALSE(Expression::parse("cron(0 0 ? * 8 *)", Flavor::rule));
  EXPECT_FALSE(Expression::parse("at(2030-01-01T00:00:00)", Flavor::rule));
  EXPECT_TRUE(Expression::parse("cron(0/15 * * * ? *)", Flavor::rule));
  EXPECT_TRUE(Expression::parse("cron(0 18 ? * MON-FRI *)", Flavor::rule));
  EXPECT_TRUE(Expression::parse("cron(0 10 ? * 6L 2002-2005)", Flavor::rule));
  EXPECT_TRUE(Expression::parse("cron(0 8 1 JAN,JUL ? *)", Flavor::rule));
}

TEST(Schedule, CronNextFireTimes) {
  // Daily at 12:00 UTC.
  EXPECT_EQ(next("cron(0 12 * * ? *)", at(2024, 3, 1, 11, 59)), at(2024, 3, 1, 12, 0));
  EXPECT_EQ(next("cron(0 12 * * ? *)", at(2024, 3, 1, 12, 0)), at(2024, 3, 2, 12, 0));
  // Every 15 minutes.
  EXPECT_EQ(next("cron(0/15 * * * ? *)", at(2024, 3, 1, 10, 7)), at(2024, 3, 1, 10, 15));
  // Weekdays at 18:00 (2024-03-01 is a Friday).
  EXPECT_EQ(next("cron(0 18 ? * MON-FRI *)", at(2024, 3, 1, 19, 0)), at(2024, 3, 4, 18, 0));
  // Last day of the month; last Friday; second Tuesday; nearest weekday to the 15th.
  EXPECT_EQ(next("cron(0 0 L * ? *)", at(2024, 2, 1)), at(2024, 2, 29));
  EXPECT_EQ(next("cron(0 10 ? * 6L *)", at(2024, 3, 1)), at(2024, 3, 29, 10));
  EXPECT_EQ(next("cron(0 9 ? * 3#2 *)", at(2024, 3, 1)), at(2024, 3, 12, 9));
  EXPECT_EQ(next("cron(0 9 15W * ? *)", at(2024, 6, 1)), at(2024, 6, 14, 9));  // the 15th is a Saturday
  // The 1st is a Saturday: the nearest weekday within the month is Monday the 3rd.
  EXPECT_EQ(next("cron(0 9 1W * ? *)", at(2024, 6, 1, 10)), at(2024, 6, 3, 9));
  // Years bound the schedule.
  EXPECT_EQ(next("cron(0 0 1 1 ? 2030)", at(2024, 1, 1)), at(2030, 1, 1));
  EXPECT_FALSE(next("cron(0 0 1 1 ? 2020)", at(2024, 1, 1)).has_value());
  // February 30th never comes.
  EXPECT_FALSE(next("cron(0 0 30 2 ? *)", at(2024, 1, 1)).has_value());
}

TEST(Schedule, TimeZones) {
  auto ny = TimeZone::load("America/New_York");
  ASSERT_TRUE(ny);
  EXPECT_EQ(ny->offset_at(at(2024, 1, 15)), -5 * 3600);
  EXPECT_EQ(ny->offset_at(at(2024, 7, 15)), -4 * 3600);
  // Far beyond the file's transitions, the POSIX rule still knows about daylight saving.
  EXPECT_EQ(ny->offset_at(at(2090, 7, 15)), -4 * 3600);
  EXPECT_EQ(ny->offset_at(at(2090, 1, 15)), -5 * 3600);
  // 09:00 in New York is 14:00 UTC in winter and 13:00 UTC in summer.
  EXPECT_EQ(next("cron(0 9 * * ? *)", at(2024, 1, 15), *ny), at(2024, 1, 15, 14));
  EXPECT_EQ(next("cron(0 9 * * ? *)", at(2024, 7, 15), *ny), at(2024, 7, 15, 13));
  // 02:30 on the spring-forward day does not exist; it runs after the gap.
  EXPECT_EQ(next("cron(30 2 * * ? *)", at(2024, 3, 10, 5), *ny), at(2024, 3, 10, 7, 30));
  EXPECT_FALSE(TimeZone::load("Mars/Olympus_Mons"));
  EXPECT_FALSE(TimeZone::load("../../etc/passwd"));
}

TEST(Schedule, At) {
  auto e = Expression::parse("at(2030-05-06T07:08:09)", Flavor::scheduler);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->kind(), Expression::Kind::at);
  EXPECT_EQ(e->at_local(), at(2030, 5, 6, 7, 8, 9));
  EXPECT_FALSE(Expression::parse("at(2030-02-30T00:00:00)", Flavor::scheduler));
  EXPECT_FALSE(Expression::parse("at(2030-05-06 07:08:09)", Flavor::scheduler));
}

}  // namespace
