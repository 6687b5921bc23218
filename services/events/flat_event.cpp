// Events flattened into (path, leaf value) pairs in one pass over the JSON text, the way
// event-ruler presents an event to its matcher. Numbers keep the text they were written with.
#include "pattern.hpp"

#include <algorithm>
#include <cstring>

namespace stratus::events::pattern {

std::optional<int64_t> comparable_number(std::string_view t) {
  // Exact decimal arithmetic: value = digits × 10^exp, scaled by 10^6.
  size_t i = 0;
  bool neg = false;
  if (i < t.size() && t[i] == '-') {
    neg = true;
    ++i;
  }
  std::string digits;
  int64_t exp = 0;
  bool any = false;
  for (; i < t.size() && t[i] >= '0' && t[i] <= '9'; ++i) {
    digits += t[i];
    any = true;
  }
  if (i < t.size() && t[i] == '.') {
    ++i;
    for (; i < t.size() && t[i] >= '0' && t[i] <= '9'; ++i) {
      digits += t[i];
      --exp;
      any = true;
    }
  }
  if (!any) return std::nullopt;
  if (i < t.size() && (t[i] == 'e' || t[i] == 'E')) {
    ++i;
    bool eneg = false;
    if (i < t.size() && (t[i] == '+' || t[i] == '-')) eneg = t[i++] == '-';
    int64_t e = 0;
    bool edigits = false;
    for (; i < t.size() && t[i] >= '0' && t[i] <= '9'; ++i) {
      if (e < 100000) e = e * 10 + (t[i] - '0');
      edigits = true;
    }
    if (!edigits) return std::nullopt;
    exp += eneg ? -e : e;
  }
  if (i != t.size()) return std::nullopt;
  // Strip leading zeros and trailing zeros (BigDecimal.stripTrailingZeros).
  size_t first = digits.find_first_not_of('0');
  if (first == std::string::npos) return 0;
  digits.erase(0, first);
  while (digits.size() > 1 && digits.back() == '0') {
    digits.pop_back();
    ++exp;
  }
  if (exp < -6) return std::nullopt;  // more than six decimals
  int64_t shift = exp + 6;            // digits × 10^shift
  if (static_cast<int64_t>(digits.size()) + shift > 18) return std::nullopt;
  __int128 v = 0;
  for (char c : digits) v = v * 10 + (c - '0');
  for (int64_t k = 0; k < shift; ++k) v *= 10;
  constexpr __int128 kLimit = static_cast<__int128>(500000000000LL) * 1000000;  // 5e11 × 10^6
  if (v > kLimit) return std::nullopt;
  return static_cast<int64_t>(neg ? -v : v);
}

namespace {

void put_utf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

}  // namespace

// Builds a FlatEvent; offsets into the arena become string_views once the arena stops growing.
struct FlatBuilder {
  struct Pending {
    size_t path_off, path_len, text_off, text_len;
    Kind kind;
    uint32_t refs_begin, refs_end;
  };
  std::string_view in;
  size_t p = 0;
  std::string arena;
  std::string path;                 // the current dot-joined path
  std::vector<Pending> leaves;
  std::vector<FlatEvent::ArrayRef> refs;   // flattened per leaf
  std::vector<FlatEvent::ArrayRef> enclosing;  // arrays around the current position
  uint32_t next_array = 0;
  size_t last_path_off = 0, last_path_len = SIZE_MAX;
  int depth = 0;

