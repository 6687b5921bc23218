#pragma once
// Schedule expressions shared by EventBridge scheduled rules and EventBridge Scheduler:
// rate(), AWS's six-field cron() (with ? L W #) and Scheduler's at(), evaluated in a time zone
// read from the system's TZif files (zoneinfo). Pure: times are epoch seconds in, epoch seconds out.
//   https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-scheduled-rule-pattern.html
//   https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html
#include <bitset>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace stratus::events::schedule {

class TimeZone {
 public:
  // nullptr when the zone is unknown. "UTC"/"Etc/UTC" always exist.
  static std::shared_ptr<const TimeZone> load(std::string_view name);
  static const TimeZone& utc();
  // Seconds east of UTC in effect at `utc`.
  int offset_at(int64_t utc) const;
  // The UTC instant of a local wall-clock time (the earlier one in a repeated hour; times in a
  // skipped hour move forward by the gap).
  int64_t to_utc(int64_t local) const;
  const std::string& name() const { return name_; }

  struct Rule;  // POSIX TZ footer rule for times after the last transition

 private:
  std::string name_;
  std::vector<int64_t> transitions_;
  std::vector<int> offsets_;   // offset after each transition
  int initial_ = 0;            // before the first transition
  std::shared_ptr<Rule> rule_;
  friend struct ZoneLoader;
};

// Civil time helpers (proleptic Gregorian, UTC).
int64_t days_from_civil(int64_t y, unsigned m, unsigned d);
void civil_from_days(int64_t z, int64_t& y, unsigned& m, unsigned& d);

enum class Flavor { rule, scheduler };

class Expression {
 public:
  enum class Kind { rate, cron, at };
  // nullopt when the expression is not valid for the flavor.
  static std::optional<Expression> parse(std::string_view text, Flavor flavor);

  Kind kind() const { return kind_; }
  int64_t rate_seconds() const { return rate_; }
  // at(): the local wall-clock time, seconds since the epoch as if it were UTC.
  int64_t at_local() const { return at_; }

  // The first time strictly after `after` when a cron expression fires, in `tz`.
  std::optional<int64_t> next_cron(int64_t after, const TimeZone& tz) const;
  // rate(): the first anchor + k·rate strictly after `after`.
  int64_t next_rate(int64_t anchor, int64_t after) const;

 private:
  struct Cron {
    std::bitset<60> minutes;
    std::bitset<24> hours;
    std::bitset<32> dom;        // 1..31
    bool dom_any = false, dom_last = false, dom_last_weekday = false;
    std::vector<int> dom_nearest_weekday;  // nW
    std::bitset<13> months;     // 1..12
    std::bitset<8> dow;         // 1..7 (1 = Sunday)
    bool dow_any = false;
    std::vector<int> dow_last;  // nL: last n-day of the month
    std::vector<std::pair<int, int>> dow_nth;  // n#k
    std::bitset<230> years;     // 1970..2199
  };
  bool day_matches(int64_t y, unsigned m, unsigned d) const;
  Kind kind_ = Kind::rate;
  int64_t rate_ = 0;
  int64_t at_ = 0;
  Cron cron_;
};

}  // namespace stratus::events::schedule
