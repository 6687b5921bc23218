#include "filter_pattern.hpp"

#include <stratus/json.hpp>
#include <stratus/strings.hpp>

#include <cctype>
#include <boost/regex.hpp>
#include <stdexcept>
#include <variant>
#include <vector>

namespace stratus::logs {
namespace {

// '*' matches any run of characters (JSON and space-delimited string values).
bool wildcard_match(std::string_view pat, std::string_view s) {
  size_t p = 0, i = 0, star = std::string_view::npos, mark = 0;
  while (i < s.size()) {
    if (p < pat.size() && pat[p] == '*') {
      star = p++;
      mark = i;
    } else if (p < pat.size() && pat[p] == s[i]) {
      ++p;
      ++i;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      i = ++mark;
    } else {
      return false;
    }
  }
  while (p < pat.size() && pat[p] == '*') ++p;
  return p == pat.size();
}

enum class Op { eq, ne, lt, le, gt, ge, exists, not_exists, is_null, is_true, is_false };

struct Value {
  bool is_number = false;
  double number = 0;
  std::string text;
};

bool compare(Op op, const Value& want, const json::value* got) {
  switch (op) {
    case Op::exists: return got != nullptr;
    case Op::not_exists: return got == nullptr;
    case Op::is_null: return got && got->is_null();
    case Op::is_true: return got && got->is_bool() && got->get_bool();
    case Op::is_false: return got && got->is_bool() && !got->get_bool();
    default: break;
  }
  if (!got) return false;
  if (want.is_number) {
    if (!got->is_number()) {
      // A numeric string compares as its number (AWS is lenient here).
      if (!got->is_string()) return false;
      auto d = parse_double(got->get_string());
      if (!d) return op == Op::ne;
      json::value tmp(*d);
      return compare(op, want, &tmp);
    }
    double g = got->to_number<double>();
    switch (op) {
      case Op::eq: return g == want.number;
      case Op::ne: return g != want.number;
      case Op::lt: return g < want.number;
      case Op::le: return g <= want.number;
      case Op::gt: return g > want.number;
      case Op::ge: return g >= want.number;
      default: return false;
    }
  }
  std::string g;
  if (got->is_string()) g = got->get_string();
  else if (got->is_bool()) g = got->get_bool() ? "true" : "false";
  else if (got->is_null()) g = "null";
  else if (got->is_number()) g = json::serialize(*got);
  else return op == Op::ne;
  bool eq = want.text.find('*') != std::string::npos ? wildcard_match(want.text, g) : g == want.text;
  if (op == Op::eq) return eq;
  if (op == Op::ne) return !eq;
  return false;
}

// ---- JSON selectors -------------------------------------------------------------------------

struct JsonNode;
using JsonNodePtr = std::shared_ptr<JsonNode>;
struct JsonNode {
  enum Kind { cmp, and_, or_ } kind = cmp;
  std::vector<std::string> path;  // selector parts; "[n]" parts are array indexes
  Op op = Op::eq;
  Value value;
  JsonNodePtr left, right;
};

const json::value* select(const json::value& root, const std::vector<std::string>& path) {
  const json::value* cur = &root;
  for (auto& part : path) {
    if (part == "*") continue;  // $.* / $.a.* : any (approximate: stays on the current node)
    if (!part.empty() && part.front() == '[') {
      if (!cur->is_array()) return nullptr;
      auto idx = parse_int(std::string_view(part).substr(1, part.size() - 2));
      if (!idx || *idx < 0 || static_cast<size_t>(*idx) >= cur->get_array().size()) return nullptr;
      cur = &cur->get_array()[static_cast<size_t>(*idx)];
      continue;
    }
    if (!cur->is_object()) return nullptr;
    cur = find(cur->get_object(), part);
    if (!cur) return nullptr;
  }
  return cur;
}

bool eval_json(const JsonNode& n, const json::value& doc) {
  switch (n.kind) {
    case JsonNode::and_: return eval_json(*n.left, doc) && eval_json(*n.right, doc);
    case JsonNode::or_: return eval_json(*n.left, doc) || eval_json(*n.right, doc);
    default: return compare(n.op, n.value, select(doc, n.path));
  }
}

class JsonParser {
 public:
  explicit JsonParser(std::string_view s) : s_(s) {}
  JsonNodePtr parse() {
    skip();
    expect('{');
    auto n = parse_or();
    skip();
    expect('}');
    skip();
    if (i_ != s_.size()) fail();
    return n;
  }

