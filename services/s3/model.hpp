#pragma once
// Pure S3 rules (no I/O): bucket names, byte ranges, ETag/conditional evaluation, tag sets, key
// encodings, identifiers. Unit-tested in tests/unit/s3/model_test.cpp.
#include <stratus/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace stratus::s3 {

inline constexpr uint64_t kMaxObjectSize = 5ull << 40;        // 5 TiB
inline constexpr uint64_t kMaxSinglePut = 5ull << 30;         // 5 GiB
inline constexpr uint64_t kMinPartSize = 5ull << 20;          // 5 MiB
inline constexpr int kMaxParts = 10000;
inline constexpr size_t kMaxKeyBytes = 1024;
inline constexpr size_t kMaxUserMetadataBytes = 2048;

// General purpose bucket naming rules
// (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html).
bool valid_bucket_name(std::string_view name);

// A Range header against an object of `size` bytes. AWS honours one "bytes=" range (first-last,
// first-, -suffix) and ignores malformed or multi-range headers (the whole object is returned).
struct ByteRange {
  uint64_t first = 0, last = 0;  // inclusive
  uint64_t length() const { return last - first + 1; }
};
enum class RangeParse { ignore, ok, unsatisfiable };
RangeParse parse_range(std::string_view header, uint64_t size, ByteRange& out);

// "\"abc\"" → "abc" (also strips a weak W/ prefix).
std::string_view strip_etag(std::string_view etag);
// Whether an If-Match / If-None-Match list ("*", "\"a\", \"b\"", unquoted) matches `etag` (quoted).
bool etag_matches(std::string_view header, std::string_view etag);

// RFC 7232 evaluation as S3 documents it for GetObject/HeadObject
// (https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html, "Conditional requests"):
// If-Match beats If-Unmodified-Since, If-None-Match beats If-Modified-Since.
struct Conditions {
  std::optional<std::string> if_match, if_none_match;
  std::optional<double> if_modified_since, if_unmodified_since;
};
struct ConditionResult {
  int status = 0;         // 0 (go on), 304 or 412
  std::string condition;  // the header that failed, for <Condition>
};
ConditionResult evaluate_conditions(const Conditions& c, std::string_view etag, double last_modified);

// Percent-encoding of keys for encoding-type=url listings and event records: form style
// (space → '+'), '/' and unreserved characters kept — what S3 emits and SDKs unquote_plus.
std::string url_encode_key(std::string_view key);

// x-amz-tagging "k1=v1&k2=v2" → tags; validated like PutObjectTagging. Throws AwsError.
std::vector<std::pair<std::string, std::string>> parse_tagging_header(std::string_view header);
// Tag-set rules (https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-tagging.html).
void validate_tags(const std::vector<std::pair<std::string, std::string>>& tags, size_t max_tags);
// TagSet document ([{"Key","Value"}]) ⇄ pairs.
std::vector<std::pair<std::string, std::string>> tags_from_doc(const json::array& tag_set);
json::array tags_to_doc(const std::vector<std::pair<std::string, std::string>>& tags);

// The 64-hex canonical user id of an account (stable, so ACLs and owners agree across calls).
std::string canonical_user_id(std::string_view account);
json::object owner_doc(std::string_view account);

// Version ids: 32 URL-safe characters, like AWS's.
std::string new_version_id();
bool plausible_version_id(std::string_view v);

// Storage classes S3 accepts on PUT.
bool valid_storage_class(std::string_view sc);
bool valid_object_acl(std::string_view acl);
bool valid_bucket_acl(std::string_view acl);

// An ACL document (Owner + Grants) for a canned ACL.
json::object canned_acl(std::string_view acl, std::string_view owner_account);
// Grants from x-amz-grant-* headers ("id=\"...\", uri=\"...\", emailAddress=\"...\"").
json::array grants_from_header(std::string_view permission, std::string_view header);

// The copy source header: "bucket/key", "/bucket/key", URL-encoded, "?versionId=".
struct CopySource {
  std::string bucket, key, version_id;
};
std::optional<CopySource> parse_copy_source(std::string_view header);

// The size in bytes of user metadata as AWS counts it (names without the prefix + values).
size_t user_metadata_size(const json::object& meta);

}  // namespace stratus::s3