  void ws() {
    while (p < in.size() && (in[p] == ' ' || in[p] == '\t' || in[p] == '\n' || in[p] == '\r')) ++p;
  }
  bool lit(std::string_view w) {
    if (in.substr(p, w.size()) != w) return false;
    p += w.size();
    return true;
  }
  // Reads a string (after its opening quote) into `out`.
  bool str(std::string& out) {
    for (;;) {
      if (p >= in.size()) return false;
      auto c = static_cast<unsigned char>(in[p]);
      if (c == '"') {
        ++p;
        return true;
      }
      if (c < 0x20) return false;
      if (c != '\\') {
        size_t q = p + 1;
        while (q < in.size() && in[q] != '"' && in[q] != '\\' && static_cast<unsigned char>(in[q]) >= 0x20) ++q;
        out.append(in.substr(p, q - p));
        p = q;
        continue;
      }
      if (++p >= in.size()) return false;
      char e = in[p++];
      switch (e) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case '/': out += '/'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': {
          auto h4 = [&](uint32_t& v) {
            if (p + 4 > in.size()) return false;
            v = 0;
            for (int k = 0; k < 4; ++k) {
              char x = in[p++];
              int d = x >= '0' && x <= '9'   ? x - '0'
                      : x >= 'a' && x <= 'f' ? x - 'a' + 10
                      : x >= 'A' && x <= 'F' ? x - 'A' + 10
                                             : -1;
              if (d < 0) return false;
              v = (v << 4) | static_cast<uint32_t>(d);
            }
            return true;
          };
          uint32_t v;
          if (!h4(v)) return false;
          if (v >= 0xD800 && v <= 0xDBFF && p + 1 < in.size() && in[p] == '\\' && in[p + 1] == 'u') {
            size_t save = p;
            p += 2;
            uint32_t lo;
            if (h4(lo) && lo >= 0xDC00 && lo <= 0xDFFF) v = 0x10000 + ((v - 0xD800) << 10) + (lo - 0xDC00);
            else p = save;
          }
          put_utf8(out, v);
          break;
        }
        default: return false;
      }
    }
  }
  bool number(size_t& len) {
    size_t s = p;
    if (p < in.size() && in[p] == '-') ++p;
    if (p >= in.size() || in[p] < '0' || in[p] > '9') return false;
    if (in[p] == '0') ++p;
    else
      while (p < in.size() && in[p] >= '0' && in[p] <= '9') ++p;
    if (p < in.size() && in[p] == '.') {
      ++p;
      size_t d = p;
      while (p < in.size() && in[p] >= '0' && in[p] <= '9') ++p;
      if (p == d) return false;
    }
    if (p < in.size() && (in[p] == 'e' || in[p] == 'E')) {
      ++p;
      if (p < in.size() && (in[p] == '+' || in[p] == '-')) ++p;
      size_t d = p;
      while (p < in.size() && in[p] >= '0' && in[p] <= '9') ++p;
      if (p == d) return false;
    }
    len = p - s;
    return true;
  }
  void leaf(Kind k, size_t text_off, size_t text_len) {
    // Consecutive leaves of one path (array elements) share the stored path.
    if (last_path_len == SIZE_MAX || std::string_view(arena).substr(last_path_off, last_path_len) != path) {
      last_path_off = arena.size();
      last_path_len = path.size();
      arena += path;
    }
    auto rb = static_cast<uint32_t>(refs.size());
    refs.insert(refs.end(), enclosing.begin(), enclosing.end());
    leaves.push_back({last_path_off, last_path_len, text_off, text_len, k, rb, static_cast<uint32_t>(refs.size())});
  }
  bool value() {
    ws();
    if (p >= in.size()) return false;
    char c = in[p];
    if (c == '{') return object();
    if (c == '[') return array();
    if (c == '"') {
      ++p;
      size_t off = arena.size();
      if (!str(arena)) return false;
      leaf(Kind::string, off, arena.size() - off);
      return true;
    }
    if (c == 't') {
      if (!lit("true")) return false;
      size_t off = arena.size();
      arena += "true";
      leaf(Kind::boolean_true, off, 4);
      return true;
    }
    if (c == 'f') {
      if (!lit("false")) return false;
      size_t off = arena.size();
      arena += "false";
      leaf(Kind::boolean_false, off, 5);
      return true;
    }
    if (c == 'n') {
      if (!lit("null")) return false;
      size_t off = arena.size();
      arena += "null";
      leaf(Kind::null, off, 4);
      return true;
    }
    size_t start = p, len;
    if (!number(len)) return false;
    size_t off = arena.size();
    arena.append(in.substr(start, len));
    leaf(Kind::number, off, len);
    return true;
  }
  bool object() {
    if (++depth > 512) return false;
    ++p;  // '{'
    ws();
    if (p < in.size() && in[p] == '}') {
      ++p;
      --depth;
      return true;
    }
    std::string key;
    for (;;) {
      ws();
      if (p >= in.size() || in[p] != '"') return false;
      ++p;
      key.clear();
      if (!str(key)) return false;
      ws();
      if (p >= in.size() || in[p] != ':') return false;
      ++p;
      size_t saved = path.size();
      if (!path.empty()) path += '.';
      path += key;
      if (!value()) return false;
      path.resize(saved);
      ws();
      if (p >= in.size()) return false;
      if (in[p] == ',') {
        ++p;
        continue;
      }
      if (in[p] == '}') {
        ++p;
        --depth;
        return true;
      }
      return false;
    }
  }
  bool array() {
    if (++depth > 512) return false;
    ++p;  // '['
    uint32_t id = next_array++;
    enclosing.push_back({id, 0});
    ws();
    if (p < in.size() && in[p] == ']') {
      ++p;
      enclosing.pop_back();
      --depth;
      return true;
    }
    for (uint32_t idx = 0;; ++idx) {
      enclosing.back().index = idx;
      if (!value()) return false;
      ws();
      if (p >= in.size()) return false;
      if (in[p] == ',') {
        ++p;
        continue;
      }
      if (in[p] == ']') {
        ++p;
        enclosing.pop_back();
        --depth;
        return true;
      }
      return false;
    }
  }
};

