#include "filter_policy.hpp"

#include "errors.hpp"

#include <stratus/strings.hpp>

#include <arpa/inet.h>

#include <cmath>

namespace stratus::sns {

namespace {

using Condition = FilterPolicy::Condition;
using Value = FilterPolicy::Value;

constexpr size_t kMaxKeys = 5;
constexpr int64_t kMaxCombinations = 150;

struct Parser {
  FilterScope scope;
  std::string prefix;  // "Invalid parameter: <context>FilterPolicy: "

  [[noreturn]] void fail(const std::string& what) const { throw err::invalid_parameter_raw(prefix + what); }

  static bool is_number(const json::value& v) { return v.is_int64() || v.is_uint64() || v.is_double(); }

  std::optional<std::vector<uint8_t>> parse_ip(const std::string& s) const {
    std::vector<uint8_t> out;
    unsigned char buf[16];
    if (inet_pton(AF_INET, s.c_str(), buf) == 1) {
      out.assign(buf, buf + 4);
      return out;
    }
    if (inet_pton(AF_INET6, s.c_str(), buf) == 1) {
      out.assign(buf, buf + 16);
      return out;
    }
    return std::nullopt;
  }

  Condition cidr(const json::value& v) const {
    if (!v.is_string()) fail("prefix match pattern must be a string");
    std::string s(v.get_string());
    auto parts = split(s, '/');
    if (parts.size() != 2) fail("Malformed CIDR, one '/' required");
    auto bits = parse_int(parts[1]);
    if (!bits || parts[1].find_first_not_of("0123456789") != std::string_view::npos)
      fail("Malformed CIDR, mask bits must be an integer");
    auto ip = parse_ip(std::string(parts[0]));
    if (!ip) fail("Nonstandard IP address: " + std::string(parts[0]));
    if (*bits < 0 || *bits > static_cast<int64_t>(ip->size() * 8)) fail("Nonstandard IP address: " + std::string(parts[0]));
    Condition c;
    c.kind = Condition::Kind::cidr;
    c.network = *ip;
    c.prefix_bits = static_cast<int>(*bits);
    return c;
  }

  Condition numeric(const json::value& v) const {
    if (!v.is_array() || v.get_array().empty()) fail("Invalid member in numeric match: ]");
    const auto& a = v.get_array();
    Condition c;
    c.kind = Condition::Kind::numeric;
    auto op_at = [&](size_t i) -> std::string {
      if (!a[i].is_string()) fail("Invalid member in numeric match: " + json::serialize(a[i]));
      return std::string(a[i].get_string());
    };
    std::string op = op_at(0);
    if (op != "<" && op != "<=" && op != "=" && op != ">" && op != ">=") fail("Unrecognized numeric range operator: " + op);
    if (a.size() < 2 || !is_number(a[1])) fail("Value of " + (op == "=" ? std::string("equals") : op) + " must be numeric");
    c.ranges.emplace_back(op, a[1].to_number<double>());
    if (a.size() == 2) return c;
    if (op != ">" && op != ">=") fail("Too many elements in numeric expression");
    if (!a[2].is_string()) fail("Bad value in numeric range: " + json::serialize(a[2]));
    std::string op2(a[2].get_string());
    if (op2 != "<" && op2 != "<=") fail("Bad numeric range operator: " + op2);
    if (a.size() < 4 || !is_number(a[3])) fail("Value of " + op2 + " must be numeric");
    double top = a[3].to_number<double>();
    if (top <= c.ranges[0].second) fail("Bottom must be less than top");
    if (a.size() > 4) fail("Too many terms in numeric range expression");
    c.ranges.emplace_back(op2, top);
    return c;
  }

  Condition simple(const json::value& v) const {
    Condition c;
    if (v.is_string()) {
      c.kind = Condition::Kind::exact_string;
      c.text = v.get_string();
    } else if (is_number(v)) {
      c.kind = Condition::Kind::exact_number;
      c.number = v.to_number<double>();
    } else if (v.is_bool()) {
      c.kind = Condition::Kind::exact_bool;
      c.flag = v.get_bool();
    } else if (v.is_null()) {
      c.kind = Condition::Kind::exact_null;
    } else {
      fail("Match value must be String, number, true, false, or null");
    }
    return c;
  }

