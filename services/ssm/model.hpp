#pragma once
// Parameter Store's pure rules: names, paths, selectors, labels, tiers and the opaque form of a
// SecureString value. No I/O; unit-tested in tests/unit/ssm/.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace stratus::ssm {

// AWS's message for a name with characters outside a-zA-Z0-9_.-/ (it names "ssm" whatever the cause).
inline constexpr std::string_view kInvalidNameMessage =
    "Parameter name: can't be prefixed with \"ssm\" (case-insensitive). If formed as a path, it can consist of "
    "sub-paths divided by slash symbol; each sub-path can be formed as a mix of letters, numbers and the following 3 "
    "symbols .-_";
inline constexpr std::string_view kInvalidPathMessage =
    "The parameter doesn't meet the parameter name requirements. The parameter name must begin with a forward slash "
    "\"/\". It can't be prefixed with \\\"aws\\\" or \\\"ssm\\\" (case-insensitive). It must use only letters, "
    "numbers, or the following symbols: . (period), - (hyphen), _ (underscore). Special characters are not allowed. "
    "All sub-paths, if specified, must use the forward slash symbol \"/\". Valid example: /get/parameters2-/by1./path0_.";

inline constexpr int kMaxHierarchyDepth = 15;
inline constexpr int kMaxVersions = 100;
inline constexpr int kMaxLabelsPerVersion = 10;
inline constexpr size_t kMaxNameWithArn = 1011;  // the ARN up to "parameter/" counts against it
inline constexpr size_t kStandardValueLimit = 4096, kAdvancedValueLimit = 8192;
inline constexpr std::string_view kDefaultKeyId = "alias/aws/ssm";

// The ARN of a parameter: arn:aws:ssm:<region>:<account>:parameter/<name without its leading slash>.
std::string parameter_arn(std::string_view region, std::string_view account, std::string_view name);

// Only a-zA-Z0-9_.-/ (what every operation accepts as a name).
bool valid_name_chars(std::string_view name);
// Levels of a hierarchy: "/a/b/c" and "a" have 3 and 1.
int hierarchy_depth(std::string_view name);
// The checks PutParameter makes on a new name (throws AwsError with AWS's code and message).
// `arn_prefix` is "arn:aws:ssm:<region>:<account>:parameter/" (the 1011-character limit includes it).
void check_new_name(std::string_view name, std::string_view arn_prefix);
// A lookup name (Get*, Delete*, history, labels): characters only; throws ValidationException.
void check_lookup_name(std::string_view name);

// "name", "name:3" (version) or "name:label".
struct Selector {
  std::string name;
  std::optional<int64_t> version;
  std::optional<std::string> label;
  std::string text;  // ":3" / ":label" as GetParameter returns it in Selector; empty without one
};
// nullopt when the text after ':' is empty or not a valid version/label reference.
std::optional<Selector> parse_selector(std::string_view s);

// AWS's label rules: 1-100 of a-zA-Z0-9_.-, not starting with a digit, "aws" or "ssm" (case-insensitive).
bool valid_label(std::string_view label);

// Whether `name` lies under `path` ("/a" or "/a/"): directly, or at any depth when recursive.
bool under_path(std::string_view path, std::string_view name, bool recursive);
// A GetParametersByPath path: starts with '/', valid characters, no empty levels but a trailing '/'.
bool valid_path(std::string_view path);

// Value limit of a tier ("Standard" 4 KB, "Advanced" 8 KB).
size_t value_limit(std::string_view tier);

// What a SecureString value reads as without WithDecryption. There is no KMS in Stratus: the
// plaintext is stored and this opaque base64 text, shaped like a KMS ciphertext blob ("AQICAH..."),
// is derived from (name, version, value), so it is stable for a version and changes with it.
std::string opaque_ciphertext(std::string_view name, int64_t version, std::string_view value);

}  // namespace stratus::ssm

namespace stratus::ssm {
// NextToken: an opaque base64 text carrying the position to continue after (a name or a version).
std::string encode_token(std::string_view position);
std::optional<std::string> decode_token(std::string_view token);
}  // namespace stratus::ssm
