// A small Velocity (1.7 semantics) interpreter for API Gateway mapping templates: parse into a
// tree, then evaluate over JSON values. Maps and lists render the way Java's toString does
// ({a=1, b=[x, y]}), as they do in API Gateway; null references render as empty text.
#include "vtl.hpp"

#include <stratus/crypto.hpp>
#include <stratus/strings.hpp>

#include <cmath>
#include <deque>
#include <memory>
#include <boost/regex.hpp>
#include <unordered_map>

namespace stratus::apigateway::vtl {

namespace {

constexpr size_t kMaxOutput = 10 << 20;
constexpr int64_t kMaxIterations = 100000;
constexpr int kMaxDepth = 100;

// ---------------------------------------------------------------- AST

struct Expr;
struct Node;
using ExprPtr = std::unique_ptr<Expr>;
using Nodes = std::vector<std::unique_ptr<Node>>;

struct Accessor {
  enum Kind { property, method, index } kind = property;
  std::string name;
  std::vector<ExprPtr> args;  // method arguments, or the index expression (args[0])
};

struct Ref {
  std::string head;
  std::vector<Accessor> chain;
  std::string text;  // as written (for error messages)
};

struct Expr {
  enum Kind { literal, interpolated, list, range, map, ref, unary, binary } kind = literal;
  json::value value;                       // literal
  std::shared_ptr<Nodes> parts;            // interpolated string
  std::vector<ExprPtr> items;              // list / range(2) / map (k, v, k, v ...)
  Ref reference;                           // ref
  std::string op;                          // unary / binary
  ExprPtr a, b;
};

struct Node {
  enum Kind { text, ref, set, if_, foreach, break_, stop } kind = text;
  std::string chars;                       // text
  Ref reference;                           // ref / set target / foreach variable (head)
  bool quiet = false;
  ExprPtr expr;                            // set value / foreach iterable
  std::vector<std::pair<ExprPtr, Nodes>> branches;  // if / elseif
  Nodes else_body;                         // else, or foreach body
};

// ---------------------------------------------------------------- parser

class Parser {
 public:
  explicit Parser(std::string_view s) : s_(s) {}

  Nodes parse_all() {
    Nodes out = parse_block({});
    if (pos_ < s_.size()) fail("unexpected #" + std::string(peek_word()));
    return out;
  }

 private:
  std::string_view s_;
  size_t pos_ = 0;
  int depth_ = 0;

  [[noreturn]] void fail(const std::string& why) const {
    // Line numbers help template authors.
    size_t line = 1 + static_cast<size_t>(std::count(s_.begin(), s_.begin() + static_cast<long>(std::min(pos_, s_.size())), '\n'));
    throw Error("Invalid mapping template: " + why + " at line " + std::to_string(line));
  }

  bool eof() const { return pos_ >= s_.size(); }
  char cur() const { return pos_ < s_.size() ? s_[pos_] : '\0'; }
  char at(size_t off) const { return pos_ + off < s_.size() ? s_[pos_ + off] : '\0'; }

