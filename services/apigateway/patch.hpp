#pragma once
// API Gateway's update operations take JSON-Patch-like `patchOperations`
// (https://docs.aws.amazon.com/apigateway/latest/api/patch-operations.html): op add|remove|replace|
// move|copy|test, a path such as /description, /binaryMediaTypes/image~1png or /variables/name,
// and a string value converted to the member's type. The generic applier walks the output shape
// so booleans and numbers come out typed; a hook takes the paths an entity treats specially
// (stage /*/*/logging/loglevel, usage plan /apiStages).
#include "common.hpp"

#include <stratus/model.hpp>

#include <functional>
#include <optional>

namespace stratus::apigateway {

struct PatchOp {
  std::string op, path, from;
  std::optional<std::string> value;
  std::vector<std::string> segments;  // path split on '/', ~1 and ~0 unescaped
};

// Returns true when the hook handled the operation.
using PatchHook = std::function<bool(const PatchOp&, json::object& doc)>;

// `allowed`: top-level members that may be patched (empty: every member of the shape).
void apply_patch(json::object& doc, const json::object& input, const model::Shape& shape,
                 std::initializer_list<std::string_view> allowed = {}, const PatchHook& hook = {});

std::vector<PatchOp> patch_ops(const json::object& input);
AwsError invalid_patch_path(const PatchOp& op);

// The output shape `name` of the REST (v1) model.
const model::Shape& v1_shape(std::string_view name);
const model::Shape& v2_shape(std::string_view name);

}  // namespace stratus::apigateway
