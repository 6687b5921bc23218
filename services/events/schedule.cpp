#include "schedule.hpp"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <map>
#include <sstream>

namespace stratus::events::schedule {

// ---- civil time --------------------------------------------------------------------------

int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

void civil_from_days(int64_t z, int64_t& y, unsigned& m, unsigned& d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y = static_cast<int64_t>(yoe) + era * 400 + (m <= 2);
}

namespace {

int64_t floor_div(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

unsigned days_in_month(int64_t y, unsigned m) {
  static const unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) return 29;
  return kDays[m - 1];
}

// 0 = Sunday
int weekday(int64_t days) { return static_cast<int>(((days % 7) + 11) % 7); }

}  // namespace

// ---- time zones --------------------------------------------------------------------------

// A POSIX TZ string's daylight-saving rule ("EST5EDT,M3.2.0,M11.1.0"), used past the last
// transition a TZif file lists.
struct TimeZone::Rule {
  int std_offset = 0, dst_offset = 0;  // seconds east of UTC
  bool has_dst = false;
  struct When {
    int month = 0, week = 0, day = 0;
    int time = 7200;  // seconds after local midnight
  } start, end;

  // UTC instant of a rule date in `year`, given the offset in effect before it.
  static int64_t instant(const When& w, int64_t year, int offset_before) {
    int64_t first = days_from_civil(year, static_cast<unsigned>(w.month), 1);
    int wd = weekday(first);
    int64_t day = 1 + ((w.day - wd + 7) % 7) + (w.week - 1) * 7;
    if (day > days_in_month(year, static_cast<unsigned>(w.month))) day -= 7;
    return (first + day - 1) * 86400 + w.time - offset_before;
  }
  int offset_at(int64_t utc) const {
    if (!has_dst) return std_offset;
    int64_t y;
    unsigned m, d;
    civil_from_days(floor_div(utc + std_offset, 86400), y, m, d);
    int64_t s = instant(start, y, std_offset);
    int64_t e = instant(end, y, dst_offset);
    bool dst = s < e ? (utc >= s && utc < e) : !(utc >= e && utc < s);
    return dst ? dst_offset : std_offset;
  }
};

namespace {

// [+-]hh[:mm[:ss]] → seconds
bool posix_offset(std::string_view& s, int& out) {
  int sign = 1;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    sign = s[0] == '-' ? -1 : 1;
    s.remove_prefix(1);
  }
  int parts[3] = {0, 0, 0};
  int n = 0;
  while (n < 3) {
    if (s.empty() || !std::isdigit(static_cast<unsigned char>(s[0]))) return n > 0;
    int v = 0;
    while (!s.empty() && std::isdigit(static_cast<unsigned char>(s[0]))) {
      v = v * 10 + (s[0] - '0');
      s.remove_prefix(1);
    }
    parts[n++] = v;
    out = sign * (parts[0] * 3600 + parts[1] * 60 + parts[2]);
    if (s.empty() || s[0] != ':') return true;
    s.remove_prefix(1);
  }
  return true;
}

bool posix_name(std::string_view& s) {
  if (!s.empty() && s[0] == '<') {
    auto e = s.find('>');
    if (e == std::string_view::npos) return false;
    s.remove_prefix(e + 1);
    return true;
  }
  size_t i = 0;
  while (i < s.size() && std::isalpha(static_cast<unsigned char>(s[i]))) ++i;
  if (i < 3) return false;
  s.remove_prefix(i);
  return true;
}

bool posix_when(std::string_view& s, TimeZone::Rule::When& w) {
  if (s.empty() || s[0] != 'M') return false;  // Jn and n forms are not used by current tzdata
  s.remove_prefix(1);
  int v[3] = {0, 0, 0};
  for (int k = 0; k < 3; ++k) {
    if (s.empty() || !std::isdigit(static_cast<unsigned char>(s[0]))) return false;
    while (!s.empty() && std::isdigit(static_cast<unsigned char>(s[0]))) {
      v[k] = v[k] * 10 + (s[0] - '0');
      s.remove_prefix(1);
    }
    if (k < 2) {
      if (s.empty() || s[0] != '.') return false;
      s.remove_prefix(1);
    }
  }
  w.month = v[0];
  w.week = v[1];
  w.day = v[2];
  if (!s.empty() && s[0] == '/') {
    s.remove_prefix(1);
    int t = 0;
    if (!posix_offset(s, t)) return false;
    w.time = t;
  }
  return w.month >= 1 && w.month <= 12 && w.week >= 1 && w.week <= 5 && w.day >= 0 && w.day <= 6;
}

uint32_t be32(const unsigned char* p) {
  return (uint32_t(p[0]) << 24) | (uint32_t(p[1]) << 16) | (uint32_t(p[2]) << 8) | uint32_t(p[3]);
}

}  // namespace

