#pragma once
// Authorizers of the data planes:
//  - Lambda TOKEN / REQUEST authorizers of REST APIs, with IAM policies evaluated against the
//    method ARN and verdicts cached for authorizerResultTtlInSeconds
//    (https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-use-lambda-authorizer.html);
//  - COGNITO_USER_POOLS of REST APIs and JWT authorizers of HTTP APIs, validating the token's
//    signature against the issuer's JWKS, its issuer, audience/client and expiry
//    (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-jwt-authorizer.html);
//  - Lambda REQUEST authorizers of HTTP and WebSocket APIs (payload 1.0/2.0, simple responses).
#include "dataplane.hpp"

namespace stratus::apigateway {

struct AuthOutcome {
  enum class Kind { allow, unauthorized, deny, config_error };
  Kind kind = Kind::config_error;
  json::object context;  // requestContext.authorizer
  std::string usage_key; // usageIdentifierKey
  Headers headers;       // e.g. www-authenticate of JWT failures
  std::string message;   // for logs
};

struct RestAuthRequest {
  const Invocation* inv = nullptr;
  std::string resource_path;
  const json::object* path_params = nullptr;
  const json::object* stage_variables = nullptr;
  const json::object* request_context = nullptr;
};

boost::asio::awaitable<AuthOutcome> rest_lambda_authorize(DataPlane& dp, Env& env, const json::object& authorizer,
                                                          const RestAuthRequest& r);
boost::asio::awaitable<AuthOutcome> cognito_authorize(DataPlane& dp, Env& env, const json::object& authorizer,
                                                      const Invocation& inv, const json::array* scopes);

struct HttpAuthRequest {
  const Invocation* inv = nullptr;
  std::string route_key;
  const json::object* path_params = nullptr;
  const json::object* stage_variables = nullptr;
  const json::array* scopes = nullptr;  // the route's AuthorizationScopes
  bool websocket = false;
  std::string connection_id;           // WebSocket $connect
  int64_t connected_at = 0;
};
// v2 authorizer documents (AuthorizerType REQUEST or JWT).
boost::asio::awaitable<AuthOutcome> v2_authorize(DataPlane& dp, Env& env, const json::object& authorizer,
                                                 const HttpAuthRequest& r);

// IAM policy evaluation for Lambda authorizers: explicit Deny wins, then Allow, else implicit deny.
enum class PolicyResult { allow, deny, implicit_deny };
PolicyResult evaluate_policy(const json::value& policy, std::string_view method_arn);
// '*' matches any run of characters, '?' one character (IAM ARN matching).
bool wildcard_match(std::string_view pattern, std::string_view text);

// JWT validation (RS256 against a JWKS document). Returns an error description, or "" when valid;
// `claims` receives the payload.
std::string verify_jwt(std::string_view token, const json::object& jwks, double now, json::object& claims);
// The key id and issuer of a token without verifying it ("" when unreadable).
std::string jwt_kid(std::string_view token);

}  // namespace stratus::apigateway
