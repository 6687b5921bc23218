// Matching flattened events against compiled patterns: leaf tests, then array consistency across
// the fields a branch needs (event-ruler's ArrayMembership).
#include "pattern_internal.hpp"

#include <algorithm>

namespace stratus::events::pattern {

namespace {
uint32_t fold_cp(uint32_t c) {
  if (c >= 'A' && c <= 'Z') return c + 32;
  if (c < 0x80) return c;
  if ((c >= 0xC0 && c <= 0xDE && c != 0xD7)) return c + 32;
  if (c >= 0x100 && c <= 0x17F) {
    if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E)) return (c & 1) ? c + 1 : c;
    if (c == 0x130 || c == 0x131 || c == 0x138 || c == 0x149 || c == 0x17F) return c;
    return (c & 1) ? c : c + 1;
  }
  if (c >= 0x391 && c <= 0x3AB && c != 0x3A2) return c + 32;
  if (c >= 0x410 && c <= 0x42F) return c + 32;
  if (c >= 0x400 && c <= 0x40F) return c + 80;
  return c;
}

}  // namespace

std::string fold(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      out += static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
      ++i;
      continue;
    }
    size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    if (i + n > s.size()) n = 1;
    uint32_t cp = n == 1 ? c : n == 2 ? (c & 0x1Fu) : n == 3 ? (c & 0x0Fu) : (c & 0x07u);
    for (size_t k = 1; k < n; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3Fu);
    uint32_t f = n == 1 ? cp : fold_cp(cp);
    if (f == cp) {
      out.append(s.substr(i, n));
    } else if (f < 0x800) {
      out += static_cast<char>(0xC0 | (f >> 6));
      out += static_cast<char>(0x80 | (f & 0x3F));
    } else {
      out += static_cast<char>(0xE0 | (f >> 12));
      out += static_cast<char>(0x80 | ((f >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (f & 0x3F));
    }
    i += n;
  }
  return out;
}


bool Glob::matches(std::string_view s) const {
  if (pieces.empty()) return leading_star || s.empty();
  size_t pos = 0;
  size_t first = 0, last = pieces.size();
  if (!leading_star) {
    if (!s.starts_with(pieces[0])) return false;
    pos = pieces[0].size();
    first = 1;
  }
  if (!trailing_star) {
    if (last == first && !leading_star) return pos == s.size();
    const std::string& tail = pieces.back();
    if (s.size() < pos + tail.size() || !s.ends_with(tail)) return false;
    --last;
    s = s.substr(0, s.size() - tail.size());
  }
  for (size_t i = first; i < last; ++i) {
    auto f = s.find(pieces[i], pos);
    if (f == std::string_view::npos) return false;
    pos = f + pieces[i].size();
  }
  return true;
}

Glob parse_glob(std::string_view text) {
  std::string quoted = "\"" + std::string(text) + "\"";
  Glob g;
  std::string cur;
  for (size_t i = 0; i < quoted.size(); ++i) {
    char c = quoted[i];
    if (c == '*') {
      if (i + 1 < quoted.size() && quoted[i + 1] == '*')
        throw ParseFailure{"Consecutive wildcard characters at pos " + std::to_string(i)};
      g.pieces.push_back(cur);
      cur.clear();
      continue;
    }
    if (c == '\\') {
      if (i + 1 < quoted.size() && (quoted[i + 1] == '*' || quoted[i + 1] == '\\')) {
        cur += quoted[++i];
        continue;
      }
      throw ParseFailure{"Invalid escape character at pos " + std::to_string(i)};
    }
    cur += c;
  }
  g.pieces.push_back(cur);
  // Drop the quotes again: the first piece starts with '"', the last ends with it.
  g.pieces.front().erase(0, 1);
  g.pieces.back().pop_back();
  g.leading_star = g.pieces.size() > 1 && g.pieces.front().empty();
  g.trailing_star = g.pieces.size() > 1 && g.pieces.back().empty();
  std::vector<std::string> kept;
  for (size_t i = 0; i < g.pieces.size(); ++i) {
    bool edge_empty = g.pieces[i].empty() && ((i == 0 && g.leading_star) || (i + 1 == g.pieces.size() && g.trailing_star));
    if (!edge_empty) kept.push_back(std::move(g.pieces[i]));
  }
  // Interior empty pieces cannot occur (no consecutive stars); a lone "" piece means an empty literal.
  g.pieces = std::move(kept);
  if (g.pieces.size() == 1 && g.pieces[0].empty() && !g.leading_star && !g.trailing_star) g.pieces.clear();
  return g;
}


Pattern::Pattern() = default;
Pattern::~Pattern() = default;

const std::vector<std::string>& Pattern::exact_values(std::string_view path) const {
  static const std::vector<std::string> kNone;
  auto it = exact_.find(std::string(path));
  return it == exact_.end() ? kNone : it->second;
}

