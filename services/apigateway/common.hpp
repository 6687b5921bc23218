#pragma once
// Pieces every API Gateway file shares: the (account, region) scope of a call, AWS's error
// factories, identifier formats and small document helpers. Internal to services/apigateway.
#include <stratus/aws_error.hpp>
#include <stratus/json.hpp>
#include <stratus/service.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace stratus::apigateway {

struct Scope {
  std::string account, region;
  static Scope of(const Call& c) { return {c.ctx.account_id, c.ctx.region}; }
};

// Errors as API Gateway words them (rest-json: x-amzn-ErrorType + {"message": ...}).
namespace err {
inline AwsError not_found(std::string msg) { return {"NotFoundException", std::move(msg), 404}; }
inline AwsError bad_request(std::string msg) { return {"BadRequestException", std::move(msg), 400}; }
inline AwsError conflict(std::string msg) { return {"ConflictException", std::move(msg), 409}; }
inline AwsError limit(std::string msg) { return {"LimitExceededException", std::move(msg), 429}; }
inline AwsError gone(std::string msg = {}) { return {"GoneException", std::move(msg), 410}; }
inline AwsError forbidden(std::string msg) { return {"ForbiddenException", std::move(msg), 403}; }
inline AwsError payload_too_large(std::string msg) { return {"PayloadTooLargeException", std::move(msg), 413}; }
// v2 NotFoundException carries the resource type.
inline AwsError v2_not_found(std::string type, std::string msg) {
  return AwsError("NotFoundException", std::move(msg), 404).with("ResourceType", type);
}
}  // namespace err

// Identifiers: lower-case alphanumerics as AWS prints them (REST API ids, resource ids: 10;
// deployments, authorizers, usage plans, models: 6; v2 routes and integrations: 7).
std::string new_id(size_t n);
// API key values: 40 characters of [A-Za-z0-9].
std::string new_key_value();
// WebSocket connection / message ids: 16 characters, base64 alphabet ending in '=' ("L0SM9cOFvHcCIhw=").
std::string new_connection_id();

double now_seconds();  // whole seconds of the service clock (AWS's createdDate precision)

// Document helpers.
json::object parse_object(std::string_view text);
std::string to_text(const json::value& v);
// Copies the listed members of `from` that are present into `to`.
void copy_members(const json::object& from, json::object& to, std::initializer_list<std::string_view> names);
bool get_bool(const json::object& o, std::string_view key, bool def = false);

// Paging of list operations. v1: position/limit (default 25, max 500); v2: NextToken/MaxResults.
struct Page {
  size_t begin = 0, end = 0;
  std::optional<std::string> next;
};
Page page_v1(size_t total, const json::object& in);
Page page_v2(size_t total, const json::object& in);

// execute-api ARNs and invoke URLs.
std::string lambda_arn_from_uri(std::string_view uri);  // "" when the URI names no Lambda function
std::string invoke_host(std::string_view api_id, std::string_view endpoint);  // "<id>.execute-api.localhost:4566"

}  // namespace stratus::apigateway