struct ZoneLoader {
  static std::shared_ptr<TimeZone> load(std::string_view name) {
    auto tz = std::make_shared<TimeZone>();
    tz->name_ = std::string(name);
    if (name == "UTC" || name == "Etc/UTC" || name == "GMT" || name == "Etc/GMT" || name == "Z") return tz;
    // Names are looked up only as relative zoneinfo paths: no "..", no absolute paths.
    if (name.empty() || name.find("..") != std::string_view::npos || name[0] == '/' || name.size() > 64)
      return nullptr;
    for (char c : name)
      if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '/' || c == '_' || c == '-' || c == '+')) return nullptr;
    std::ifstream f("/usr/share/zoneinfo/" + std::string(name), std::ios::binary);
    if (!f) return nullptr;
    std::stringstream ss;
    ss << f.rdbuf();
    std::string data = ss.str();
    auto* p = reinterpret_cast<const unsigned char*>(data.data());
    size_t n = data.size();
    if (n < 44 || data.compare(0, 4, "TZif") != 0) return nullptr;
    auto counts = [&](size_t at, uint32_t c[6]) {
      for (int i = 0; i < 6; ++i) c[i] = be32(p + at + 20 + 4 * i);
    };
    uint32_t c[6];  // isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt
    counts(0, c);
    size_t pos = 44;
    bool v2 = data[4] >= '2';
    int tsize = 4;
    if (v2) {
      pos += c[3] * 4 + c[3] + c[4] * 6 + c[5] + c[2] * 8 + c[1] + c[0];
      if (pos + 44 > n) return nullptr;
      counts(pos, c);
      pos += 44;
      tsize = 8;
    }
    size_t need = c[3] * tsize + c[3] + c[4] * 6 + c[5] + c[2] * (tsize + 4) + c[1] + c[0];
    if (pos + need > n || c[4] == 0) return nullptr;
    std::vector<int64_t> times(c[3]);
    for (uint32_t i = 0; i < c[3]; ++i) {
      const unsigned char* q = p + pos + i * tsize;
      if (tsize == 8) times[i] = static_cast<int64_t>((uint64_t(be32(q)) << 32) | be32(q + 4));
      else times[i] = static_cast<int32_t>(be32(q));
    }
    size_t idx_at = pos + c[3] * tsize;
    size_t info_at = idx_at + c[3];
    auto utoff = [&](unsigned type) { return static_cast<int>(static_cast<int32_t>(be32(p + info_at + type * 6))); };
    tz->initial_ = utoff(0);
    for (uint32_t i = 0; i < c[3]; ++i) {
      unsigned type = p[idx_at + i];
      if (type >= c[4]) return nullptr;
      tz->transitions_.push_back(times[i]);
      tz->offsets_.push_back(utoff(type));
    }
    if (v2) {
      size_t footer = pos + need;
      if (footer < n && data[footer] == '\n') {
        auto end = data.find('\n', footer + 1);
        std::string_view s(data.data() + footer + 1, (end == std::string::npos ? n : end) - footer - 1);
        auto rule = std::make_shared<TimeZone::Rule>();
        int off = 0;
        if (posix_name(s) && posix_offset(s, off)) {
          rule->std_offset = -off;
          if (!s.empty() && posix_name(s)) {
            rule->has_dst = true;
            rule->dst_offset = rule->std_offset + 3600;
            if (!s.empty() && s[0] != ',') {
              int d = 0;
              if (posix_offset(s, d)) rule->dst_offset = -d;
            }
            if (!s.empty() && s[0] == ',') {
              s.remove_prefix(1);
              bool ok = posix_when(s, rule->start);
              if (ok && !s.empty() && s[0] == ',') {
                s.remove_prefix(1);
                ok = posix_when(s, rule->end);
              } else {
                ok = false;
              }
              if (!ok) rule->has_dst = false;
            } else {
              rule->has_dst = false;
            }
          }
          tz->rule_ = rule;
        }
      }
    }
    return tz;
  }
};

