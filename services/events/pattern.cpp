// Compiles an event pattern (event-ruler's JsonRuleCompiler, step for step, so that every
// invalid pattern fails with the same reason at the same position) into branches of field rules,
// and matches flattened events against them.
#include "pattern.hpp"

#include "ip.hpp"
#include "jackson_parser.hpp"

#include <algorithm>
#include <stdexcept>

namespace stratus::events::pattern {

using jackson::Parser;
using jackson::Token;

// ---- the compiled form -------------------------------------------------------------------

namespace {

// A wildcard pattern: literal pieces between '*'s (escapes resolved).
struct Glob {
  std::vector<std::string> pieces;
  bool leading_star = false, trailing_star = false;

  bool matches(std::string_view s) const {
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
};

// Simple case folding for equals-ignore-case (Java's per-character toLowerCase on the ranges
// events use: ASCII, Latin-1, Latin Extended-A, Greek, Cyrillic).
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

struct ParseFailure {
  std::string message;
};

// WildcardParser over the quoted value: positions count UTF-8 bytes of '"' + text + '"'.
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

}  // namespace

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

Pattern::Pattern() = default;
Pattern::~Pattern() = default;

// ---- compiler ----------------------------------------------------------------------------

namespace {

using Test = Pattern::Test;
using Op = Test::Op;
using Tests = std::vector<Test>;
// One branch while compiling: path → tests, later puts overriding earlier ones.
using RuleMap = std::vector<std::pair<std::string, std::shared_ptr<const Tests>>>;

const char* const kReservedInOr[] = {
    "exactly", "equals-ignore-case", "prefix", "suffix", "anything-but", "exists", "wildcard", "numeric", "cidr",
    "=", "<", "<=", ">", ">=", "regex", "not-wildcard", "not-equals-ignore-case", "date-after", "date-on-or-after",
    "date-before", "date-on-or-before", "in-date-range", "ip-address-in-range", "ip-address-not-in-range"};

struct NumberError {
  std::string message;
};

// ComparableNumber.generate(text)
int64_t generate(const std::string& text) {
  auto n = comparable_number(text);
  if (n) return *n;
  // Tell the two failures apart the way ComparableNumber does: precision first, then range.
  const std::string& t = text;
  size_t e = t.find_first_of("eE");
  std::string mant = e == std::string::npos ? t : t.substr(0, e);
  int64_t exp = 0;
  if (e != std::string::npos) {
    size_t i = e + 1;
    bool neg = i < t.size() && t[i] == '-';
    if (i < t.size() && (t[i] == '-' || t[i] == '+')) ++i;
    for (; i < t.size(); ++i) exp = std::min<int64_t>(exp * 10 + (t[i] - '0'), 1000000);
    if (neg) exp = -exp;
  }
  size_t dot = mant.find('.');
  int64_t decimals = 0;
  if (dot != std::string::npos) {
    std::string frac = mant.substr(dot + 1);
    while (!frac.empty() && frac.back() == '0') frac.pop_back();
    decimals = static_cast<int64_t>(frac.size());
  }
  if (decimals - exp > 6) {
    // A value with only zeros after stripping has scale 0.
    bool nonzero = mant.find_first_of("123456789") != std::string::npos;
    if (nonzero) throw NumberError{"Only values upto 6 decimals are supported"};
  }
  throw NumberError{"Value must be between -5.0E11 and 5.0E11, inclusive"};
}

struct Path {
  std::vector<std::string> steps;
  std::string extended(const std::string& step) const {
    std::string out;
    for (auto& s : steps) {
      out += s;
      out += '.';
    }
    return out + step;
  }
};

}  // namespace

struct Compiler {
  Parser p;
  explicit Compiler(std::string_view src) : p(src) {}

  static void put(RuleMap& rule, const std::string& name, const std::shared_ptr<const Tests>& tests) {
    for (auto& [k, v] : rule)
      if (k == name) {
        v = tests;
        return;
      }
    rule.emplace_back(name, tests);
  }