 private:
  [[noreturn]] void fail() const { throw std::invalid_argument("Invalid filter pattern"); }
  void skip() {
    while (i_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[i_]))) ++i_;
  }
  void expect(char c) {
    if (i_ >= s_.size() || s_[i_] != c) fail();
    ++i_;
  }
  bool accept(std::string_view tok) {
    skip();
    if (s_.substr(i_, tok.size()) == tok) {
      i_ += tok.size();
      return true;
    }
    return false;
  }
  bool accept_word(std::string_view w) {
    skip();
    if (s_.size() - i_ < w.size()) return false;
    if (!iequals(s_.substr(i_, w.size()), w)) return false;
    size_t end = i_ + w.size();
    if (end < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[end])) || s_[end] == '_')) return false;
    i_ = end;
    return true;
  }
  JsonNodePtr parse_or() {
    auto l = parse_and();
    while (accept("||")) {
      auto n = std::make_shared<JsonNode>();
      n->kind = JsonNode::or_;
      n->left = l;
      n->right = parse_and();
      l = n;
    }
    return l;
  }
  JsonNodePtr parse_and() {
    auto l = parse_primary();
    while (accept("&&")) {
      auto n = std::make_shared<JsonNode>();
      n->kind = JsonNode::and_;
      n->left = l;
      n->right = parse_primary();
      l = n;
    }
    return l;
  }
  JsonNodePtr parse_primary() {
    skip();
    if (accept("(")) {
      auto n = parse_or();
      skip();
      expect(')');
      return n;
    }
    auto n = std::make_shared<JsonNode>();
    n->path = parse_selector();
    skip();
    if (accept_word("IS")) {
      if (accept_word("NULL")) n->op = Op::is_null;
      else if (accept_word("TRUE")) n->op = Op::is_true;
      else if (accept_word("FALSE")) n->op = Op::is_false;
      else fail();
      return n;
    }
    if (accept_word("NOT")) {
      if (!accept_word("EXISTS")) fail();
      n->op = Op::not_exists;
      return n;
    }
    if (accept_word("EXISTS")) {
      n->op = Op::exists;
      return n;
    }
    if (accept("!=")) n->op = Op::ne;
    else if (accept("<=")) n->op = Op::le;
    else if (accept(">=")) n->op = Op::ge;
    else if (accept("=")) n->op = Op::eq;
    else if (accept("<")) n->op = Op::lt;
    else if (accept(">")) n->op = Op::gt;
    else fail();
    n->value = parse_value();
    if (!n->value.is_number && n->op != Op::eq && n->op != Op::ne) fail();
    return n;
  }
  std::vector<std::string> parse_selector() {
    skip();
    if (i_ >= s_.size() || s_[i_] != '$') fail();
    ++i_;
    std::vector<std::string> path;
    while (i_ < s_.size()) {
      if (s_[i_] == '.') {
        ++i_;
        size_t start = i_;
        while (i_ < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[i_])) || s_[i_] == '_' ||
                                  s_[i_] == '-' || s_[i_] == '*' || s_[i_] == '@' || s_[i_] == ':'))
          ++i_;
        if (i_ == start) fail();
        path.emplace_back(s_.substr(start, i_ - start));
      } else if (s_[i_] == '[') {
        size_t end = s_.find(']', i_);
        if (end == std::string_view::npos) fail();
        path.emplace_back(s_.substr(i_, end - i_ + 1));
        i_ = end + 1;
      } else {
        break;
      }
    }
    return path;
  }
  Value parse_value() {
    skip();
    Value v;
    if (i_ < s_.size() && s_[i_] == '"') {
      ++i_;
      while (i_ < s_.size() && s_[i_] != '"') {
        if (s_[i_] == '\\' && i_ + 1 < s_.size()) ++i_;
        v.text += s_[i_++];
      }
      expect('"');
      return v;
    }
    size_t start = i_;
    while (i_ < s_.size() && !std::isspace(static_cast<unsigned char>(s_[i_])) && s_[i_] != '}' && s_[i_] != ')' &&
           s_[i_] != '&' && s_[i_] != '|')
      ++i_;
    if (i_ == start) fail();
    v.text = std::string(s_.substr(start, i_ - start));
    if (auto d = parse_double(v.text)) {
      v.is_number = true;
      v.number = *d;
    }
    return v;
  }
  std::string_view s_;
  size_t i_ = 0;
};

