// JSON Schema draft 4 — the keywords API Gateway models use for request validation
// (https://docs.aws.amazon.com/apigateway/latest/developerguide/models-mappings-models.html).
#include "rest_exec.hpp"

#include <stratus/strings.hpp>

#include <cmath>
#include <boost/regex.hpp>

namespace stratus::apigateway {

namespace {

struct Validator {
  const json::value& root;
  int depth = 0;

  const json::value* resolve(const json::value& schema) const {
    if (!schema.is_object()) return &schema;
    auto* ref = find(schema.get_object(), "$ref");
    if (!ref || !ref->is_string()) return &schema;
    std::string_view r = ref->get_string();
    if (!r.starts_with("#/")) return &schema;
    const json::value* cur = &root;
    for (auto part : split(r.substr(2), '/')) {
      if (!cur->is_object()) return &schema;
      cur = find(cur->get_object(), part);
      if (!cur) return &schema;
    }
    return cur;
  }

  static bool is_type(const json::value& v, std::string_view t) {
    if (t == "object") return v.is_object();
    if (t == "array") return v.is_array();
    if (t == "string") return v.is_string();
    if (t == "boolean") return v.is_bool();
    if (t == "null") return v.is_null();
    if (t == "number") return v.is_number();
    if (t == "integer") {
      if (v.is_int64() || v.is_uint64()) return true;
      return v.is_double() && std::floor(v.get_double()) == v.get_double();
    }
    return true;
  }

  static double num(const json::value& v) { return v.to_number<double>(); }

