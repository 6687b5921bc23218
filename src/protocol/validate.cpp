// Model constraint validation with AWS's (Coral) wording:
//   1 validation error detected: Value null at 'tableName' failed to satisfy constraint: Member must not be null
#include "internal.hpp"

#include <stratus/strings.hpp>

#include <boost/regex.hpp>

#include <cmath>
#include <mutex>
#include <unordered_map>

namespace stratus::protocol {
using namespace model;

namespace {

std::string lower_first(std::string_view s) {
  std::string r(s);
  if (!r.empty() && r[0] >= 'A' && r[0] <= 'Z') r[0] = static_cast<char>(r[0] + 32);
  return r;
}

std::string render(const json::value& v) {
  if (v.is_string()) return std::string(v.get_string());
  if (v.is_int64()) return std::to_string(v.get_int64());
  if (v.is_uint64()) return std::to_string(v.get_uint64());
  if (v.is_double()) {
    std::string s;
    detail::append_double(v.get_double(), s);
    return s;
  }
  if (v.is_bool()) return v.get_bool() ? "true" : "false";
  if (v.is_array()) {
    std::string s = "[";
    bool first = true;
    for (auto& x : v.get_array()) {
      if (!first) s += ", ";
      first = false;
      s += render(x);
    }
    return s + "]";
  }
  if (v.is_object()) {
    std::string s = "{";
    bool first = true;
    for (auto& [k, x] : v.get_object()) {
      if (!first) s += ", ";
      first = false;
      s += std::string(k) + "=" + render(x);
    }
    return s + "}";
  }
  return "null";
}

// AWS validates with Java regexes: translate Java's \uXXXX escapes (exactly four hex digits, as
// Java reads them) to Boost's \x{XXXX} and match over UTF-32, so ranges beyond Latin-1 work.
std::wstring java_pattern_to_boost(std::string_view p) {
  std::wstring out;
  for (size_t i = 0; i < p.size(); ++i) {
    if (p[i] == '\\' && i + 5 < p.size() && p[i + 1] == 'u') {
      out += L"\\x{";
      for (size_t k = 2; k < 6; ++k) out += static_cast<wchar_t>(p[i + k]);
      out += L'}';
      i += 5;
      continue;
    }
    if (p[i] == '\\' && i + 1 < p.size()) {
      out += L'\\';
      out += static_cast<wchar_t>(p[++i]);
      continue;
    }
    out += static_cast<wchar_t>(static_cast<unsigned char>(p[i]));
  }
  return out;
}

std::wstring utf32(std::string_view s) {
  std::wstring out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    uint32_t cp = c;
    size_t n = 1;
    if (c >= 0xF0) {
      cp = c & 0x07;
      n = 4;
    } else if (c >= 0xE0) {
      cp = c & 0x0F;
      n = 3;
    } else if (c >= 0xC0) {
      cp = c & 0x1F;
      n = 2;
    }
    for (size_t k = 1; k < n && i + k < s.size(); ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    out += static_cast<wchar_t>(cp);
    i += n;
  }
  return out;
}

const boost::wregex* compiled(const Shape& sh) {
  static std::mutex mu;
  static std::unordered_map<const Shape*, std::unique_ptr<boost::wregex>> cache;
  std::lock_guard lock(mu);
  auto it = cache.find(&sh);
  if (it != cache.end()) return it->second.get();
  std::unique_ptr<boost::wregex> re;
  try {
    re = std::make_unique<boost::wregex>(java_pattern_to_boost(sh.pattern), boost::regex::perl);
  } catch (const std::exception&) {
    re = nullptr;  // Java-only syntax: not checked
  }
  auto* raw = re.get();
  cache.emplace(&sh, std::move(re));
  return raw;
}

struct Validator {
  const ValidationOptions& opt;
  std::vector<std::string> errors;

  void fail(const json::value* v, const std::string& path, const std::string& what) {
    errors.push_back("Value " + (v ? "'" + render(*v) + "'" : std::string("null")) + " at '" + path +
                     "' failed to satisfy constraint: " + what);
  }

  static std::string fmt_num(double d) {
    if (std::floor(d) == d && std::fabs(d) < 1e18) return std::to_string(static_cast<long long>(d));
    std::string s;
    detail::append_double(d, s);
    return s;
  }

  void length(const Shape& sh, const json::value& v, const std::string& path, double len) {
    if (sh.min && len < *sh.min) fail(&v, path, "Member must have length greater than or equal to " + fmt_num(*sh.min));
    if (sh.max && len > *sh.max) fail(&v, path, "Member must have length less than or equal to " + fmt_num(*sh.max));
  }

