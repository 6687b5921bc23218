#pragma once
// Lambda's domain rules with no I/O: function names and ARNs, qualifiers, runtimes, timestamps,
// weighted alias routing, the event-stream framing of InvokeWithResponseStream, and the event
// shapes Lambda hands to functions (function URLs). Unit-tested in tests/unit/lambda/.
#include <stratus/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace stratus::lambda {

// A FunctionName parameter in any of its forms: "name", "name:qualifier",
// "123456789012:function:name[:qualifier]", "arn:aws:lambda:<region>:<account>:function:name[:qualifier]".
struct FunctionRef {
  std::string account, region, name;
  std::optional<std::string> qualifier;
};
// Throws AwsError (InvalidParameterValueException / ResourceNotFoundException) on malformed input.
FunctionRef parse_function_name(std::string_view text, std::string_view account, std::string_view region);
std::string function_arn(std::string_view region, std::string_view account, std::string_view name);
std::string layer_arn(std::string_view region, std::string_view account, std::string_view name);

bool is_version_number(std::string_view q);  // "1", "42"
bool valid_alias_name(std::string_view name);

// Lambda timestamps: "2024-01-02T03:04:05.678+0000".
std::string lambda_timestamp(double epoch_seconds);

enum class RuntimeFamily { nodejs, python, provided, other };
RuntimeFamily runtime_family(std::string_view runtime);
// Runtimes AWS no longer accepts for new functions (InvalidParameterValueException).
bool runtime_deprecated(std::string_view runtime);
// Environment variable names Lambda reserves (CreateFunction/UpdateFunctionConfiguration reject them).
bool reserved_variable(std::string_view name);

// Weighted alias routing: the version to run given a uniform random value in [0, 1).
std::string pick_version(const std::string& primary, const std::vector<std::pair<std::string, double>>& weights,
                         double random);

// One message of the application/vnd.amazon.eventstream framing (prelude, headers, payload, CRCs).
std::string event_stream_message(const std::vector<std::pair<std::string, std::string>>& headers,
                                 std::string_view payload);

// Function URL (payload format 2.0) request event.
struct UrlRequest {
  std::string method, raw_path, raw_query, body, source_ip, user_agent, protocol = "HTTP/1.1";
  std::vector<std::pair<std::string, std::string>> headers;  // lower-case names, in order
  bool body_is_binary = false;
};
json::object url_event(const UrlRequest& r, const std::string& url_id, const std::string& region,
                       const std::string& account, const std::string& request_id, double epoch_seconds,
                       const json::object* authorizer);
// The HTTP response a function URL sends for a function's result (payload format 2.0 rules).
struct UrlResponse {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};
UrlResponse url_response(std::string_view payload);

// A content type whose bodies Lambda passes as text (others are base64 in events).
bool textual_content_type(std::string_view content_type);

}  // namespace stratus::lambda