  static bool ident_start(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
  static bool ident_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-'; }

  std::string_view peek_word() const {
    size_t p = pos_ + 1;
    if (p < s_.size() && s_[p] == '{') ++p;
    size_t e = p;
    while (e < s_.size() && std::isalpha(static_cast<unsigned char>(s_[e]))) ++e;
    return s_.substr(p, e - p);
  }

  // Directive name at '#' (handles #{name}); empty if not a directive.
  std::string directive_at(size_t p, size_t* after) const {
    if (p >= s_.size() || s_[p] != '#') return {};
    size_t q = p + 1;
    bool brace = q < s_.size() && s_[q] == '{';
    if (brace) ++q;
    size_t e = q;
    while (e < s_.size() && std::isalpha(static_cast<unsigned char>(s_[e]))) ++e;
    std::string name(s_.substr(q, e - q));
    static const char* kNames[] = {"set", "if", "elseif", "else", "end", "foreach", "break", "stop"};
    bool known = false;
    for (auto* n : kNames) known = known || name == n;
    if (!known) return {};
    if (brace) {
      if (e >= s_.size() || s_[e] != '}') return {};
      ++e;
    }
    if (after) *after = e;
    return name;
  }

  // Velocity "line gobbling": a line holding only whitespace and a directive loses its indentation
  // and newline.
  void trim_directive_line(Nodes& out, size_t directive_start) {
    size_t line_start = directive_start;
    while (line_start > 0 && (s_[line_start - 1] == ' ' || s_[line_start - 1] == '\t')) --line_start;
    bool at_line_start = line_start == 0 || s_[line_start - 1] == '\n';
    if (!at_line_start) return;
    size_t p = pos_;
    while (p < s_.size() && (s_[p] == ' ' || s_[p] == '\t')) ++p;
    if (p < s_.size() && s_[p] == '\r') ++p;
    if (p < s_.size() && s_[p] != '\n') return;
    // Remove the indentation already emitted, and the newline.
    if (!out.empty() && out.back()->kind == Node::text) {
      auto& t = out.back()->chars;
      size_t indent = directive_start - line_start;
      if (t.size() >= indent) t.erase(t.size() - indent);
    }
    pos_ = p < s_.size() ? p + 1 : p;
  }

  void add_text(Nodes& out, std::string_view t) {
    if (t.empty()) return;
    if (!out.empty() && out.back()->kind == Node::text) {
      out.back()->chars.append(t);
      return;
    }
    auto n = std::make_unique<Node>();
    n->kind = Node::text;
    n->chars = std::string(t);
    out.push_back(std::move(n));
  }

  // Parses until one of `stops` (directive names) or the end; leaves pos_ at the stopping '#'.
  Nodes parse_block(std::initializer_list<std::string_view> stops) {
    if (++depth_ > kMaxDepth) fail("template nested too deeply");
    Nodes out;
    while (!eof()) {
      char c = cur();
      if (c == '\\' && (at(1) == '$' || at(1) == '#')) {
        add_text(out, s_.substr(pos_ + 1, 1));
        pos_ += 2;
        continue;
      }
      if (c == '#' && at(1) == '#') {  // line comment (the newline goes too)
        size_t start = pos_;
        size_t e = s_.find('\n', pos_);
        pos_ = e == std::string_view::npos ? s_.size() : e;
        bool line_only = true;
        for (size_t p = start; p > 0 && s_[p - 1] != '\n'; --p) line_only = line_only && (s_[p - 1] == ' ' || s_[p - 1] == '\t');
        if (line_only && pos_ < s_.size()) {
          ++pos_;
          if (!out.empty() && out.back()->kind == Node::text) {
            auto& t = out.back()->chars;
            while (!t.empty() && (t.back() == ' ' || t.back() == '\t')) t.pop_back();
          }
        }
        continue;
      }
      if (c == '#' && at(1) == '*') {
        size_t e = s_.find("*#", pos_ + 2);
        if (e == std::string_view::npos) fail("unterminated #* comment");
        pos_ = e + 2;
        continue;
      }
      if (c == '#') {
        size_t after = 0;
        std::string d = directive_at(pos_, &after);
        if (!d.empty()) {
          for (auto st : stops)
            if (d == st) {
              --depth_;
              return out;
            }
          size_t start = pos_;
          pos_ = after;
          parse_directive(out, d, start);
          continue;
        }
        add_text(out, "#");
        ++pos_;
        continue;
      }
      if (c == '$') {
        size_t save = pos_;
        if (auto n = try_reference()) {
          out.push_back(std::move(n));
          continue;
        }
        pos_ = save + 1;
        add_text(out, "$");
        continue;
      }
      size_t e = pos_;
      while (e < s_.size() && s_[e] != '$' && s_[e] != '#' && s_[e] != '\\') ++e;
      if (e == pos_) ++e;
      add_text(out, s_.substr(pos_, e - pos_));
      pos_ = e;
    }
    --depth_;
    return out;
  }

  void expect_end(std::string_view what) {
    size_t after = 0;
    if (directive_at(pos_, &after) != "end") fail("missing #end for #" + std::string(what));
    size_t start = pos_;
    pos_ = after;
    Nodes dummy;
    trim_directive_line(dummy, start);
  }

  void skip_ws() {
    while (!eof() && std::isspace(static_cast<unsigned char>(cur()))) ++pos_;
  }

  void expect(char c) {
    skip_ws();
    if (cur() != c) fail(std::string("expected '") + c + "'");
    ++pos_;
  }

  void parse_directive(Nodes& out, const std::string& d, size_t start) {
    auto n = std::make_unique<Node>();
    if (d == "set") {
      n->kind = Node::set;
      expect('(');
      skip_ws();
      if (cur() != '$') fail("#set needs a reference");
      ++pos_;
      if (cur() == '{') ++pos_;
      n->reference = parse_ref_body(false);
      if (cur() == '}') ++pos_;
      expect('=');
      n->expr = parse_expr();
      expect(')');
      out.push_back(std::move(n));
      trim_directive_line(out, start);
      return;
    }
    if (d == "if") {
      n->kind = Node::if_;
      expect('(');
      ExprPtr cond = parse_expr();
      expect(')');
      trim_directive_line(out, start);
      for (;;) {
        Nodes body = parse_block({"elseif", "else", "end"});
        n->branches.emplace_back(std::move(cond), std::move(body));
        size_t after = 0;
        std::string next = directive_at(pos_, &after);
        size_t dstart = pos_;
        if (next == "elseif") {
          pos_ = after;
          expect('(');
          cond = parse_expr();
          expect(')');
          Nodes dummy;
          trim_directive_line(dummy, dstart);
          continue;
        }
        if (next == "else") {
          pos_ = after;
          Nodes dummy;
          trim_directive_line(dummy, dstart);
          n->else_body = parse_block({"end"});
        }
        expect_end("if");
        break;
      }
      out.push_back(std::move(n));
      return;
    }
    if (d == "foreach") {
      n->kind = Node::foreach;
      expect('(');
      skip_ws();
      if (cur() != '$') fail("#foreach needs a loop variable");
      ++pos_;
      if (cur() == '{') ++pos_;
      n->reference = parse_ref_body(false);
      if (cur() == '}') ++pos_;
      skip_ws();
      if (s_.substr(pos_, 2) != "in") fail("#foreach needs 'in'");
      pos_ += 2;
      n->expr = parse_expr();
      expect(')');
      trim_directive_line(out, start);
      n->else_body = parse_block({"end"});
      expect_end("foreach");
      out.push_back(std::move(n));
      return;
    }
    if (d == "break" || d == "stop") {
      n->kind = d == "break" ? Node::break_ : Node::stop;
      out.push_back(std::move(n));
      trim_directive_line(out, start);
      return;
    }
    fail("unexpected #" + d);
  }

  // At '$': $x, $!x, ${x}, $!{x}. Returns null when this is not a reference.
  std::unique_ptr<Node> try_reference() {
    size_t start = pos_;
    ++pos_;
    bool quiet = false;
    if (cur() == '!') {
      quiet = true;
      ++pos_;
    }
    bool brace = false;
    if (cur() == '{') {
      brace = true;
      ++pos_;
    }
    if (!ident_start(cur())) return nullptr;
    auto n = std::make_unique<Node>();
    n->kind = Node::ref;
    n->quiet = quiet;
    n->reference = parse_ref_body(brace);
    if (brace) {
      if (cur() != '}') return nullptr;
      ++pos_;
    }
    n->reference.text = std::string(s_.substr(start, pos_ - start));
    return n;
  }

  // Identifier and accessor chain. Outside braces, a '.' only continues the chain when an
  // identifier follows (so "$x." in text keeps its dot).
  Ref parse_ref_body(bool brace) {
    Ref r;
    size_t e = pos_;
    while (e < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[e])) || s_[e] == '_')) ++e;
    r.head = std::string(s_.substr(pos_, e - pos_));
    pos_ = e;
    for (;;) {
      if (cur() == '.' && ident_start(at(1))) {
        ++pos_;
        size_t b = pos_;
        while (!eof() && (std::isalnum(static_cast<unsigned char>(cur())) || cur() == '_')) ++pos_;
        Accessor a;
        a.name = std::string(s_.substr(b, pos_ - b));
        if (cur() == '(') {
          ++pos_;
          a.kind = Accessor::method;
          skip_ws();
          if (cur() != ')') {
            for (;;) {
              a.args.push_back(parse_expr());
              skip_ws();
              if (cur() == ',') {
                ++pos_;
                continue;
              }
              break;
            }
          }
          expect(')');
        }
        r.chain.push_back(std::move(a));
        continue;
      }
      if (cur() == '[') {
        size_t save = pos_;
        ++pos_;
        try {
          Accessor a;
          a.kind = Accessor::index;
          a.args.push_back(parse_expr());
          expect(']');
          r.chain.push_back(std::move(a));
          continue;
        } catch (const Error&) {
          pos_ = save;
        }
      }
      break;
    }
    (void)brace;
    return r;
  }

