#include "model.hpp"

#include "errors.hpp"

#include <stratus/crypto.hpp>
#include <stratus/strings.hpp>

#include <cctype>

namespace stratus::ssm {

namespace {
bool name_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-' || c == '/';
}
bool label_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-'; }
bool istarts_with(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && iequals(s.substr(0, prefix.size()), prefix);
}
}  // namespace

std::string parameter_arn(std::string_view region, std::string_view account, std::string_view name) {
  if (name.starts_with('/')) name.remove_prefix(1);
  return "arn:aws:ssm:" + std::string(region) + ":" + std::string(account) + ":parameter/" + std::string(name);
}

bool valid_name_chars(std::string_view name) {
  if (name.empty()) return false;
  for (char c : name)
    if (!name_char(c)) return false;
  return true;
}

int hierarchy_depth(std::string_view name) {
  if (name.starts_with('/')) name.remove_prefix(1);
  int depth = 1;
  for (char c : name) depth += c == '/';
  return depth;
}

void check_new_name(std::string_view name, std::string_view arn_prefix) {
  if (name.find('/') != std::string_view::npos && !name.starts_with('/'))
    throw errors::validation("Parameter name must be a fully qualified name.");
  std::string_view bare = name.starts_with('/') ? name.substr(1) : name;
  if (istarts_with(bare, "aws") || istarts_with(bare, "ssm")) {
    bool is_path = name.find('/') != std::string_view::npos;
    if (is_path && istarts_with(name, "/aws")) throw errors::reserved_name(name);
    if (!is_path) throw errors::validation("Parameter name: can't be prefixed with \"aws\" or \"ssm\" (case-insensitive).");
    throw errors::validation(std::string(kInvalidNameMessage));
  }
  if (!valid_name_chars(name) || name.find("//") != std::string_view::npos || (name.size() > 1 && name.ends_with('/')) ||
      name == "/")
    throw errors::validation(std::string(kInvalidNameMessage));
  if (hierarchy_depth(name) > kMaxHierarchyDepth) throw errors::hierarchy_limit();
  if (arn_prefix.size() + bare.size() > kMaxNameWithArn)
    throw errors::validation("Parameter name: The maximum length of a parameter name, including the ARN prefix (" +
                             std::string(arn_prefix) + "), is " + std::to_string(kMaxNameWithArn) + " characters.");
}

void check_lookup_name(std::string_view name) {
  if (!valid_name_chars(name)) throw errors::validation(std::string(kInvalidNameMessage));
}

std::optional<Selector> parse_selector(std::string_view s) {
  Selector sel;
  auto colon = s.find(':');
  if (colon == std::string_view::npos) {
    sel.name = std::string(s);
    return sel;
  }
  sel.name = std::string(s.substr(0, colon));
  std::string_view ref = s.substr(colon + 1);
  if (ref.empty() || ref.find(':') != std::string_view::npos) return std::nullopt;
  sel.text = std::string(s.substr(colon));
  if (ref.find_first_not_of("0123456789") == std::string_view::npos) {
    auto v = parse_int(ref);
    if (!v || *v < 1) return std::nullopt;
    sel.version = *v;
  } else {
    if (!valid_label(ref)) return std::nullopt;
    sel.label = std::string(ref);
  }
  return sel;
}

bool valid_label(std::string_view label) {
  if (label.empty() || label.size() > 100) return false;
  if (std::isdigit(static_cast<unsigned char>(label[0]))) return false;
  if (istarts_with(label, "aws") || istarts_with(label, "ssm")) return false;
  for (char c : label)
    if (!label_char(c)) return false;
  return true;
}

bool under_path(std::string_view path, std::string_view name, bool recursive) {
  std::string prefix(path);
  if (!prefix.ends_with('/')) prefix += '/';
  if (name.size() <= prefix.size() || !name.starts_with(prefix)) return false;
  return recursive || name.substr(prefix.size()).find('/') == std::string_view::npos;
}

bool valid_path(std::string_view path) {
  if (!path.starts_with('/') || !valid_name_chars(path)) return false;
  std::string_view inner = path.substr(1);
  if (inner.ends_with('/')) inner.remove_suffix(1);
  if (inner.empty()) return path == "/";
  return inner.find("//") == std::string_view::npos && !inner.starts_with('/');
}

size_t value_limit(std::string_view tier) { return tier == "Standard" ? kStandardValueLimit : kAdvancedValueLimit; }

std::string opaque_ciphertext(std::string_view name, int64_t version, std::string_view value) {
  // A KMS blob is a header, the encrypted data key, and the ciphertext (value length + overhead).
  std::string seed = std::string(name) + '\0' + std::to_string(version) + '\0' + std::string(value);
  std::string bytes("\x01\x02\x02\x00\x78", 5);
  for (int i = 0; bytes.size() < value.size() + 150; ++i) bytes += crypto::sha256(seed + std::to_string(i));
  bytes.resize(value.size() + 150);
  return crypto::base64(bytes);
}

}  // namespace stratus::ssm

namespace stratus::ssm {
std::string encode_token(std::string_view position) {
  return crypto::base64("AAEAA" + std::string(1, '\0') + std::string(position));
}
std::optional<std::string> decode_token(std::string_view token) {
  auto raw = crypto::base64_decode(token);
  if (!raw || !raw->starts_with(std::string_view("AAEAA\0", 6))) return std::nullopt;
  return raw->substr(6);
}
}  // namespace stratus::ssm