// ---- Space-delimited --------------------------------------------------------------------------

struct Field {
  bool ellipsis = false;
  bool has_cond = false;
  Op op = Op::eq;
  Value value;
};

std::vector<std::string> split_fields(std::string_view m) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < m.size()) {
    while (i < m.size() && m[i] == ' ') ++i;
    if (i >= m.size()) break;
    if (m[i] == '"') {
      size_t end = m.find('"', i + 1);
      if (end == std::string_view::npos) end = m.size();
      out.emplace_back(m.substr(i + 1, end - i - 1));
      i = end + 1;
    } else if (m[i] == '[') {
      size_t end = m.find(']', i + 1);
      if (end == std::string_view::npos) end = m.size();
      out.emplace_back(m.substr(i + 1, end - i - 1));
      i = end + 1;
    } else {
      size_t end = m.find(' ', i);
      if (end == std::string_view::npos) end = m.size();
      out.emplace_back(m.substr(i, end - i));
      i = end;
    }
  }
  return out;
}

std::vector<Field> parse_fields(std::string_view s) {
  std::vector<Field> fields;
  for (auto part : split(s, ',')) {
    part = trim(part);
    Field f;
    if (part == "...") {
      f.ellipsis = true;
      fields.push_back(f);
      continue;
    }
    static constexpr std::pair<std::string_view, Op> kOps[] = {
        {"!=", Op::ne}, {"<=", Op::le}, {">=", Op::ge}, {"=", Op::eq}, {"<", Op::lt}, {">", Op::gt}};
    for (auto& [tok, op] : kOps) {
      auto p = part.find(tok);
      if (p == std::string_view::npos) continue;
      f.has_cond = true;
      f.op = op;
      std::string_view val = trim(part.substr(p + tok.size()));
      if (val.size() >= 2 && val.front() == '"' && val.back() == '"') {
        f.value.text = std::string(val.substr(1, val.size() - 2));
      } else {
        f.value.text = std::string(val);
        if (auto d = parse_double(val)) {
          f.value.is_number = true;
          f.value.number = *d;
        }
      }
      break;
    }
    fields.push_back(f);
  }
  return fields;
}

bool match_fields(const std::vector<Field>& fields, std::string_view message) {
  auto words = split_fields(message);
  size_t ell = fields.size();
  for (size_t i = 0; i < fields.size(); ++i)
    if (fields[i].ellipsis) ell = i;
  auto check = [&](const Field& f, const std::string& w) {
    if (!f.has_cond) return true;
    json::value got;
    if (f.value.is_number) {
      auto d = parse_double(w);
      if (!d) return false;
      got = *d;
    } else {
      got = json::string(w);
    }
    return compare(f.op, f.value, &got);
  };
  if (ell == fields.size()) {
    if (words.size() != fields.size()) return false;
    for (size_t i = 0; i < fields.size(); ++i)
      if (!check(fields[i], words[i])) return false;
    return true;
  }
  size_t before = ell, after = fields.size() - ell - 1;
  if (words.size() < before + after) return false;
  for (size_t i = 0; i < before; ++i)
    if (!check(fields[i], words[i])) return false;
  for (size_t i = 0; i < after; ++i)
    if (!check(fields[fields.size() - 1 - i], words[words.size() - 1 - i])) return false;
  return true;
}

}  // namespace

