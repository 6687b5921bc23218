// ListObjects (v1), ListObjectsV2 and ListObjectVersions: prefix, delimiter → CommonPrefixes,
// markers and continuation tokens, encoding-type=url, fetch-owner.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html
#include "errors.hpp"
#include "model.hpp"
#include "objects.hpp"
#include "s3_service.hpp"
#include "store.hpp"

#include <stratus/crypto.hpp>
#include <stratus/strings.hpp>

namespace stratus::s3 {

namespace {

// Keys are UTF-8, so no key contains the byte 0xFF: every key starting with p sorts before p + "\xff".
std::string prefix_end(const std::string& p) { return p.empty() ? std::string() : p + "\xff"; }

struct Listing {
  std::vector<ObjectRow> contents;
  std::vector<std::string> prefixes;
  bool truncated = false;
  std::string last;  // the last key or common prefix returned
};

// The latest objects after `start` (exclusive), rolled up by `delimiter`.
Listing list_latest(Store& st, const std::string& bucket, const std::string& prefix, const std::string& delimiter,
                    const std::string& start, int max_keys) {
  Listing out;
  if (max_keys <= 0) return out;
  std::string lower = prefix;
  bool inclusive = true;
  if (!start.empty() && start >= prefix) {
    lower = start;
    inclusive = false;
  }
  const std::string upper = prefix_end(prefix);
  int count = 0;
  constexpr int kBatch = 1000;
  for (;;) {
    auto rows = st.list_latest(bucket, lower, inclusive, upper, kBatch);
    if (rows.empty()) return out;
    bool requery = false;
    for (auto& row : rows) {
      if (!delimiter.empty()) {
        auto pos = row.key.find(delimiter, prefix.size());
        if (pos != std::string::npos) {
          std::string cp = row.key.substr(0, pos + delimiter.size());
          lower = cp + "\xff";  // skip the rest of this prefix
          inclusive = true;
          requery = true;
          if (!start.empty() && cp <= start) break;  // rolled up into a prefix already returned
          if (count >= max_keys) {
            out.truncated = true;
            return out;
          }
          out.prefixes.push_back(cp);
          out.last = cp;
          ++count;
          break;
        }
      }
      if (count >= max_keys) {
        out.truncated = true;
        return out;
      }
      lower = row.key;
      inclusive = false;
      out.last = row.key;
      out.contents.push_back(std::move(row));
      ++count;
    }
    if (!requery && static_cast<int>(rows.size()) < kBatch) return out;
  }
}

std::string enc(bool url, const std::string& s) { return url ? url_encode_key(s) : s; }

json::object content_doc(const ObjectRow& o, bool url, bool owner) {
  json::object d{{"Key", enc(url, o.key)}, {"LastModified", o.last_modified}, {"ETag", o.etag}};
  for (Algo a : kAllAlgos)
    if (find(o.checksum, algo_member(a))) d["ChecksumAlgorithm"] = json::array{json::string(algo_name(a))};
  if (auto* t = find(o.checksum, "ChecksumType")) d["ChecksumType"] = *t;
  d["Size"] = static_cast<int64_t>(o.size);
  d["StorageClass"] = o.storage_class;
  if (owner) d["Owner"] = owner_doc(o.owner);
  return d;
}

int max_keys_of(const json::object& in) {
  auto m = opt_int(in, "MaxKeys");
  if (!m) return 1000;
  if (*m < 0)
    throw err::invalid_argument("Argument maxKeys must be an integer between 0 and 2147483647", "maxKeys",
                                std::to_string(*m));
  return static_cast<int>(std::min<int64_t>(*m, 1000));
}

bool url_encoding(const json::object& in) {
  auto e = opt_str(in, "EncodingType");
  if (!e) return false;
  if (*e != "url") throw err::invalid_argument("Invalid Encoding Method specified in Request", "encoding-type", *e);
  return true;
}

}  // namespace

Output S3Service::list_objects(Call& c) {
  const auto& in = c.input;
  std::string bucket(str_or(in, "Bucket"));
  bucket_or_throw(bucket);
  std::string prefix(str_or(in, "Prefix")), delimiter(str_or(in, "Delimiter")), marker(str_or(in, "Marker"));
  int max_keys = max_keys_of(in);
  bool url = url_encoding(in);
  Listing l = list_latest(*store_, bucket, prefix, delimiter, marker, max_keys);
  json::array contents, prefixes;
  for (auto& o : l.contents) contents.push_back(content_doc(o, url, true));
  for (auto& p : l.prefixes) prefixes.push_back(json::object{{"Prefix", enc(url, p)}});
  json::object out{{"IsTruncated", l.truncated}, {"Marker", enc(url, marker)}, {"Name", bucket},
                   {"Prefix", enc(url, prefix)}, {"MaxKeys", max_keys}};
  if (!contents.empty()) out["Contents"] = std::move(contents);
  if (!prefixes.empty()) out["CommonPrefixes"] = std::move(prefixes);
  if (!delimiter.empty()) out["Delimiter"] = enc(url, delimiter);
  if (url) out["EncodingType"] = "url";
  if (l.truncated && !delimiter.empty()) out["NextMarker"] = enc(url, l.last);
  return out;
}

Output S3Service::list_objects_v2(Call& c) {
  const auto& in = c.input;
  std::string bucket(str_or(in, "Bucket"));
  bucket_or_throw(bucket);
  std::string prefix(str_or(in, "Prefix")), delimiter(str_or(in, "Delimiter"));
  auto start_after = opt_str(in, "StartAfter");
  auto token = opt_str(in, "ContinuationToken");
  int max_keys = max_keys_of(in);
  bool url = url_encoding(in);
  bool fetch_owner = opt_bool(in, "FetchOwner").value_or(false);
  std::string start = start_after.value_or("");
  if (token) {
    auto raw = crypto::base64url_decode(*token);
    if (!raw || raw->empty() || !raw->starts_with("1:"))
      throw err::invalid_argument("The continuation token provided is incorrect", "continuation-token", *token);
    start = raw->substr(2);
  }
  Listing l = list_latest(*store_, bucket, prefix, delimiter, start, max_keys);
  json::array contents, prefixes;
  for (auto& o : l.contents) contents.push_back(content_doc(o, url, fetch_owner));
  for (auto& p : l.prefixes) prefixes.push_back(json::object{{"Prefix", enc(url, p)}});
  json::object out{{"IsTruncated", l.truncated},
                   {"Name", bucket},
                   {"Prefix", enc(url, prefix)},
                   {"MaxKeys", max_keys},
                   {"KeyCount", static_cast<int64_t>(l.contents.size() + l.prefixes.size())}};
  if (!contents.empty()) out["Contents"] = std::move(contents);
  if (!prefixes.empty()) out["CommonPrefixes"] = std::move(prefixes);
  if (!delimiter.empty()) out["Delimiter"] = enc(url, delimiter);
  if (url) out["EncodingType"] = "url";
  if (token) out["ContinuationToken"] = *token;
  if (start_after) out["StartAfter"] = enc(url, *start_after);
  if (l.truncated) out["NextContinuationToken"] = crypto::base64url("1:" + l.last);
  return out;
}

Output S3Service::list_object_versions(Call& c) {
  const auto& in = c.input;
  std::string bucket(str_or(in, "Bucket"));
  BucketRow b = bucket_or_throw(bucket);
  std::string prefix(str_or(in, "Prefix")), delimiter(str_or(in, "Delimiter"));
  std::string key_marker(str_or(in, "KeyMarker")), version_marker(str_or(in, "VersionIdMarker"));
  if (!version_marker.empty() && key_marker.empty())
    throw err::invalid_argument("A version-id marker cannot be specified without a key marker.", "version-id-marker",
                                version_marker);
  int max_keys = max_keys_of(in);
  bool url = url_encoding(in);

  json::array versions, markers, prefixes;
  int count = 0;
  bool truncated = false;
  std::string next_key, next_version;
  std::string lower = prefix;
  bool inclusive = true;
  bool skipping = false;  // inside key_marker, before version_marker
  if (!key_marker.empty() && key_marker >= prefix) {
    lower = key_marker;
    inclusive = !version_marker.empty();
    skipping = !version_marker.empty();
  }
  const std::string upper = prefix_end(prefix);
  constexpr int kBatch = 1000;
  bool done = max_keys == 0;
  while (!done) {
    auto rows = store_->list_versions(bucket, lower, inclusive, upper, kBatch);
    if (rows.empty()) break;
    bool requery = false;
    std::string last_key;
    for (auto& row : rows) {
      if (skipping) {
        if (row.key == key_marker) {
          if (row.version_id == version_marker) skipping = false;
          last_key = row.key;
          continue;
        }
        skipping = false;
      }
      if (!delimiter.empty()) {
        auto pos = row.key.find(delimiter, prefix.size());
        if (pos != std::string::npos) {
          std::string cp = row.key.substr(0, pos + delimiter.size());
          lower = cp + "\xff";
          inclusive = true;
          requery = true;
          if (!key_marker.empty() && cp <= key_marker) break;
          if (count >= max_keys) {
            truncated = true;
            done = true;
            break;
          }
          prefixes.push_back(json::object{{"Prefix", enc(url, cp)}});
          next_key = cp;
          next_version.clear();
          ++count;
          break;
        }
      }
      if (count >= max_keys) {
        truncated = true;
        done = true;
        break;
      }
      json::object d{{"Owner", owner_doc(row.owner)},
                     {"Key", enc(url, row.key)},
                     {"VersionId", row.version_id},
                     {"IsLatest", row.latest},
                     {"LastModified", row.last_modified}};
      if (row.delete_marker) {
        markers.push_back(std::move(d));
      } else {
        d["ETag"] = row.etag;
        d["Size"] = static_cast<int64_t>(row.size);
        d["StorageClass"] = row.storage_class;
        for (Algo a : kAllAlgos)
          if (find(row.checksum, algo_member(a))) d["ChecksumAlgorithm"] = json::array{json::string(algo_name(a))};
        if (auto* t = find(row.checksum, "ChecksumType")) d["ChecksumType"] = *t;
        versions.push_back(std::move(d));
      }
      next_key = row.key;
      next_version = row.version_id;
      last_key = row.key;
      ++count;
    }
    if (done) break;
    if (!requery) {
      if (static_cast<int>(rows.size()) < kBatch) break;
      // Continue after the last row seen: its remaining versions (same key) come first.
      lower = last_key;
      inclusive = true;
      skipping = true;
      key_marker = last_key;
      version_marker = next_version;
    }
  }
  json::object out{{"IsTruncated", truncated},
                   {"KeyMarker", enc(url, std::string(str_or(in, "KeyMarker")))},
                   {"VersionIdMarker", std::string(str_or(in, "VersionIdMarker"))},
                   {"Name", bucket},
                   {"Prefix", enc(url, prefix)},
                   {"MaxKeys", max_keys}};
  if (!versions.empty()) out["Versions"] = std::move(versions);
  if (!markers.empty()) out["DeleteMarkers"] = std::move(markers);
  if (!prefixes.empty()) out["CommonPrefixes"] = std::move(prefixes);
  if (!delimiter.empty()) out["Delimiter"] = enc(url, delimiter);
  if (url) out["EncodingType"] = "url";
  if (truncated) {
    out["NextKeyMarker"] = enc(url, next_key);
    if (!next_version.empty()) out["NextVersionIdMarker"] = next_version;
  }
  return out;
}

}  // namespace stratus::s3
