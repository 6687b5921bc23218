#pragma once
// Helpers shared by the object, copy, multipart and POST-upload paths: system metadata from an
// input document, the integrity checks of an incoming body, and object response headers.
#include "checksums.hpp"
#include "store.hpp"

#include <stratus/http.hpp>
#include <stratus/json.hpp>
#include <stratus/service.hpp>

#include <boost/asio/awaitable.hpp>

#include <optional>
#include <string>

namespace stratus {
class BlockingPool;
}

namespace stratus::s3 {

class S3Service;

// ContentType, ContentEncoding, ..., Metadata from a PutObject/CreateMultipartUpload/CopyObject
// input, with S3's defaults (binary/octet-stream, SSE-S3).
json::object meta_from_input(const json::object& in);
// Key length, user metadata size, storage class, canned ACL and grant headers. Throws AwsError.
void validate_object_input(const json::object& in, const std::string& key);
// The ACL document an object gets from x-amz-acl / x-amz-grant-* (empty: private default).
json::object acl_from_input(const json::object& in, const std::string& owner_account);

// What the client said about the body's integrity.
struct IntegrityRequest {
  Algo algo = Algo::none;          // the client's checksum algorithm (header, trailer or sdk header)
  std::string value;               // base64 value the client sent ("" when only the algorithm is known)
  std::optional<std::string> content_md5;  // base64
  std::string content_sha256_hex;  // when x-amz-content-sha256 is a real digest
  std::optional<uint64_t> decoded_length;  // x-amz-decoded-content-length of an aws-chunked body
};
// Throws InvalidRequest / InvalidDigest for malformed or conflicting headers.
IntegrityRequest integrity_request(const json::object& in, const HttpRequest& http);

struct BodyDigests {
  std::string md5_hex, md5_raw;
  uint64_t size = 0;
  Algo algo = Algo::none;          // the checksum stored with the object
  std::string checksum_b64;
};
// Hashes the body (on the blocking pool when it is a file) and checks it against the request:
// BadDigest / XAmzContentSHA256Mismatch. `default_algo` is used when the client sent none.
boost::asio::awaitable<BodyDigests> digest_body(BlockingPool& pool, const Payload& body, const IntegrityRequest& ir,
                                                Algo default_algo = Algo::crc64nvme);
void check_digests(const IntegrityRequest& ir, const Hasher::Result& r, Algo algo);

// The checksum document stored with an object: {"ChecksumCRC32": "...", "ChecksumType": "FULL_OBJECT"}.
json::object checksum_doc(Algo a, const std::string& b64, std::string_view type = "FULL_OBJECT");
// Copies the stored checksum members into an output document.
void put_checksums(json::object& out, const json::object& checksum, bool with_type = true);

// Copies [off, off+len) of `src` to `dest` while hashing it (blocking: run on the pool).
Hasher::Result hash_copy_range(const std::filesystem::path& src, uint64_t off, uint64_t len,
                               const std::filesystem::path& dest, Hasher::Want w);

// x-amz-version-id as S3 shows it: only for buckets that ever had versioning.
bool shows_version(const BucketRow& b, const ObjectRow& row);

namespace internal {
// The source object of a copy (CopyObject, UploadPartCopy) with S3's errors for a bad
// x-amz-copy-source, a missing source and failed x-amz-copy-source-if-* preconditions.
ObjectRow copy_source(S3Service& svc, const json::object& in, BucketRow* src_bucket_out);
}  // namespace internal

}  // namespace stratus::s3
