// CopyObject: metadata and tagging directives, conditional copies, copies onto itself.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_CopyObject.html
#include "errors.hpp"
#include "model.hpp"
#include "objects.hpp"
#include "s3_service.hpp"
#include "store.hpp"

#include <stratus/blocking.hpp>
#include <stratus/clock.hpp>
#include <stratus/crypto.hpp>
#include <stratus/strings.hpp>

#include <cmath>
#include <unistd.h>

namespace stratus::s3 {

namespace internal {

// The source object of a copy (CopyObject, UploadPartCopy), with S3's errors for a bad header,
// a missing source and x-amz-copy-source-if-* preconditions.
ObjectRow copy_source(S3Service& svc, const json::object& in, BucketRow* src_bucket_out) {
  std::string header(str_or(in, "CopySource"));
  auto cs = parse_copy_source(header);
  if (!cs) throw err::invalid_argument("Invalid copy source object key", "x-amz-copy-source", header);
  BucketRow sb = svc.bucket_or_throw(cs->bucket);
  std::optional<ObjectRow> src;
  if (!cs->version_id.empty()) {
    if (!plausible_version_id(cs->version_id)) throw err::invalid_version(cs->version_id);
    src = svc.store().version(cs->bucket, cs->key, cs->version_id);
    if (!src) throw err::no_such_version(cs->key, cs->version_id);
    if (src->delete_marker)
      throw err::invalid_request(
          "The source of a copy request may not specifically refer to a delete marker by version id.");
  } else {
    src = svc.store().latest(cs->bucket, cs->key);
    if (!src || src->delete_marker) throw err::no_such_key(cs->key);
  }
  Conditions cond;
  cond.if_match = opt_str(in, "CopySourceIfMatch");
  cond.if_none_match = opt_str(in, "CopySourceIfNoneMatch");
  if (auto* v = find(in, "CopySourceIfModifiedSince"); v && v->is_number())
    cond.if_modified_since = v->to_number<double>();
  if (auto* v = find(in, "CopySourceIfUnmodifiedSince"); v && v->is_number())
    cond.if_unmodified_since = v->to_number<double>();
  ConditionResult cr = evaluate_conditions(cond, src->etag, src->last_modified);
  if (cr.status) throw err::precondition_failed("x-amz-copy-source-" + cr.condition);
  if (src_bucket_out) *src_bucket_out = sb;
  return *src;
}

}  // namespace internal

boost::asio::awaitable<Output> S3Service::copy_object(Call& c) {
  const auto& in = c.input;
  std::string bucket(str_or(in, "Bucket")), key(str_or(in, "Key"));
  BucketRow b = bucket_or_throw(bucket);
  validate_object_input(in, key);
  BucketRow sb;
  ObjectRow src = internal::copy_source(*this, in, &sb);
  if (src.size > kMaxSinglePut)
    throw err::invalid_request(
        "The specified copy source is larger than the maximum allowable size for a copy source: 5368709120");

  std::string mdir(str_or(in, "MetadataDirective", "COPY"));
  if (mdir != "COPY" && mdir != "REPLACE")
    throw err::invalid_argument("Unknown metadata directive.", "x-amz-metadata-directive", mdir);
  std::string tdir(str_or(in, "TaggingDirective", "COPY"));
  if (tdir != "COPY" && tdir != "REPLACE")
    throw err::invalid_argument("Unknown tagging directive.", "x-amz-tagging-directive", tdir);
  auto new_algo_name = opt_str(in, "ChecksumAlgorithm");
  std::optional<Algo> new_algo;
  if (new_algo_name) {
    new_algo = algo_from_name(*new_algo_name);
    if (!new_algo)
      throw err::invalid_request(
          "Checksum algorithm provided is unsupported. Please try again with any of the valid types: [CRC32, "
          "CRC32C, CRC64NVME, SHA1, SHA256]");
  }
  bool same_object = src.bucket == bucket && src.key == key && src.latest;
  if (same_object && mdir == "COPY" && !find(in, "StorageClass") && !find(in, "WebsiteRedirectLocation") &&
      !find(in, "ServerSideEncryption") && !find(in, "SSEKMSKeyId") && !new_algo)
    throw err::invalid_request(
        "This copy request is illegal because it is trying to copy an object to itself without changing the "
        "object's metadata, storage class, website redirect location or encryption attributes.");
  // Conditional writes on the destination.
  if (auto inm = opt_str(in, "IfNoneMatch")) {
    auto cur = store_->latest(bucket, key);
    if (cur && !cur->delete_marker) throw err::precondition_failed("If-None-Match");
  }
  if (auto im = opt_str(in, "IfMatch")) {
    auto cur = store_->latest(bucket, key);
    if (!cur || cur->delete_marker) throw err::no_such_key(key);
    if (!etag_matches(*im, cur->etag)) throw err::precondition_failed("If-Match");
  }

  ObjectRow row;
  row.bucket = bucket;
  row.key = key;
  row.size = src.size;
  row.etag = src.etag;
  row.owner = c.ctx.account_id;
  row.storage_class = std::string(str_or(in, "StorageClass", "STANDARD"));
  if (mdir == "REPLACE") {
    row.meta = meta_from_input(in);
  } else {
    row.meta = src.meta;
    for (const char* k : {"WebsiteRedirectLocation", "ServerSideEncryption", "SSEKMSKeyId"})
      if (auto* v = find(in, k)) row.meta[k] = *v;
  }
  row.tags = tdir == "REPLACE" ? parse_tagging_header(str_or(in, "Tagging")) : src.tags;
  row.acl = acl_from_input(in, c.ctx.account_id);
  row.checksum = src.checksum;

  // A multipart source becomes a single-part copy: its ETag and checksum are recomputed, as they
  // are when a checksum algorithm is requested.
  bool composite = src.etag.find('-') != std::string::npos;
  for (auto& [k, v] : src.checksum)
    if (v.is_string() && std::string_view(v.get_string()).find('-') != std::string_view::npos) composite = true;
  Algo algo = new_algo ? *new_algo : Algo::none;
  if (algo == Algo::none && (composite || src.checksum.empty())) algo = Algo::crc64nvme;
  if (algo == Algo::none)
    for (Algo a : kAllAlgos)
      if (find(src.checksum, algo_member(a))) algo = a;
  bool rehash = composite || new_algo || src.checksum.empty();

  if (!src.blob) {
    row.data = store_->body(src.seq);
    if (rehash) {
      Hasher::Want w{true, false, algo, Algo::none};
      auto r = hash_memory(w, row.data);
      row.etag = "\"" + crypto::hex(r.md5) + "\"";
      row.checksum = checksum_doc(algo, crypto::base64(r.sum));
    }
  } else {
    auto src_path = blobs_->path_for(*src.blob);
    if (rehash) {
      Hasher::Want w{true, false, algo, Algo::none};
      uint64_t size = src.size;
      auto job = [w, src_path, size] { return hash_file(w, src_path, 0, size); };
      auto r = co_await env().pool.run(std::move(job));
      row.etag = "\"" + crypto::hex(r.md5) + "\"";
      row.checksum = checksum_doc(algo, crypto::base64(r.sum));
    }
    // Blob files never change once written, so a copy can share the bytes through a hard link.
    std::string id = new_blob_id();
    auto dst = blob_path(id);
    if (::link(src_path.c_str(), dst.c_str()) != 0) {
      auto job = [src_path, dst] { std::filesystem::copy_file(src_path, dst); };
      co_await env().pool.run(std::move(job));
    }
    row.blob = id;
  }
  b = bucket_or_throw(bucket);
  row.last_modified = std::floor(env().clock.now_seconds());
  row = write_version(b, std::move(row));
  notify(c.ctx, b, "ObjectCreated:Copy", row, c.http.remote_ip);

  json::object result{{"ETag", row.etag}, {"LastModified", row.last_modified}};
  put_checksums(result, row.checksum);
  json::object out{{"CopyObjectResult", std::move(result)}};
  if (!b.versioning.empty()) out["VersionId"] = row.version_id;
  if (!sb.versioning.empty() || src.version_id != "null") out["CopySourceVersionId"] = src.version_id;
  out["ServerSideEncryption"] = row.meta["ServerSideEncryption"];
  if (auto e = expiration_header(b, row); !e.empty()) out["Expiration"] = e;
  co_return out;
}

}  // namespace stratus::s3
