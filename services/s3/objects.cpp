#include "objects.hpp"

#include "errors.hpp"
#include "model.hpp"

#include <stratus/blocking.hpp>
#include <stratus/crypto.hpp>
#include <stratus/strings.hpp>

#include <cstdio>
#include <fcntl.h>
#include <unistd.h>
#include <vector>

namespace stratus::s3 {

namespace {
constexpr const char* kMetaMembers[] = {"ContentType",  "ContentEncoding",         "ContentDisposition",
                                        "ContentLanguage", "CacheControl",          "Expires",
                                        "WebsiteRedirectLocation", "ServerSideEncryption", "SSEKMSKeyId",
                                        "BucketKeyEnabled", "ObjectLockMode", "ObjectLockRetainUntilDate",
                                        "ObjectLockLegalHoldStatus"};
}  // namespace

json::object meta_from_input(const json::object& in) {
  json::object m;
  for (const char* k : kMetaMembers)
    if (auto* v = find(in, k)) m[k] = *v;
  // "aws-chunked" names the request's framing, not the object's encoding: S3 does not store it
  // (https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html).
  if (auto enc = opt_str(m, "ContentEncoding")) {
    std::string kept;
    for (auto part : split(*enc, ',')) {
      part = trim(part);
      if (part.empty() || iequals(part, "aws-chunked")) continue;
      kept += (kept.empty() ? "" : ",") + std::string(part);
    }
    if (kept.empty()) m.erase("ContentEncoding");
    else m["ContentEncoding"] = kept;
  }
  if (!find(m, "ContentType")) m["ContentType"] = "binary/octet-stream";
  if (!find(m, "ServerSideEncryption")) m["ServerSideEncryption"] = "AES256";
  if (auto* md = opt_obj(in, "Metadata"); md && !md->empty()) m["Metadata"] = *md;
  return m;
}

void validate_object_input(const json::object& in, const std::string& key) {
  if (key.size() > kMaxKeyBytes)
    throw AwsError("KeyTooLongError", "Your key is too long", 400)
        .with("Size", std::to_string(key.size()))
        .with("MaxSizeAllowed", std::to_string(kMaxKeyBytes));
  if (auto* md = opt_obj(in, "Metadata")) {
    size_t n = user_metadata_size(*md);
    if (n > kMaxUserMetadataBytes)
      throw AwsError("MetadataTooLarge", "Your metadata headers exceed the maximum allowed metadata size.", 400)
          .with("Size", std::to_string(n))
          .with("MaxSizeAllowed", std::to_string(kMaxUserMetadataBytes));
  }
  if (auto sc = opt_str(in, "StorageClass"); sc && !valid_storage_class(*sc))
    throw AwsError("InvalidStorageClass", "The storage class you specified is not valid", 400)
        .with("StorageClassRequested", *sc);
  if (auto acl = opt_str(in, "ACL"); acl && !valid_object_acl(*acl))
    throw err::invalid_argument("", "x-amz-acl", *acl);
  if (auto sse = opt_str(in, "ServerSideEncryption"); sse && *sse != "AES256" && *sse != "aws:kms" &&
                                                       *sse != "aws:kms:dsse")
    throw err::invalid_argument("The encryption method specified is not supported", "x-amz-server-side-encryption",
                                *sse);
}

json::object acl_from_input(const json::object& in, const std::string& owner_account) {
  json::object acl;
  if (auto canned = opt_str(in, "ACL")) acl = canned_acl(*canned, owner_account);
  static constexpr std::pair<const char*, const char*> kGrants[] = {{"GrantFullControl", "FULL_CONTROL"},
                                                                    {"GrantRead", "READ"},
                                                                    {"GrantReadACP", "READ_ACP"},
                                                                    {"GrantWrite", "WRITE"},
                                                                    {"GrantWriteACP", "WRITE_ACP"}};
  json::array grants;
  for (auto& [member, perm] : kGrants)
    if (auto h = opt_str(in, member))
      for (auto& g : grants_from_header(perm, *h)) grants.push_back(g);
  if (!grants.empty()) acl = json::object{{"Owner", owner_doc(owner_account)}, {"Grants", std::move(grants)}};
  return acl;
}

IntegrityRequest integrity_request(const json::object& in, const HttpRequest& http) {
  IntegrityRequest ir;
  int values = 0;
  for (Algo a : kAllAlgos) {
    if (auto v = opt_str(in, algo_member(a))) {
      ++values;
      ir.algo = a;
      ir.value = *v;
    }
  }
  if (values > 1)
    throw err::invalid_request("Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.");
  if (auto name = opt_str(in, "ChecksumAlgorithm")) {
    auto a = algo_from_name(*name);
    if (!a)
      throw err::invalid_request(
          "Checksum algorithm provided is unsupported. Please try again with any of the valid types: [CRC32, "
          "CRC32C, CRC64NVME, SHA1, SHA256]");
    if (ir.algo == Algo::none) ir.algo = *a;
  }
  if (!ir.value.empty()) {
    auto raw = crypto::base64_decode(ir.value);
    if (!raw || raw->size() != algo_size(ir.algo))
      throw err::invalid_request("Value for " + algo_header(ir.algo) + " header is invalid.");
  }
  if (auto md5 = opt_str(in, "ContentMD5")) {
    auto raw = crypto::base64_decode(*md5);
    if (!raw || raw->size() != 16) throw err::invalid_digest(*md5);
    ir.content_md5 = *md5;
  }
  std::string_view sha = http.header_or("x-amz-content-sha256");
  if (sha.size() == 64 && sha.find_first_not_of("0123456789abcdefABCDEF") == std::string_view::npos)
    ir.content_sha256_hex = to_lower(sha);
  // A trailer the client announced must have arrived (the core adds trailers to the headers).
  if (auto* declared = http.header("x-amz-trailer")) {
    for (auto part : split(*declared, ',')) {
      std::string name = to_lower(trim(part));
      if (name.empty()) continue;
      if (!name.starts_with("x-amz-checksum-") || !algo_from_name(std::string_view(name).substr(15)))
        throw err::invalid_request("The value specified in the x-amz-trailer header is not supported");
      if (!http.header(name))
        throw AwsError("MalformedTrailerError",
                       "The request contained trailing data that was not well-formed or did not conform to our "
                       "published schema.",
                       400);
    }
  }
  if (auto* n = http.header("x-amz-decoded-content-length")) {
    auto v = parse_int(*n);
    if (!v || *v < 0) throw err::invalid_argument("x-amz-decoded-content-length is invalid", "x-amz-decoded-content-length", *n);
    ir.decoded_length = static_cast<uint64_t>(*v);
  }
  return ir;
}

void check_digests(const IntegrityRequest& ir, const Hasher::Result& r, Algo algo) {
  // An aws-chunked body announces its decoded size: a stream that ended early (or ran long)
  // is refused rather than stored short.
  if (ir.decoded_length && *ir.decoded_length != r.size)
    throw AwsError("IncompleteBody", "You did not provide the number of bytes specified by the Content-Length HTTP header",
                   400);
  if (!ir.content_sha256_hex.empty() && crypto::hex(r.sha256) != ir.content_sha256_hex)
    throw AwsError("XAmzContentSHA256Mismatch",
                   "The provided 'x-amz-content-sha256' header does not match what was computed.", 400)
        .with("ClientComputedContentSHA256", ir.content_sha256_hex)
        .with("S3ComputedContentSHA256", crypto::hex(r.sha256));
  if (ir.content_md5 && crypto::base64(r.md5) != *ir.content_md5)
    throw err::bad_digest_md5(*ir.content_md5, crypto::base64(r.md5));
  if (!ir.value.empty() && crypto::base64(r.sum) != ir.value) {
    std::string name(algo_name(algo));
    if (!algo_is_crc(algo)) name = to_lower(name);
    throw AwsError("BadDigest", "The " + name + " you specified did not match the calculated checksum.", 400);
  }
}

boost::asio::awaitable<BodyDigests> digest_body(BlockingPool& pool, const Payload& body, const IntegrityRequest& ir,
                                                Algo default_algo) {
  Hasher::Want w;
  w.md5 = true;
  w.sha256 = !ir.content_sha256_hex.empty();
  w.algo = ir.algo != Algo::none ? ir.algo : default_algo;
  Hasher::Result r;
  if (body.kind() == Payload::Kind::file) {
    auto path = body.path();
    uint64_t off = body.offset(), len = body.size();
    // Jobs are named: GCC 12 destroys non-trivial temporaries of a co_await full-expression twice.
    auto job = [w, path, off, len] { return hash_file(w, path, off, len); };
    r = co_await pool.run(std::move(job));
  } else {
    r = hash_memory(w, body.str());
  }
  check_digests(ir, r, w.algo);
  BodyDigests d;
  d.md5_hex = crypto::hex(r.md5);
  d.md5_raw = r.md5;
  d.size = r.size;
  d.algo = w.algo;
  if (w.algo != Algo::none) d.checksum_b64 = crypto::base64(r.sum);
  co_return d;
}

json::object checksum_doc(Algo a, const std::string& b64, std::string_view type) {
  json::object c;
  if (a == Algo::none || b64.empty()) return c;
  c[algo_member(a)] = b64;
  c["ChecksumType"] = type;
  return c;
}

void put_checksums(json::object& out, const json::object& checksum, bool with_type) {
  for (auto& [k, v] : checksum)
    if (with_type || k != "ChecksumType") out[k] = v;
}

// Copies [off, off+len) of a file to dest while hashing (blocking; pool).
Hasher::Result hash_copy_range(const std::filesystem::path& src, uint64_t off, uint64_t len,
                          const std::filesystem::path& dest, Hasher::Want w) {
  FILE* out = std::fopen(dest.c_str(), "wb");
  if (!out) throw std::runtime_error("cannot create " + dest.string());
  int fd = ::open(src.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    std::fclose(out);
    throw std::runtime_error("cannot open " + src.string());
  }
  Hasher h(w);
  std::vector<char> buf(1 << 20);
  uint64_t done = 0;
  bool ok = true;
  while (done < len && ok) {
    ssize_t got = ::pread(fd, buf.data(), std::min<uint64_t>(buf.size(), len - done), static_cast<off_t>(off + done));
    if (got <= 0) {
      ok = false;
      break;
    }
    std::string_view chunk(buf.data(), static_cast<size_t>(got));
    h.update(chunk);
    ok = std::fwrite(chunk.data(), 1, chunk.size(), out) == chunk.size();
    done += static_cast<uint64_t>(got);
  }
  ::close(fd);
  ok = std::fclose(out) == 0 && ok;
  if (!ok) throw std::runtime_error("copy of a part range failed");
  return h.finish();
}

bool shows_version(const BucketRow& b, const ObjectRow& row) {
  return !b.versioning.empty() || row.version_id != "null";
}

}  // namespace stratus::s3
