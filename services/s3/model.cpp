#include "model.hpp"

#include "errors.hpp"

#include <stratus/crypto.hpp>
#include <stratus/ids.hpp>
#include <stratus/strings.hpp>

#include <algorithm>
#include <cmath>
#include <set>

namespace stratus::s3 {

bool valid_bucket_name(std::string_view n) {
  if (n.size() < 3 || n.size() > 63) return false;
  auto alnum = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  for (char c : n)
    if (!alnum(c) && c != '.' && c != '-') return false;
  if (!alnum(n.front()) || !alnum(n.back())) return false;
  if (n.find("..") != std::string_view::npos) return false;
  // Neither "192.168.5.4" style addresses nor the reserved prefixes and suffixes.
  int dots = 0;
  bool digits_only = true;
  for (char c : n) {
    if (c == '.') ++dots;
    else if (!(c >= '0' && c <= '9')) digits_only = false;
  }
  if (dots == 3 && digits_only) return false;
  for (std::string_view p : {"xn--", "sthree-", "amzn-s3-demo-"})
    if (n.starts_with(p)) return false;
  for (std::string_view s : {"-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"})
    if (n.ends_with(s)) return false;
  return true;
}

RangeParse parse_range(std::string_view h, uint64_t size, ByteRange& out) {
  h = trim(h);
  if (!h.starts_with("bytes=")) return RangeParse::ignore;
  std::string_view spec = trim(h.substr(6));
  if (spec.find(',') != std::string_view::npos) return RangeParse::ignore;
  auto dash = spec.find('-');
  if (dash == std::string_view::npos) return RangeParse::ignore;
  std::string_view a = trim(spec.substr(0, dash)), b = trim(spec.substr(dash + 1));
  auto num = [](std::string_view s, uint64_t& v) {
    if (s.empty() || s.size() > 19) return false;
    v = 0;
    for (char c : s) {
      if (c < '0' || c > '9') return false;
      v = v * 10 + static_cast<uint64_t>(c - '0');
    }
    return true;
  };
  if (a.empty()) {  // suffix: the last N bytes
    uint64_t n;
    if (!num(b, n)) return RangeParse::ignore;
    if (n == 0 || size == 0) return RangeParse::unsatisfiable;
    out.first = n >= size ? 0 : size - n;
    out.last = size - 1;
    return RangeParse::ok;
  }
  uint64_t first;
  if (!num(a, first)) return RangeParse::ignore;
  uint64_t last = UINT64_MAX;
  if (!b.empty()) {
    if (!num(b, last)) return RangeParse::ignore;
    if (last < first) return RangeParse::ignore;
  }
  if (first >= size) return RangeParse::unsatisfiable;
  out.first = first;
  out.last = std::min(last, size - 1);
  return RangeParse::ok;
}

std::string_view strip_etag(std::string_view e) {
  e = trim(e);
  if (e.starts_with("W/")) e.remove_prefix(2);
  if (e.size() >= 2 && e.front() == '"' && e.back() == '"') e = e.substr(1, e.size() - 2);
  return e;
}

bool etag_matches(std::string_view header, std::string_view etag) {
  std::string_view want = strip_etag(etag);
  for (auto part : split(header, ',')) {
    auto t = trim(part);
    if (t == "*") return true;
    if (strip_etag(t) == want) return true;
  }
  return false;
}

ConditionResult evaluate_conditions(const Conditions& c, std::string_view etag, double last_modified) {
  // HTTP dates have second precision.
  double lm = std::floor(last_modified);
  if (c.if_match) {
    if (!etag_matches(*c.if_match, etag)) return {412, "If-Match"};
  } else if (c.if_unmodified_since && lm > *c.if_unmodified_since) {
    return {412, "If-Unmodified-Since"};
  }
  if (c.if_none_match) {
    if (etag_matches(*c.if_none_match, etag)) return {304, "If-None-Match"};
  } else if (c.if_modified_since && lm <= *c.if_modified_since) {
    return {304, "If-Modified-Since"};
  }
  return {};
}

std::string url_encode_key(std::string_view key) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  out.reserve(key.size() + 8);
  for (unsigned char c : key) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
        c == '.' || c == '~' || c == '/') {
      out += static_cast<char>(c);
    } else if (c == ' ') {
      out += '+';
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

namespace {
AwsError invalid_tag(std::string msg) { return AwsError("InvalidTag", std::move(msg), 400); }
}  // namespace

std::vector<std::pair<std::string, std::string>> parse_tagging_header(std::string_view header) {
  std::vector<std::pair<std::string, std::string>> tags;
  if (trim(header).empty()) return tags;
  for (auto part : split(header, '&')) {
    if (part.empty()) continue;
    auto eq = part.find('=');
    std::string k = url_decode(part.substr(0, eq), true);
    std::string v = eq == std::string_view::npos ? std::string() : url_decode(part.substr(eq + 1), true);
    tags.emplace_back(std::move(k), std::move(v));
  }
  validate_tags(tags, 10);
  return tags;
}

void validate_tags(const std::vector<std::pair<std::string, std::string>>& tags, size_t max_tags) {
  if (tags.size() > max_tags) {
    if (max_tags == 10) throw invalid_tag("Object tags cannot be greater than 10");
    throw invalid_tag("Bucket tag count cannot be greater than " + std::to_string(max_tags));
  }
  std::set<std::string_view> seen;
  for (auto& [k, v] : tags) {
    if (k.empty() || utf8_length(k) > 128) throw invalid_tag("The TagKey you have provided is invalid");
    if (utf8_length(v) > 256) throw invalid_tag("The TagValue you have provided is invalid");
    if (k.starts_with("aws:")) throw invalid_tag("System tags cannot be added/updated by requester");
    if (!seen.insert(k).second) throw invalid_tag("Cannot provide multiple Tags with the same key");
  }
}

std::vector<std::pair<std::string, std::string>> tags_from_doc(const json::array& tag_set) {
  std::vector<std::pair<std::string, std::string>> tags;
  for (auto& t : tag_set) {
    if (!t.is_object()) continue;
    tags.emplace_back(std::string(str_or(t.get_object(), "Key")), std::string(str_or(t.get_object(), "Value")));
  }
  return tags;
}

json::array tags_to_doc(const std::vector<std::pair<std::string, std::string>>& tags) {
  json::array a;
  for (auto& [k, v] : tags) a.push_back(json::object{{"Key", k}, {"Value", v}});
  return a;
}

std::string canonical_user_id(std::string_view account) {
  return crypto::sha256_hex("stratus-s3-canonical-user:" + std::string(account));
}

json::object owner_doc(std::string_view account) {
  return json::object{{"DisplayName", "stratus"}, {"ID", canonical_user_id(account)}};
}

std::string new_version_id() {
  return ids::random_string(32, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._");
}

bool plausible_version_id(std::string_view v) {
  if (v == "null") return true;
  if (v.empty() || v.size() > 1024) return false;
  for (char c : v) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
              c == '-' || c == '+' || c == '/' || c == '=';
    if (!ok) return false;
  }
  return true;
}

bool valid_storage_class(std::string_view sc) {
  static const std::set<std::string_view> k = {"STANDARD",    "REDUCED_REDUNDANCY", "STANDARD_IA", "ONEZONE_IA",
                                               "INTELLIGENT_TIERING", "GLACIER",    "DEEP_ARCHIVE", "OUTPOSTS",
                                               "GLACIER_IR",  "SNOW",               "EXPRESS_ONEZONE"};
  return k.count(sc) > 0;
}

bool valid_object_acl(std::string_view acl) {
  static const std::set<std::string_view> k = {"private",           "public-read",          "public-read-write",
                                               "authenticated-read", "aws-exec-read",        "bucket-owner-read",
                                               "bucket-owner-full-control"};
  return k.count(acl) > 0;
}

bool valid_bucket_acl(std::string_view acl) {
  static const std::set<std::string_view> k = {"private", "public-read", "public-read-write", "authenticated-read",
                                               "log-delivery-write"};
  return k.count(acl) > 0;
}

namespace {
constexpr std::string_view kAllUsers = "http://acs.amazonaws.com/groups/global/AllUsers";
constexpr std::string_view kAuthUsers = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers";
constexpr std::string_view kLogDelivery = "http://acs.amazonaws.com/groups/s3/LogDelivery";

json::object group_grant(std::string_view uri, std::string_view perm) {
  return json::object{{"Grantee", json::object{{"Type", "Group"}, {"URI", uri}}}, {"Permission", perm}};
}
json::object user_grant(std::string_view account, std::string_view perm) {
  json::object g = owner_doc(account);
  g["Type"] = "CanonicalUser";
  return json::object{{"Grantee", std::move(g)}, {"Permission", perm}};
}
}  // namespace

json::object canned_acl(std::string_view acl, std::string_view owner_account) {
  json::array grants;
  grants.push_back(user_grant(owner_account, "FULL_CONTROL"));
  if (acl == "public-read" || acl == "public-read-write") grants.push_back(group_grant(kAllUsers, "READ"));
  if (acl == "public-read-write") grants.push_back(group_grant(kAllUsers, "WRITE"));
  if (acl == "authenticated-read") grants.push_back(group_grant(kAuthUsers, "READ"));
  if (acl == "log-delivery-write") {
    grants.push_back(group_grant(kLogDelivery, "WRITE"));
    grants.push_back(group_grant(kLogDelivery, "READ_ACP"));
  }
  return json::object{{"Owner", owner_doc(owner_account)}, {"Grants", std::move(grants)}};
}

json::array grants_from_header(std::string_view permission, std::string_view header) {
  json::array out;
  for (auto part : split(header, ',')) {
    auto t = trim(part);
    auto eq = t.find('=');
    if (eq == std::string_view::npos) continue;
    std::string kind = to_lower(trim(t.substr(0, eq)));
    std::string_view v = trim(t.substr(eq + 1));
    if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
    json::object grantee;
    if (kind == "id") grantee = {{"Type", "CanonicalUser"}, {"ID", v}};
    else if (kind == "uri") grantee = {{"Type", "Group"}, {"URI", v}};
    else if (kind == "emailaddress") grantee = {{"Type", "AmazonCustomerByEmail"}, {"EmailAddress", v}};
    else throw err::invalid_argument("Argument format not recognized", "x-amz-grant-" + to_lower(permission), std::string(t));
    out.push_back(json::object{{"Grantee", std::move(grantee)}, {"Permission", permission}});
  }
  return out;
}

std::optional<CopySource> parse_copy_source(std::string_view h) {
  std::string_view path = h, query;
  auto q = h.find('?');
  if (q != std::string_view::npos) {
    path = h.substr(0, q);
    query = h.substr(q + 1);
  }
  std::string decoded = url_decode(path, false);
  std::string_view d = decoded;
  if (d.starts_with('/')) d.remove_prefix(1);
  auto slash = d.find('/');
  if (slash == std::string_view::npos || slash == 0 || slash + 1 >= d.size()) return std::nullopt;
  CopySource cs{std::string(d.substr(0, slash)), std::string(d.substr(slash + 1)), {}};
  for (auto& [k, v] : parse_query_string(query, false))
    if (k == "versionId") cs.version_id = v;
  return cs;
}

size_t user_metadata_size(const json::object& meta) {
  size_t n = 0;
  for (auto& [k, v] : meta) n += k.size() + (v.is_string() ? v.get_string().size() : 0);
  return n;
}

}  // namespace stratus::s3
