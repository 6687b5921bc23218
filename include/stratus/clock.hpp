#pragma once
// The one clock of the process. Everything time-based (visibility timeouts, TTLs, retries,
// schedules) reads it, so a test can move time forward with POST /_stratus/clock instead of
// waiting. Waiting is always a timer on the event loop, never a sleeping thread.
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <cstdint>
#include <list>
#include <memory>
#include <string>

namespace stratus {

class Clock {
 public:
  using time_point = std::chrono::system_clock::time_point;
  using duration = std::chrono::system_clock::duration;

  explicit Clock(boost::asio::any_io_executor ex) : ex_(std::move(ex)) {}

  time_point now() const { return std::chrono::system_clock::now() + offset_; }
  int64_t now_ms() const;
  double now_seconds() const;  // epoch seconds with millisecond precision
  duration offset() const { return offset_; }

  // Moves the clock forward (never back); every sleeper re-evaluates its deadline.
  void advance(duration d);
  void set_offset(duration d);

  // Suspends until now() >= t. Returns early (false) when cancelled via cancel_all().
  boost::asio::awaitable<bool> sleep_until(time_point t);
  boost::asio::awaitable<bool> sleep_for(duration d) { co_return co_await sleep_until(now() + d); }

  // Wakes every sleeper for good (shutdown). Afterwards every wait returns false at once: a
  // loop that waits must end when stopped() is true instead of waiting again.
  void cancel_all();
  bool stopped() const { return stopped_; }
  const boost::asio::any_io_executor& executor() const { return ex_; }

 private:
  friend class AsyncEvent;
  void wake_all();
  boost::asio::any_io_executor ex_;
  duration offset_{0};
  std::list<boost::asio::steady_timer*> sleepers_;
  uint64_t generation_ = 0;  // bumped by every wake-up, to tell it from an outside cancellation
  bool stopped_ = false;
};

// A one-shot-per-wait event on the loop: waiters park until notify() or a clock deadline
// (SQS long polls, the Runtime API's /next, task tokens).
class AsyncEvent {
 public:
  explicit AsyncEvent(Clock& clock) : clock_(clock) {}
  // True when notified, false when the deadline passed (or the clock shut down).
  boost::asio::awaitable<bool> wait_until(Clock::time_point deadline);
  void notify_all();
  void notify_one();
  size_t waiting() const { return waiters_.size(); }

 private:
  struct Waiter {
    boost::asio::steady_timer* timer;
    bool notified = false;
  };
  Clock& clock_;
  std::list<Waiter*> waiters_;
};

// ISO-8601 / RFC-822 formatting of epoch time, used by codecs and services.
std::string iso8601(double epoch_seconds, bool millis = true);  // 2024-01-02T03:04:05.678Z
std::string rfc822(double epoch_seconds);                        // Tue, 02 Jan 2024 03:04:05 GMT
// Parses ISO-8601 (with or without fraction/offset), RFC-822, or epoch seconds text.
bool parse_time(std::string_view s, double& epoch_seconds);

}  // namespace stratus