  void parse_object(std::vector<RuleMap>& rules, Path& path, bool inside_or) {
    bool fields = false;
    while (p.next_token() != Token::end_object) {
      fields = true;
      std::string step = p.current_name();
      if (step == "$or") {
        parse_or(rules, path);
        continue;
      }
      if (inside_or)
        for (const char* r : kReservedInOr)
          if (step == r) p.fail(step + " is Ruler reserved fieldName which cannot be used inside $or.");
      switch (p.next_token()) {
        case Token::start_object:
          path.steps.push_back(step);
          parse_object(rules, path, inside_or);
          path.steps.pop_back();
          break;
        case Token::start_array: write_rules(rules, path.extended(step)); break;
        default: p.fail("\"" + step + "\" must be an object or an array");
      }
    }
    if (!fields) p.fail("Empty objects are not allowed");
  }

  void parse_or(std::vector<RuleMap>& rules, Path& path) {
    std::vector<RuleMap> current = rules;
    rules.clear();
    if (p.next_token() != Token::start_array) p.fail("It must be an Array followed with $or.");
    int count = 0;
    Token t;
    while ((t = p.next_token()) != Token::end_array) {
      ++count;
      if (t != Token::start_object) p.fail("Only JSON object is allowed in array of $or relationship.");
      std::vector<RuleMap> branch = current;
      if (branch.empty()) branch.emplace_back();
      parse_object(branch, path, true);
      rules.insert(rules.end(), branch.begin(), branch.end());
    }
    if (count < 2) p.fail("There must have at least 2 Objects in $or relationship.");
  }

  void write_rules(std::vector<RuleMap>& rules, const std::string& name) {
    auto values = std::make_shared<Tests>();
    Token t;
    while ((t = p.next_token()) != Token::end_array) {
      switch (t) {
        case Token::start_object: values->push_back(match_expression()); break;
        case Token::value_string: {
          std::string s = p.text();
          Test v;
          if (auto addr = ip::looks_like_ip(s) ? ip::parse(s) : std::nullopt) {
            v.op = Op::ip;
            v.cidr = ip::Range{*addr, *addr};
          } else {
            v.op = Op::exact;
            v.s = std::move(s);
          }
          values->push_back(std::move(v));
          break;
        }
        case Token::value_number_int:
        case Token::value_number_float: {
          Test v;
          v.op = Op::number;
          v.s = p.text();
          v.num = comparable_number(v.s);
          values->push_back(std::move(v));
          break;
        }
        case Token::value_null:
        case Token::value_true:
        case Token::value_false: {
          Test v;
          v.op = Op::literal;
          v.s = p.text();
          values->push_back(std::move(v));
          break;
        }
        default: p.fail("Match value must be String, number, true, false, or null");
      }
    }
    if (values->empty()) p.fail("Empty arrays are not allowed");
    if (rules.empty()) rules.emplace_back();
    std::shared_ptr<const Tests> shared = values;
    for (auto& r : rules) put(r, name, shared);
  }

  void expect_end(const char* msg = "Only one key allowed in match expression") {
    if (p.next_token() != Token::end_object) p.fail(msg);
  }

  Test string_test(Op op, const char* type_error) {
    if (p.next_token() != Token::value_string) p.fail(type_error);
    Test t;
    t.op = op;
    t.s = p.text();
    return t;
  }

  Test match_expression() {
    if (p.next_token() != Token::field_name) p.fail("Match expression name not found");
    const std::string name = p.current_name();
    if (name == "exactly") {
      Test t = string_test(Op::exact, "exact match pattern must be a string");
      expect_end();
      return t;
    }
    if (name == "prefix" || name == "suffix") {
      const bool prefix = name == "prefix";
      Token tok = p.next_token();
      if (tok == Token::start_object) return ignore_case_affix(prefix);
      if (tok != Token::value_string) p.fail(prefix ? "prefix match pattern must be a string" : "suffix match pattern must be a string");
      Test t;
      t.op = prefix ? Op::prefix : Op::suffix;
      t.s = p.text();
      expect_end();
      return t;
    }
    if (name == "numeric") {
      if (p.next_token() != Token::start_array) p.fail("Value of numeric must be an array.");
      Test t = numeric();
      expect_end("Too many elements in numeric expression");
      return t;
    }
    if (name == "anything-but") return anything_but();
    if (name == "exists") {
      Token tok = p.next_token();
      Test t;
      if (tok == Token::value_true) t.op = Op::exists;
      else if (tok == Token::value_false) t.op = Op::absent;
      else p.fail("exists match pattern must be either true or false.");
      expect_end();
      return t;
    }
    if (name == "cidr") {
      if (p.next_token() != Token::value_string) p.fail("prefix match pattern must be a string");
      Test t;
      t.op = Op::ip;
      try {
        t.cidr = ip::cidr(p.text());
      } catch (const std::invalid_argument& e) {
        // An IllegalArgumentException escapes the compiler: AWS reports it without a location.
        throw InvalidPattern(e.what());
      }
      expect_end();
      return t;
    }
    if (name == "equals-ignore-case") {
      Test t = string_test(Op::equals_ic, "equals-ignore-case match pattern must be a string");
      t.s = fold(t.s);
      expect_end();
      return t;
    }
    if (name == "wildcard") {
      Test t = string_test(Op::wildcard, "wildcard match pattern must be a string");
      try {
        t.globs.push_back(parse_glob(t.s));
      } catch (const ParseFailure& f) {
        p.fail(f.message);
      }
      expect_end();
      return t;
    }
    p.fail("Unrecognized match type " + name);
  }