  Condition string_op(Condition::Kind kind, std::string_view name, const json::value& v) const {
    if (!v.is_string()) fail(std::string(name) + " match pattern must be a string");
    Condition c;
    c.kind = kind;
    c.text = v.get_string();
    return c;
  }

  Condition rule(const json::value& v) const {
    if (!v.is_object()) return simple(v);
    const auto& o = v.get_object();
    if (o.size() != 1) fail("Only one key allowed in match expression");
    const auto& [op, arg] = *o.begin();
    if (op == "prefix") return string_op(Condition::Kind::prefix, op, arg);
    if (op == "suffix") return string_op(Condition::Kind::suffix, op, arg);
    if (op == "equals-ignore-case") return string_op(Condition::Kind::equals_ignore_case, op, arg);
    if (op == "exists") {
      if (!arg.is_bool()) fail("exists match pattern must be either true or false.");
      Condition c;
      c.kind = Condition::Kind::exists;
      c.flag = arg.get_bool();
      return c;
    }
    if (op == "numeric") return numeric(arg);
    if (op == "cidr") return cidr(arg);
    if (op == "anything-but") {
      Condition c;
      c.kind = Condition::Kind::anything_but;
      if (arg.is_array()) {
        if (arg.get_array().empty()) fail("Empty arrays are not allowed");
        for (auto& x : arg.get_array()) {
          if (x.is_object() || x.is_array()) fail("Match value must be String, number, true, false, or null");
          c.inner.push_back(simple(x));
        }
      } else if (arg.is_object()) {
        const auto& io = arg.get_object();
        if (io.size() != 1) fail("Only one key allowed in match expression");
        const auto& [iop, iarg] = *io.begin();
        if (iop == "prefix") c.inner.push_back(string_op(Condition::Kind::prefix, iop, iarg));
        else if (iop == "suffix") c.inner.push_back(string_op(Condition::Kind::suffix, iop, iarg));
        else if (iop == "equals-ignore-case") c.inner.push_back(string_op(Condition::Kind::equals_ignore_case, iop, iarg));
        else fail("Unsupported anything-but pattern: " + std::string(iop));
      } else {
        c.inner.push_back(simple(arg));
      }
      return c;
    }
    fail("Unrecognized match type " + std::string(op));
  }

  using Alternative = std::map<std::string, std::vector<Condition>>;

  // Expands one object level (with $or branches) into alternatives, counting combinations.
  std::vector<Alternative> object(const json::object& o, const std::string& path, std::vector<Alternative> in,
                                  int depth, int64_t& combinations) const {
    if (scope == FilterScope::message_attributes && depth > 1)
      fail_raw("Filter policy scope MessageAttributes does not support nested filter policy");
    for (auto& [k, v] : o) {
      if (k == "$or") {
        if (!v.is_array() || v.get_array().size() < 2) fail("\"$or\" must be an array of at least two objects");  // wording approximate
        std::vector<Alternative> out;
        int64_t sum = 0;
        for (auto& branch : v.get_array()) {
          if (!branch.is_object()) fail("\"$or\" must be an array of at least two objects");
          int64_t c = combinations;
          auto expanded = object(branch.get_object(), path, in, depth, c);
          sum += c;
          out.insert(out.end(), expanded.begin(), expanded.end());
        }
        combinations = sum;
        in = std::move(out);
        continue;
      }
      std::string key = path.empty() ? std::string(k) : path + "." + std::string(k);
      if (v.is_object()) {
        in = object(v.get_object(), key, std::move(in), depth + 1, combinations);
      } else if (v.is_array()) {
        if (v.get_array().empty()) fail("Empty arrays are not allowed");
        std::vector<Condition> conds;
        for (auto& x : v.get_array()) {
          if (x.is_array()) fail("Match value must be String, number, true, false, or null");
          conds.push_back(rule(x));
        }
        combinations *= static_cast<int64_t>(conds.size()) * depth;
        for (auto& alt : in) {
          auto& slot = alt[key];
          slot.insert(slot.end(), conds.begin(), conds.end());
        }
      } else {
        fail("\"" + std::string(k) + "\" must be an object or an array");
      }
    }
    return in;
  }