  // --- expressions ---

  ExprPtr parse_expr() { return parse_or(); }

  bool word(std::string_view w) {
    skip_ws();
    if (s_.substr(pos_, w.size()) == w && !ident_char(at(w.size()))) {
      pos_ += w.size();
      return true;
    }
    return false;
  }

  bool sym(std::string_view w) {
    skip_ws();
    if (s_.substr(pos_, w.size()) == w) {
      pos_ += w.size();
      return true;
    }
    return false;
  }

  ExprPtr binary(std::string op, ExprPtr a, ExprPtr b) {
    auto e = std::make_unique<Expr>();
    e->kind = Expr::binary;
    e->op = std::move(op);
    e->a = std::move(a);
    e->b = std::move(b);
    return e;
  }

  ExprPtr parse_or() {
    auto l = parse_and();
    while (sym("||") || word("or")) l = binary("||", std::move(l), parse_and());
    return l;
  }
  ExprPtr parse_and() {
    auto l = parse_cmp();
    while (sym("&&") || word("and")) l = binary("&&", std::move(l), parse_cmp());
    return l;
  }
  ExprPtr parse_cmp() {
    auto l = parse_add();
    for (;;) {
      if (sym("==") || word("eq")) l = binary("==", std::move(l), parse_add());
      else if (sym("!=") || word("ne")) l = binary("!=", std::move(l), parse_add());
      else if (sym("<=") || word("le")) l = binary("<=", std::move(l), parse_add());
      else if (sym(">=") || word("ge")) l = binary(">=", std::move(l), parse_add());
      else if (sym("<") || word("lt")) l = binary("<", std::move(l), parse_add());
      else if (sym(">") || word("gt")) l = binary(">", std::move(l), parse_add());
      else return l;
    }
  }
  ExprPtr parse_add() {
    auto l = parse_mul();
    for (;;) {
      skip_ws();
      if (cur() == '+') {
        ++pos_;
        l = binary("+", std::move(l), parse_mul());
      } else if (cur() == '-' && !std::isdigit(static_cast<unsigned char>(at(1)))) {
        ++pos_;
        l = binary("-", std::move(l), parse_mul());
      } else if (cur() == '-' && at(1) != '\0') {
        ++pos_;
        l = binary("-", std::move(l), parse_mul());
      } else {
        return l;
      }
    }
  }
  ExprPtr parse_mul() {
    auto l = parse_unary();
    for (;;) {
      skip_ws();
      if (cur() == '*' || cur() == '/' || cur() == '%') {
        std::string op(1, cur());
        ++pos_;
        l = binary(op, std::move(l), parse_unary());
      } else {
        return l;
      }
    }
  }
  ExprPtr parse_unary() {
    skip_ws();
    if (cur() == '!' || word("not")) {
      if (cur() == '!') ++pos_;
      auto e = std::make_unique<Expr>();
      e->kind = Expr::unary;
      e->op = "!";
      e->a = parse_unary();
      return e;
    }
    if (cur() == '-' && !std::isdigit(static_cast<unsigned char>(at(1)))) {
      ++pos_;
      auto e = std::make_unique<Expr>();
      e->kind = Expr::unary;
      e->op = "-";
      e->a = parse_unary();
      return e;
    }
    return parse_primary();
  }

  ExprPtr literal(json::value v) {
    auto e = std::make_unique<Expr>();
    e->kind = Expr::literal;
    e->value = std::move(v);
    return e;
  }

