// Recursive-descent parser for DynamoDB expressions with AWS's error wording. The grammar is the
// one documented in "Condition and filter expressions, operators, and functions" and "Update
// expressions" of the DynamoDB developer guide.
#include "attr.hpp"
#include "errors.hpp"
#include "expressions.hpp"

#include <stratus/strings.hpp>

#include <algorithm>

namespace stratus::dynamodb {

std::string render_path(const Path& p) {
  std::string s = "[";
  for (size_t i = 0; i < p.size(); ++i) {
    if (i) s += ", ";
    if (p[i].is_index()) s += "[" + std::to_string(p[i].index) + "]";
    else s += p[i].name;
  }
  return s + "]";
}

std::string path_text(const Path& p) {
  std::string s;
  for (size_t i = 0; i < p.size(); ++i) {
    if (p[i].is_index()) s += "[" + std::to_string(p[i].index) + "]";
    else {
      if (i) s += '.';
      s += p[i].name;
    }
  }
  return s;
}

namespace {

enum class Tok : uint8_t {
  eof, ident, name_ph, value_ph, number, lparen, rparen, lbracket, rbracket, comma, dot,
  eq, ne, lt, le, gt, ge, plus, minus, bad
};

struct Token {
  Tok t = Tok::eof;
  size_t pos = 0, len = 0;
  std::string_view text;
};

std::vector<Token> tokenize(std::string_view s) {
  std::vector<Token> out;
  size_t i = 0;
  auto ident_char = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  };
  while (i < s.size()) {
    char c = s[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      ++i;
      continue;
    }
    Token t;
    t.pos = i;
    if (c == '#' || c == ':') {
      size_t j = i + 1;
      while (j < s.size() && ident_char(s[j])) ++j;
      t.t = j == i + 1 ? Tok::bad : (c == '#' ? Tok::name_ph : Tok::value_ph);
      t.len = j == i + 1 ? 1 : j - i;
    } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_') {
      size_t j = i + 1;
      while (j < s.size() && ident_char(s[j])) ++j;
      t.t = Tok::ident;
      t.len = j - i;
    } else if (c >= '0' && c <= '9') {
      size_t j = i + 1;
      while (j < s.size() && s[j] >= '0' && s[j] <= '9') ++j;
      // "1a" is one bad token
      if (j < s.size() && ident_char(s[j])) {
        while (j < s.size() && ident_char(s[j])) ++j;
        t.t = Tok::bad;
      } else {
        t.t = Tok::number;
      }
      t.len = j - i;
    } else {
      t.len = 1;
      switch (c) {
        case '(': t.t = Tok::lparen; break;
        case ')': t.t = Tok::rparen; break;
        case '[': t.t = Tok::lbracket; break;
        case ']': t.t = Tok::rbracket; break;
        case ',': t.t = Tok::comma; break;
        case '.': t.t = Tok::dot; break;
        case '=': t.t = Tok::eq; break;
        case '+': t.t = Tok::plus; break;
        case '-': t.t = Tok::minus; break;
        case '<':
          if (i + 1 < s.size() && s[i + 1] == '>') t.t = Tok::ne, t.len = 2;
          else if (i + 1 < s.size() && s[i + 1] == '=') t.t = Tok::le, t.len = 2;
          else t.t = Tok::lt;
          break;
        case '>':
          if (i + 1 < s.size() && s[i + 1] == '=') t.t = Tok::ge, t.len = 2;
          else t.t = Tok::gt;
          break;
        default: {
          // One (possibly multi-byte) character.
          unsigned char u = static_cast<unsigned char>(c);
          t.len = u >= 0xF0 ? 4 : u >= 0xE0 ? 3 : u >= 0xC0 ? 2 : 1;
          t.len = std::min(t.len, s.size() - i);
          t.t = Tok::bad;
        }
      }
    }
    t.text = s.substr(t.pos, t.len);
    out.push_back(t);
    i += t.len;
  }
  Token e;
  e.t = Tok::eof;
  e.pos = s.size();
  out.push_back(e);
  return out;
}

bool keyword(const Token& t, std::string_view kw) { return t.t == Tok::ident && iequals(t.text, kw); }

}  // namespace

struct Parser {
  ExprParser& ctx;
  std::string_view text;
  std::string which;  // "ConditionExpression", ...
  std::vector<Token> toks;
  size_t i = 0;