  Test ignore_case_affix(bool prefix) {
    // processPrefixEqualsIgnoreCaseExpression / processSuffixEqualsIgnoreCaseExpression
    if (p.next_token() != Token::field_name)
      p.fail(prefix ? "Prefix expression name not found" : "Suffix expression name not found");
    const std::string op = p.current_name();
    if (op != "equals-ignore-case")
      p.fail((prefix ? "Unsupported prefix pattern: " : "Unsupported suffix pattern: ") + op);
    Test t = string_test(prefix ? Op::prefix_ic : Op::suffix_ic, "equals-ignore-case match pattern must be a string");
    t.s = fold(t.s);
    expect_end();
    expect_end();
    return t;
  }

  Test numeric() {
    // processNumericMatchExpression / completeNumericRange
    Token tok = p.next_token();
    if (tok != Token::value_string) p.fail("Invalid member in numeric match: " + p.text());
    const std::string op = p.text();
    tok = p.next_token();
    Test t;
    t.op = Op::range;
    auto finish_range = [&](const std::string* bottom, bool open_bottom, const std::string* top, bool open_top) {
      try {
        t.lo = bottom ? generate(*bottom) : -500000000000LL * 1000000;
        t.hi = top ? generate(*top) : 500000000000LL * 1000000;
      } catch (const NumberError& e) {
        p.fail(e.message);
      }
      t.lo_open = bottom && open_bottom;
      t.hi_open = top && open_top;
      if (bottom && top && t.lo >= t.hi) p.fail("Bottom must be less than top");
    };
    if (op == "=") {
      if (!jackson::is_numeric(tok)) p.fail("Value of equals must be numeric");
      std::string val = p.text();
      if (p.next_token() != Token::end_array) p.fail("Too many elements in numeric expression");
      try {
        t.op = Op::number;
        t.num = generate(val);
        t.s.clear();  // numeric equality only
      } catch (const NumberError& e) {
        p.fail(e.message);
      }
      return t;
    }
    if (op == ">=" || op == ">") {
      if (!jackson::is_numeric(tok)) p.fail("Value of " + op + " must be numeric");
      std::string bottom = p.text();
      tok = p.next_token();
      if (tok == Token::end_array) {
        finish_range(&bottom, op == ">", nullptr, false);
        return t;
      }
      if (tok != Token::value_string) p.fail("Bad value in numeric range: " + p.text());
      const std::string op2 = p.text();
      bool open_top = false;
      if (op2 == "<") open_top = true;
      else if (op2 != "<=") p.fail("Bad numeric range operator: " + op2);
      if (!jackson::is_numeric(p.next_token())) p.fail("Value of " + op2 + " must be numeric");
      std::string top = p.text();
      if (p.next_token() != Token::end_array) p.fail("Too many terms in numeric range expression");
      finish_range(&bottom, op == ">", &top, open_top);
      return t;
    }
    if (op == "<=" || op == "<") {
      if (!jackson::is_numeric(tok)) p.fail("Value of " + op + " must be numeric");
      std::string top = p.text();
      if (p.next_token() != Token::end_array) p.fail("Too many elements in numeric expression");
      finish_range(nullptr, false, &top, op == "<");
      return t;
    }
    p.fail("Unrecognized numeric range operator: " + op);
  }