  ExprPtr parse_primary() {
    skip_ws();
    if (eof()) fail("unexpected end of template in expression");
    char c = cur();
    if (c == '(') {
      ++pos_;
      auto e = parse_expr();
      expect(')');
      return e;
    }
    if (c == '\'') {
      size_t e = s_.find('\'', pos_ + 1);
      if (e == std::string_view::npos) fail("unterminated string");
      auto v = literal(json::string(s_.substr(pos_ + 1, e - pos_ - 1)));
      pos_ = e + 1;
      return v;
    }
    if (c == '"') {
      // Double-quoted strings interpolate references.
      size_t p = pos_ + 1;
      while (p < s_.size() && s_[p] != '"') {
        if (s_[p] == '\\' && p + 1 < s_.size()) ++p;
        ++p;
      }
      if (p >= s_.size()) fail("unterminated string");
      std::string raw(s_.substr(pos_ + 1, p - pos_ - 1));
      pos_ = p + 1;
      // \" inside a double-quoted string is a quote.
      std::string body;
      for (size_t i = 0; i < raw.size(); ++i) {
        if (raw[i] == '\\' && i + 1 < raw.size() && raw[i + 1] == '"') continue;
        body += raw[i];
      }
      if (body.find('$') == std::string::npos && body.find('#') == std::string::npos) return literal(json::string(body));
      auto e = std::make_unique<Expr>();
      e->kind = Expr::interpolated;
      Parser inner(body);
      e->parts = std::make_shared<Nodes>(inner.parse_all());
      return e;
    }
    if (c == '[') {
      ++pos_;
      auto e = std::make_unique<Expr>();
      e->kind = Expr::list;
      skip_ws();
      if (cur() == ']') {
        ++pos_;
        return e;
      }
      auto first = parse_expr();
      if (sym("..")) {
        e->kind = Expr::range;
        e->items.push_back(std::move(first));
        e->items.push_back(parse_expr());
        expect(']');
        return e;
      }
      e->items.push_back(std::move(first));
      while (sym(",")) e->items.push_back(parse_expr());
      expect(']');
      return e;
    }
    if (c == '{') {
      ++pos_;
      auto e = std::make_unique<Expr>();
      e->kind = Expr::map;
      skip_ws();
      if (cur() == '}') {
        ++pos_;
        return e;
      }
      for (;;) {
        e->items.push_back(parse_expr());
        expect(':');
        e->items.push_back(parse_expr());
        if (!sym(",")) break;
      }
      expect('}');
      return e;
    }
    if (c == '$') {
      ++pos_;
      if (cur() == '!') ++pos_;
      bool brace = cur() == '{';
      if (brace) ++pos_;
      if (!ident_start(cur())) fail("invalid reference");
      size_t start = pos_ - 1;
      auto e = std::make_unique<Expr>();
      e->kind = Expr::ref;
      e->reference = parse_ref_body(brace);
      if (brace) expect('}');
      e->reference.text = std::string(s_.substr(start, pos_ - start));
      return e;
    }
    if (std::isdigit(static_cast<unsigned char>(c)) || (c == '-' && std::isdigit(static_cast<unsigned char>(at(1))))) {
      size_t e = pos_ + 1;
      bool real = false;
      while (e < s_.size() && (std::isdigit(static_cast<unsigned char>(s_[e])) ||
                               (s_[e] == '.' && e + 1 < s_.size() && std::isdigit(static_cast<unsigned char>(s_[e + 1]))))) {
        real = real || s_[e] == '.';
        ++e;
      }
      std::string_view num = s_.substr(pos_, e - pos_);
      pos_ = e;
      if (real) return literal(parse_double(num).value_or(0.0));
      return literal(parse_int(num).value_or(0));
    }
    if (word("true")) return literal(true);
    if (word("false")) return literal(false);
    if (word("null")) return literal(nullptr);
    fail(std::string("unexpected character '") + c + "' in expression");
  }
};

// ---------------------------------------------------------------- evaluation

struct Stop {};
struct Break {};

std::string java_string(const json::value& v);

std::string java_number(const json::value& v) {
  if (v.is_double()) {
    double d = v.get_double();
    if (std::isfinite(d) && std::floor(d) == d && std::fabs(d) < 1e15) {
      char buf[64];
      std::snprintf(buf, sizeof buf, "%.1f", d);
      return buf;
    }
    return json::serialize(v);
  }
  return json::serialize(v);
}

// Java's toString: {a=1, b=x} for maps, [1, 2] for lists.
std::string java_string(const json::value& v) {
  switch (v.kind()) {
    case json::kind::string: return std::string(v.get_string());
    case json::kind::null: return "";
    case json::kind::bool_: return v.get_bool() ? "true" : "false";
    case json::kind::object: {
      std::string out = "{";
      bool first = true;
      for (auto& [k, x] : v.get_object()) {
        if (!first) out += ", ";
        first = false;
        out += std::string(k) + "=" + (x.is_null() ? "null" : java_string(x));
      }
      return out + "}";
    }
    case json::kind::array: {
      std::string out = "[";
      bool first = true;
      for (auto& x : v.get_array()) {
        if (!first) out += ", ";
        first = false;
        out += x.is_null() ? "null" : java_string(x);
      }
      return out + "]";
    }
    default: return java_number(v);
  }
}

bool truthy(const json::value& v) {
  if (v.is_null()) return false;
  if (v.is_bool()) return v.get_bool();
  return true;
}

std::optional<double> as_number(const json::value& v) {
  if (v.is_number()) return v.to_number<double>();
  if (v.is_string()) return parse_double(v.get_string());
  return std::nullopt;
}

bool both_int(const json::value& a, const json::value& b) {
  return (a.is_int64() || a.is_uint64()) && (b.is_int64() || b.is_uint64());
}

int64_t as_int(const json::value& v) {
  if (v.is_int64()) return v.get_int64();
  if (v.is_uint64()) return static_cast<int64_t>(v.get_uint64());
  if (v.is_double()) return static_cast<int64_t>(v.get_double());
  if (v.is_string()) return parse_int(v.get_string()).value_or(0);
  return 0;
}