  void value(const Shape& sh, const json::value& v, const std::string& path) {
    switch (sh.type) {
      case Type::structure:
        if (v.is_object()) structure(sh, v.get_object(), path);
        break;
      case Type::list:
        if (!v.is_array()) break;
        length(sh, v, path, static_cast<double>(v.get_array().size()));
        {
          size_t i = 0;
          if (sh.member.shape && !unconstrained(*sh.member.shape))
            for (auto& x : v.get_array()) {
              ++i;
              value(*sh.member.shape, x, path + "." + std::to_string(i) + ".member");
            }
        }
        break;
      case Type::map:
        if (!v.is_object()) break;
        length(sh, v, path, static_cast<double>(v.get_object().size()));
        {
          bool check_keys = sh.key.shape && !unconstrained(*sh.key.shape);
          bool check_values = sh.value.shape && !unconstrained(*sh.value.shape);
          if (check_keys || check_values)
            for (auto& [k, x] : v.get_object()) {
              if (check_keys) {
                json::value key(k);
                value(*sh.key.shape, key, path + ".key");
              }
              if (check_values) value(*sh.value.shape, x, path + "." + std::string(k) + ".member");
            }
        }
        break;
      case Type::string:
        if (!v.is_string()) break;
        {
          std::string_view s = v.get_string();
          if (opt.patterns && !sh.pattern.empty() && s.size() <= 4096) {
            if (auto* re = compiled(sh)) {
              bool ok = true;
              try {
                std::wstring w = utf32(s);
                ok = boost::regex_match(w, *re);
              } catch (const std::exception&) {
                ok = true;
              }
              if (!ok) fail(&v, path, "Member must satisfy regular expression pattern: " + sh.pattern);
            }
          }
          if (sh.min || sh.max) length(sh, v, path, static_cast<double>(utf8_length(s)));
          if (opt.enums && !sh.enum_values.empty()) {
            bool ok = false;
            for (auto& e : sh.enum_values)
              if (e == s) ok = true;
            if (!ok) {
              std::string set;
              for (auto& e : sh.enum_values) set += (set.empty() ? "" : ", ") + e;
              fail(&v, path, "Member must satisfy enum value set: [" + set + "]");
            }
          }
        }
        break;
      case Type::blob:
        if (v.is_string() && (sh.min || sh.max)) length(sh, v, path, static_cast<double>(v.get_string().size()));
        break;
      case Type::integer:
      case Type::long_:
      case Type::float_:
      case Type::double_: {
        double d = v.is_int64() ? static_cast<double>(v.get_int64())
                   : v.is_uint64() ? static_cast<double>(v.get_uint64())
                   : v.is_double() ? v.get_double()
                                   : NAN;
        if (std::isnan(d)) break;
        if (sh.min && d < *sh.min) fail(&v, path, "Member must have value greater than or equal to " + fmt_num(*sh.min));
        if (sh.max && d > *sh.max) fail(&v, path, "Member must have value less than or equal to " + fmt_num(*sh.max));
        break;
      }
      default: break;
    }
  }

  void structure(const Shape& sh, const json::object& o, const std::string& path) {
    for (auto& m : sh.members) {
      auto p = [&] { return path.empty() ? lower_first(m.name) : path + "." + lower_first(m.name); };
      auto* v = find(o, m.name);
      if (!v || v->is_null()) {
        if (sh.is_required(m.name)) fail(nullptr, p(), "Member must not be null");
        continue;
      }
      if (m.shape && !unconstrained(*m.shape)) value(*m.shape, *v, p());
    }
  }

  // True when no value of the shape can fail validation (no constraint is reachable from it):
  // such subtrees are skipped, which keeps large documents (DynamoDB items) cheap to validate.
  bool unconstrained(const Shape& sh) {
    static thread_local std::unordered_map<const Shape*, bool> cache[4];
    auto& c = cache[(opt.enums ? 1 : 0) | (opt.patterns ? 2 : 0)];
    auto it = c.find(&sh);
    if (it != c.end()) return it->second;
    std::vector<const Shape*> visiting;
    bool r = reach_free(sh, visiting);
    c.emplace(&sh, r);
    return r;
  }