std::shared_ptr<const TimeZone> TimeZone::load(std::string_view name) {
  static std::map<std::string, std::shared_ptr<const TimeZone>, std::less<>> cache;
  auto it = cache.find(name);
  if (it != cache.end()) return it->second;
  std::shared_ptr<const TimeZone> tz = ZoneLoader::load(name);
  cache.emplace(std::string(name), tz);
  return tz;
}

const TimeZone& TimeZone::utc() {
  static const std::shared_ptr<const TimeZone> z = load("UTC");
  return *z;
}

int TimeZone::offset_at(int64_t utc) const {
  if (transitions_.empty()) return rule_ ? rule_->offset_at(utc) : initial_;
  if (utc < transitions_.front()) return initial_;
  if (utc >= transitions_.back() && rule_) return rule_->offset_at(utc);
  auto it = std::upper_bound(transitions_.begin(), transitions_.end(), utc);
  return offsets_[static_cast<size_t>(it - transitions_.begin()) - 1];
}

int64_t TimeZone::to_utc(int64_t local) const {
  // Try the offsets in effect around the instant; prefer the earlier instant that maps back.
  int a = offset_at(local - 86400), b = offset_at(local + 86400);
  int64_t ua = local - a, ub = local - b;
  int64_t best = INT64_MAX;
  for (int64_t u : {ua, ub})
    if (u + offset_at(u) == local) best = std::min(best, u);
  if (best != INT64_MAX) return best;
  // A skipped wall-clock time: keep the pre-transition offset (lands after the gap).
  return std::max(ua, ub);
}

// ---- expressions -------------------------------------------------------------------------

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

bool parse_uint(std::string_view s, int& out) {
  if (s.empty() || s.size() > 6) return false;
  out = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    out = out * 10 + (c - '0');
  }
  return true;
}

int name_value(std::string_view s, const char* const* names, int first) {
  for (int i = 0; names[i]; ++i) {
    std::string_view n(names[i]);
    if (s.size() == n.size() && std::equal(s.begin(), s.end(), n.begin(), [](char a, char b) {
          return std::toupper(static_cast<unsigned char>(a)) == b;
        }))
      return first + i;
  }
  return -1;
}

const char* const kMonths[] = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC", nullptr};
const char* const kDays[] = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT", nullptr};

// One value of a field: a number or (for months and days) a name.
bool field_value(std::string_view s, int lo, int hi, const char* const* names, int& out) {
  if (parse_uint(s, out)) return out >= lo && out <= hi;
  if (names) {
    out = name_value(s, names, lo);
    return out >= 0;
  }
  return false;
}

// Comma lists of *, n, a-b, with optional /step. `set(v)` records a value.
template <class Set>
bool parse_field(std::string_view text, int lo, int hi, const char* const* names, Set set) {
  if (text.empty()) return false;
  size_t start = 0;
  while (start <= text.size()) {
    size_t comma = text.find(',', start);
    std::string_view item = text.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    if (item.empty()) return false;
    int step = 1;
    if (auto slash = item.find('/'); slash != std::string_view::npos) {
      if (!parse_uint(item.substr(slash + 1), step) || step < 1) return false;
      item = item.substr(0, slash);
    }
    int a, b;
    if (item == "*") {
      a = lo;
      b = hi;
    } else if (auto dash = item.find('-'); dash != std::string_view::npos) {
      if (!field_value(item.substr(0, dash), lo, hi, names, a) || !field_value(item.substr(dash + 1), lo, hi, names, b))
        return false;
    } else {
      if (!field_value(item, lo, hi, names, a)) return false;
      b = step > 1 ? hi : a;
    }
    if (a <= b) {
      for (int v = a; v <= b; v += step) set(v);
    } else {
      // Wrapping range (FRI-MON, NOV-FEB).
      int span = hi - lo + 1;
      for (int k = 0; k <= (b + span - a); k += step) set(lo + (a - lo + k) % span);
    }
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return true;
}

}  // namespace

