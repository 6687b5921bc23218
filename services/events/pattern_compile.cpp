// Compiles an event pattern the way event-ruler's JsonRuleCompiler does, step for step, so that
// every invalid pattern fails with the same reason at the same position (jackson_parser.hpp).
#include "jackson_parser.hpp"
#include "pattern_internal.hpp"

#include <algorithm>
#include <stdexcept>

namespace stratus::events::pattern {

using jackson::Parser;
using jackson::Token;

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


}  // namespace stratus::events::pattern
