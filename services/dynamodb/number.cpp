#include "number.hpp"

#include <algorithm>

namespace stratus::dynamodb {

std::optional<Decimal> parse_decimal(std::string_view s) {
  Decimal d;
  size_t i = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) d.neg = s[i++] == '-';
  std::string digits;
  int point = -1;  // number of digits before the decimal point
  bool any = false;
  for (; i < s.size(); ++i) {
    char c = s[i];
    if (c >= '0' && c <= '9') {
      digits += c;
      any = true;
    } else if (c == '.' && point < 0) {
      point = static_cast<int>(digits.size());
    } else {
      break;
    }
  }
  if (!any) return std::nullopt;
  long long e = 0;
  if (i < s.size()) {
    if (s[i] != 'e' && s[i] != 'E') return std::nullopt;
    ++i;
    bool eneg = false;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) eneg = s[i++] == '-';
    if (i >= s.size()) return std::nullopt;
    for (; i < s.size(); ++i) {
      if (s[i] < '0' || s[i] > '9') return std::nullopt;
      if (e < 100000000) e = e * 10 + (s[i] - '0');
    }
    if (eneg) e = -e;
  }
  if (point < 0) point = static_cast<int>(digits.size());
  // Strip leading zeros (they shift the point) and trailing zeros.
  size_t lead = 0;
  while (lead < digits.size() && digits[lead] == '0') ++lead;
  if (lead == digits.size()) {
    d.neg = false;
    d.digits.clear();
    d.exp = 0;
    return d;
  }
  size_t end = digits.size();
  while (end > lead && digits[end - 1] == '0') --end;
  d.digits = digits.substr(lead, end - lead);
  long long exp = static_cast<long long>(point) - static_cast<long long>(lead) + e;
  exp = std::clamp(exp, -100000000LL, 100000000LL);
  d.exp = static_cast<int>(exp);
  return d;
}

std::string check_limits(const Decimal& d) {
  if (d.zero()) return {};
  if (d.exp - 1 > 125) return "Number overflow. Attempting to store a number with magnitude larger than supported range";
  if (d.exp - 1 < -130)
    return "Number underflow. Attempting to store a number with magnitude smaller than supported range";
  if (d.digits.size() > 38) return "Attempting to store more than 38 significant digits in a Number";
  return {};
}

std::string to_text(const Decimal& d) {
  if (d.zero()) return "0";
  std::string out;
  if (d.neg) out += '-';
  int n = static_cast<int>(d.digits.size());
  if (d.exp <= 0) {
    out += "0.";
    out.append(static_cast<size_t>(-d.exp), '0');
    out += d.digits;
  } else if (d.exp >= n) {
    out += d.digits;
    out.append(static_cast<size_t>(d.exp - n), '0');
  } else {
    out.append(d.digits, 0, static_cast<size_t>(d.exp));
    out += '.';
    out.append(d.digits, static_cast<size_t>(d.exp));
  }
  return out;
}

namespace {
int compare_magnitude(const Decimal& a, const Decimal& b) {
  if (a.zero() || b.zero()) return a.zero() == b.zero() ? 0 : a.zero() ? -1 : 1;
  if (a.exp != b.exp) return a.exp < b.exp ? -1 : 1;
  int c = a.digits.compare(b.digits);
  return c < 0 ? -1 : c > 0 ? 1 : 0;
}
}  // namespace

int compare(const Decimal& a, const Decimal& b) {
  int sa = a.zero() ? 0 : a.neg ? -1 : 1, sb = b.zero() ? 0 : b.neg ? -1 : 1;
  if (sa != sb) return sa < sb ? -1 : 1;
  if (sa == 0) return 0;
  int m = compare_magnitude(a, b);
  return sa > 0 ? m : -m;
}

Decimal negate(Decimal d) {
  if (!d.zero()) d.neg = !d.neg;
  return d;
}