std::optional<Expression> Expression::parse(std::string_view text, Flavor flavor) {
  text = trim(text);
  Expression e;
  auto inner = [&](std::string_view prefix) -> std::optional<std::string_view> {
    if (text.size() < prefix.size() + 2 || text.substr(0, prefix.size()) != prefix || text[prefix.size()] != '(' ||
        text.back() != ')')
      return std::nullopt;
    return trim(text.substr(prefix.size() + 1, text.size() - prefix.size() - 2));
  };
  if (auto body = inner("rate")) {
    auto sp = body->find(' ');
    if (sp == std::string_view::npos) return std::nullopt;
    int value;
    if (!parse_uint(body->substr(0, sp), value) || value < 1) return std::nullopt;
    std::string_view unit = trim(body->substr(sp + 1));
    int64_t secs;
    bool plural = unit.ends_with('s');
    std::string_view base = plural ? unit.substr(0, unit.size() - 1) : unit;
    if (base == "minute") secs = 60;
    else if (base == "hour") secs = 3600;
    else if (base == "day") secs = 86400;
    else return std::nullopt;
    // Rules insist on "1 minute" and "5 minutes"; Scheduler takes either.
    if (flavor == Flavor::rule && (value == 1) == plural) return std::nullopt;
    e.kind_ = Kind::rate;
    e.rate_ = secs * value;
    return e;
  }
  if (auto body = inner("at")) {
    if (flavor != Flavor::scheduler) return std::nullopt;
    // yyyy-mm-ddThh:mm:ss
    std::string_view s = *body;
    int y, mo, d, h, mi, se;
    if (s.size() != 19 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':') return std::nullopt;
    if (!parse_uint(s.substr(0, 4), y) || !parse_uint(s.substr(5, 2), mo) || !parse_uint(s.substr(8, 2), d) ||
        !parse_uint(s.substr(11, 2), h) || !parse_uint(s.substr(14, 2), mi) || !parse_uint(s.substr(17, 2), se))
      return std::nullopt;
    if (mo < 1 || mo > 12 || d < 1 || d > static_cast<int>(days_in_month(y, static_cast<unsigned>(mo))) || h > 23 ||
        mi > 59 || se > 59)
      return std::nullopt;
    e.kind_ = Kind::at;
    e.at_ = days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d)) * 86400 + h * 3600 + mi * 60 + se;
    return e;
  }
  auto body = inner("cron");
  if (!body) return std::nullopt;
  std::vector<std::string_view> f;
  for (size_t i = 0; i < body->size();) {
    while (i < body->size() && (*body)[i] == ' ') ++i;
    size_t j = i;
    while (j < body->size() && (*body)[j] != ' ') ++j;
    if (j > i) f.push_back(body->substr(i, j - i));
    i = j;
  }
  if (f.size() != 6) return std::nullopt;
  Cron& c = e.cron_;
  if (!parse_field(f[0], 0, 59, nullptr, [&](int v) { c.minutes.set(static_cast<size_t>(v)); })) return std::nullopt;
  if (!parse_field(f[1], 0, 23, nullptr, [&](int v) { c.hours.set(static_cast<size_t>(v)); })) return std::nullopt;
  if (!parse_field(f[3], 1, 12, kMonths, [&](int v) { c.months.set(static_cast<size_t>(v)); })) return std::nullopt;
  if (!parse_field(f[5], 1970, 2199, nullptr, [&](int v) { c.years.set(static_cast<size_t>(v - 1970)); }))
    return std::nullopt;
  // Exactly one of day-of-month and day-of-week is '?'.
  const bool dom_q = f[2] == "?", dow_q = f[4] == "?";
  if (dom_q == dow_q) return std::nullopt;
  if (dom_q) {
    c.dom_any = true;
    std::string_view s = f[4];
    for (size_t start = 0; start <= s.size();) {
      size_t comma = s.find(',', start);
      std::string_view item = s.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
      int v, k;
      if (auto hash = item.find('#'); hash != std::string_view::npos) {
        if (!field_value(item.substr(0, hash), 1, 7, kDays, v) || !parse_uint(item.substr(hash + 1), k) || k < 1 || k > 5)
          return std::nullopt;
        c.dow_nth.emplace_back(v, k);
      } else if (item == "L") {
        c.dow_last.push_back(7);
      } else if (item.size() > 1 && item.back() == 'L') {
        if (!field_value(item.substr(0, item.size() - 1), 1, 7, kDays, v)) return std::nullopt;
        c.dow_last.push_back(v);
      } else if (!parse_field(item, 1, 7, kDays, [&](int x) { c.dow.set(static_cast<size_t>(x)); })) {
        return std::nullopt;
      }
      if (comma == std::string_view::npos) break;
      start = comma + 1;
    }
  } else {
    c.dow_any = true;
    std::string_view s = f[2];
    for (size_t start = 0; start <= s.size();) {
      size_t comma = s.find(',', start);
      std::string_view item = s.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
      int v;
      if (item == "L") {
        c.dom_last = true;
      } else if (item == "LW") {
        c.dom_last_weekday = true;
      } else if (item.size() > 1 && item.back() == 'W') {
        if (!field_value(item.substr(0, item.size() - 1), 1, 31, nullptr, v)) return std::nullopt;
        c.dom_nearest_weekday.push_back(v);
      } else if (!parse_field(item, 1, 31, nullptr, [&](int x) { c.dom.set(static_cast<size_t>(x)); })) {
        return std::nullopt;
      }
      if (comma == std::string_view::npos) break;
      start = comma + 1;
    }
  }
  e.kind_ = Kind::cron;
  return e;
}

