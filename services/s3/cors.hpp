#pragma once
// Bucket CORS evaluation (pure): which rule of a CORSConfiguration document answers an origin,
// method and requested headers (https://docs.aws.amazon.com/AmazonS3/latest/userguide/cors.html).
#include <stratus/http.hpp>
#include <stratus/json.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace stratus::s3 {

// One '*' wildcard allowed; case-insensitive when `icase` (header names).
bool cors_wildcard_match(std::string_view pattern, std::string_view value, bool icase);

// The first rule allowing this origin, method and every requested header; nullptr if none.
const json::object* match_cors_rule(const json::object& cfg, std::string_view origin, std::string_view method,
                                    const std::vector<std::string>& request_headers);

// Access-Control-* headers S3 sends for a matched rule. `preflight` adds Allow-Headers/Max-Age.
void cors_headers_for(const json::object& rule, std::string_view origin, bool preflight,
                      const std::vector<std::string>& request_headers, Headers& out);

std::vector<std::string> split_header_list(std::string_view v);  // "a, B" → {"a", "b"} (lower-case)

}  // namespace stratus::s3