struct FilterPattern::Impl {
  enum Kind { terms, json_sel, fields, regex } kind = terms;
  std::vector<std::string> required, optional, excluded;
  JsonNodePtr json_root;
  std::vector<Field> field_list;
  boost::regex re;
};

FilterPattern::FilterPattern() = default;
FilterPattern::~FilterPattern() = default;
FilterPattern::FilterPattern(FilterPattern&&) noexcept = default;
FilterPattern& FilterPattern::operator=(FilterPattern&&) noexcept = default;

FilterPattern FilterPattern::parse(std::string_view pattern) {
  FilterPattern fp;
  std::string_view p = trim(pattern);
  if (p.empty() || p == "\"\"") return fp;
  auto impl = std::make_shared<Impl>();
  if (p.front() == '{') {
    impl->kind = Impl::json_sel;
    impl->json_root = JsonParser(p).parse();
  } else if (p.front() == '[') {
    if (p.back() != ']') throw std::invalid_argument("Invalid filter pattern");
    impl->kind = Impl::fields;
    impl->field_list = parse_fields(p.substr(1, p.size() - 2));
  } else if (p.size() >= 2 && p.front() == '%' && p.back() == '%') {
    impl->kind = Impl::regex;
    try {
      impl->re = boost::regex(std::string(p.substr(1, p.size() - 2)), boost::regex::ECMAScript);
    } catch (const boost::regex_error&) {
      throw std::invalid_argument("Invalid filter pattern");
    }
  } else {
    size_t i = 0;
    while (i < p.size()) {
      while (i < p.size() && std::isspace(static_cast<unsigned char>(p[i]))) ++i;
      if (i >= p.size()) break;
      char prefix = 0;
      if (p[i] == '?' || p[i] == '-') prefix = p[i++];
      std::string term;
      if (i < p.size() && p[i] == '"') {
        ++i;
        while (i < p.size() && p[i] != '"') {
          if (p[i] == '\\' && i + 1 < p.size()) ++i;
          term += p[i++];
        }
        if (i >= p.size()) throw std::invalid_argument("Invalid filter pattern");
        ++i;
      } else {
        while (i < p.size() && !std::isspace(static_cast<unsigned char>(p[i]))) term += p[i++];
      }
      if (term.empty()) continue;
      (prefix == '?' ? impl->optional : prefix == '-' ? impl->excluded : impl->required).push_back(std::move(term));
    }
    if (impl->required.empty() && impl->optional.empty() && impl->excluded.empty()) return fp;
  }
  fp.impl_ = std::move(impl);
  return fp;
}

bool FilterPattern::matches(std::string_view message) const {
  if (!impl_) return true;
  const Impl& im = *impl_;
  switch (im.kind) {
    case Impl::json_sel: {
      auto brace = message.find('{');
      if (brace == std::string_view::npos) return false;
      boost::system::error_code ec;
      json::value doc = json::parse(message.substr(brace), ec);
      if (ec) return false;
      return eval_json(*im.json_root, doc);
    }
    case Impl::fields: return match_fields(im.field_list, message);
    case Impl::regex:
      try {
        return boost::regex_search(message.begin(), message.end(), im.re);
      } catch (const std::exception&) {
        return false;  // too complex to decide within Boost.Regex's bound: no match
      }
    case Impl::terms: {
      for (auto& t : im.required)
        if (message.find(t) == std::string_view::npos) return false;
      for (auto& t : im.excluded)
        if (message.find(t) != std::string_view::npos) return false;
      if (im.optional.empty()) return true;
      for (auto& t : im.optional)
        if (message.find(t) != std::string_view::npos) return true;
      return false;
    }
  }
  return false;
}

}  // namespace stratus::logs
