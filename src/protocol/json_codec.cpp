// JSON bodies (awsJson 1.0/1.1 and rest-json) ⇄ documents, and scalar text conversions shared by
// every codec.
#include "internal.hpp"

#include <stratus/clock.hpp>
#include <stratus/crypto.hpp>
#include <stratus/strings.hpp>

#include <charconv>
#include <cmath>
#include <cstdio>

namespace stratus::protocol {
using namespace model;

namespace {

std::string_view kind_name(const json::value& v) {
  switch (v.kind()) {
    case json::kind::string: return "STRING_VALUE";
    case json::kind::int64:
    case json::kind::uint64:
    case json::kind::double_: return "NUMBER_VALUE";
    case json::kind::bool_: return v.get_bool() ? "TRUE_VALUE" : "FALSE_VALUE";
    case json::kind::array: return "START_ARRAY";
    case json::kind::object: return "START_OBJECT";
    default: return "VALUE_NULL";
  }
}

[[noreturn]] void mismatch(const json::value& v, std::string_view target) {
  if (v.is_object() && target != "Structure" && target != "Map")
    throw AwsError::serialization("Start of structure or map found where not expected.");
  if (v.is_array()) throw AwsError::serialization("Start of list found where not expected");
  throw AwsError::serialization(std::string(kind_name(v)) + " can not be converted to " +
                                (target == "Integer" ? "an " : "a ") + std::string(target));
}

bool integral(const json::value& v) {
  if (v.is_int64() || v.is_uint64()) return true;
  if (v.is_double()) {
    double d = v.get_double();
    return std::floor(d) == d && std::fabs(d) < 9.3e18;
  }
  return false;
}

void convert(const Shape& sh, json::value& v, bool rest_json);

// The member a JSON key names: its locationName (API Gateway's "item" for "items"), else its name.
const Ref* wire_member(const Shape& sh, std::string_view key) {
  for (auto& m : sh.members)
    if (m.location == Location::body && m.location_name == key) return &m;
  return nullptr;
}

void convert_struct(const Shape& sh, json::object& o, bool rest_json) {
  std::vector<std::string> drop;
  std::vector<std::pair<std::string, std::string>> renames;
  for (auto& [k, val] : o) {
    const Ref* m = wire_member(sh, k);
    if (!m || val.is_null()) {
      drop.emplace_back(k);
      continue;
    }
    convert(*m->shape, val, rest_json);
    if (m->name != std::string_view(k)) renames.emplace_back(k, m->name);
  }
  for (auto& k : drop) o.erase(k);
  for (auto& [from, to] : renames) {
    json::value v = std::move(o[from]);
    o.erase(from);
    o[to] = std::move(v);
  }
}

void convert(const Shape& sh, json::value& v, bool rest_json) {
  switch (sh.type) {
    case Type::structure:
      if (!v.is_object()) mismatch(v, "Structure");
      convert_struct(sh, v.get_object(), rest_json);
      break;
    case Type::list:
      if (!v.is_array()) mismatch(v, "List");
      for (auto& x : v.get_array())
        if (!x.is_null()) convert(*sh.member.shape, x, rest_json);
      break;
    case Type::map:
      if (!v.is_object()) mismatch(v, "Map");
      for (auto& [k, x] : v.get_object())
        if (!x.is_null()) convert(*sh.value.shape, x, rest_json);
      break;
    case Type::string:
      if (!v.is_string()) mismatch(v, "String");
      break;
    case Type::integer:
    case Type::long_:
      if (!integral(v)) mismatch(v, sh.type == Type::integer ? "Integer" : "Long");
      if (v.is_double()) v = static_cast<int64_t>(v.get_double());
      break;
    case Type::float_:
    case Type::double_:
    case Type::bigdecimal:
      if (v.is_int64()) v = static_cast<double>(v.get_int64());
      else if (v.is_uint64()) v = static_cast<double>(v.get_uint64());
      else if (v.is_string()) {
        auto s = std::string_view(v.get_string());
        if (s == "NaN") v = NAN;
        else if (s == "Infinity") v = INFINITY;
        else if (s == "-Infinity") v = -INFINITY;
        else mismatch(v, "Double");
      } else if (!v.is_double()) mismatch(v, "Double");
      break;
    case Type::biginteger:
      if (!integral(v)) mismatch(v, "BigInteger");
      break;
    case Type::boolean:
      if (!v.is_bool()) mismatch(v, "Boolean");
      break;
    case Type::blob: {
      if (!v.is_string()) mismatch(v, "Blob");
      auto raw = crypto::base64_decode(v.get_string());
      if (!raw) throw AwsError::serialization("Base64 encoded binary data could not be decoded");
      v = json::string(*raw);
      break;
    }
    case Type::timestamp:
      if (v.is_int64()) v = static_cast<double>(v.get_int64());
      else if (v.is_uint64()) v = static_cast<double>(v.get_uint64());
      else if (v.is_string()) {
        double t;
        if (!parse_time(v.get_string(), t)) mismatch(v, "Timestamp");
        v = t;
      } else if (!v.is_double()) mismatch(v, "Timestamp");
      break;
    default: break;  // documents and unknown types pass through
  }
}

void write_value(const Shape& sh, const json::value& v, std::string& out, TimestampFormat fmt);

void write_struct(const Shape& sh, const json::object& o, std::string& out, bool body_only) {
  out += '{';
  bool first = true;
  for (auto& m : sh.members) {
    if (body_only && m.location != Location::body) continue;
    auto it = o.find(m.name);
    if (it == o.end() || it->value().is_null()) continue;
    if (!first) out += ',';
    first = false;
    json_escape(m.location_name, out);
    out += ':';
    write_value(*m.shape, it->value(), out, m.timestamp_format);
  }
  out += '}';
}

void write_value(const Shape& sh, const json::value& v, std::string& out, TimestampFormat fmt) {
  switch (sh.type) {
    case Type::structure:
      if (v.is_object()) write_struct(sh, v.get_object(), out, false);
      else out += "{}";
      break;
    case Type::list: {
      out += '[';
      bool first = true;
      if (v.is_array())
        for (auto& x : v.get_array()) {
          if (!first) out += ',';
          first = false;
          if (x.is_null()) out += "null";
          else write_value(*sh.member.shape, x, out, sh.member.timestamp_format);
        }
      out += ']';
      break;
    }
    case Type::map: {
      out += '{';
      bool first = true;
      if (v.is_object())
        for (auto& [k, x] : v.get_object()) {
          if (!first) out += ',';
          first = false;
          json_escape(k, out);
          out += ':';
          if (x.is_null()) out += "null";
          else write_value(*sh.value.shape, x, out, sh.value.timestamp_format);
        }
      out += '}';
      break;
    }
    case Type::blob:
      if (v.is_string()) json_escape(crypto::base64(v.get_string()), out);
      else out += "null";
      break;
    case Type::timestamp: {
      auto f = fmt != TimestampFormat::none ? fmt : sh.timestamp_format;
      double t = v.is_double() ? v.get_double() : v.is_int64() ? static_cast<double>(v.get_int64()) : 0;
      if (v.is_string()) {
        json_escape(v.get_string(), out);
      } else if (f == TimestampFormat::iso8601) {
        json_escape(iso8601(t), out);
      } else if (f == TimestampFormat::rfc822) {
        json_escape(rfc822(t), out);
      } else {
        detail::append_double(std::round(t * 1000.0) / 1000.0, out);
      }
      break;
    }
    case Type::string:
      if (v.is_string()) json_escape(v.get_string(), out);
      else out += json::serialize(v.is_null() ? json::value("") : json::value(json::serialize(v)));
      break;
    case Type::integer:
    case Type::long_:
    case Type::biginteger:
      if (v.is_double()) out += std::to_string(static_cast<long long>(v.get_double()));
      else out += json::serialize(v);
      break;
    case Type::float_:
    case Type::double_:
    case Type::bigdecimal:
      if (v.is_double()) {
        double d = v.get_double();
        if (std::isnan(d)) out += "\"NaN\"";
        else if (std::isinf(d)) out += d > 0 ? "\"Infinity\"" : "\"-Infinity\"";
        else detail::append_double(d, out);
      } else {
        out += json::serialize(v);
      }
      break;
    default: out += json::serialize(v); break;
  }
}

}  // namespace

void json_escape(std::string_view s, std::string& out) {
  static const char* kHex = "0123456789abcdef";
  out += '"';
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default:
        if (c < 0x20) {
          out += "\\u00";
          out += kHex[c >> 4];
          out += kHex[c & 15];
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  out += '"';
}

void json_to_doc(const Shape& shape, json::value& v, bool rest_json) { convert(shape, v, rest_json); }

void doc_to_json(const Shape& shape, const json::value& v, std::string& out) {
  write_value(shape, v, out, TimestampFormat::none);
}
void doc_to_json(const Ref& ref, const json::value& v, std::string& out) {
  write_value(*ref.shape, v, out, ref.timestamp_format);
}

namespace detail {

void append_double(double d, std::string& out) {
  if (std::floor(d) == d && std::fabs(d) < 1e15) {
    out += std::to_string(static_cast<long long>(d));
    return;
  }
  char buf[32];
  auto [p, ec] = std::to_chars(buf, buf + sizeof buf, d);
  out.append(buf, p);
}

void write_json_struct(const Shape& sh, const json::object& o, std::string& out, bool body_only) {
  write_struct(sh, o, out, body_only);
}

std::string_view json_content_type(const Model& m) {
  return m.metadata().json_version == "1.1" ? "application/x-amz-json-1.1" : "application/x-amz-json-1.0";
}

TimestampFormat effective_format(const Ref& ref, TimestampFormat protocol_default) {
  if (ref.timestamp_format != TimestampFormat::none) return ref.timestamp_format;
  if (ref.shape && ref.shape->timestamp_format != TimestampFormat::none) return ref.shape->timestamp_format;
  return protocol_default;
}

std::string scalar_text(const Shape& sh, const json::value& v, TimestampFormat fmt) {
  switch (sh.type) {
    case Type::boolean: return v.is_bool() ? (v.get_bool() ? "true" : "false") : "";
    case Type::blob: return v.is_string() ? crypto::base64(v.get_string()) : "";
    case Type::timestamp: {
      if (v.is_string()) return std::string(v.get_string());
      double t = v.is_double() ? v.get_double() : v.is_int64() ? static_cast<double>(v.get_int64()) : 0;
      if (fmt == TimestampFormat::rfc822) return rfc822(t);
      if (fmt == TimestampFormat::unix_timestamp) {
        std::string s;
        append_double(t, s);
        return s;
      }
      return iso8601(t);
    }
    case Type::float_:
    case Type::double_: {
      if (!v.is_double()) break;
      double d = v.get_double();
      if (std::isnan(d)) return "NaN";
      if (std::isinf(d)) return d > 0 ? "Infinity" : "-Infinity";
      std::string s;
      append_double(d, s);
      return s;
    }
    default: break;
  }
  if (v.is_string()) return std::string(v.get_string());
  if (v.is_double()) {
    std::string s;
    append_double(v.get_double(), s);
    return s;
  }
  if (v.is_null()) return "";
  return json::serialize(v);
}

json::value scalar_from_text(const Shape& sh, std::string_view text, TimestampFormat fmt,
                             const std::string& validation_code, std::string_view where) {
  auto bad = [&](std::string_view what) -> AwsError {
    return AwsError(validation_code,
                    "Value '" + std::string(text) + "' at '" + std::string(where) + "' failed to satisfy constraint: " +
                        std::string(what),
                    400);
  };
  switch (sh.type) {
    case Type::string: return json::string(text);
    case Type::integer:
    case Type::long_:
    case Type::biginteger: {
      auto i = parse_int(text);
      if (!i) throw bad("Member must be a number");
      return *i;
    }
    case Type::float_:
    case Type::double_:
    case Type::bigdecimal: {
      auto d = parse_double(text);
      if (!d) throw bad("Member must be a number");
      return *d;
    }
    case Type::boolean:
      if (iequals(text, "true")) return true;
      if (iequals(text, "false")) return false;
      throw bad("Member must be a boolean");
    case Type::blob: {
      auto raw = crypto::base64_decode(text);
      if (!raw) throw bad("Member must be valid base64");
      return json::string(*raw);
    }
    case Type::timestamp: {
      double t;
      if (!parse_time(text, t)) throw bad("Member must be a timestamp");
      return t;
    }
    default: return json::string(text);
  }
  (void)fmt;
}

}  // namespace detail
}  // namespace stratus::protocol