  bool reach_free(const Shape& sh, std::vector<const Shape*>& visiting) {
    for (auto* v : visiting)
      if (v == &sh) return true;  // already being explored: its constraints are found there
    visiting.push_back(&sh);
    bool sized = sh.min || sh.max;
    switch (sh.type) {
      case Type::string:
        return !sized && !(opt.enums && !sh.enum_values.empty()) && !(opt.patterns && !sh.pattern.empty());
      case Type::blob:
      case Type::integer:
      case Type::long_:
      case Type::float_:
      case Type::double_: return !sized;
      case Type::structure:
        if (!sh.required.empty()) return false;
        for (auto& m : sh.members)
          if (m.shape && !reach_free(*m.shape, visiting)) return false;
        return true;
      case Type::list: return !sized && (!sh.member.shape || reach_free(*sh.member.shape, visiting));
      case Type::map:
        return !sized && (!sh.key.shape || reach_free(*sh.key.shape, visiting)) &&
               (!sh.value.shape || reach_free(*sh.value.shape, visiting));
      default: return true;
    }
  }
};

// The same checks as Validator without building any path or message: documents are nearly always
// valid, so the message-building walk only runs when this finds a problem.
struct QuickCheck {
  Validator& v;

  bool value(const Shape& sh, const json::value& x) {
    switch (sh.type) {
      case Type::structure: return !x.is_object() || structure(sh, x.get_object());
      case Type::list: {
        if (!x.is_array()) return true;
        if (!length(sh, static_cast<double>(x.get_array().size()))) return false;
        if (!sh.member.shape || v.unconstrained(*sh.member.shape)) return true;
        for (auto& e : x.get_array())
          if (!value(*sh.member.shape, e)) return false;
        return true;
      }
      case Type::map: {
        if (!x.is_object()) return true;
        if (!length(sh, static_cast<double>(x.get_object().size()))) return false;
        bool keys = sh.key.shape && !v.unconstrained(*sh.key.shape);
        bool values = sh.value.shape && !v.unconstrained(*sh.value.shape);
        if (!keys && !values) return true;
        for (auto& [k, e] : x.get_object()) {
          if (keys && !string(*sh.key.shape, k)) return false;
          if (values && !value(*sh.value.shape, e)) return false;
        }
        return true;
      }
      case Type::string: return !x.is_string() || string(sh, x.get_string());
      case Type::blob: return !x.is_string() || length(sh, static_cast<double>(x.get_string().size()));
      default: {
        Validator probe{v.opt, {}};
        probe.value(sh, x, "");
        return probe.errors.empty();
      }
    }
  }

  bool string(const Shape& sh, std::string_view s) {
    if (v.opt.patterns && !sh.pattern.empty()) return false;  // regexes: leave to the full walk
    if ((sh.min || sh.max) && !length(sh, static_cast<double>(utf8_length(s)))) return false;
    if (v.opt.enums && !sh.enum_values.empty()) {
      for (auto& e : sh.enum_values)
        if (e == s) return true;
      return false;
    }
    return true;
  }

  static bool length(const Shape& sh, double n) { return !(sh.min && n < *sh.min) && !(sh.max && n > *sh.max); }

  bool structure(const Shape& sh, const json::object& o) {
    for (auto& m : sh.members) {
      auto* x = find(o, m.name);
      if (!x || x->is_null()) {
        if (sh.is_required(m.name)) return false;
        continue;
      }
      if (m.shape && !v.unconstrained(*m.shape) && !value(*m.shape, *x)) return false;
    }
    return true;
  }
};

}  // namespace

std::vector<std::string> validate(const Shape& shape, const json::object& doc, const ValidationOptions& opt) {
  Validator v{opt, {}};
  if (QuickCheck{v}.structure(shape, doc)) return {};
  v.structure(shape, doc, "");
  return std::move(v.errors);
}

std::string validation_message(const std::vector<std::string>& errors) {
  std::string msg = std::to_string(errors.size()) +
                    (errors.size() == 1 ? " validation error detected: " : " validation errors detected: ");
  for (size_t i = 0; i < errors.size(); ++i) {
    if (i) msg += "; ";
    msg += errors[i];
  }
  return msg;
}

namespace detail {
void throw_if_invalid(const ServiceInfo& info, const Shape* shape, const json::object& doc) {
  if (!shape) return;
  auto errors = validate(*shape, doc, ValidationOptions{info.validate_enums, info.validate_patterns});
  if (!errors.empty()) throw AwsError(info.validation_error_code, validation_message(errors), 400);
}
}  // namespace detail

}  // namespace stratus::protocol