  Parser(ExprParser& c, std::string_view t, std::string_view w) : ctx(c), text(t), which(w), toks(tokenize(t)) {}

  const Token& cur() const { return toks[i]; }
  const Token& peek(size_t k = 1) const { return toks[std::min(i + k, toks.size() - 1)]; }

  AwsError fail(std::string msg) const { return validation("Invalid " + which + ": " + msg); }

  [[noreturn]] void syntax_error() const {
    const Token& t = cur();
    std::string tok = t.t == Tok::eof ? "<EOF>" : std::string(t.text);
    size_t start = i > 0 ? toks[i - 1].pos : t.pos;
    size_t end = t.pos + t.len;
    if (t.t != Tok::eof && i + 1 < toks.size() && toks[i + 1].t != Tok::eof) end = toks[i + 1].pos + toks[i + 1].len;
    if (t.t == Tok::eof && i > 0) end = toks[i - 1].pos + toks[i - 1].len;
    throw fail("Syntax error; token: \"" + tok + "\", near: \"" + std::string(text.substr(start, end - start)) + "\"");
  }

  void expect(Tok t) {
    if (cur().t != t) syntax_error();
    ++i;
  }

  void check_empty() {
    if (toks.size() == 1) throw fail("The expression can not be empty;");
  }

  // --- paths and values ---
  std::string resolve_name(const Token& t) {
    std::string key(t.text);
    const json::value* v = ctx.names_ ? find(*ctx.names_, key) : nullptr;
    if (!v || !v->is_string())
      throw fail("An expression attribute name used in the document path is not defined; attribute name: " + key);
    ctx.used_names_.insert(key);
    return std::string(v->get_string());
  }

  const json::value* resolve_value(const Token& t) {
    std::string key(t.text);
    const json::value* v = ctx.values_ ? find(*ctx.values_, key) : nullptr;
    if (!v) throw fail("An expression attribute value used in expression is not defined; attribute value: " + key);
    ctx.used_values_.insert(key);
    return v;
  }

  std::string path_name(const Token& t) {
    if (t.t == Tok::name_ph) return resolve_name(t);
    if (t.t == Tok::ident) {
      if (is_reserved_word(t.text))
        throw fail("Attribute name is a reserved keyword; reserved keyword: " + std::string(t.text));
      return std::string(t.text);
    }
    syntax_error();
  }

  Path path() {
    Path p;
    if (cur().t != Tok::ident && cur().t != Tok::name_ph) syntax_error();
    p.push_back({path_name(cur()), -1});
    ++i;
    for (;;) {
      if (cur().t == Tok::dot) {
        ++i;
        if (cur().t != Tok::ident && cur().t != Tok::name_ph) syntax_error();
        p.push_back({path_name(cur()), -1});
        ++i;
      } else if (cur().t == Tok::lbracket) {
        ++i;
        if (cur().t != Tok::number) syntax_error();
        auto n = parse_int(cur().text);
        if (!n || *n > 2147483647) throw fail("List index is not within the allowable range; index: [" + std::string(cur().text) + "]");
        ++i;
        expect(Tok::rbracket);
        p.push_back({"", *n});
      } else {
        break;
      }
    }
    if (p.size() > 32)
      throw fail("The document path has too many nesting levels; nesting levels: " + std::to_string(p.size()));
    return p;
  }

  bool is_function_start() const { return cur().t == Tok::ident && peek().t == Tok::lparen; }

  // --- conditions ---
  Operand operand() {
    Operand o;
    const Token& t = cur();
    if (t.t == Tok::value_ph) {
      o.kind = Operand::Kind::value;
      o.value = resolve_value(t);
      ++i;
      return o;
    }
    if (is_function_start()) {
      std::string fn = std::string(t.text);
      if (fn == "size") {
        ++i;
        auto args = call_args();
        if (args.size() != 1)
          throw fail("Incorrect number of operands for operator or function; operator or function: size, number of "
                     "operands: " + std::to_string(args.size()));
        if (args[0].kind != Operand::Kind::path)
          throw fail("Incorrect operand type for operator or function; operator or function: size, operand type: " +
                     operand_type(args[0]));
        o.kind = Operand::Kind::size;
        o.path = std::move(args[0].path);
        return o;
      }
      if (fn == "attribute_exists" || fn == "attribute_not_exists" || fn == "attribute_type" || fn == "begins_with" ||
          fn == "contains" || fn == "if_not_exists" || fn == "list_append")
        throw fail("The function is not allowed to be used this way in an expression; function: " + fn);
      throw fail("Invalid function name; function: " + fn);
    }
    if (t.t == Tok::ident || t.t == Tok::name_ph) {
      if (t.t == Tok::ident && is_condition_keyword(t)) syntax_error();
      o.kind = Operand::Kind::path;
      o.path = path();
      return o;
    }
    syntax_error();
  }