std::optional<FlatEvent> FlatEvent::parse(std::string_view json) {
  FlatBuilder b;
  b.in = json;
  b.arena.reserve(json.size() + 64);
  b.ws();
  if (b.p >= json.size() || json[b.p] != '{') return std::nullopt;
  if (!b.object()) return std::nullopt;
  b.ws();
  if (b.p != json.size()) return std::nullopt;

  FlatEvent e;
  e.arena_ = std::make_unique<std::string>(std::move(b.arena));
  e.refs_ = std::move(b.refs);
  std::string_view a(*e.arena_);
  e.fields_.reserve(b.leaves.size());
  for (auto& l : b.leaves) {
    Field f;
    f.path = a.substr(l.path_off, l.path_len);
    f.text = a.substr(l.text_off, l.text_len);
    f.kind = l.kind;
    f.arrays_begin = l.refs_begin;
    f.arrays_end = l.refs_end;
    if (f.kind == Kind::number) {
      if (auto n = comparable_number(f.text)) {
        f.has_number = true;
        f.number = *n;
      }
    }
    e.fields_.push_back(f);
  }
  uint64_t last_hash = 0;
  std::string_view last_path;
  for (auto& f : e.fields_) {
    if (f.path.data() != last_path.data() || f.path.size() != last_path.size()) {
      last_hash = path_hash(f.path);
      last_path = f.path;
    }
    f.path_hash = last_hash;
  }
  std::stable_sort(e.fields_.begin(), e.fields_.end(), [](const Field& x, const Field& y) {
    return x.path_hash != y.path_hash ? x.path_hash < y.path_hash : x.path < y.path;
  });
  return e;
}

uint64_t FlatEvent::path_hash(std::string_view path) {
  // FNV-1a: paths are short, and this only has to spread them.
  uint64_t h = 1469598103934665603ULL;
  for (char c : path) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
  return h;
}

std::pair<const FlatEvent::Field*, const FlatEvent::Field*> FlatEvent::at(std::string_view path, uint64_t hash) const {
  // Fields are sorted by (hash, path): integer comparisons find the run, one string compare confirms it.
  auto lo = std::lower_bound(fields_.begin(), fields_.end(), hash,
                             [](const Field& f, uint64_t h) { return f.path_hash < h; });
  while (lo != fields_.end() && lo->path_hash == hash && lo->path != path) ++lo;
  auto hi = lo;
  while (hi != fields_.end() && hi->path_hash == hash && hi->path == path) ++hi;
  return {fields_.data() + (lo - fields_.begin()), fields_.data() + (hi - fields_.begin())};
}

}  // namespace stratus::events::pattern