  // Errors reported without the "FilterPolicy: " part.
  [[noreturn]] void fail_raw(const std::string& what) const {
    std::string p = prefix;
    auto pos = p.rfind("FilterPolicy: ");
    if (pos != std::string::npos) p.erase(pos);
    throw err::invalid_parameter_raw(p + what);
  }
};

bool string_match(const Condition& c, const std::string& s) {
  switch (c.kind) {
    case Condition::Kind::exact_string: return s == c.text;
    case Condition::Kind::prefix: return std::string_view(s).starts_with(c.text);
    case Condition::Kind::suffix: return std::string_view(s).ends_with(c.text);
    case Condition::Kind::equals_ignore_case: return iequals(s, c.text);
    default: return false;
  }
}

bool cidr_match(const Condition& c, const std::string& s) {
  unsigned char buf[16];
  size_t len = 0;
  if (inet_pton(AF_INET, s.c_str(), buf) == 1) len = 4;
  else if (inet_pton(AF_INET6, s.c_str(), buf) == 1) len = 16;
  if (len == 0 || len != c.network.size()) return false;
  int bits = c.prefix_bits;
  for (size_t i = 0; i < len && bits > 0; ++i, bits -= 8) {
    uint8_t mask = bits >= 8 ? 0xFF : static_cast<uint8_t>(0xFF << (8 - bits));
    if ((buf[i] & mask) != (c.network[i] & mask)) return false;
  }
  return true;
}

bool equal_value(const Condition& c, const Value& v) {
  switch (c.kind) {
    case Condition::Kind::exact_string: return v.type == Value::Type::string && v.text == c.text;
    case Condition::Kind::exact_number: return v.type == Value::Type::number && v.number == c.number;
    case Condition::Kind::exact_bool: return v.type == Value::Type::boolean && v.flag == c.flag;
    case Condition::Kind::exact_null: return v.type == Value::Type::null;
    default: return false;
  }
}

// Values of one message attribute: String → its text; Number → the number; String.Array →
// each element; Binary → nothing to match.
std::vector<Value> attribute_values(const json::value& attr) {
  std::vector<Value> out;
  if (!attr.is_object()) return out;
  const auto& o = attr.get_object();
  std::string_view type = str_or(o, "DataType");
  std::string_view text = str_or(o, "StringValue");
  auto base = type.substr(0, type.find('.'));
  if (type == "String.Array") {
    boost::system::error_code ec;
    json::value arr = json::parse(text, ec);
    if (ec || !arr.is_array()) return out;
    for (auto& x : arr.get_array()) {
      Value v;
      if (x.is_string()) v.text = x.get_string();
      else if (x.is_int64() || x.is_uint64() || x.is_double()) {
        v.type = Value::Type::number;
        v.number = x.to_number<double>();
      } else if (x.is_bool()) {
        v.type = Value::Type::boolean;
        v.flag = x.get_bool();
      } else if (x.is_null()) {
        v.type = Value::Type::null;
      } else {
        continue;
      }
      out.push_back(std::move(v));
    }
  } else if (base == "Number") {
    if (auto d = parse_double(trim(text))) {
      Value v;
      v.type = Value::Type::number;
      v.number = *d;
      out.push_back(v);
    }
  } else if (base == "String") {
    Value v;
    v.text = text;
    out.push_back(std::move(v));
  }
  return out;
}

void flatten(const json::value& v, const std::string& path, std::map<std::string, std::vector<Value>>& out) {
  if (v.is_object()) {
    for (auto& [k, x] : v.get_object()) flatten(x, path.empty() ? std::string(k) : path + "." + std::string(k), out);
    return;
  }
  if (v.is_array()) {
    for (auto& x : v.get_array()) flatten(x, path, out);
    return;
  }
  Value val;
  if (v.is_string()) val.text = v.get_string();
  else if (v.is_bool()) {
    val.type = Value::Type::boolean;
    val.flag = v.get_bool();
  } else if (v.is_null()) {
    val.type = Value::Type::null;
  } else {
    val.type = Value::Type::number;
    val.number = v.to_number<double>();
  }
  out[path].push_back(std::move(val));
}

}  // namespace

FilterPolicy FilterPolicy::parse(std::string_view text, FilterScope scope, std::string_view context) {
  Parser p{scope, "Invalid parameter: " + std::string(context) + "FilterPolicy: "};
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec) p.fail("failed to parse JSON.");
  if (!v.is_object()) p.fail("Filter policy must be a JSON object.");
  const auto& o = v.get_object();
  if (o.size() > kMaxKeys) p.fail("Filter policy can not have more than 5 keys");
  int64_t combinations = 1;
  FilterPolicy fp;
  fp.alternatives_ = p.object(o, "", {Parser::Alternative{}}, 1, combinations);
  if (combinations > kMaxCombinations) p.fail("Filter policy is too complex");
  return fp;
}