  Test anything_but() {
    enum class Kind { plain, ignore_case, prefix, suffix, wildcard } kind = Kind::plain;
    Token tok = p.next_token();
    if (tok == Token::start_object) {
      if (p.next_token() != Token::field_name) p.fail("Anything-But expression name not found");
      const std::string op = p.current_name();
      if (op == "equals-ignore-case") kind = Kind::ignore_case;
      else if (op == "prefix") kind = Kind::prefix;
      else if (op == "suffix") kind = Kind::suffix;
      else if (op == "wildcard") kind = Kind::wildcard;
      else p.fail("Unsupported anything-but pattern: " + op);
      tok = p.next_token();
    }
    if (tok != Token::start_array && tok != Token::value_string && !jackson::is_numeric(tok))
      p.fail("Value of anything-but must be an array or single string/number value.");

    Test t;
    auto type_error = [&]() -> const char* {
      if (kind == Kind::ignore_case)
        return "Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.";
      if (kind == Kind::wildcard) return "wildcard match pattern must be a string";
      return "prefix/suffix match pattern must be a string";
    };
    auto add_set_value = [&](std::string text) {
      if ((kind == Kind::prefix || kind == Kind::suffix) && text.empty()) p.fail("Null prefix/suffix not allowed");
      if (std::find(t.strs.begin(), t.strs.end(), text) == t.strs.end()) t.strs.push_back(std::move(text));
    };

    if (kind == Kind::plain) {
      t.op = Op::not_values;
      if (tok == Token::start_array) {
        bool has_number = false, has_string = false;
        try {
          while ((tok = p.next_token()) != Token::end_array) {
            if (tok == Token::value_string) {
              t.strs.push_back(p.text());
              has_string = true;
            } else if (jackson::is_numeric(tok)) {
              t.nums.push_back(generate(p.text()));
              has_number = true;
            } else {
              p.fail("Inside anything but list, start|null|boolean is not supported.");
            }
          }
        } catch (const jackson::ParseError& e) {
          p.fail(e.message);  // rethrown with a second location, as AWS does
        } catch (const NumberError& e) {
          p.fail(e.message);
        }
        if (has_number == has_string)
          p.fail("Inside anything but list, either all values are number or string, mixed type is not supported");
      } else if (tok == Token::value_string) {
        t.strs.push_back(p.text());
      } else {
        try {
          t.nums.push_back(generate(p.text()));
        } catch (const NumberError& e) {
          throw InvalidPattern(e.message);  // escapes the compiler unwrapped
        }
      }
      expect_end("Too many elements in numeric expression");
      return t;
    }

    t.op = kind == Kind::ignore_case ? Op::not_ic
           : kind == Kind::prefix    ? Op::not_prefix
           : kind == Kind::suffix    ? Op::not_suffix
                                     : Op::not_wildcard;
    if (tok == Token::start_array) {
      try {
        while ((tok = p.next_token()) != Token::end_array) {
          if (tok != Token::value_string) p.fail(type_error());
          add_set_value(p.text());
        }
      } catch (const jackson::ParseError& e) {
        p.fail(e.message);
      }
    } else {
      if (tok != Token::value_string) p.fail(type_error());
      add_set_value(p.text());
    }
    if (kind == Kind::wildcard) {
      for (auto& s : t.strs) {
        try {
          t.globs.push_back(parse_glob(s));
        } catch (const ParseFailure& f) {
          p.fail(f.message);
        }
      }
    }
    if (kind == Kind::ignore_case)
      for (auto& s : t.strs) s = fold(s);
    expect_end("Too many elements in numeric expression");
    expect_end("Too many elements in numeric expression");
    return t;
  }

