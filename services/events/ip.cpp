#include "ip.hpp"

#include <stdexcept>

namespace stratus::events::ip {
namespace {

bool is_hex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
int hex(char c) { return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10; }

bool v4_shape(std::string_view s) {
  int parts = 0;
  size_t digits = 0;
  for (char c : s) {
    if (c >= '0' && c <= '9') {
      ++digits;
    } else if (c == '.') {
      if (digits == 0) return false;
      ++parts;
      digits = 0;
    } else {
      return false;
    }
  }
  return digits > 0 && parts == 3;
}

bool v6_shape(std::string_view s) {
  bool colon = false;
  for (char c : s) {
    if (c == ':') colon = true;
    else if (!is_hex(c)) return false;
  }
  return colon;
}

std::optional<Bytes> parse_v4(std::string_view s) {
  Bytes out;
  uint32_t v = 0;
  for (char c : s) {
    if (c == '.') {
      out.push_back(static_cast<uint8_t>(v));
      v = 0;
      continue;
    }
    v = v * 10 + static_cast<uint32_t>(c - '0');
    if (v > 255) return std::nullopt;
  }
  out.push_back(static_cast<uint8_t>(v));
  return out;
}

std::optional<Bytes> parse_v6(std::string_view s) {
  // IPAddressUtil.textToNumericFormatV6 for the hex-only forms the shape check lets through.
  if (s.size() < 2) return std::nullopt;
  if (s[0] == ':' && s[1] != ':') return std::nullopt;
  if (s.back() == ':' && s[s.size() - 2] != ':') return std::nullopt;
  std::vector<uint16_t> head, tail;
  bool gap = false;
  size_t i = 0;
  if (s.substr(0, 2) == "::") {
    gap = true;
    i = 2;
  }
  while (i < s.size()) {
    size_t j = i;
    uint32_t v = 0;
    while (j < s.size() && is_hex(s[j])) {
      v = (v << 4) | static_cast<uint32_t>(hex(s[j]));
      ++j;
    }
    size_t len = j - i;
    if (len == 0 || len > 4) return std::nullopt;
    (gap ? tail : head).push_back(static_cast<uint16_t>(v));
    if (j == s.size()) break;
    // s[j] == ':'
    if (j + 1 < s.size() && s[j + 1] == ':') {
      if (gap) return std::nullopt;
      gap = true;
      i = j + 2;
    } else {
      if (j + 1 == s.size()) return std::nullopt;
      i = j + 1;
    }
  }
  size_t groups = head.size() + tail.size();
  if (gap ? groups > 7 : groups != 8) return std::nullopt;
  Bytes out(16, 0);
  size_t k = 0;
  for (uint16_t g : head) {
    out[k++] = static_cast<uint8_t>(g >> 8);
    out[k++] = static_cast<uint8_t>(g);
  }
  k = 16 - tail.size() * 2;
  for (uint16_t g : tail) {
    out[k++] = static_cast<uint8_t>(g >> 8);
    out[k++] = static_cast<uint8_t>(g);
  }
  bool mapped = out[10] == 0xFF && out[11] == 0xFF;
  for (int b = 0; b < 10 && mapped; ++b) mapped = out[b] == 0;
  if (mapped) return Bytes(out.begin() + 12, out.end());
  return out;
}

int parse_java_int(std::string_view s, bool& ok) {
  // Integer.parseInt: optional sign, decimal digits, 32-bit range.
  ok = false;
  if (s.empty()) return 0;
  size_t i = 0;
  bool neg = false;
  if (s[0] == '-' || s[0] == '+') {
    neg = s[0] == '-';
    i = 1;
    if (s.size() == 1) return 0;
  }
  int64_t v = 0;
  for (; i < s.size(); ++i) {
    if (s[i] < '0' || s[i] > '9') return 0;
    v = v * 10 + (s[i] - '0');
    if (v > 2147483648LL) return 0;
  }
  if (!neg && v > 2147483647LL) return 0;
  ok = true;
  return static_cast<int>(neg ? -v : v);
}

}  // namespace

bool looks_like_ip(std::string_view s) { return v4_shape(s) || v6_shape(s); }

std::optional<Bytes> parse(std::string_view s) {
  if (v4_shape(s)) return parse_v4(s);
  if (v6_shape(s)) return parse_v6(s);
  return std::nullopt;
}

bool Range::contains(const Bytes& a) const {
  if (a.size() != lo.size()) return false;
  return !(a < lo) && !(hi < a);
}

Range cidr(std::string_view text) {
  // Java's String.split("/") drops trailing empty pieces.
  std::vector<std::string_view> parts;
  size_t start = 0;
  for (size_t i = 0; i <= text.size(); ++i) {
    if (i == text.size() || text[i] == '/') {
      parts.push_back(text.substr(start, i - start));
      start = i + 1;
    }
  }
  while (parts.size() > 1 && parts.back().empty()) parts.pop_back();
  if (parts.size() == 1 && parts[0].empty()) parts.clear();
  if (parts.size() != 2) throw std::invalid_argument("Malformed CIDR, one '/' required");
  bool ok;
  int bits = parse_java_int(parts[1], ok);
  if (!ok) throw std::invalid_argument("Malformed CIDR, mask bits must be an integer");
  if (bits < 0) throw std::invalid_argument("Malformed CIDR, mask bits must not be negative");
  std::string addr(parts[0]);
  std::optional<Bytes> base;
  if (looks_like_ip(addr)) {
    base = parse(addr);
    if (!base) throw std::invalid_argument("Invalid IP address: " + addr);
  }
  if (!base) throw std::invalid_argument("Nonstandard IP address: " + addr);
  if (base->size() == 4) {
    if (bits > 31) throw std::invalid_argument("IPv4 mask bits must be < 32");
  } else if (bits > 127) {
    throw std::invalid_argument("IPv6 mask bits must be < 128");
  }
  Range r{*base, *base};
  int host = static_cast<int>(base->size()) * 8 - bits;
  for (int i = static_cast<int>(base->size()) - 1; i >= 0 && host > 0; --i, host -= 8) {
    uint8_t mask = host >= 8 ? 0xFF : static_cast<uint8_t>((1u << host) - 1);
    r.lo[static_cast<size_t>(i)] &= static_cast<uint8_t>(~mask);
    r.hi[static_cast<size_t>(i)] |= mask;
  }
  return r;
}

}  // namespace stratus::events::ip