bool Expression::day_matches(int64_t y, unsigned m, unsigned d) const {
  const Cron& c = cron_;
  const unsigned dim = days_in_month(y, m);
  const int64_t days = days_from_civil(y, m, d);
  const int dow = weekday(days) + 1;  // 1 = Sunday
  if (c.dom_any) {
    if (c.dow.test(static_cast<size_t>(dow))) return true;
    for (int v : c.dow_last)
      if (v == dow && d + 7 > dim) return true;
    for (auto [v, k] : c.dow_nth)
      if (v == dow && static_cast<int>((d - 1) / 7 + 1) == k) return true;
    return false;
  }
  if (c.dom.test(d)) return true;
  if (c.dom_last && d == dim) return true;
  auto weekday_near = [&](unsigned target) {
    if (target > dim) target = dim;
    int w = weekday(days_from_civil(y, m, target));
    if (w == 6) return target == 1 ? target + 2 : target - 1;    // Saturday
    if (w == 0) return target == dim ? target - 2 : target + 1;  // Sunday
    return target;
  };
  if (c.dom_last_weekday && d == weekday_near(dim)) return true;
  for (int v : c.dom_nearest_weekday)
    if (d == weekday_near(static_cast<unsigned>(v))) return true;
  return false;
}

std::optional<int64_t> Expression::next_cron(int64_t after, const TimeZone& tz) const {
  if (kind_ != Kind::cron) return std::nullopt;
  int64_t local_after = after + tz.offset_at(after);
  int64_t day = floor_div(local_after, 86400) - 1;
  for (int guard = 0; guard < 200000; ++guard, ++day) {
    int64_t y;
    unsigned m, d;
    civil_from_days(day, y, m, d);
    if (y > 2199) return std::nullopt;
    if (y < 1970 || !cron_.years.test(static_cast<size_t>(y - 1970))) {
      day = days_from_civil(y + 1, 1, 1) - 1;
      continue;
    }
    if (!cron_.months.test(m)) {
      day = (m == 12 ? days_from_civil(y + 1, 1, 1) : days_from_civil(y, m + 1, 1)) - 1;
      continue;
    }
    if (!day_matches(y, m, d)) continue;
    for (int h = 0; h < 24; ++h) {
      if (!cron_.hours.test(static_cast<size_t>(h))) continue;
      for (int mi = 0; mi < 60; ++mi) {
        if (!cron_.minutes.test(static_cast<size_t>(mi))) continue;
        int64_t utc = tz.to_utc(day * 86400 + h * 3600 + mi * 60);
        if (utc > after) return utc;
      }
    }
  }
  return std::nullopt;
}

int64_t Expression::next_rate(int64_t anchor, int64_t after) const {
  if (after < anchor) return anchor;
  int64_t k = (after - anchor) / rate_ + 1;
  return anchor + k * rate_;
}

}  // namespace stratus::events::schedule