  static bool is_condition_keyword(const Token& t) {
    return keyword(t, "AND") || keyword(t, "OR") || keyword(t, "NOT") || keyword(t, "BETWEEN") || keyword(t, "IN");
  }

  std::string operand_type(const Operand& o) {
    if (o.kind == Operand::Kind::value) return std::string(type_name(av_type(*o.value)));
    return "PATH";
  }

  std::vector<Operand> call_args() {
    expect(Tok::lparen);
    std::vector<Operand> args;
    if (cur().t == Tok::rparen) syntax_error();
    for (;;) {
      args.push_back(operand());
      if (cur().t == Tok::comma) {
        ++i;
        continue;
      }
      expect(Tok::rparen);
      break;
    }
    return args;
  }

  Condition or_expr(int depth) {
    Condition l = and_expr(depth);
    while (keyword(cur(), "OR")) {
      ++i;
      Condition r = and_expr(depth);
      Condition c;
      c.kind = Condition::Kind::or_;
      c.kids.push_back(std::move(l));
      c.kids.push_back(std::move(r));
      l = std::move(c);
    }
    return l;
  }

  Condition and_expr(int depth) {
    Condition l = not_expr(depth);
    while (keyword(cur(), "AND")) {
      ++i;
      Condition r = not_expr(depth);
      Condition c;
      c.kind = Condition::Kind::and_;
      c.kids.push_back(std::move(l));
      c.kids.push_back(std::move(r));
      l = std::move(c);
    }
    return l;
  }

  Condition not_expr(int depth) {
    if (keyword(cur(), "NOT")) {
      ++i;
      Condition c;
      c.kind = Condition::Kind::not_;
      c.kids.push_back(not_expr(depth + 1));
      return c;
    }
    return primary(depth);
  }

  Condition function_condition() {
    std::string fn(cur().text);
    using K = Condition::Kind;
    K kind;
    size_t arity;
    if (fn == "attribute_exists") kind = K::exists, arity = 1;
    else if (fn == "attribute_not_exists") kind = K::not_exists, arity = 1;
    else if (fn == "attribute_type") kind = K::type, arity = 2;
    else if (fn == "begins_with") kind = K::begins_with, arity = 2;
    else if (fn == "contains") kind = K::contains, arity = 2;
    else if (fn == "if_not_exists" || fn == "list_append")
      throw fail("The function is not allowed to be used this way in an expression; function: " + fn);
    else throw fail("Invalid function name; function: " + fn);
    ++i;
    Condition c;
    c.kind = kind;
    c.ops = call_args();
    if (c.ops.size() != arity)
      throw fail("Incorrect number of operands for operator or function; operator or function: " + fn +
                 ", number of operands: " + std::to_string(c.ops.size()));
    if ((kind == K::exists || kind == K::not_exists || kind == K::type) && c.ops[0].kind != Operand::Kind::path)
      throw fail("Operator or function requires a document path; operator or function: " + fn);
    if (kind == K::type) {
      if (c.ops[1].kind != Operand::Kind::value)
        throw fail("Incorrect operand type for operator or function; operator or function: attribute_type, operand "
                   "type: " + operand_type(c.ops[1]));
      const json::value& v = *c.ops[1].value;
      if (av_type(v) != AvType::S)
        throw fail("Incorrect operand type for operator or function; operator or function: attribute_type, operand "
                   "type: " + std::string(type_name(av_type(v))));
      auto t = parse_type_name(av_payload(v).get_string());
      if (t == AvType::none)
        throw fail("Invalid attribute type name found; type: " + std::string(av_payload(v).get_string()) +
                   ", valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}");
    }
    if (kind == K::begins_with) {
      for (auto& o : c.ops)
        if (o.kind == Operand::Kind::value) {
          AvType t = av_type(*o.value);
          if (t != AvType::S && t != AvType::B)
            throw fail("Incorrect operand type for operator or function; operator or function: begins_with, operand "
                       "type: " + std::string(type_name(t)));
        }
    }
    return c;
  }