namespace {

using Test = Pattern::Test;
using Op = Test::Op;

using Field = FlatEvent::Field;

bool value_matches(const Test& t, const Field& f, bool as_ip, const ip::Bytes* addr) {
  const bool str = f.kind == Kind::string && !as_ip;
  switch (t.op) {
    case Op::exact: return str && f.text == t.s;
    case Op::literal: return f.kind != Kind::string && f.kind != Kind::number && f.text == t.s;
    case Op::number:
      if (f.kind != Kind::number) return false;
      if (t.num && f.has_number) return *t.num == f.number;
      return !t.s.empty() && f.text == t.s;
    case Op::range:
      if (f.kind != Kind::number || !f.has_number) return false;
      return (t.lo_open ? f.number > t.lo : f.number >= t.lo) && (t.hi_open ? f.number < t.hi : f.number <= t.hi);
    case Op::ip: return as_ip && t.cidr.contains(*addr);
    case Op::prefix: return str && f.text.starts_with(t.s);
    case Op::suffix: return str && f.text.ends_with(t.s);
    case Op::prefix_ic: return str && fold(f.text).starts_with(t.s);
    case Op::suffix_ic: return str && fold(f.text).ends_with(t.s);
    case Op::equals_ic: return str && fold(f.text) == t.s;
    case Op::wildcard: return str && t.globs[0].matches(f.text);
    case Op::exists: return true;
    case Op::absent: return false;
    case Op::not_values:
      if (str) return std::find(t.strs.begin(), t.strs.end(), f.text) == t.strs.end();
      if (f.kind == Kind::number && f.has_number) return std::find(t.nums.begin(), t.nums.end(), f.number) == t.nums.end();
      return true;
    case Op::not_ic: {
      if (!str) return true;
      std::string folded = fold(f.text);
      return std::find(t.strs.begin(), t.strs.end(), folded) == t.strs.end();
    }
    case Op::not_prefix:
      if (!str) return true;
      for (auto& s : t.strs)
        if (f.text.starts_with(s)) return false;
      return true;
    case Op::not_suffix:
      if (!str) return true;
      for (auto& s : t.strs)
        if (f.text.ends_with(s)) return false;
      return true;
    case Op::not_wildcard:
      if (!str) return true;
      for (auto& g : t.globs)
        if (g.matches(f.text)) return false;
      return true;
  }
  return false;
}

bool field_matches(const Pattern::FieldRule& fr, const Field& f) {
  // Where a field's tests include IP addresses, address-like strings compare as addresses only
  // (event-ruler rewrites them to their hex form before any other comparison).
  std::optional<ip::Bytes> addr;
  if (fr.ip_mode && f.kind == Kind::string) addr = ip::parse(f.text);
  for (auto& t : *fr.tests)
    if (value_matches(t, f, addr.has_value(), addr ? &*addr : nullptr)) return true;
  return false;
}

struct Slot {
  const Field* const* begin;
  const Field* const* end;
};

// Array consistency: fields picked for different paths must agree on the element of every array
// they share (event-ruler's ArrayMembership).
bool consistent_pick(const std::vector<Slot>& slots, size_t i, const FlatEvent& e,
                     std::vector<FlatEvent::ArrayRef>& chosen) {
  if (i == slots.size()) return true;
  const auto& refs = e.array_refs();
  for (auto it = slots[i].begin; it != slots[i].end; ++it) {
    const Field* f = *it;
    size_t mark = chosen.size();
    bool ok = true;
    for (uint32_t r = f->arrays_begin; r < f->arrays_end && ok; ++r) {
      const auto& ref = refs[r];
      bool seen = false;
      for (size_t k = 0; k < mark; ++k) {
        if (chosen[k].array == ref.array) {
          seen = true;
          if (chosen[k].index != ref.index) ok = false;
          break;
        }
      }
      if (!seen) chosen.push_back(ref);
    }
    if (ok && consistent_pick(slots, i + 1, e, chosen)) return true;
    chosen.resize(mark);
  }
  return false;
}

bool branch_matches(const Pattern::Branch& b, const FlatEvent& e) {
  thread_local std::vector<const Field*> picked;
  thread_local std::vector<size_t> bounds;
  picked.clear();
  bounds.clear();
  bool arrays = false;
  for (auto& fr : b.fields) {
    auto [lo, hi] = e.at(fr.path, fr.path_hash);
    bounds.push_back(picked.size());
    if (lo == hi) {
      if (fr.has_absent) {
        bounds.back() = SIZE_MAX;  // satisfied by absence, no constraint
        continue;
      }
      return false;
    }
    size_t before = picked.size();
    for (const Field* f = lo; f != hi; ++f) {
      if (field_matches(fr, *f)) {
        picked.push_back(f);
        if (f->arrays_begin != f->arrays_end) arrays = true;
      }
    }
    if (picked.size() == before) return false;
  }
  if (!arrays) return true;
  std::vector<Slot> slots;
  for (size_t i = 0; i < bounds.size(); ++i) {
    if (bounds[i] == SIZE_MAX) continue;
    size_t end = picked.size();
    for (size_t j = i + 1; j < bounds.size(); ++j)
      if (bounds[j] != SIZE_MAX) {
        end = bounds[j];
        break;
      }
    slots.push_back({picked.data() + bounds[i], picked.data() + end});
  }
  std::sort(slots.begin(), slots.end(), [](const Slot& x, const Slot& y) { return (x.end - x.begin) < (y.end - y.begin); });
  std::vector<FlatEvent::ArrayRef> chosen;
  return consistent_pick(slots, 0, e, chosen);
}

}  // namespace

bool Pattern::matches(const FlatEvent& e) const {
  for (auto& b : branches_)
    if (branch_matches(b, e)) return true;
  return false;
}

}  // namespace stratus::events::pattern