namespace {
// Digits of |d| aligned so that the last digit has weight 10^low.
std::string aligned(const Decimal& d, int high, int low) {
  // d = 0.digits x 10^exp: digit k (0-based) has weight 10^(exp-1-k).
  std::string out(static_cast<size_t>(high - low + 1), '0');
  for (size_t k = 0; k < d.digits.size(); ++k) {
    int w = d.exp - 1 - static_cast<int>(k);
    out[static_cast<size_t>(high - w)] = d.digits[k];
  }
  return out;
}

Decimal from_aligned(bool neg, const std::string& s, int high) {
  std::string t = s;
  Decimal d;
  size_t lead = 0;
  while (lead < t.size() && t[lead] == '0') ++lead;
  if (lead == t.size()) return d;
  size_t end = t.size();
  while (end > lead && t[end - 1] == '0') --end;
  d.neg = neg;
  d.digits = t.substr(lead, end - lead);
  d.exp = high + 1 - static_cast<int>(lead);
  return d;
}
}  // namespace

Decimal add(const Decimal& a, const Decimal& b) {
  if (a.zero()) return b;
  if (b.zero()) return a;
  int high = std::max(a.exp, b.exp) - 1 + 1;  // one extra digit for the carry
  int low = std::min(a.exp - static_cast<int>(a.digits.size()), b.exp - static_cast<int>(b.digits.size()));
  std::string x = aligned(a, high, low), y = aligned(b, high, low);
  std::string r(x.size(), '0');
  if (a.neg == b.neg) {
    int carry = 0;
    for (size_t i = x.size(); i-- > 0;) {
      int v = (x[i] - '0') + (y[i] - '0') + carry;
      r[i] = static_cast<char>('0' + v % 10);
      carry = v / 10;
    }
    return from_aligned(a.neg, r, high);
  }
  // Different signs: subtract the smaller magnitude from the larger.
  int m = compare_magnitude(a, b);
  if (m == 0) return Decimal{};
  const std::string& big = m > 0 ? x : y;
  const std::string& small = m > 0 ? y : x;
  int borrow = 0;
  for (size_t i = big.size(); i-- > 0;) {
    int v = (big[i] - '0') - (small[i] - '0') - borrow;
    borrow = v < 0;
    if (v < 0) v += 10;
    r[i] = static_cast<char>('0' + v);
  }
  return from_aligned(m > 0 ? a.neg : b.neg, r, high);
}

std::string sort_key_bytes(const Decimal& d) {
  std::string out;
  if (d.zero()) {
    out += '\x02';
    return out;
  }
  unsigned e = static_cast<unsigned>(d.exp + 32768) & 0xFFFF;
  if (d.neg) {
    out += '\x01';
    e = ~e & 0xFFFF;
    out += static_cast<char>(e >> 8);
    out += static_cast<char>(e & 0xFF);
    for (char c : d.digits) out += static_cast<char>(10 - (c - '0'));  // 1..10
    out += '\xFF';  // shorter magnitude (a prefix) is the larger negative number
  } else {
    out += '\x03';
    out += static_cast<char>(e >> 8);
    out += static_cast<char>(e & 0xFF);
    for (char c : d.digits) out += static_cast<char>(1 + (c - '0'));  // 1..10
  }
  return out;
}

size_t number_size(const Decimal& d) {
  if (d.zero()) return 1;
  // Digits are stored in base-100 pairs aligned on the decimal point.
  int low = d.exp - static_cast<int>(d.digits.size());
  int high = d.exp;
  int lo_pair = low >= 0 ? low / 2 : -((-low + 1) / 2);
  int hi_pair = high >= 0 ? (high + 1) / 2 : -((-high) / 2);
  size_t pairs = static_cast<size_t>(std::max(1, hi_pair - lo_pair));
  return pairs + 1;
}

std::optional<std::string> canonical_number(std::string_view s, std::string& error) {
  // Fast path for the common case: an integer already in canonical form.
  {
    std::string_view digits = s.starts_with('-') ? s.substr(1) : s;
    bool canonical = !digits.empty() && digits.size() <= 38 && (digits[0] != '0' || (digits.size() == 1 && s.size() == 1));
    for (char c : digits) canonical = canonical && c >= '0' && c <= '9';
    if (canonical) return std::string(s);
  }
  auto d = parse_decimal(s);
  if (!d) {
    error = "The parameter cannot be converted to a numeric value: " + std::string(s);
    if (s.empty()) error = "The parameter cannot be converted to a numeric value";
    return std::nullopt;
  }
  error = check_limits(*d);
  if (!error.empty()) return std::nullopt;
  return to_text(*d);
}

}  // namespace stratus::dynamodb