  Condition primary(int depth) {
    if (depth > 100) throw fail("The expression has too many nested levels");
    if (cur().t == Tok::lparen) {
      ++i;
      Condition c = or_expr(depth + 1);
      expect(Tok::rparen);
      return c;
    }
    if (is_function_start() && cur().text != "size") return function_condition();
    Operand l = operand();
    Condition c;
    using K = Condition::Kind;
    switch (cur().t) {
      case Tok::eq: c.kind = K::eq; break;
      case Tok::ne: c.kind = K::ne; break;
      case Tok::lt: c.kind = K::lt; break;
      case Tok::le: c.kind = K::le; break;
      case Tok::gt: c.kind = K::gt; break;
      case Tok::ge: c.kind = K::ge; break;
      default:
        if (keyword(cur(), "BETWEEN")) {
          ++i;
          c.kind = K::between;
          c.ops.push_back(std::move(l));
          c.ops.push_back(operand());
          if (!keyword(cur(), "AND")) syntax_error();
          ++i;
          c.ops.push_back(operand());
          check_between(c);
          return c;
        }
        if (keyword(cur(), "IN")) {
          ++i;
          c.kind = K::in;
          c.ops.push_back(std::move(l));
          auto args = call_args();
          if (args.size() > 100)
            throw fail("The IN operator is provided with too many operands; number of operands: " +
                       std::to_string(args.size()));
          for (auto& a : args) c.ops.push_back(std::move(a));
          return c;
        }
        syntax_error();
    }
    std::string_view op_text = cur().text;
    ++i;
    c.ops.push_back(std::move(l));
    c.ops.push_back(operand());
    if (c.kind != K::eq && c.kind != K::ne) {
      for (auto& o : c.ops)
        if (o.kind == Operand::Kind::value) {
          AvType t = av_type(*o.value);
          if (t != AvType::S && t != AvType::N && t != AvType::B)
            throw fail("Incorrect operand type for operator or function; operator or function: " +
                       std::string(op_text) + ", operand type: " + std::string(type_name(t)));
        }
    }
    return c;
  }

  void check_between(const Condition& c) {
    auto& lo = c.ops[1];
    auto& hi = c.ops[2];
    if (lo.kind == Operand::Kind::value && hi.kind == Operand::Kind::value) {
      if (comparable(*lo.value, *hi.value) && av_compare(*lo.value, *hi.value) > 0)
        throw fail("The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound "
                   "operand: AttributeValue: {" + std::string(type_name(av_type(*lo.value))) + ":" +
                   std::string(av_payload(*lo.value).get_string()) + "}, upper bound operand: AttributeValue: {" +
                   std::string(type_name(av_type(*hi.value))) + ":" + std::string(av_payload(*hi.value).get_string()) +
                   "}");
    }
  }

  // --- update ---
  Operand set_operand() {
    if (is_function_start()) {
      std::string fn(cur().text);
      Operand o;
      if (fn == "if_not_exists") o.kind = Operand::Kind::if_not_exists;
      else if (fn == "list_append") o.kind = Operand::Kind::list_append;
      else if (fn == "attribute_exists" || fn == "attribute_not_exists" || fn == "attribute_type" ||
               fn == "begins_with" || fn == "contains" || fn == "size")
        throw fail("The function is not allowed in an update expression; function: " + fn);
      else throw fail("Invalid function name; function: " + fn);
      ++i;
      expect(Tok::lparen);
      std::vector<Operand> args;
      for (;;) {
        args.push_back(set_operand());
        if (cur().t == Tok::comma) {
          ++i;
          continue;
        }
        expect(Tok::rparen);
        break;
      }
      if (args.size() != 2)
        throw fail("Incorrect number of operands for operator or function; operator or function: " + fn +
                   ", number of operands: " + std::to_string(args.size()));
      if (o.kind == Operand::Kind::if_not_exists && args[0].kind != Operand::Kind::path)
        throw fail("Operator or function requires a document path; operator or function: if_not_exists");
      if (o.kind == Operand::Kind::list_append)
        for (auto& a : args)
          if (a.kind == Operand::Kind::value && av_type(*a.value) != AvType::L)
            throw fail("Incorrect operand type for operator or function; operator or function: list_append, operand "
                       "type: " + std::string(type_name(av_type(*a.value))));
      o.args = std::move(args);
      return o;
    }
    Operand o;
    if (cur().t == Tok::value_ph) {
      o.kind = Operand::Kind::value;
      o.value = resolve_value(cur());
      ++i;
      return o;
    }
    if (cur().t == Tok::ident || cur().t == Tok::name_ph) {
      o.kind = Operand::Kind::path;
      o.path = path();
      return o;
    }
    syntax_error();
  }