bool equal(const json::value& a, const json::value& b) {
  if (a.is_null() || b.is_null()) return a.is_null() && b.is_null();
  if (a.is_number() && b.is_number()) return a.to_number<double>() == b.to_number<double>();
  if (a.kind() == b.kind()) return a == b;
  return java_string(a) == java_string(b);
}

class Evaluator {
 public:
  explicit Evaluator(const Variables& vars) : vars_(vars) {
    if (vars.input) {
      boost::system::error_code ec;
      body_json_ = json::parse(vars.input->body.empty() ? std::string_view("{}") : std::string_view(vars.input->body), ec);
      body_is_json_ = !ec;
      if (ec) body_json_ = nullptr;
    }
    for (auto& [k, v] : vars.extra) locals_[std::string(k)] = v;
  }

  void run(const Nodes& nodes, std::string& out) {
    try {
      render(nodes, out);
    } catch (const Stop&) {
    }
  }

 private:
  const Variables& vars_;
  json::value body_json_;
  bool body_is_json_ = false;
  std::unordered_map<std::string, json::value> locals_;
  std::deque<json::value> temps_;
  int64_t iterations_ = 0;

  void render(const Nodes& nodes, std::string& out) {
    for (auto& n : nodes) {
      switch (n->kind) {
        case Node::text: out += n->chars; break;
        case Node::ref: {
          json::value v = eval_ref(n->reference);
          if (v.is_null()) {
            // Undefined references render as text in Velocity, quiet ones as nothing; API Gateway
            // renders null values as empty, which is what templates rely on.
            break;
          }
          out += java_string(v);
          break;
        }
        case Node::set: assign(n->reference, eval(*n->expr)); break;
        case Node::if_: {
          bool done = false;
          for (auto& [cond, body] : n->branches)
            if (truthy(eval(*cond))) {
              render(body, out);
              done = true;
              break;
            }
          if (!done) render(n->else_body, out);
          break;
        }
        case Node::foreach: {
          json::value coll = eval(*n->expr);
          std::vector<json::value> items;
          if (coll.is_array())
            for (auto& x : coll.get_array()) items.push_back(x);
          else if (coll.is_object())
            for (auto& [k, x] : coll.get_object()) items.push_back(x);
          else if (!coll.is_null())
            items.push_back(coll);
          const std::string& var = n->reference.head;
          json::value saved_var = locals_.count(var) ? locals_[var] : json::value();
          json::value saved_foreach = locals_.count("foreach") ? locals_["foreach"] : json::value();
          json::value saved_count = locals_.count("velocityCount") ? locals_["velocityCount"] : json::value();
          try {
            for (size_t i = 0; i < items.size(); ++i) {
              if (++iterations_ > kMaxIterations) throw Error("Mapping template exceeded the loop iteration limit");
              locals_[var] = items[i];
              locals_["foreach"] = json::object{{"hasNext", i + 1 < items.size()}, {"index", static_cast<int64_t>(i)},
                                                {"count", static_cast<int64_t>(i + 1)}, {"first", i == 0},
                                                {"last", i + 1 == items.size()}};
              locals_["velocityCount"] = static_cast<int64_t>(i + 1);
              try {
                render(n->else_body, out);
              } catch (const Break&) {
                break;
              }
              if (out.size() > kMaxOutput) throw Error("Mapping template output too large");
            }
          } catch (...) {
            locals_[var] = saved_var;
            throw;
          }
          locals_[var] = saved_var;
          locals_["foreach"] = saved_foreach;
          locals_["velocityCount"] = saved_count;
          break;
        }
        case Node::break_: throw Break{};
        case Node::stop: throw Stop{};
      }
      if (out.size() > kMaxOutput) throw Error("Mapping template output too large");
    }
  }

  json::value eval(const Expr& e) {
    switch (e.kind) {
      case Expr::literal: return e.value;
      case Expr::interpolated: {
        std::string s;
        render(*e.parts, s);
        return json::string(s);
      }
      case Expr::list: {
        json::array a;
        for (auto& x : e.items) a.push_back(eval(*x));
        return a;
      }
      case Expr::range: {
        int64_t from = as_int(eval(*e.items[0])), to = as_int(eval(*e.items[1]));
        json::array a;
        if (std::llabs(to - from) > kMaxIterations) throw Error("Range too large");
        for (int64_t i = from; from <= to ? i <= to : i >= to; i += from <= to ? 1 : -1) a.push_back(i);
        return a;
      }
      case Expr::map: {
        json::object o;
        for (size_t i = 0; i + 1 < e.items.size(); i += 2) o[java_string(eval(*e.items[i]))] = eval(*e.items[i + 1]);
        return o;
      }
      case Expr::ref: return eval_ref(e.reference);
      case Expr::unary: {
        json::value v = eval(*e.a);
        if (e.op == "!") return !truthy(v);
        if (v.is_int64()) return -v.get_int64();
        return -as_number(v).value_or(0);
      }
      case Expr::binary: return binary(e);
    }
    return nullptr;
  }

