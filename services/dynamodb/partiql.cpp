#include "partiql.hpp"

#include "attr.hpp"
#include "errors.hpp"
#include "number.hpp"

#include <stratus/strings.hpp>

namespace stratus::dynamodb {

namespace {

enum class T { eof, ident, qident, str, num, punct, param };

struct Tok {
  T t = T::eof;
  std::string text;
};

AwsError malformed(const std::string& why) {
  return validation("Statement wasn't well formed, can't be processed: " + why);
}

std::vector<Tok> lex(std::string_view s) {
  std::vector<Tok> out;
  size_t i = 0;
  while (i < s.size()) {
    char c = s[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      ++i;
      continue;
    }
    Tok t;
    if (c == '\'' || c == '"') {
      char q = c;
      std::string v;
      ++i;
      for (;;) {
        if (i >= s.size()) throw malformed("Unexpected end of statement: unterminated quoted text");
        if (s[i] == q) {
          if (i + 1 < s.size() && s[i + 1] == q) {
            v += q;
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        v += s[i++];
      }
      t.t = q == '\'' ? T::str : T::qident;
      t.text = v;
    } else if ((c >= '0' && c <= '9') || ((c == '-' || c == '.') && i + 1 < s.size() && s[i + 1] >= '0' && s[i + 1] <= '9' &&
                                          (out.empty() || out.back().t == T::punct))) {
      size_t j = i + 1;
      while (j < s.size() && ((s[j] >= '0' && s[j] <= '9') || s[j] == '.' || s[j] == 'e' || s[j] == 'E' ||
                              ((s[j] == '-' || s[j] == '+') && (s[j - 1] == 'e' || s[j - 1] == 'E'))))
        ++j;
      t.t = T::num;
      t.text = std::string(s.substr(i, j - i));
      i = j;
    } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_') {
      size_t j = i + 1;
      while (j < s.size() && ((s[j] >= 'a' && s[j] <= 'z') || (s[j] >= 'A' && s[j] <= 'Z') ||
                              (s[j] >= '0' && s[j] <= '9') || s[j] == '_'))
        ++j;
      t.t = T::ident;
      t.text = std::string(s.substr(i, j - i));
      i = j;
    } else if (c == '?') {
      t.t = T::param;
      t.text = "?";
      ++i;
    } else {
      static const char* two[] = {"<=", ">=", "<>", "!=", "<<", ">>"};
      t.t = T::punct;
      t.text = std::string(1, c);
      for (auto* tw : two)
        if (s.substr(i, 2) == tw) t.text = tw;
      i += t.text.size();
    }
    out.push_back(std::move(t));
  }
  out.push_back(Tok{});
  return out;
}

struct P {
  std::vector<Tok> toks;
  size_t i = 0;
  const json::array* params;
  size_t next_param = 0;
  Statement st;
  int nv = 0, nn = 0;
  std::map<std::string, std::string> name_ph;

  const Tok& cur() const { return toks[i]; }
  bool kw(std::string_view k) const { return cur().t == T::ident && iequals(cur().text, k); }
  bool punct(std::string_view p) const { return cur().t == T::punct && cur().text == p; }
  void expect_kw(std::string_view k) {
    if (!kw(k)) throw malformed("Expected " + std::string(k) + (cur().t == T::eof ? " but reached the end" : " near: " + cur().text));
    ++i;
  }
  void expect(std::string_view p) {
    if (!punct(p)) throw malformed("Expected '" + std::string(p) + "'" + (cur().t == T::eof ? " but reached the end" : " near: " + cur().text));
    ++i;
  }

  std::string name(const std::string& n) {
    auto it = name_ph.find(n);
    if (it != name_ph.end()) return it->second;
    std::string ph = "#n" + std::to_string(nn++);
    name_ph[n] = ph;
    st.names[ph] = n;
    return ph;
  }
  std::string value(json::value v) {
    std::string ph = ":v" + std::to_string(nv++);
    st.values[ph] = std::move(v);
    return ph;
  }

  // --- literals ---
  json::value literal() {
    const Tok& t = cur();
    if (t.t == T::str) {
      ++i;
      return av_s(t.text);
    }
    if (t.t == T::num) {
      ++i;
      std::string err;
      auto n = canonical_number(t.text, err);
      if (!n) throw validation(err);
      return av_n(*n);
    }
    if (t.t == T::param) {
      ++i;
      if (!params || next_param >= params->size())
        throw validation("Number of parameters in request and statement don't match.");
      json::value v = (*params)[next_param++];
      std::string err = check_value(v);
      if (!err.empty()) throw validation(err);
      return v;
    }
    if (kw("TRUE") || kw("FALSE")) {
      bool b = kw("TRUE");
      ++i;
      return json::object{{"BOOL", b}};
    }
    if (kw("NULL")) {
      ++i;
      return json::object{{"NULL", true}};
    }
    if (punct("[")) {
      ++i;
      json::array a;
      if (!punct("]"))
        for (;;) {
          a.push_back(literal());
          if (punct(",")) {
            ++i;
            continue;
          }
          break;
        }
      expect("]");
      return json::object{{"L", std::move(a)}};
    }
    if (punct("{")) {
      ++i;
      json::object m;
      if (!punct("}"))
        for (;;) {
          if (cur().t != T::str) throw malformed("Expected a string key in a tuple");
          std::string k = cur().text;
          ++i;
          expect(":");
          m[k] = literal();
          if (punct(",")) {
            ++i;
            continue;
          }
          break;
        }
      expect("}");
      return json::object{{"M", std::move(m)}};
    }
    if (punct("<<")) {
      ++i;
      json::array a;
      AvType kind = AvType::none;
      for (;;) {
        json::value v = literal();
        AvType t2 = av_type(v);
        if (kind == AvType::none) kind = t2;
        if (t2 != kind || (t2 != AvType::S && t2 != AvType::N && t2 != AvType::B))
          throw validation("Unsupported set element type: sets must contain only strings, numbers or binaries of one type");
        a.push_back(av_payload(v));
        if (punct(",")) {
          ++i;
          continue;
        }
        break;
      }
      expect(">>");
      std::string tn = kind == AvType::S ? "SS" : kind == AvType::N ? "NS" : "BS";
      json::value set = json::object{{tn, std::move(a)}};
      std::string err = check_value(set);
      if (!err.empty()) throw validation(err);
      return set;
    }
    throw malformed("Unexpected token" + (t.t == T::eof ? std::string(": end of statement") : ": " + t.text));
  }

  bool at_literal() const {
    return cur().t == T::str || cur().t == T::num || cur().t == T::param || kw("TRUE") || kw("FALSE") || kw("NULL") ||
           punct("[") || punct("{") || punct("<<");
  }

  // A path: ident/qident then .ident, [n] or ['key'].
  std::string path(std::string* first = nullptr, bool* simple = nullptr) {
    if (cur().t != T::ident && cur().t != T::qident) throw malformed("Expected identifier for simple path");
    std::string out = name(cur().text);
    if (first) *first = cur().text;
    if (simple) *simple = true;
    ++i;
    for (;;) {
      if (punct(".")) {
        ++i;
        if (cur().t != T::ident && cur().t != T::qident) throw malformed("Expected identifier after '.'");
        out += "." + name(cur().text);
        ++i;
      } else if (punct("[")) {
        ++i;
        if (cur().t == T::num) {
          out += "[" + cur().text + "]";
          ++i;
        } else if (cur().t == T::str) {
          out += "." + name(cur().text);
          ++i;
        } else {
          throw malformed("Expected a number or string in brackets");
        }
        expect("]");
      } else {
        break;
      }
      if (simple) *simple = false;
    }
    return out;
  }

  std::string operand(std::string* simple_name = nullptr, std::string* value_ph = nullptr) {
    if (at_literal()) {
      std::string ph = value(literal());
      if (value_ph) *value_ph = ph;
      return ph;
    }
    if (cur().t == T::ident && toks[i + 1].t == T::punct && toks[i + 1].text == "(") {
      std::string fn = to_lower(cur().text);
      if (fn != "size") throw malformed("Unsupported function in this position: " + fn);
      i += 2;
      std::string p = path();
      expect(")");
      return "size(" + p + ")";
    }
    std::string first;
    bool simple = false;
    std::string p = path(&first, &simple);
    if (simple && simple_name) *simple_name = first;
    return p;
  }

  // --- conditions ---
  std::string or_expr(bool top, std::vector<std::string>* conjuncts) {
    std::string l = and_expr(top, conjuncts);
    bool any = false;
    while (kw("OR")) {
      ++i;
      l += " OR " + and_expr(false, nullptr);
      any = true;
    }
    if (any && conjuncts) {
      conjuncts->clear();
      conjuncts->push_back(l);
      conj_pairs.clear();
      conj_pairs.emplace_back(l, "");
      st.equalities.clear();
    }
    return l;
  }
  std::string and_expr(bool top, std::vector<std::string>* conjuncts) {
    std::string l = not_expr(top, conjuncts);
    while (kw("AND")) {
      ++i;
      l += " AND " + not_expr(top, conjuncts);
    }
    return l;
  }
  std::string not_expr(bool top, std::vector<std::string>* conjuncts) {
    if (kw("NOT")) {
      ++i;
      std::string r = "NOT " + not_expr(false, nullptr);
      if (top && conjuncts) conj_pairs.emplace_back(r, "");
      if (top && conjuncts) conjuncts->push_back(r);
      return r;
    }
    last_eq.clear();
    std::string r = predicate(top);
    if (top && conjuncts) conj_pairs.emplace_back(r, last_eq);
    if (top && conjuncts) conjuncts->push_back(r);
    return r;
  }
  std::string predicate(bool top) {
    if (punct("(")) {
      ++i;
      std::string r = "(" + or_expr(false, nullptr) + ")";
      expect(")");
      return r;
    }
    if (cur().t == T::ident && toks[i + 1].t == T::punct && toks[i + 1].text == "(") {
      std::string fn = to_lower(cur().text);
      if (fn == "begins_with" || fn == "contains" || fn == "attribute_type") {
        i += 2;
        std::string a = operand();
        expect(",");
        std::string b = operand();
        expect(")");
        return fn + "(" + a + ", " + b + ")";
      }
      if (fn == "exists" || fn == "missing") throw malformed("Unsupported function: " + fn);
      if (fn != "size") throw validation("Unsupported function name: " + fn);
    }
    std::string simple, vph;
    std::string l = operand(&simple);
    if (kw("IS")) {
      ++i;
      bool neg = false;
      if (kw("NOT")) {
        ++i;
        neg = true;
      }
      if (kw("MISSING")) {
        ++i;
        return std::string(neg ? "attribute_exists(" : "attribute_not_exists(") + l + ")";
      }
      if (kw("NULL")) {
        ++i;
        std::string t = value(av_s("NULL"));
        return std::string(neg ? "NOT " : "") + "attribute_type(" + l + ", " + t + ")";
      }
      throw malformed("Expected MISSING or NULL after IS");
    }
    if (kw("BETWEEN")) {
      ++i;
      std::string a = operand();
      expect_kw("AND");
      std::string b = operand();
      return l + " BETWEEN " + a + " AND " + b;
    }
    if (kw("IN")) {
      ++i;
      std::string close;
      if (punct("[")) close = "]";
      else if (punct("(")) close = ")";
      else throw malformed("Expected a list after IN");
      ++i;
      std::string r = l + " IN (";
      bool first = true;
      while (!punct(close)) {
        if (!first) expect(",");
        r += (first ? "" : ", ") + operand();
        first = false;
      }
      ++i;
      return r + ")";
    }
    static const char* ops[] = {"=", "<>", "!=", "<", "<=", ">", ">="};
    for (auto* op : ops)
      if (punct(op)) {
        std::string o = cur().text == "!=" ? "<>" : cur().text;
        ++i;
        std::string r = operand(nullptr, &vph);
        if (top && o == "=" && !simple.empty() && !vph.empty()) {
          st.equalities[simple] = vph;
          last_eq = simple;
        }
        return l + " " + o + " " + r;
      }
    throw malformed("Expected a comparison" + (cur().t == T::eof ? std::string(" but reached the end") : " near: " + cur().text));
  }

  void from() {
    expect_kw("FROM");
    table_ref();
  }
  void table_ref() {
    if (cur().t != T::ident && cur().t != T::qident) throw malformed("Expected a table name");
    st.table = cur().text;
    ++i;
    if (punct(".")) {
      ++i;
      if (cur().t != T::ident && cur().t != T::qident) throw malformed("Expected an index name");
      st.index = cur().text;
      ++i;
    }
  }
  void where() {
    if (!kw("WHERE")) return;
    ++i;
    std::vector<std::string> conj;
    st.where = or_expr(true, &conj);
    conjuncts = std::move(conj);
  }
  std::vector<std::string> conjuncts;
  std::vector<std::pair<std::string, std::string>> conj_pairs;
  std::string last_eq;

  void returning() {
    if (!kw("RETURNING")) return;
    ++i;
    bool all = kw("ALL");
    if (!all && !kw("MODIFIED")) throw malformed("Expected ALL or MODIFIED after RETURNING");
    ++i;
    bool neu = kw("NEW");
    if (!neu && !kw("OLD")) throw malformed("Expected NEW or OLD");
    ++i;
    expect("*");
    st.returning = std::string(all ? "ALL_" : "UPDATED_") + (neu ? "NEW" : "OLD");
  }

  void parse() {
    if (kw("SELECT")) {
      ++i;
      st.kind = Statement::Kind::select;
      if (punct("*")) {
        ++i;
      } else {
        for (;;) {
          st.projection += (st.projection.empty() ? "" : ", ") + path();
          if (punct(",")) {
            ++i;
            continue;
          }
          break;
        }
      }
      from();
      where();
    } else if (kw("INSERT")) {
      ++i;
      st.kind = Statement::Kind::insert;
      expect_kw("INTO");
      table_ref();
      expect_kw("VALUE");
      json::value v = literal();
      if (av_type(v) != AvType::M) throw malformed("Expected a tuple after VALUE");
      st.item = av_payload(v).get_object();
    } else if (kw("UPDATE")) {
      ++i;
      st.kind = Statement::Kind::update;
      table_ref();
      std::string sets, removes, adds, dels;
      for (;;) {
        if (kw("SET")) {
          ++i;
          std::string p = path();
          expect("=");
          std::string v = set_value();
          if (v.rfind("ADD ", 0) == 0) adds += (adds.empty() ? "" : ", ") + p + " " + v.substr(4);
          else if (v.rfind("DELETE ", 0) == 0) dels += (dels.empty() ? "" : ", ") + p + " " + v.substr(7);
          else sets += (sets.empty() ? "" : ", ") + p + " = " + v;
        } else if (kw("REMOVE")) {
          ++i;
          removes += (removes.empty() ? "" : ", ") + path();
        } else {
          break;
        }
        if (punct(",")) ++i;
      }
      if (sets.empty() && removes.empty() && adds.empty() && dels.empty()) throw malformed("Expected SET or REMOVE");
      if (!sets.empty()) st.update += "SET " + sets;
      if (!removes.empty()) st.update += " REMOVE " + removes;
      if (!adds.empty()) st.update += " ADD " + adds;
      if (!dels.empty()) st.update += " DELETE " + dels;
      where();
      returning();
    } else if (kw("DELETE")) {
      ++i;
      st.kind = Statement::Kind::del;
      from();
      where();
      returning();
    } else {
      throw malformed("Unsupported statement: expected SELECT, INSERT, UPDATE or DELETE");
    }
    if (cur().t != T::eof) throw malformed("Unexpected token: " + cur().text);
    if (params && next_param != params->size()) throw validation("Number of parameters in request and statement don't match.");
  }

  std::string set_value() {
    if (cur().t == T::ident && toks[i + 1].t == T::punct && toks[i + 1].text == "(") {
      std::string fn = to_lower(cur().text);
      i += 2;
      if (fn == "list_append" || fn == "if_not_exists") {
        std::string a = set_value();
        expect(",");
        std::string b = set_value();
        expect(")");
        return fn + "(" + a + ", " + b + ")";
      }
      if (fn == "set_add" || fn == "set_delete") {
        path();
        expect(",");
        std::string v = value(literal());
        expect(")");
        return (fn == "set_add" ? "ADD " : "DELETE ") + v;
      }
      throw validation("Unsupported function name: " + fn);
    }
    std::string l = operand();
    if (punct("+") || punct("-")) {
      std::string op = cur().text;
      ++i;
      return l + " " + op + " " + operand();
    }
    return l;
  }
};

}  // namespace

Statement parse_partiql(std::string_view text, const json::array* params) {
  P p{lex(text), 0, params};
  p.parse();
  p.st.conjuncts = std::move(p.conj_pairs);
  return std::move(p.st);
}

}  // namespace stratus::dynamodb
