#pragma once
// The document type of the whole program: operation inputs and outputs are boost::json values.
#include <boost/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace stratus {
namespace json = boost::json;

// Small accessors that keep handler code free of kind checks.
inline const json::value* find(const json::object& o, std::string_view key) {
  auto it = o.find(key);
  return it == o.end() ? nullptr : &it->value();
}
inline std::string_view str_or(const json::object& o, std::string_view key, std::string_view def = {}) {
  auto* v = find(o, key);
  return v && v->is_string() ? std::string_view(v->get_string()) : def;
}
inline std::optional<std::string> opt_str(const json::object& o, std::string_view key) {
  auto* v = find(o, key);
  if (v && v->is_string()) return std::string(v->get_string());
  return std::nullopt;
}
inline std::optional<int64_t> opt_int(const json::object& o, std::string_view key) {
  auto* v = find(o, key);
  if (!v) return std::nullopt;
  if (v->is_int64()) return v->get_int64();
  if (v->is_uint64()) return static_cast<int64_t>(v->get_uint64());
  if (v->is_double()) return static_cast<int64_t>(v->get_double());
  return std::nullopt;
}
inline std::optional<bool> opt_bool(const json::object& o, std::string_view key) {
  auto* v = find(o, key);
  if (v && v->is_bool()) return v->get_bool();
  return std::nullopt;
}
inline const json::object* opt_obj(const json::object& o, std::string_view key) {
  auto* v = find(o, key);
  return v && v->is_object() ? &v->get_object() : nullptr;
}
inline const json::array* opt_arr(const json::object& o, std::string_view key) {
  auto* v = find(o, key);
  return v && v->is_array() ? &v->get_array() : nullptr;
}
// The strings of an array member (other elements skipped); empty when absent.
inline std::vector<std::string> string_list(const json::object& o, std::string_view key) {
  std::vector<std::string> out;
  if (auto* a = opt_arr(o, key))
    for (auto& v : *a)
      if (v.is_string()) out.emplace_back(v.get_string());
  return out;
}

}  // namespace stratus