  Operand set_value() {
    Operand l = set_operand();
    if (cur().t == Tok::plus || cur().t == Tok::minus) {
      std::string op(cur().text);
      Operand o;
      o.kind = cur().t == Tok::plus ? Operand::Kind::plus : Operand::Kind::minus;
      ++i;
      Operand r = set_operand();
      for (auto* x : {&l, &r})
        if (x->kind == Operand::Kind::value && av_type(*x->value) != AvType::N)
          throw fail("Incorrect operand type for operator or function; operator or function: " + op +
                     ", operand type: " + std::string(type_name(av_type(*x->value))));
      o.args.push_back(std::move(l));
      o.args.push_back(std::move(r));
      return o;
    }
    return l;
  }

  std::vector<UpdateAction> update() {
    check_empty();
    std::vector<UpdateAction> out;
    bool seen[4] = {false, false, false, false};
    while (cur().t != Tok::eof) {
      UpdateAction::Kind kind;
      std::string clause;
      if (keyword(cur(), "SET")) kind = UpdateAction::Kind::set, clause = "SET";
      else if (keyword(cur(), "REMOVE")) kind = UpdateAction::Kind::remove, clause = "REMOVE";
      else if (keyword(cur(), "ADD")) kind = UpdateAction::Kind::add, clause = "ADD";
      else if (keyword(cur(), "DELETE")) kind = UpdateAction::Kind::del, clause = "DELETE";
      else syntax_error();
      auto k = static_cast<int>(kind);
      if (seen[k]) throw fail("The \"" + clause + "\" section can only be used once in an update expression;");
      seen[k] = true;
      ++i;
      for (;;) {
        UpdateAction a;
        a.kind = kind;
        a.path = path();
        switch (kind) {
          case UpdateAction::Kind::set:
            expect(Tok::eq);
            a.value = set_value();
            break;
          case UpdateAction::Kind::remove: break;
          case UpdateAction::Kind::add:
          case UpdateAction::Kind::del: {
            if (cur().t != Tok::value_ph) syntax_error();
            a.value.kind = Operand::Kind::value;
            a.value.value = resolve_value(cur());
            ++i;
            AvType t = av_type(*a.value.value);
            bool ok = kind == UpdateAction::Kind::add
                          ? (t == AvType::N || t == AvType::SS || t == AvType::NS || t == AvType::BS)
                          : (t == AvType::SS || t == AvType::NS || t == AvType::BS);
            if (!ok)
              throw fail("Incorrect operand type for operator or function; operator: " + clause +
                         ", operand type: " + long_type_name(t) + ", typeSet: ALLOWED_FOR_" + clause + "_OPERAND");
            break;
          }
        }
        out.push_back(std::move(a));
        if (cur().t == Tok::comma) {
          ++i;
          continue;
        }
        break;
      }
    }
    check_overlaps(out);
    return out;
  }

  static std::string long_type_name(AvType t) {
    switch (t) {
      case AvType::S: return "STRING";
      case AvType::N: return "NUMBER";
      case AvType::B: return "BINARY";
      case AvType::BOOL: return "BOOLEAN";
      case AvType::NUL: return "NULL";
      case AvType::L: return "LIST";
      case AvType::M: return "MAP";
      case AvType::SS: return "STRING_SET";
      case AvType::NS: return "NUMBER_SET";
      case AvType::BS: return "BINARY_SET";
      default: return "UNKNOWN";
    }
  }