  json::value binary(const Expr& e) {
    if (e.op == "&&") return truthy(eval(*e.a)) && truthy(eval(*e.b));
    if (e.op == "||") return truthy(eval(*e.a)) || truthy(eval(*e.b));
    json::value a = eval(*e.a), b = eval(*e.b);
    if (e.op == "==") return equal(a, b);
    if (e.op == "!=") return !equal(a, b);
    if (e.op == "+" && (a.is_string() || b.is_string())) return json::string(java_string(a) + java_string(b));
    if (e.op == "<" || e.op == "<=" || e.op == ">" || e.op == ">=") {
      int c;
      auto x = as_number(a), y = as_number(b);
      if (x && y) c = *x < *y ? -1 : *x > *y ? 1 : 0;
      else {
        std::string sa = java_string(a), sb = java_string(b);
        c = sa < sb ? -1 : sa > sb ? 1 : 0;
      }
      if (e.op == "<") return c < 0;
      if (e.op == "<=") return c <= 0;
      if (e.op == ">") return c > 0;
      return c >= 0;
    }
    if (both_int(a, b)) {
      int64_t x = as_int(a), y = as_int(b);
      if (e.op == "+") return x + y;
      if (e.op == "-") return x - y;
      if (e.op == "*") return x * y;
      if (e.op == "/") return y == 0 ? json::value(nullptr) : json::value(x / y);
      if (e.op == "%") return y == 0 ? json::value(nullptr) : json::value(x % y);
    }
    auto x = as_number(a), y = as_number(b);
    if (!x || !y) return nullptr;
    if (e.op == "+") return *x + *y;
    if (e.op == "-") return *x - *y;
    if (e.op == "*") return *x * *y;
    if (e.op == "/") return *y == 0 ? json::value(nullptr) : json::value(*x / *y);
    if (e.op == "%") return *y == 0 ? json::value(nullptr) : json::value(std::fmod(*x, *y));
    return nullptr;
  }

  // --- references ---

  json::value* temp(json::value v) {
    temps_.push_back(std::move(v));
    if (temps_.size() > 10000) temps_.pop_front();
    return &temps_.back();
  }

  json::value input_params(const std::vector<json::value>& args) const {
    const Input* in = vars_.input;
    auto to_map = [](const Pairs& p) {
      json::object o;
      for (auto& [k, v] : p) o[k] = v;
      return o;
    };
    if (args.empty()) {
      json::object all;
      all["path"] = in ? to_map(in->path) : json::object{};
      all["querystring"] = in ? to_map(in->query) : json::object{};
      all["header"] = in ? to_map(in->header) : json::object{};
      return all;
    }
    std::string name = java_string(args[0]);
    if (!in) return json::string("");
    for (auto* list : {&in->path, &in->query})
      for (auto it = list->rbegin(); it != list->rend(); ++it)
        if (it->first == name) return json::string(it->second);
    for (auto it = in->header.rbegin(); it != in->header.rend(); ++it)
      if (iequals(it->first, name)) return json::string(it->second);
    return json::string("");
  }

  json::value call_input(const Accessor& a) {
    std::vector<json::value> args;
    for (auto& x : a.args) args.push_back(eval(*x));
    if (a.kind == Accessor::property) {
      if (a.name == "body") return json::string(vars_.input ? vars_.input->body : "");
      if (a.name == "params") return input_params({});
      return nullptr;
    }
    if (a.name == "params") return input_params(args);
    if (a.name == "path") {
      std::string path = args.empty() ? "$" : java_string(args[0]);
      if (!body_is_json_) return path == "$" ? json::value(json::string(vars_.input ? vars_.input->body : "")) : json::value(nullptr);
      return json_path(body_json_, path);
    }
    if (a.name == "json") {
      std::string path = args.empty() ? "$" : java_string(args[0]);
      if (!body_is_json_) return json::string(path == "$" && vars_.input ? vars_.input->body : "null");
      return json::string(json::serialize(json_path(body_json_, path)));
    }
    throw Error("Unknown method $input." + a.name);
  }

