#pragma once
// The compiled form of an event pattern, shared by the compiler (pattern_compile.cpp), the matcher
// (pattern.cpp) and the rule index (pattern_index.cpp). Not part of the module's interface.
#include "ip.hpp"
#include "pattern.hpp"

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace stratus::events::pattern {

// A wildcard pattern: literal pieces between '*'s (escapes resolved).
struct Glob {
  std::vector<std::string> pieces;
  bool leading_star = false, trailing_star = false;
  bool matches(std::string_view s) const;
};

// WildcardParser over the quoted value: positions count UTF-8 bytes of '"' + text + '"'.
struct ParseFailure {
  std::string message;
};
Glob parse_glob(std::string_view text);  // throws ParseFailure

// Simple case folding for equals-ignore-case (Java's per-character toLowerCase on the ranges
// events use: ASCII, Latin-1, Latin Extended-A, Greek, Cyrillic).
std::string fold(std::string_view s);

struct Pattern::Test {
  enum class Op : uint8_t {
    exact,        // string equality
    literal,      // true / false / null
    number,       // numeric equality or the same number text
    range,        // numeric range
    ip,           // IP equality or CIDR block
    prefix,
    prefix_ic,
    suffix,
    suffix_ic,
    equals_ic,
    wildcard,
    exists,
    absent,
    not_values,   // anything-but: strings and/or numbers
    not_ic,
    not_prefix,
    not_suffix,
    not_wildcard,
  };
  Op op;
  std::string s;
  std::optional<int64_t> num;
  int64_t lo = 0, hi = 0;
  bool lo_open = false, hi_open = false;
  ip::Range cidr;
  std::vector<std::string> strs;
  std::vector<int64_t> nums;
  std::vector<Glob> globs;
};

struct Pattern::FieldRule {
  std::string path;
  uint64_t path_hash = 0;
  std::shared_ptr<const std::vector<Test>> tests;
  bool has_absent = false;
  bool ip_mode = false;
};

struct Pattern::Branch {
  std::vector<FieldRule> fields;
};

}  // namespace stratus::events::pattern