  template <class Paths>
  void check_overlaps(const Paths& items) {
    std::vector<const Path*> ps;
    for (auto& x : items) ps.push_back(get_path(x));
    for (size_t a = 0; a < ps.size(); ++a)
      for (size_t b = a + 1; b < ps.size(); ++b) {
        const Path& p = *ps[a];
        const Path& q = *ps[b];
        size_t n = std::min(p.size(), q.size());
        size_t k = 0;
        while (k < n && p[k] == q[k]) ++k;
        if (k == n)
          throw fail("Two document paths overlap with each other; must remove or rewrite one of these paths; path one: " +
                     render_path(p) + ", path two: " + render_path(q));
        if (p[k].is_index() != q[k].is_index())
          throw fail("Two document paths conflict with each other; must remove or rewrite one of these paths; path one: " +
                     render_path(p) + ", path two: " + render_path(q));
      }
  }
  static const Path* get_path(const UpdateAction& a) { return &a.path; }
  static const Path* get_path(const Path& p) { return &p; }

  std::vector<Path> projection() {
    check_empty();
    std::vector<Path> out;
    for (;;) {
      out.push_back(path());
      if (cur().t == Tok::comma) {
        ++i;
        continue;
      }
      if (cur().t != Tok::eof) syntax_error();
      break;
    }
    check_overlaps(out);
    return out;
  }

  Condition condition() {
    check_empty();
    Condition c = or_expr(0);
    if (cur().t != Tok::eof) syntax_error();
    return c;
  }
};

namespace {
void check_length(std::string_view text, std::string_view which) {
  if (text.size() > 4096)
    throw validation("Invalid " + std::string(which) +
                     ": Expression size has exceeded the maximum allowed size; expression size: " +
                     std::to_string(text.size()));
}
}  // namespace

Condition ExprParser::condition(std::string_view text, std::string_view which) {
  check_length(text, which);
  Parser p(*this, text, which);
  return p.condition();
}

std::vector<UpdateAction> ExprParser::update(std::string_view text) {
  check_length(text, "UpdateExpression");
  Parser p(*this, text, "UpdateExpression");
  return p.update();
}

std::vector<Path> ExprParser::projection(std::string_view text) {
  check_length(text, "ProjectionExpression");
  Parser p(*this, text, "ProjectionExpression");
  return p.projection();
}

void ExprParser::check_unused() const {
  if (names_) {
    std::string unused;
    for (auto& [k, v] : *names_)
      if (!used_names_.count(std::string_view(k))) unused += (unused.empty() ? "" : ", ") + std::string(k);
    if (!unused.empty())
      throw validation("Value provided in ExpressionAttributeNames unused in expressions: keys: {" + unused + "}");
  }
  if (values_) {
    std::string unused;
    for (auto& [k, v] : *values_)
      if (!used_values_.count(std::string_view(k))) unused += (unused.empty() ? "" : ", ") + std::string(k);
    if (!unused.empty())
      throw validation("Value provided in ExpressionAttributeValues unused in expressions: keys: {" + unused + "}");
  }
}

void check_expression_maps(json::object& input, bool uses_expressions) {
  auto* names = find(input, "ExpressionAttributeNames");
  auto* values = find(input, "ExpressionAttributeValues");
  if (names && !uses_expressions)
    throw validation("ExpressionAttributeNames can only be specified when using expressions");
  if (values && !uses_expressions)
    throw validation("ExpressionAttributeValues can only be specified when using expressions");
  if (names) {
    auto& o = names->get_object();
    if (o.empty()) throw validation("ExpressionAttributeNames must not be empty");
    for (auto& [k, v] : o)
    {
      if (k.size() < 2 || k[0] != '#')
        throw validation("ExpressionAttributeNames contains invalid key: Syntax error; key: \"" + std::string(k) + "\"");
      if (!v.is_string() || v.get_string().empty())
        throw validation("ExpressionAttributeNames contains invalid value: Empty attribute name for key " + std::string(k));
    }
  }
  if (values) {
    auto& o = input["ExpressionAttributeValues"].get_object();
    if (o.empty()) throw validation("ExpressionAttributeValues must not be empty");
    for (auto& [k, v] : o) {
      if (k.size() < 2 || k[0] != ':')
        throw validation("ExpressionAttributeValues contains invalid key: Syntax error; key: \"" + std::string(k) + "\"");
      std::string err = check_value(v);
      if (!err.empty())
        throw validation("ExpressionAttributeValues contains invalid value: " + err + " for key " + std::string(k));
    }
  }
}

}  // namespace stratus::dynamodb
