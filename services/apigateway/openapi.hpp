#pragma once
// OpenAPI 3 / Swagger 2 with API Gateway's x-amazon-apigateway-* extensions
// (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions.html):
// ImportRestApi / PutRestApi / GetExport for REST APIs, ImportApi / ReimportApi / ExportApi for
// HTTP APIs. Documents may be JSON or YAML.
#include "common.hpp"

#include <optional>

namespace stratus::apigateway::openapi {

// JSON or YAML text → document; BadRequestException when it is neither or not a mapping.
json::value parse_document(std::string_view text);
std::string to_yaml(const json::value& doc);

// `existing_id` empty: a new API. `mode` (PutRestApi): "merge" or "overwrite".
json::object import_rest_api(const Scope& s, const json::value& spec, const json::object& params, bool fail_on_warnings,
                             std::string_view existing_id, std::string_view mode = "overwrite");
// GetExport: exportType "oas30" or "swagger"; `extensions` from the parameters ("integrations",
// "apigateway", "authorizers", "postman").
json::value export_rest_api(const Scope& s, std::string_view api_id, std::string_view stage, std::string_view export_type,
                            std::string_view extensions);

json::object import_http_api(const Scope& s, const json::value& spec, bool fail_on_warnings, std::string_view existing_id,
                             std::string_view endpoint, std::string_view basepath);
json::value export_http_api(const Scope& s, const json::object& api, const std::optional<std::string>& stage,
                            bool include_extensions);

}  // namespace stratus::apigateway::openapi
