#include <stratus/clock.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <gtest/gtest.h>

using namespace stratus;
namespace asio = boost::asio;
using namespace std::chrono_literals;

TEST(Time, Iso8601AndRfc822) {
  EXPECT_EQ(iso8601(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(iso8601(1700000000.5), "2023-11-14T22:13:20.500Z");
  EXPECT_EQ(iso8601(1700000000.9996), "2023-11-14T22:13:21.000Z");
  EXPECT_EQ(iso8601(1700000000, false), "2023-11-14T22:13:20Z");
  EXPECT_EQ(rfc822(1700000000), "Tue, 14 Nov 2023 22:13:20 GMT");
}

TEST(Time, ParsesAwsFormats) {
  double t = 0;
  EXPECT_TRUE(parse_time("2023-11-14T22:13:20Z", t));
  EXPECT_DOUBLE_EQ(t, 1700000000);
  EXPECT_TRUE(parse_time("2023-11-14T22:13:20.250Z", t));
  EXPECT_DOUBLE_EQ(t, 1700000000.25);
  EXPECT_TRUE(parse_time("2023-11-14T23:13:20+01:00", t));
  EXPECT_DOUBLE_EQ(t, 1700000000);
  EXPECT_TRUE(parse_time("Tue, 14 Nov 2023 22:13:20 GMT", t));
  EXPECT_DOUBLE_EQ(t, 1700000000);
  EXPECT_TRUE(parse_time("1700000000.5", t));
  EXPECT_DOUBLE_EQ(t, 1700000000.5);
  EXPECT_TRUE(parse_time("2023-11-14", t));
  for (auto bad : {"", "yesterday", "2023-13-01T00:00:00Z", "2023-11-14T22:13:20Zjunk", "Tue, 14 Nov 2023 22:13:20 PST"})
    EXPECT_FALSE(parse_time(bad, t)) << bad;
}

TEST(Clock, AdvanceWakesSleepersEarly) {
  asio::io_context io;
  Clock clock(io.get_executor());
  bool woke = false, notified = false, timed_out = true;
  AsyncEvent ev(clock);
  auto start = std::chrono::steady_clock::now();
  asio::co_spawn(io, [&]() -> asio::awaitable<void> {
    woke = co_await clock.sleep_for(std::chrono::hours(1));
  }, asio::detached);
  asio::co_spawn(io, [&]() -> asio::awaitable<void> {
    notified = co_await ev.wait_until(clock.now() + std::chrono::hours(2));
  }, asio::detached);
  asio::co_spawn(io, [&]() -> asio::awaitable<void> {
    timed_out = !(co_await ev.wait_until(clock.now() + std::chrono::minutes(30)));
  }, asio::detached);
  asio::co_spawn(io, [&]() -> asio::awaitable<void> {
    asio::steady_timer t(io);
    t.expires_after(20ms);
    co_await t.async_wait(asio::use_awaitable);
    EXPECT_EQ(ev.waiting(), 2u);
    clock.advance(std::chrono::minutes(61));  // passes both the sleeper's hour and the 30-minute wait
    t.expires_after(20ms);
    co_await t.async_wait(asio::use_awaitable);
    ev.notify_all();
  }, asio::detached);
  io.run();
  EXPECT_TRUE(woke);
  EXPECT_TRUE(notified);
  EXPECT_TRUE(timed_out);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
  EXPECT_GE(clock.offset(), std::chrono::minutes(61));
}

TEST(Clock, NeverMovesBack) {
  asio::io_context io;
  Clock clock(io.get_executor());
  auto before = clock.now();
  clock.advance(-std::chrono::hours(1));
  clock.set_offset(-std::chrono::hours(1));
  EXPECT_GE(clock.now(), before);
}
