#include "patch.hpp"

#include <stratus/strings.hpp>

#include <algorithm>

namespace stratus::apigateway {

namespace {

std::string unescape(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '~' && i + 1 < s.size() && (s[i + 1] == '1' || s[i + 1] == '0')) {
      out += s[i + 1] == '1' ? '/' : '~';
      ++i;
    } else {
      out += s[i];
    }
  }
  return out;
}

json::value typed(const model::Shape& sh, const PatchOp& op, std::string_view text) {
  using model::Type;
  switch (sh.type) {
    case Type::boolean:
      if (iequals(text, "true")) return true;
      if (iequals(text, "false")) return false;
      throw err::bad_request("Invalid value '" + std::string(text) + "' for boolean path " + op.path);
    case Type::integer:
    case Type::long_: {
      auto n = parse_int(text);
      if (!n) throw err::bad_request("Invalid value '" + std::string(text) + "' for integer path " + op.path);
      return *n;
    }
    case Type::double_:
    case Type::float_: {
      auto d = parse_double(text);
      if (!d) throw err::bad_request("Invalid value '" + std::string(text) + "' for double path " + op.path);
      return *d;
    }
    default: return json::string(text);
  }
}

const model::Ref* member_of(const model::Shape& sh, std::string_view name) {
  if (sh.type != model::Type::structure) return nullptr;
  return sh.find_member(name);
}

void apply_one(json::object& doc, const model::Shape& sh, const PatchOp& op, size_t i) {
  using model::Type;
  if (i >= op.segments.size()) throw invalid_patch_path(op);
  const std::string& seg = op.segments[i];
  const model::Ref* m = member_of(sh, seg);
  if (!m) throw invalid_patch_path(op);
  const model::Shape& ms = *m->shape;
  const bool last = i + 1 == op.segments.size();
  std::string_view value = op.value ? std::string_view(*op.value) : std::string_view();
  if (ms.type == Type::structure) {
    if (last) {
      if (op.op == "remove") {
        doc.erase(seg);
        return;
      }
      throw invalid_patch_path(op);
    }
    auto& slot = doc[seg];
    if (!slot.is_object()) slot = json::object();
    apply_one(slot.as_object(), ms, op, i + 1);
    return;
  }
  if (ms.type == Type::list) {
    auto& slot = doc[seg];
    if (!slot.is_array()) slot = json::array();
    auto& arr = slot.as_array();
    const model::Shape& es = *ms.member.shape;
    std::string elem = last ? std::string(value) : op.segments[i + 1];
    auto it = std::find_if(arr.begin(), arr.end(), [&](const json::value& v) { return v.is_string() && v.get_string() == elem; });
    if (op.op == "add") {
      if (last && !op.value) throw err::bad_request("Invalid patch operation specified: value required for " + op.path);
      if (it == arr.end()) arr.push_back(typed(es, op, elem));
    } else if (op.op == "remove") {
      if (last) arr.clear();
      else if (it != arr.end()) arr.erase(it);
    } else if (op.op == "replace") {
      if (last) {
        arr.clear();
        for (auto part : split(value, ','))
          if (!trim(part).empty()) arr.push_back(typed(es, op, trim(part)));
      } else if (it != arr.end()) {
        *it = typed(es, op, value);
      } else {
        throw err::bad_request("Invalid patch path " + op.path);
      }
    } else {
      throw err::bad_request("Invalid patch operation specified. Must be one of: [add, remove, replace]");
    }
    if (arr.empty() && op.op == "remove") doc.erase(seg);
    return;
  }
  if (ms.type == Type::map) {
    auto& slot = doc[seg];
    if (!slot.is_object()) slot = json::object();
    auto& mo = slot.as_object();
    if (last) {
      if (op.op == "remove") {
        doc.erase(seg);
        return;
      }
      throw invalid_patch_path(op);
    }
    // The key may itself contain '/' (escaped as ~1): join the remaining segments.
    std::string key = op.segments[i + 1];
    for (size_t j = i + 2; j < op.segments.size(); ++j) key += "/" + op.segments[j];
    const model::Shape& vs = *ms.value.shape;
    if (op.op == "remove") {
      mo.erase(key);
    } else if (op.op == "add" || op.op == "replace") {
      if (vs.type == Type::structure || vs.type == Type::list || vs.type == Type::map) throw invalid_patch_path(op);
      mo[key] = typed(vs, op, value);
    } else {
      throw err::bad_request("Invalid patch operation specified. Must be one of: [add, remove, replace]");
    }
    return;
  }
  // Scalar member.
  if (!last) throw invalid_patch_path(op);
  if (op.op == "remove") {
    doc.erase(seg);
  } else if (op.op == "replace" || op.op == "add") {
    if (!op.value) {
      doc.erase(seg);
      return;
    }
    doc[seg] = typed(ms, op, value);
  } else {
    throw err::bad_request("Invalid patch operation specified. Must be one of: [add, remove, replace]");
  }
}

}  // namespace

AwsError invalid_patch_path(const PatchOp& op) {
  return err::bad_request("Invalid patch path '" + op.path + "' specified for op '" + op.op + "'");
}

std::vector<PatchOp> patch_ops(const json::object& input) {
  std::vector<PatchOp> out;
  const json::array* arr = opt_arr(input, "patchOperations");
  if (!arr) return out;
  for (auto& v : *arr) {
    if (!v.is_object()) continue;
    const auto& o = v.get_object();
    PatchOp op;
    op.op = std::string(str_or(o, "op"));
    op.path = std::string(str_or(o, "path"));
    op.from = std::string(str_or(o, "from"));
    op.value = opt_str(o, "value");
    if (op.op.empty()) throw err::bad_request("Invalid patch operation specified. Must be one of: [add, remove, replace, move, copy, test]");
    if (op.path.empty() || op.path.front() != '/') throw invalid_patch_path(op);
    for (auto part : split(std::string_view(op.path).substr(1), '/')) op.segments.push_back(unescape(part));
    out.push_back(std::move(op));
  }
  return out;
}

void apply_patch(json::object& doc, const json::object& input, const model::Shape& shape,
                 std::initializer_list<std::string_view> allowed, const PatchHook& hook) {
  for (auto& op : patch_ops(input)) {
    if (hook && hook(op, doc)) continue;
    if (op.op == "test") continue;
    if (allowed.size() && (op.segments.empty() || std::find(allowed.begin(), allowed.end(), op.segments[0]) == allowed.end()))
      throw invalid_patch_path(op);
    apply_one(doc, shape, op, 0);
  }
}

const model::Shape& v1_shape(std::string_view name) {
  static const model::Model* m = model::find_model("apigateway");
  const model::Shape* s = m ? m->shape(name) : nullptr;
  if (!s) throw AwsError::internal("no shape " + std::string(name));
  return *s;
}

const model::Shape& v2_shape(std::string_view name) {
  static const model::Model* m = model::find_model("apigatewayv2");
  const model::Shape* s = m ? m->shape(name) : nullptr;
  if (!s) throw AwsError::internal("no shape " + std::string(name));
  return *s;
}

}  // namespace stratus::apigateway