  std::vector<RuleMap> compile() {
    if (p.next_token() != Token::start_object) p.fail("Filter is not an object");
    std::vector<RuleMap> rules;
    Path path;
    parse_object(rules, path, false);
    return rules;
  }
};

std::shared_ptr<const Pattern> compile(std::string_view json) {
  std::vector<RuleMap> rules;
  try {
    Compiler c(json);
    rules = c.compile();
  } catch (const jackson::ParseError& e) {
    throw InvalidPattern(e.message);
  }
  std::shared_ptr<Pattern> out(new Pattern());
  out->source_ = std::string(json);
  for (auto& r : rules) {
    Pattern::Branch b;
    for (auto& [path, tests] : r) {
      Pattern::FieldRule f;
      f.path = path;
      f.path_hash = FlatEvent::path_hash(path);
      f.tests = tests;
      for (auto& t : *tests) {
        if (t.op == Op::absent) f.has_absent = true;
        if (t.op == Op::ip) f.ip_mode = true;
      }
      b.fields.push_back(std::move(f));
    }
    out->branches_.push_back(std::move(b));
  }
  // Exact-value sets for the rule index: fields every branch requires to equal one of some strings.
  if (!out->branches_.empty()) {
    for (auto& first : out->branches_.front().fields) {
      std::vector<std::string> values;
      bool ok = true;
      for (auto& b : out->branches_) {
        const Pattern::FieldRule* fr = nullptr;
        for (auto& f : b.fields)
          if (f.path == first.path) fr = &f;
        if (!fr || fr->ip_mode) {
          ok = false;
          break;
        }
        for (auto& t : *fr->tests) {
          if (t.op != Op::exact) {
            ok = false;
            break;
          }
          values.push_back(t.s);
        }
        if (!ok) break;
      }
      if (!ok) continue;
      std::sort(values.begin(), values.end());
      values.erase(std::unique(values.begin(), values.end()), values.end());
      out->exact_[first.path] = std::move(values);
    }
  }
  return out;
}

const std::vector<std::string>& Pattern::exact_values(std::string_view path) const {
  static const std::vector<std::string> kNone;
  auto it = exact_.find(std::string(path));
  return it == exact_.end() ? kNone : it->second;
}

// ---- matching ----------------------------------------------------------------------------

namespace {

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

// ---- index ---------------------------------------------------------------------------------

void PatternIndex::add(uint64_t id, std::shared_ptr<const Pattern> p) {
  remove(id);
  Entry e;
  e.pattern = std::move(p);
  // The key field: source, else detail-type, else the exact-valued field with the fewest values.
  const std::vector<std::string>* best = nullptr;
  for (const char* preferred : {"source", "detail-type"}) {
    const auto& vals = e.pattern->exact_values(preferred);
    if (!vals.empty()) {
      e.key_path = preferred;
      best = &vals;
      break;
    }
  }
  if (!best)
    for (auto& [path, vals] : e.pattern->exact_fields())
      if (!vals.empty() && (!best || vals.size() < best->size() || (vals.size() == best->size() && path < e.key_path))) {
        e.key_path = path;
        best = &vals;
      }
  const Candidate c{id, e.pattern.get()};
  if (!best) {
    unindexed_.push_back(c);
  } else {
    e.keys = *best;
    auto it = by_path_.find(e.key_path);
    if (it == by_path_.end()) {
      it = by_path_.emplace(e.key_path, KeyIndex{}).first;
      it->second.path_hash = FlatEvent::path_hash(e.key_path);
    }
    for (auto& key : e.keys) it->second.values[key].push_back(c);
  }
  patterns_.emplace(id, std::move(e));
}

void PatternIndex::remove(uint64_t id) {
  auto it = patterns_.find(id);
  if (it == patterns_.end()) return;
  auto drop = [id](std::vector<Candidate>& v) {
    v.erase(std::remove_if(v.begin(), v.end(), [id](const Candidate& c) { return c.id == id; }), v.end());
  };
  if (it->second.key_path.empty()) {
    drop(unindexed_);
  } else if (auto pi = by_path_.find(it->second.key_path); pi != by_path_.end()) {
    auto& map = pi->second.values;
    for (auto& key : it->second.keys) {
      auto m = map.find(key);
      if (m == map.end()) continue;
      drop(m->second);
      if (m->second.empty()) map.erase(m);
    }
    if (map.empty()) by_path_.erase(pi);
  }
  patterns_.erase(it);
}

void PatternIndex::clear() {
  patterns_.clear();
  by_path_.clear();
  unindexed_.clear();
}

void PatternIndex::candidates(const FlatEvent& e, std::vector<Candidate>& out) const {
  out.clear();
  size_t lookups = 0;
  for (auto& [path, index] : by_path_) {
    auto [lo, hi] = e.at(path, index.path_hash);
    for (auto* f = lo; f != hi; ++f) {
      if (f->kind != Kind::string) continue;
      auto it = index.values.find(f->text);
      if (it == index.values.end()) continue;
      out.insert(out.end(), it->second.begin(), it->second.end());
      ++lookups;
    }
  }
  if (lookups > 1) {
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
  }
  out.insert(out.end(), unindexed_.begin(), unindexed_.end());
}

}  // namespace stratus::events::pattern
