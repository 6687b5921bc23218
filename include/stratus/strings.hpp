#pragma once
// String helpers used across the core and services.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace stratus {

std::string to_lower(std::string_view s);
bool iequals(std::string_view a, std::string_view b);
std::string_view trim(std::string_view s);
std::vector<std::string_view> split(std::string_view s, char sep);

// Percent-decoding; `plus_as_space` for application/x-www-form-urlencoded. Invalid escapes are
// kept literally (as AWS front ends do).
std::string url_decode(std::string_view s, bool plus_as_space = false);
// AWS's URI encoding (SigV4 rules): unreserved A-Z a-z 0-9 - _ . ~ kept; '/' kept unless encode_slash.
std::string uri_encode(std::string_view s, bool encode_slash = true);

// Parses "a=1&b=2" into decoded pairs, in order.
std::vector<std::pair<std::string, std::string>> parse_query_string(std::string_view qs, bool plus_as_space = true);

std::optional<int64_t> parse_int(std::string_view s);
std::optional<double> parse_double(std::string_view s);

// Number of Unicode code points in UTF-8 text (invalid bytes count one each).
size_t utf8_length(std::string_view s);
bool valid_utf8(std::string_view s);

}  // namespace stratus
