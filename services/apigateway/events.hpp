#pragma once
// The events API Gateway hands to integrations and the mapping of what they answer, as AWS
// documents them:
//  - REST proxy (payload 1.0): https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html
//  - HTTP API payload 1.0 / 2.0: https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html
//  - WebSocket: https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-websocket-api-mapping-template-reference.html
// Pure functions (no I/O): tests/unit/apigateway/events_test.cpp pins them to AWS's examples.
#include "common.hpp"

#include <stratus/http.hpp>

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace stratus::apigateway {

using Pairs = std::vector<std::pair<std::string, std::string>>;

// One request to an invoke URL, once the API and stage are known.
struct Invocation {
  std::string method;
  std::string path;        // after the stage segment, still percent-encoded ("/items/a%20b"); "/" at least
  std::string raw_path;    // the path as the client sent it after any /_aws or /restapis prefix ("/dev/items")
  std::string raw_query;   // without '?'
  Pairs query;             // decoded, in order
  Pairs headers;           // names as the client sent them, in order
  std::string body;
  std::string source_ip, user_agent;
  std::string api_id, stage, account, region, deployment_id;
  std::string domain_name, domain_prefix;
  std::string request_id, extended_request_id, trace_id;
  int64_t time_ms = 0;
  std::string protocol = "HTTP/1.1";
  std::string port = "443";

  const std::string* header(std::string_view name) const;  // case-insensitive, last value
  std::vector<std::string> header_values(std::string_view name) const;
};

// Text for an event: invalid UTF-8 (raw header bytes, %-decoded query values such as "%E0%A4")
// becomes U+FFFD, so the event stays JSON every Lambda runtime can decode.
std::string valid_utf8_text(std::string s);

// "04/Mar/2020:19:15:17 +0000"
std::string clf_time(int64_t epoch_ms);
// "Root=1-5e9f0c65-1de4d666d4dd26aced652b6c"
std::string new_trace_id(int64_t epoch_ms);
// API Gateway request ids of HTTP/WebSocket APIs ("LV7fzho-PHcEJPw=").
std::string new_short_request_id();

// Whether a body with this content type travels base64-encoded (binaryMediaTypes of a REST API,
// "*/*" and "image/*" wildcards).
bool matches_media_type(std::string_view content_type, const json::array* binary_media_types);
// HTTP APIs and WebSockets: bodies that are not text (by content type) or not UTF-8 are encoded.
bool is_text_content(std::string_view content_type);

// --- REST APIs (and HTTP API payload 1.0) ---
// The identity block: every documented member, null unless known.
json::object rest_identity(const Invocation& inv);
// requestContext of REST proxy events / $context of mapping templates.
json::object rest_request_context(const Invocation& inv, std::string_view resource_id, std::string_view resource_path,
                                  const json::object& identity, const json::object* authorizer);
// The headers a REST integration sees: the client's (CloudFront capitalisation of Authorization
// and User-Agent, no Content-Length/Connection) plus X-Forwarded-*, X-Amzn-Trace-Id.
Pairs rest_event_headers(const Invocation& inv);
json::object rest_proxy_event(const Invocation& inv, std::string_view resource_path, const json::object& path_params,
                              const json::object* stage_variables, json::object request_context, bool base64_body);

// HTTP API payload 1.0 (REST-like, with "version": "1.0").
// `iam`: the SigV4 caller of an AWS_IAM route (accessKey, accountId, callerId, userArn, userId),
// which payload 1.0 reports in requestContext.identity.
json::object http_v1_event(const Invocation& inv, std::string_view route_key, std::string_view resource_path,
                           const json::object& path_params, const json::object* stage_variables,
                           const json::object* authorizer, bool base64_body, const json::object* iam = nullptr);
// HTTP API payload 2.0.
json::object http_v2_event(const Invocation& inv, std::string_view route_key, const json::object& path_params,
                           const json::object* stage_variables, const json::object* authorizer, bool base64_body);
// The headers of a 2.0 event (lower-case, duplicates comma-joined, cookies split out).
json::object http_v2_headers(const Invocation& inv, json::array* cookies);

// --- WebSocket APIs ---
struct WsEventInfo {
  std::string route_key, event_type;  // CONNECT, MESSAGE, DISCONNECT
  std::string connection_id, message_id;
  int64_t connected_at = 0;
  std::optional<int> disconnect_status;
  std::string disconnect_reason;
  const Pairs* headers = nullptr;      // CONNECT / DISCONNECT
  const Pairs* query = nullptr;        // CONNECT
  std::optional<std::string> body;     // MESSAGE
  bool binary = false;
  const json::object* authorizer = nullptr;
  const json::object* stage_variables = nullptr;
};
json::object websocket_event(const Invocation& inv, const WsEventInfo& info);

// --- responses ---
struct ProxyResponse {
  int status = 200;
  Headers headers;
  std::string body;
};
enum class ProxyError { none, malformed, function_error };
// REST / HTTP payload 1.0: statusCode, headers, multiValueHeaders, body, isBase64Encoded. `strict`
// (REST) rejects unknown members and non-string bodies as AWS does (502 "Malformed Lambda proxy
// response"). `decode_base64` says whether isBase64Encoded bodies are decoded.
ProxyError parse_proxy_response_v1(std::string_view payload, bool strict, bool decode_base64, ProxyResponse& out);
// HTTP payload 2.0, including the inference for a result without statusCode.
ProxyError parse_proxy_response_v2(std::string_view payload, ProxyResponse& out);

}  // namespace stratus::apigateway
