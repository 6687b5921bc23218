#pragma once
// Browser POST uploads (pure parts): the multipart/form-data parser and the POST policy check
// (https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-HTTPPOSTConstructPolicy.html).
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace stratus::s3 {

struct FormPart {
  std::string name;          // as sent (field names are case-insensitive to S3)
  std::optional<std::string> filename;
  std::string content_type;
  uint64_t offset = 0, length = 0;  // the part's bytes within the body
  std::string value;         // the bytes of non-file parts
};

// Reads `n` bytes at `offset` of the body (fewer at the end).
using BodyRead = std::function<std::string(uint64_t offset, size_t n)>;

// The boundary parameter of a multipart/form-data Content-Type ("" if none).
std::string form_boundary(std::string_view content_type);
// Parses the parts up to and including the first part named "file" (S3 ignores what follows).
// Throws AwsError MalformedPOSTRequest when the body is not well-formed.
std::vector<FormPart> parse_form(const BodyRead& read, uint64_t size, const std::string& boundary);

// Checks a base64 policy document against the form fields (lower-case names, file excluded),
// the bucket and the file size at time `now`. Throws AwsError as S3 does.
void check_post_policy(std::string_view policy_b64, const std::vector<std::pair<std::string, std::string>>& fields,
                       const std::string& bucket, uint64_t file_size, double now);

}  // namespace stratus::s3
