#include "attr.hpp"

#include "number.hpp"

#include <stratus/crypto.hpp>

#include <algorithm>
#include <unordered_set>

namespace stratus::dynamodb {

AvType av_type(const json::value& v) {
  if (!v.is_object()) return AvType::none;
  auto& o = v.get_object();
  if (o.size() != 1) return AvType::none;
  return parse_type_name(o.begin()->key());
}

AvType parse_type_name(std::string_view k) {
  switch (k.size()) {
    case 1:
      if (k[0] == 'S') return AvType::S;
      if (k[0] == 'N') return AvType::N;
      if (k[0] == 'B') return AvType::B;
      if (k[0] == 'L') return AvType::L;
      if (k[0] == 'M') return AvType::M;
      break;
    case 2:
      if (k == "SS") return AvType::SS;
      if (k == "NS") return AvType::NS;
      if (k == "BS") return AvType::BS;
      break;
    case 4:
      if (k == "BOOL") return AvType::BOOL;
      if (k == "NULL") return AvType::NUL;
      break;
  }
  return AvType::none;
}

std::string_view type_name(AvType t) {
  static constexpr std::string_view kNames[] = {"S", "N", "B", "BOOL", "NULL", "L", "M", "SS", "NS", "BS", ""};
  return kNames[static_cast<int>(t)];
}

std::string render_set(const json::array& a, bool base64) {
  std::string s = "[";
  bool first = true;
  for (auto& x : a) {
    if (!first) s += ", ";
    first = false;
    if (x.is_string()) s += base64 ? crypto::base64(x.get_string()) : std::string(x.get_string());
  }
  return s + "]";
}

std::string check_value(json::value& v, int depth) {
  if (!v.is_object() || v.get_object().empty())
    return "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes";
  auto& o = v.get_object();
  if (o.size() > 1)
    return "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported "
           "datatypes";
  if (depth > 32) return "Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit";
  auto& [k, x] = *o.begin();
  std::string err;
  switch (parse_type_name(k)) {
    case AvType::N: {
      if (!x.is_string()) return "The parameter cannot be converted to a numeric value";
      auto c = canonical_number(x.get_string(), err);
      if (!c) return err;
      x = json::string(*c);
      return {};
    }
    case AvType::S:
    case AvType::B:
    case AvType::BOOL: return {};
    case AvType::NUL:
      if (!x.is_bool() || !x.get_bool())
        return "One or more parameter values were invalid: Null attribute value types must have the value of true";
      return {};
    case AvType::L:
      for (auto& e : x.get_array()) {
        if (e.is_null()) return "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes";
        err = check_value(e, depth + 1);
        if (!err.empty()) return err;
      }
      return {};
    case AvType::M:
      for (auto& [mk, e] : x.get_object()) {
        err = check_value(e, depth + 1);
        if (!err.empty()) return err;
      }
      return {};
    case AvType::SS: {
      auto& a = x.get_array();
      if (a.empty()) return "One or more parameter values were invalid: An string set  may not be empty";
      std::unordered_set<std::string_view> seen;
      for (auto& e : a) {
        if (!e.is_string()) return "One or more parameter values were invalid: An string set  may not be empty";
        if (!seen.insert(e.get_string()).second)
          return "One or more parameter values were invalid: Input collection " + render_set(a, false) +
                 " contains duplicates.";
      }
      return {};
    }
    case AvType::BS: {
      auto& a = x.get_array();
      if (a.empty()) return "One or more parameter values were invalid: Binary sets should not be empty";
      std::unordered_set<std::string_view> seen;
      for (auto& e : a) {
        if (!e.is_string()) return "One or more parameter values were invalid: Binary sets should not be empty";
        if (!seen.insert(e.get_string()).second)
          return "One or more parameter values were invalid: Input collection " + render_set(a, true) +
                 "of type BS contains duplicates.";
      }
      return {};
    }
    case AvType::NS: {
      auto& a = x.get_array();
      if (a.empty()) return "One or more parameter values were invalid: An number set  may not be empty";
      std::unordered_set<std::string> seen;
      for (auto& e : a) {
        if (!e.is_string()) return "The parameter cannot be converted to a numeric value";
        auto c = canonical_number(e.get_string(), err);
        if (!c) return err;
        if (!seen.insert(*c).second) return "Input collection contains duplicates";
        e = json::string(*c);
      }
      return {};
    }
    default:
      return "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes";
  }
}

namespace {
int cmp_num(std::string_view a, std::string_view b) {
  if (a == b) return 0;
  auto x = parse_decimal(a), y = parse_decimal(b);
  if (!x || !y) return a < b ? -1 : 1;
  return compare(*x, *y);
}

bool set_equal(const json::array& a, const json::array& b, bool numeric) {
  if (a.size() != b.size()) return false;
  for (auto& x : a) {
    bool found = false;
    for (auto& y : b) {
      if (numeric ? cmp_num(x.get_string(), y.get_string()) == 0 : x.get_string() == y.get_string()) {
        found = true;
        break;
      }
    }
    if (!found) return false;
  }
  return true;
}
}  // namespace

bool comparable(const json::value& a, const json::value& b) {
  AvType ta = av_type(a), tb = av_type(b);
  return ta == tb && (ta == AvType::S || ta == AvType::N || ta == AvType::B);
}

int av_compare(const json::value& a, const json::value& b) {
  AvType t = av_type(a);
  auto& x = av_payload(a).get_string();
  auto& y = av_payload(b).get_string();
  if (t == AvType::N) return cmp_num(x, y);
  int c = std::string_view(x).compare(std::string_view(y));
  return c < 0 ? -1 : c > 0 ? 1 : 0;
}

bool av_equal(const json::value& a, const json::value& b) {
  AvType t = av_type(a);
  if (t != av_type(b) || t == AvType::none) return false;
  auto& x = av_payload(a);
  auto& y = av_payload(b);
  switch (t) {
    case AvType::S:
    case AvType::B: return x.get_string() == y.get_string();
    case AvType::N: return cmp_num(x.get_string(), y.get_string()) == 0;
    case AvType::BOOL:
    case AvType::NUL: return x == y;
    case AvType::SS:
    case AvType::BS: return set_equal(x.get_array(), y.get_array(), false);
    case AvType::NS: return set_equal(x.get_array(), y.get_array(), true);
    case AvType::L: {
      auto& p = x.get_array();
      auto& q = y.get_array();
      if (p.size() != q.size()) return false;
      for (size_t i = 0; i < p.size(); ++i)
        if (!av_equal(p[i], q[i])) return false;
      return true;
    }
    case AvType::M: {
      auto& p = x.get_object();
      auto& q = y.get_object();
      if (p.size() != q.size()) return false;
      for (auto& [k, e] : p) {
        auto it = q.find(k);
        if (it == q.end() || !av_equal(e, it->value())) return false;
      }
      return true;
    }
    default: return false;
  }
}

namespace {
size_t num_size(std::string_view s) {
  auto d = parse_decimal(s);
  if (!d) return 1;
  return number_size(*d);
}
}  // namespace

size_t value_size(const json::value& v) {
  if (!v.is_object() || v.get_object().empty()) return 0;
  auto& [k, x] = *v.get_object().begin();
  switch (parse_type_name(k)) {
    case AvType::S:
    case AvType::B: return x.is_string() ? x.get_string().size() : 0;
    case AvType::N: return x.is_string() ? num_size(x.get_string()) : 0;
    case AvType::BOOL:
    case AvType::NUL: return 1;
    case AvType::SS:
    case AvType::BS: {
      size_t n = 0;
      for (auto& e : x.get_array()) n += e.is_string() ? e.get_string().size() : 0;
      return n;
    }
    case AvType::NS: {
      size_t n = 0;
      for (auto& e : x.get_array()) n += e.is_string() ? num_size(e.get_string()) : 0;
      return n;
    }
    case AvType::L: {
      size_t n = 3;
      for (auto& e : x.get_array()) n += 1 + value_size(e);
      return n;
    }
    case AvType::M: {
      size_t n = 3;
      for (auto& [mk, e] : x.get_object()) n += 1 + mk.size() + value_size(e);
      return n;
    }
    default: return 0;
  }
}

size_t item_size(const json::object& item) {
  size_t n = 0;
  for (auto& [k, v] : item) n += k.size() + value_size(v);
  return n;
}

std::string key_bytes(const json::value& v) {
  auto& [k, x] = *v.get_object().begin();
  if (k == "N") {
    auto d = parse_decimal(x.get_string());
    return d ? sort_key_bytes(*d) : std::string();
  }
  return std::string(x.get_string());
}

}  // namespace stratus::dynamodb
