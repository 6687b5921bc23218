#include <stratus/clock.hpp>
#include <stratus/strings.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <ctime>

namespace stratus {
namespace asio = boost::asio;

namespace {
// Removes a list entry when the owning coroutine frame goes away, however it ends.
template <class T>
struct ListGuard {
  std::list<T>& list;
  typename std::list<T>::iterator it;
  ~ListGuard() { list.erase(it); }
};

std::chrono::steady_clock::duration to_steady(Clock::duration d) {
  return std::chrono::duration_cast<std::chrono::steady_clock::duration>(d);
}
}  // namespace

int64_t Clock::now_ms() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(now().time_since_epoch()).count();
}
double Clock::now_seconds() const { return static_cast<double>(now_ms()) / 1000.0; }

void Clock::advance(duration d) {
  if (d.count() <= 0) return;
  offset_ += d;
  wake_all();
}

void Clock::set_offset(duration d) {
  if (d <= offset_) return;
  offset_ = d;
  wake_all();
}

void Clock::wake_all() {
  ++generation_;
  for (auto* t : sleepers_) t->cancel();
}

void Clock::cancel_all() {
  stopped_ = true;
  wake_all();
}

asio::awaitable<bool> Clock::sleep_until(time_point t) {
  asio::steady_timer timer(ex_);
  for (;;) {
    if (stopped_) co_return false;
    auto n = now();
    if (n >= t) co_return true;
    timer.expires_after(to_steady(t - n));
    uint64_t gen = generation_;
    ListGuard<asio::steady_timer*> g{sleepers_, sleepers_.insert(sleepers_.end(), &timer)};
    auto [ec] = co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
    // Aborted without a clock change: the awaiting operation was cancelled from outside.
    if (ec == asio::error::operation_aborted && gen == generation_) co_return false;
  }
}

asio::awaitable<bool> AsyncEvent::wait_until(Clock::time_point deadline) {
  asio::steady_timer timer(clock_.executor());
  Waiter w{&timer};
  ListGuard<Waiter*> wg{waiters_, waiters_.insert(waiters_.end(), &w)};
  for (;;) {
    if (w.notified) co_return true;
    if (clock_.stopped_) co_return false;
    auto n = clock_.now();
    if (n >= deadline) co_return false;
    timer.expires_after(to_steady(deadline - n));
    uint64_t gen = clock_.generation_;
    ListGuard<asio::steady_timer*> cg{clock_.sleepers_, clock_.sleepers_.insert(clock_.sleepers_.end(), &timer)};
    auto [ec] = co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
    if (w.notified) co_return true;
    if (ec == asio::error::operation_aborted && gen == clock_.generation_) co_return false;
  }
}

void AsyncEvent::notify_all() {
  for (auto* w : waiters_) {
    if (!w->notified) {
      w->notified = true;
      w->timer->cancel();
    }
  }
}

void AsyncEvent::notify_one() {
  for (auto* w : waiters_) {
    if (!w->notified) {
      w->notified = true;
      w->timer->cancel();
      return;
    }
  }
}

std::string iso8601(double epoch_seconds, bool millis) {
  auto whole = static_cast<time_t>(std::floor(epoch_seconds));
  int ms = static_cast<int>(std::llround((epoch_seconds - static_cast<double>(whole)) * 1000.0));
  if (ms >= 1000) {
    ++whole;
    ms -= 1000;
  }
  std::tm tm{};
  gmtime_r(&whole, &tm);
  char buf[40];
  if (millis)
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                  tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ms);
  else
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                  tm.tm_hour, tm.tm_min, tm.tm_sec);
  return buf;
}

std::string rfc822(double epoch_seconds) {
  static const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  auto whole = static_cast<time_t>(std::floor(epoch_seconds));
  std::tm tm{};
  gmtime_r(&whole, &tm);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d GMT", kDays[tm.tm_wday], tm.tm_mday,
                kMonths[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
  return buf;
}

bool parse_time(std::string_view s, double& out) {
  s = trim(s);
  if (s.empty()) return false;
  // Epoch seconds.
  if (auto d = parse_double(s); d && s.find_first_not_of("0123456789.eE+-") == std::string_view::npos) {
    out = *d;
    return true;
  }
  std::tm tm{};
  std::string str(s);
  // ISO 8601: YYYY-MM-DDTHH:MM:SS[.fff][Z|±HH:MM] (also a space or lower-case t)
  int Y, M, D, h = 0, m = 0, sec = 0, consumed = 0;
  if (std::sscanf(str.c_str(), "%4d-%2d-%2d%n", &Y, &M, &D, &consumed) == 3 && consumed == 10) {
    const char* p = str.c_str() + consumed;
    double frac = 0;
    int offset = 0;
    if (*p == 'T' || *p == 't' || *p == ' ') {
      int c2 = 0;
      if (std::sscanf(p + 1, "%2d:%2d:%2d%n", &h, &m, &sec, &c2) != 3) return false;
      p += 1 + c2;
      if (*p == '.') {
        const char* start = p;
        ++p;
        while (*p >= '0' && *p <= '9') ++p;
        frac = std::strtod(std::string(start, p).c_str(), nullptr);
      }
      if (*p == 'Z' || *p == 'z') {
        ++p;
      } else if (*p == '+' || *p == '-') {
        int oh = 0, om = 0;
        int sign = *p == '-' ? -1 : 1;
        if (std::sscanf(p + 1, "%2d:%2d", &oh, &om) == 2 || std::sscanf(p + 1, "%2d%2d", &oh, &om) == 2) {
          offset = sign * (oh * 3600 + om * 60);
          p += std::strlen(p);
        } else {
          return false;
        }
      }
    }
    if (*p != '\0') return false;
    if (M < 1 || M > 12 || D < 1 || D > 31 || h > 23 || m > 59 || sec > 60) return false;
    tm.tm_year = Y - 1900;
    tm.tm_mon = M - 1;
    tm.tm_mday = D;
    tm.tm_hour = h;
    tm.tm_min = m;
    tm.tm_sec = sec;
    out = static_cast<double>(timegm(&tm)) - offset + frac;
    return true;
  }
  // RFC 822 / 1123: "Tue, 02 Jan 2024 03:04:05 GMT"
  const char* end = strptime(str.c_str(), "%a, %d %b %Y %H:%M:%S", &tm);
  if (end) {
    std::string_view rest = trim(end);
    if (!rest.empty() && rest != "GMT" && rest != "UTC" && rest != "Z" && rest != "+0000") return false;
    out = static_cast<double>(timegm(&tm));
    return true;
  }
  return false;
}

}  // namespace stratus