  json::value call_util(const Accessor& a) {
    std::vector<json::value> args;
    for (auto& x : a.args) args.push_back(eval(*x));
    std::string arg = args.empty() ? "" : java_string(args[0]);
    if (a.name == "escapeJavaScript") return json::string(escape_javascript(arg));
    if (a.name == "parseJson") {
      boost::system::error_code ec;
      auto v = json::parse(arg, ec);
      if (ec) throw Error("Invalid JSON in $util.parseJson");
      return v;
    }
    if (a.name == "urlEncode") {
      std::string out;
      for (unsigned char c : arg) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '*') out += static_cast<char>(c);
        else if (c == ' ') out += '+';
        else {
          char buf[4];
          std::snprintf(buf, sizeof buf, "%%%02X", c);
          out += buf;
        }
      }
      return json::string(out);
    }
    if (a.name == "urlDecode") return json::string(url_decode(arg, true));
    if (a.name == "base64Encode") return json::string(crypto::base64(arg));
    if (a.name == "base64Decode") {
      auto raw = crypto::base64_decode(arg);
      return json::string(raw ? *raw : "");
    }
    throw Error("Unknown method $util." + a.name);
  }

  // Methods of values (Java String / List / Map).
  json::value call_method(json::value* target, const Accessor& a) {
    std::vector<json::value> args;
    for (auto& x : a.args) args.push_back(eval(*x));
    const std::string& m = a.name;
    json::value& v = *target;
    auto arg_s = [&](size_t i) { return i < args.size() ? java_string(args[i]) : std::string(); };
    if (m == "toString") return json::string(java_string(v));
    if (m == "equals") return !args.empty() && equal(v, args[0]);
    if (v.is_string()) {
      std::string s(v.get_string());
      if (m == "length" || m == "size") return static_cast<int64_t>(s.size());
      if (m == "isEmpty") return s.empty();
      if (m == "toLowerCase") return json::string(to_lower(s));
      if (m == "toUpperCase") {
        for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        return json::string(s);
      }
      if (m == "trim") return json::string(trim(s));
      if (m == "contains") return s.find(arg_s(0)) != std::string::npos;
      if (m == "startsWith") return s.starts_with(arg_s(0));
      if (m == "endsWith") return s.ends_with(arg_s(0));
      if (m == "indexOf") {
        auto p = s.find(arg_s(0));
        return p == std::string::npos ? int64_t{-1} : static_cast<int64_t>(p);
      }
      if (m == "lastIndexOf") {
        auto p = s.rfind(arg_s(0));
        return p == std::string::npos ? int64_t{-1} : static_cast<int64_t>(p);
      }
      if (m == "charAt") {
        int64_t i = args.empty() ? 0 : as_int(args[0]);
        return i >= 0 && i < static_cast<int64_t>(s.size()) ? json::value(json::string(s.substr(static_cast<size_t>(i), 1))) : json::value(nullptr);
      }
      if (m == "substring") {
        int64_t b = args.empty() ? 0 : as_int(args[0]);
        int64_t e = args.size() > 1 ? as_int(args[1]) : static_cast<int64_t>(s.size());
        b = std::clamp<int64_t>(b, 0, static_cast<int64_t>(s.size()));
        e = std::clamp<int64_t>(e, b, static_cast<int64_t>(s.size()));
        return json::string(s.substr(static_cast<size_t>(b), static_cast<size_t>(e - b)));
      }
      if (m == "replace") {
        std::string from = arg_s(0), to = arg_s(1);
        if (from.empty()) return json::string(s);
        std::string out;
        size_t i = 0;
        for (size_t p; (p = s.find(from, i)) != std::string::npos; i = p + from.size()) out += s.substr(i, p - i) + to;
        return json::string(out + s.substr(i));
      }
      if (m == "replaceAll" || m == "replaceFirst" || m == "matches" || m == "split") {
        try {
          boost::regex re(arg_s(0));
          if (m == "matches") return boost::regex_match(s, re);
          if (m == "replaceAll") return json::string(boost::regex_replace(s, re, arg_s(1)));
          if (m == "replaceFirst") return json::string(boost::regex_replace(s, re, arg_s(1), boost::regex_constants::format_first_only));
          json::array parts;
          boost::sregex_token_iterator it(s.begin(), s.end(), re, -1), end;
          for (; it != end; ++it) parts.push_back(json::string(it->str()));
          while (!parts.empty() && parts.back().get_string().empty()) parts.pop_back();
          return parts;
        } catch (const boost::regex_error&) {
          throw Error("Invalid regular expression in ." + m + "()");
        }
      }
      if (m == "concat") return json::string(s + arg_s(0));
    }
    if (v.is_array()) {
      auto& arr = v.as_array();
      if (m == "size") return static_cast<int64_t>(arr.size());
      if (m == "isEmpty") return arr.empty();
      if (m == "get") {
        int64_t i = args.empty() ? 0 : as_int(args[0]);
        return i >= 0 && i < static_cast<int64_t>(arr.size()) ? arr[static_cast<size_t>(i)] : json::value(nullptr);
      }
      if (m == "contains") {
        for (auto& x : arr)
          if (!args.empty() && equal(x, args[0])) return true;
        return false;
      }
      if (m == "add") {
        if (args.size() == 2) {
          int64_t i = std::clamp<int64_t>(as_int(args[0]), 0, static_cast<int64_t>(arr.size()));
          arr.insert(arr.begin() + i, args[1]);
        } else if (!args.empty()) {
          arr.push_back(args[0]);
        }
        return true;
      }
      if (m == "addAll" && !args.empty() && args[0].is_array()) {
        for (auto& x : args[0].get_array()) arr.push_back(x);
        return true;
      }
      if (m == "remove" && !args.empty()) {
        int64_t i = as_int(args[0]);
        if (i >= 0 && i < static_cast<int64_t>(arr.size())) {
          json::value old = arr[static_cast<size_t>(i)];
          arr.erase(arr.begin() + i);
          return old;
        }
        return nullptr;
      }
      if (m == "indexOf") {
        for (size_t i = 0; i < arr.size(); ++i)
          if (!args.empty() && equal(arr[i], args[0])) return static_cast<int64_t>(i);
        return int64_t{-1};
      }
    }
    if (v.is_object()) {
      auto& o = v.as_object();
      if (m == "size") return static_cast<int64_t>(o.size());
      if (m == "isEmpty") return o.empty();
      if (m == "get") {
        auto* x = o.if_contains(arg_s(0));
        return x ? *x : json::value(nullptr);
      }
      if (m == "containsKey") return o.contains(arg_s(0));
      if (m == "put") {
        json::value old = o.contains(arg_s(0)) ? o.at(arg_s(0)) : json::value(nullptr);
        o[arg_s(0)] = args.size() > 1 ? args[1] : json::value(nullptr);
        return old;
      }
      if (m == "putAll" && !args.empty() && args[0].is_object()) {
        for (auto& [k, x] : args[0].get_object()) o[k] = x;
        return nullptr;
      }
      if (m == "remove") {
        json::value old = o.contains(arg_s(0)) ? o.at(arg_s(0)) : json::value(nullptr);
        o.erase(arg_s(0));
        return old;
      }
      if (m == "keySet") {
        json::array keys;
        for (auto& [k, _] : o) keys.push_back(json::string(k));
        return keys;
      }
      if (m == "values") {
        json::array vals;
        for (auto& [_, x] : o) vals.push_back(x);
        return vals;
      }
      if (m == "entrySet") {
        json::array entries;
        for (auto& [k, x] : o) entries.push_back(json::object{{"key", json::string(k)}, {"value", x}});
        return entries;
      }
    }
    if (v.is_number()) {
      if (m == "intValue" || m == "longValue") return as_int(v);
      if (m == "doubleValue" || m == "floatValue") return v.to_number<double>();
    }
    if (v.is_null()) return nullptr;
    throw Error("Unknown method ." + m + "() on " + std::string(json::to_string(v.kind())));
  }

  // Walks a reference, returning a pointer to the value (in locals or a temporary).
  json::value* walk(const Ref& r, bool create) {
    json::value* cur = nullptr;
    size_t i = 0;
    if (r.head == "input" && !r.chain.empty()) {
      cur = temp(call_input(r.chain[0]));
      i = 1;
    } else if (r.head == "util" && !r.chain.empty()) {
      if (r.chain[0].kind != Accessor::method) return temp(nullptr);
      cur = temp(call_util(r.chain[0]));
      i = 1;
    } else if (auto it = locals_.find(r.head); it != locals_.end()) {
      cur = &it->second;
    } else if (r.head == "context") {
      cur = temp(vars_.context);
    } else if (r.head == "stageVariables") {
      cur = temp(vars_.stage_variables);
    } else if (create) {
      cur = &locals_[r.head];
    } else {
      return nullptr;
    }
    for (; i < r.chain.size(); ++i) {
      const Accessor& a = r.chain[i];
      if (a.kind == Accessor::method) {
        cur = temp(call_method(cur, a));
        continue;
      }
      json::value key = a.kind == Accessor::index ? eval(*a.args[0]) : json::value(json::string(a.name));
      if (cur->is_object()) {
        std::string k = java_string(key);
        auto* x = cur->as_object().if_contains(k);
        if (!x) {
          if (!create) return nullptr;
          x = &cur->as_object()[k];
        }
        cur = x;
      } else if (cur->is_array() && (key.is_number() || key.is_string())) {
        int64_t idx = as_int(key);
        auto& arr = cur->as_array();
        if (idx < 0) idx += static_cast<int64_t>(arr.size());
        if (idx < 0 || idx >= static_cast<int64_t>(arr.size())) return nullptr;
        cur = &arr[static_cast<size_t>(idx)];
      } else if (create && cur->is_null()) {
        *cur = json::object();
        cur = &cur->as_object()[java_string(key)];
      } else {
        return nullptr;
      }
    }
    return cur;
  }

  json::value eval_ref(const Ref& r) {
    json::value* v = walk(r, false);
    return v ? *v : json::value(nullptr);
  }

  void assign(const Ref& r, json::value v) {
    if (r.chain.empty()) {
      locals_[r.head] = std::move(v);
      return;
    }
    if (json::value* slot = walk(r, true)) *slot = std::move(v);
  }
};

}  // namespace

