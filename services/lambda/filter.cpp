#include "filter.hpp"

#include <stratus/strings.hpp>

#include <stdexcept>

namespace stratus::lambda {

namespace {

bool wildcard(std::string_view pat, std::string_view s) {
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

bool numeric_matches(const json::array& cond, double x) {
  for (size_t i = 0; i + 1 < cond.size(); i += 2) {
    if (!cond[i].is_string() || !cond[i + 1].is_number()) return false;
    std::string_view op = cond[i].get_string();
    double v = cond[i + 1].to_number<double>();
    bool ok = op == "=" ? x == v : op == "<" ? x < v : op == "<=" ? x <= v : op == ">" ? x > v : op == ">=" ? x >= v : false;
    if (!ok) return false;
  }
  return true;
}

// One element of a pattern's value list against one (non-array) event value; `present` false when absent.
bool element_matches(const json::value& rule, const json::value* value) {
  if (!rule.is_object()) {
    if (!value) return false;
    if (rule.is_string() && value->is_string()) return rule.get_string() == value->get_string();
    if (rule.is_number() && value->is_number()) return rule.to_number<double>() == value->to_number<double>();
    if (rule.is_bool() && value->is_bool()) return rule.get_bool() == value->get_bool();
    if (rule.is_null()) return value->is_null();
    return false;
  }
  const auto& o = rule.get_object();
  if (auto* e = find(o, "exists")) return e->is_bool() && e->get_bool() == (value != nullptr);
  if (!value) {
    // anything-but matches an absent field too.
    return o.contains("anything-but");
  }
  if (auto* p = find(o, "prefix")) {
    if (p->is_object()) {
      auto s = opt_str(p->get_object(), "equals-ignore-case");
      return s && value->is_string() && to_lower(value->get_string()).starts_with(to_lower(*s));
    }
    return p->is_string() && value->is_string() && std::string_view(value->get_string()).starts_with(p->get_string());
  }
  if (auto* p = find(o, "suffix")) {
    if (p->is_object()) {
      auto s = opt_str(p->get_object(), "equals-ignore-case");
      return s && value->is_string() && to_lower(value->get_string()).ends_with(to_lower(*s));
    }
    return p->is_string() && value->is_string() && std::string_view(value->get_string()).ends_with(p->get_string());
  }
  if (auto* p = find(o, "equals-ignore-case"))
    return p->is_string() && value->is_string() && iequals(p->get_string(), value->get_string());
  if (auto* p = find(o, "wildcard"))
    return p->is_string() && value->is_string() && wildcard(p->get_string(), value->get_string());
  if (auto* p = find(o, "numeric")) {
    if (!p->is_array()) return false;
    double x;
    if (value->is_number()) x = value->to_number<double>();
    else return false;
    return numeric_matches(p->get_array(), x);
  }
  if (auto* p = find(o, "anything-but")) {
    auto equal = [&](const json::value& v) { return element_matches(v, value); };
    if (p->is_array()) {
      for (auto& v : p->get_array())
        if (equal(v)) return false;
      return true;
    }
    if (p->is_object()) {
      const auto& inner = p->get_object();
      if (auto* pre = find(inner, "prefix"))
        return !(pre->is_string() && value->is_string() && std::string_view(value->get_string()).starts_with(pre->get_string()));
      if (auto* suf = find(inner, "suffix"))
        return !(suf->is_string() && value->is_string() && std::string_view(value->get_string()).ends_with(suf->get_string()));
      if (auto* ic = find(inner, "equals-ignore-case")) {
        if (ic->is_string()) return !(value->is_string() && iequals(ic->get_string(), value->get_string()));
        if (ic->is_array()) {
          for (auto& v : ic->get_array())
            if (v.is_string() && value->is_string() && iequals(v.get_string(), value->get_string())) return false;
          return true;
        }
      }
      return true;
    }
    return !equal(*p);
  }
  if (auto* p = find(o, "cidr")) return p->is_string() && value->is_string();  // accepted, not evaluated
  return false;
}

bool list_matches(const json::array& rules, const json::value* value) {
  if (value && value->is_array()) {
    // An array in the event matches when any of its elements matches.
    for (auto& rule : rules)
      for (auto& v : value->get_array())
        if (element_matches(rule, &v)) return true;
    for (auto& rule : rules)
      if (rule.is_object() && rule.get_object().contains("exists")) return element_matches(rule, value);
    return false;
  }
  for (auto& rule : rules)
    if (element_matches(rule, value)) return true;
  return false;
}

}  // namespace

json::object parse_pattern(std::string_view text) {
  boost::system::error_code ec;
  auto v = json::parse(text, ec);
  if (ec || !v.is_object()) throw std::invalid_argument("Invalid filter pattern definition.");
  return std::move(v.as_object());
}

bool pattern_matches(const json::object& pattern, const json::value& event) {
  for (auto& [key, rule] : pattern) {
    if (key == "$or") {
      if (!rule.is_array()) return false;
      bool any = false;
      for (auto& alt : rule.get_array())
        if (alt.is_object() && pattern_matches(alt.get_object(), event)) any = true;
      if (!any) return false;
      continue;
    }
    const json::value* value = event.is_object() ? find(event.get_object(), key) : nullptr;
    if (rule.is_object()) {
      if (!value || !value->is_object()) return false;
      if (!pattern_matches(rule.get_object(), *value)) return false;
    } else if (rule.is_array()) {
      if (!list_matches(rule.get_array(), value)) return false;
    } else {
      return false;
    }
  }
  return true;
}

bool any_pattern_matches(const std::vector<json::object>& patterns, const json::value& event) {
  if (patterns.empty()) return true;
  for (auto& p : patterns)
    if (pattern_matches(p, event)) return true;
  return false;
}

}  // namespace stratus::lambda