bool FilterPolicy::test(const Condition& c, const Value* v) {
  using K = Condition::Kind;
  if (c.kind == K::exists) return c.flag == (v != nullptr);
  if (!v) return false;
  switch (c.kind) {
    case K::exact_string:
    case K::exact_number:
    case K::exact_bool:
    case K::exact_null: return equal_value(c, *v);
    case K::prefix:
    case K::suffix:
    case K::equals_ignore_case: return v->type == Value::Type::string && string_match(c, v->text);
    case K::anything_but:
      for (auto& x : c.inner) {
        bool hit = x.kind == K::prefix || x.kind == K::suffix || x.kind == K::equals_ignore_case
                       ? v->type == Value::Type::string && string_match(x, v->text)
                       : equal_value(x, *v);
        if (hit) return false;
      }
      // "anything-but" on strings only matches strings, on numbers only numbers.
      if (!c.inner.empty() && c.inner.front().kind == K::exact_number) return v->type == Value::Type::number;
      return v->type != Value::Type::null;
    case K::numeric: {
      if (v->type != Value::Type::number) return false;
      for (auto& [op, x] : c.ranges) {
        double n = v->number;
        bool ok = op == "=" ? n == x : op == ">" ? n > x : op == ">=" ? n >= x : op == "<" ? n < x : n <= x;
        if (!ok) return false;
      }
      return true;
    }
    case K::cidr: return v->type == Value::Type::string && cidr_match(c, v->text);
    default: return false;
  }
}

namespace {
bool any_condition(const std::vector<Condition>& conds, const std::vector<Value>* values) {
  for (auto& c : conds) {
    if (!values) {
      if (FilterPolicy::test(c, nullptr)) return true;
      continue;
    }
    if (c.kind == Condition::Kind::exists) {
      if (FilterPolicy::test(c, values->empty() ? nullptr : &values->front())) return true;
      continue;
    }
    for (auto& v : *values)
      if (FilterPolicy::test(c, &v)) return true;
  }
  return false;
}
}  // namespace

bool FilterPolicy::matches_attributes(const json::object& attributes) const {
  for (auto& alt : alternatives_) {
    bool all = true;
    for (auto& [key, conds] : alt) {
      auto* attr = find(attributes, key);
      std::optional<std::vector<Value>> values;
      if (attr) values = attribute_values(*attr);
      // A present attribute of a type no condition can read (Binary) still "exists".
      if (attr && values->empty()) {
        bool ok = false;
        for (auto& c : conds) ok = ok || (c.kind == Condition::Kind::exists && c.flag);
        if (!ok) {
          all = false;
          break;
        }
        continue;
      }
      if (!any_condition(conds, values ? &*values : nullptr)) {
        all = false;
        break;
      }
    }
    if (all) return true;
  }
  return alternatives_.empty();
}

bool FilterPolicy::matches_body(std::string_view body) const {
  boost::system::error_code ec;
  json::value v = json::parse(body, ec);
  if (ec || !v.is_object()) return false;
  std::map<std::string, std::vector<Value>> flat;
  flatten(v, "", flat);
  for (auto& alt : alternatives_) {
    bool all = true;
    for (auto& [key, conds] : alt) {
      auto it = flat.find(key);
      if (!any_condition(conds, it == flat.end() ? nullptr : &it->second)) {
        all = false;
        break;
      }
    }
    if (all) return true;
  }
  return alternatives_.empty();
}

}  // namespace stratus::sns