std::string escape_javascript(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\'': out += "\\'"; break;
      case '\\': out += "\\\\"; break;
      case '/': out += "\\/"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04X", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out;
}

json::value json_path(const json::value& doc, std::string_view path) {
  path = trim(path);
  if (path.empty() || path.front() != '$') return nullptr;
  std::vector<json::value> current{doc};
  bool multi = false;
  size_t i = 1;
  auto step_name = [&](const std::string& name, bool deep) {
    std::vector<json::value> next;
    std::function<void(const json::value&)> collect = [&](const json::value& v) {
      if (v.is_object()) {
        if (name == "*") {
          for (auto& [k, x] : v.get_object()) next.push_back(x);
        } else if (auto* x = v.get_object().if_contains(name)) {
          next.push_back(*x);
        }
        if (deep)
          for (auto& [k, x] : v.get_object()) collect(x);
      } else if (v.is_array()) {
        if (name == "*")
          for (auto& x : v.get_array()) next.push_back(x);
        if (deep)
          for (auto& x : v.get_array()) collect(x);
      }
    };
    for (auto& v : current) collect(v);
    current = std::move(next);
  };
  while (i < path.size()) {
    if (path[i] == '.') {
      bool deep = i + 1 < path.size() && path[i + 1] == '.';
      i += deep ? 2 : 1;
      size_t e = i;
      while (e < path.size() && path[e] != '.' && path[e] != '[') ++e;
      std::string name(path.substr(i, e - i));
      if (name.empty()) return nullptr;
      if (deep || name == "*") multi = true;
      step_name(name, deep);
      i = e;
    } else if (path[i] == '[') {
      size_t e = path.find(']', i);
      if (e == std::string_view::npos) return nullptr;
      std::string_view inner = trim(path.substr(i + 1, e - i - 1));
      i = e + 1;
      if (inner.size() >= 2 && (inner.front() == '\'' || inner.front() == '"')) {
        step_name(std::string(inner.substr(1, inner.size() - 2)), false);
      } else if (inner == "*") {
        multi = true;
        step_name("*", false);
      } else if (auto n = parse_int(inner)) {
        std::vector<json::value> next;
        for (auto& v : current)
          if (v.is_array()) {
            int64_t idx = *n < 0 ? *n + static_cast<int64_t>(v.get_array().size()) : *n;
            if (idx >= 0 && idx < static_cast<int64_t>(v.get_array().size())) next.push_back(v.get_array()[static_cast<size_t>(idx)]);
          }
        current = std::move(next);
      } else {
        return nullptr;  // filters are not supported
      }
    } else {
      return nullptr;
    }
  }
  if (multi) {
    json::array a;
    for (auto& v : current) a.push_back(v);
    return a;
  }
  return current.empty() ? json::value(nullptr) : current.front();
}

std::string render(std::string_view tmpl, const Variables& vars) {
  Parser p(tmpl);
  Nodes nodes = p.parse_all();
  Evaluator ev(vars);
  std::string out;
  ev.run(nodes, out);
  return out;
}

}  // namespace stratus::apigateway::vtl