  std::string check(const json::value& doc, const json::value& schema_in, const std::string& where) {
    if (++depth > 64) return "schema too deep";
    struct Guard {
      int& d;
      ~Guard() { --d; }
    } guard{depth};
    const json::value& schema = *resolve(schema_in);
    if (!schema.is_object()) return "";
    const auto& s = schema.get_object();
    if (auto* t = find(s, "type")) {
      bool ok = false;
      if (t->is_string()) ok = is_type(doc, t->get_string());
      else if (t->is_array())
        for (auto& x : t->get_array()) ok = ok || (x.is_string() && is_type(doc, x.get_string()));
      else ok = true;
      if (!ok) return "instance type does not match any allowed primitive type at " + where;
    }
    if (auto* e = opt_arr(s, "enum")) {
      bool ok = false;
      for (auto& x : *e) ok = ok || x == doc;
      if (!ok) return "instance value not found in enum at " + where;
    }
    for (auto* key : {"allOf", "anyOf", "oneOf"})
      if (auto* list = opt_arr(s, key)) {
        int passed = 0;
        std::string first;
        for (auto& sub : *list) {
          auto why = check(doc, sub, where);
          if (why.empty()) ++passed;
          else if (first.empty()) first = why;
        }
        std::string_view k = key;
        if (k == "allOf" && passed != static_cast<int>(list->size())) return first;
        if (k == "anyOf" && passed == 0) return first;
        if (k == "oneOf" && passed != 1) return "instance does not match exactly one schema at " + where;
      }
    if (auto* n = find(s, "not"); n && check(doc, *n, where).empty()) return "instance matched a disallowed schema at " + where;
    if (doc.is_string()) {
      size_t len = utf8_length(doc.get_string());
      if (auto v = opt_int(s, "minLength"); v && static_cast<int64_t>(len) < *v) return "string too short at " + where;
      if (auto v = opt_int(s, "maxLength"); v && static_cast<int64_t>(len) > *v) return "string too long at " + where;
      if (auto p = opt_str(s, "pattern")) {
        try {
          std::string str(doc.get_string());
          if (!boost::regex_search(str, boost::regex(*p))) return "string does not match pattern at " + where;
        } catch (const boost::regex_error&) {
        }
      }
    }
    if (doc.is_number()) {
      double d = num(doc);
      if (auto* m = find(s, "minimum"); m && m->is_number()) {
        bool excl = get_bool(s, "exclusiveMinimum");
        if (excl ? d <= num(*m) : d < num(*m)) return "numeric instance is lower than the required minimum at " + where;
      }
      if (auto* m = find(s, "maximum"); m && m->is_number()) {
        bool excl = get_bool(s, "exclusiveMaximum");
        if (excl ? d >= num(*m) : d > num(*m)) return "numeric instance is greater than the required maximum at " + where;
      }
      if (auto* m = find(s, "multipleOf"); m && m->is_number() && num(*m) > 0) {
        double q = d / num(*m);
        if (std::fabs(q - std::round(q)) > 1e-9) return "numeric instance is not a multiple of the divisor at " + where;
      }
    }
    if (doc.is_array()) {
      const auto& a = doc.get_array();
      if (auto v = opt_int(s, "minItems"); v && static_cast<int64_t>(a.size()) < *v) return "array is too short at " + where;
      if (auto v = opt_int(s, "maxItems"); v && static_cast<int64_t>(a.size()) > *v) return "array is too long at " + where;
      if (auto* items = find(s, "items"); items && items->is_object())
        for (size_t i = 0; i < a.size(); ++i)
          if (auto why = check(a[i], *items, where + "/" + std::to_string(i)); !why.empty()) return why;
      if (get_bool(s, "uniqueItems"))
        for (size_t i = 0; i < a.size(); ++i)
          for (size_t j = i + 1; j < a.size(); ++j)
            if (a[i] == a[j]) return "array must not contain duplicate elements at " + where;
    }
    if (doc.is_object()) {
      const auto& o = doc.get_object();
      if (auto* req = opt_arr(s, "required"))
        for (auto& r : *req)
          if (r.is_string() && !o.contains(r.get_string()))
            return "object has missing required properties ([\"" + std::string(r.get_string()) + "\"]) at " + where;
      if (auto v = opt_int(s, "minProperties"); v && static_cast<int64_t>(o.size()) < *v) return "too few properties at " + where;
      if (auto v = opt_int(s, "maxProperties"); v && static_cast<int64_t>(o.size()) > *v) return "too many properties at " + where;
      const json::object* props = opt_obj(s, "properties");
      const json::object* patterns = opt_obj(s, "patternProperties");
      const json::value* additional = find(s, "additionalProperties");
      for (auto& [k, v] : o) {
        bool known = false;
        if (props)
          if (auto* ps = find(*props, k)) {
            known = true;
            if (auto why = check(v, *ps, where + "/" + std::string(k)); !why.empty()) return why;
          }
        if (patterns)
          for (auto& [pat, ps] : *patterns) {
            try {
              std::string key(k);
              if (boost::regex_search(key, boost::regex(std::string(pat)))) {
                known = true;
                if (auto why = check(v, ps, where + "/" + key); !why.empty()) return why;
              }
            } catch (const boost::regex_error&) {
            }
          }
        if (!known && additional) {
          if (additional->is_bool() && !additional->get_bool())
            return "object instance has properties which are not allowed by the schema: [\"" + std::string(k) + "\"]";
          if (additional->is_object())
            if (auto why = check(v, *additional, where + "/" + std::string(k)); !why.empty()) return why;
        }
      }
    }
    return "";
  }
};

}  // namespace

std::string validate_json_schema(const json::value& doc, const json::value& schema) {
  Validator v{schema};
  return v.check(doc, schema, "");
}

std::string RestExchange::validate_body(std::string_view schema_text) const {
  boost::system::error_code ec;
  json::value schema = json::parse(schema_text, ec);
  if (ec) return "";
  json::value doc = json::parse(inv.body.empty() ? std::string_view("{}") : std::string_view(inv.body), ec);
  if (ec) return "Invalid JSON in request body";
  return validate_json_schema(doc, schema);
}

}  // namespace stratus::apigateway
