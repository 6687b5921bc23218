#pragma once
// Identifier formats AWS uses, from a fast per-thread PRNG.
#include <cstdint>
#include <string>
#include <string_view>

namespace stratus::ids {

uint64_t random64();
std::string uuid4();                                   // 8-4-4-4-12 lower-case hex
std::string random_string(size_t n, std::string_view alphabet);
std::string upper_alnum(size_t n);                     // [A-Z0-9]
std::string hex_upper(size_t n);
std::string dynamodb_request_id();                     // 52 chars [A-Z0-9]
std::string s3_request_id();                           // 16 upper-case hex
std::string s3_host_id();                              // base64-like x-amz-id-2
std::string access_key_id(std::string_view prefix);    // "ASIA" + 16 [A-Z0-9]
std::string secret_access_key();                       // 40 chars base64 alphabet
std::string unique_id(std::string_view prefix, size_t n);  // prefix + n upper alnum (AROA..., AIDA...)

}  // namespace stratus::ids
