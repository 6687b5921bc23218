// Multipart uploads: create, upload (and copy) parts, complete (md5-of-md5s ETag, composite or
// full-object checksums), abort, list parts and uploads.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/mpuoverview.html
#include "errors.hpp"
#include "model.hpp"
#include "objects.hpp"
#include "s3_service.hpp"
#include "store.hpp"

#include <stratus/blocking.hpp>
#include <stratus/clock.hpp>
#include <stratus/crypto.hpp>
#include <stratus/ids.hpp>
#include <stratus/strings.hpp>

#include <cmath>
#include <cstdio>
#include <fcntl.h>
#include <unistd.h>

namespace stratus::s3 {

namespace {

UploadRow upload_or_throw(Store& st, const std::string& bucket, const std::string& key, const std::string& id) {
  auto u = st.upload(id);
  if (!u || u->bucket != bucket || u->key != key) throw err::no_such_upload(id);
  return *u;
}

int part_number_of(const json::object& in) {
  auto n = opt_int(in, "PartNumber").value_or(0);
  if (n < 1 || n > kMaxParts)
    throw err::invalid_argument("Part number must be an integer between 1 and 10000, inclusive", "partNumber",
                                std::to_string(n));
  return static_cast<int>(n);
}

std::string lower_name(Algo a) { return to_lower(algo_name(a)); }

// The algorithm a part is hashed with: the upload's, else the client's, else CRC64NVME.
Algo part_algo(const UploadRow& u, const IntegrityRequest& ir) {
  if (!u.checksum_algo.empty()) {
    Algo ua = *algo_from_name(u.checksum_algo);
    if (ir.algo != Algo::none && ir.algo != ua)
      throw err::invalid_request("Checksum Type mismatch occurred, expected checksum Type: " + lower_name(ua) +
                                 ", actual checksum Type: " + lower_name(ir.algo));
    return ua;
  }
  return ir.algo != Algo::none ? ir.algo : Algo::crc64nvme;
}

// Writes the concatenation of the parts to `dest`, hashing it on the way (blocking; pool).
struct Piece {
  std::optional<std::filesystem::path> path;
  std::string data;
  uint64_t size = 0;
};
Hasher::Result assemble(const std::vector<Piece>& pieces, const std::filesystem::path& dest, Hasher::Want w) {
  FILE* out = std::fopen(dest.c_str(), "wb");
  if (!out) throw std::runtime_error("cannot create " + dest.string());
  struct Closer {
    FILE* f;
    ~Closer() {
      if (f) std::fclose(f);
    }
  } closer{out};
  Hasher h(w);
  std::vector<char> buf(1 << 20);
  for (auto& p : pieces) {
    if (!p.path) {
      h.update(p.data);
      if (std::fwrite(p.data.data(), 1, p.data.size(), out) != p.data.size()) throw std::runtime_error("write failed");
      continue;
    }
    int fd = ::open(p.path->c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw std::runtime_error("cannot open part " + p.path->string());
    uint64_t off = 0;
    while (off < p.size) {
      ssize_t got = ::pread(fd, buf.data(), std::min<uint64_t>(buf.size(), p.size - off), static_cast<off_t>(off));
      if (got <= 0) {
        ::close(fd);
        throw std::runtime_error("short read of part " + p.path->string());
      }
      std::string_view chunk(buf.data(), static_cast<size_t>(got));
      h.update(chunk);
      if (std::fwrite(chunk.data(), 1, chunk.size(), out) != chunk.size()) {
        ::close(fd);
        throw std::runtime_error("write failed");
      }
      off += static_cast<uint64_t>(got);
    }
    ::close(fd);
  }
  if (std::fflush(out) != 0) throw std::runtime_error("write failed");
  std::fclose(closer.f);
  closer.f = nullptr;
  return h.finish();
}

json::object initiator(const std::string& account) {
  return json::object{{"ID", "arn:aws:iam::" + account + ":root"}, {"DisplayName", "stratus"}};
}

}  // namespace

Output S3Service::create_multipart_upload(Call& c) {
  const auto& in = c.input;
  std::string bucket(str_or(in, "Bucket")), key(str_or(in, "Key"));
  bucket_or_throw(bucket);
  validate_object_input(in, key);
  UploadRow u;
  u.upload_id = crypto::base64url(crypto::random_bytes(48));
  u.bucket = bucket;
  u.key = key;
  u.initiated = std::floor(env().clock.now_seconds());
  u.owner = c.ctx.account_id;
  u.storage_class = std::string(str_or(in, "StorageClass", "STANDARD"));
  u.meta = meta_from_input(in);
  u.tags = parse_tagging_header(str_or(in, "Tagging"));
  u.acl = acl_from_input(in, c.ctx.account_id);
  auto algo_name_in = opt_str(in, "ChecksumAlgorithm");
  auto type_in = opt_str(in, "ChecksumType");
  if (type_in && !algo_name_in)
    throw err::invalid_request(
        "The x-amz-checksum-type header can only be used with the x-amz-checksum-algorithm header.");
  if (algo_name_in) {
    auto a = algo_from_name(*algo_name_in);
    if (!a)
      throw err::invalid_request(
          "Checksum algorithm provided is unsupported. Please try again with any of the valid types: [CRC32, "
          "CRC32C, CRC64NVME, SHA1, SHA256]");
    std::string type = type_in ? *type_in : (*a == Algo::crc64nvme ? "FULL_OBJECT" : "COMPOSITE");
    if (type != "COMPOSITE" && type != "FULL_OBJECT")
      throw err::invalid_request("Value for x-amz-checksum-type header is invalid.");
    if (type == "FULL_OBJECT" && !algo_is_crc(*a))
      throw err::invalid_request("The FULL_OBJECT checksum type cannot be used with the " + lower_name(*a) +
                                 " checksum algorithm.");
    if (type == "COMPOSITE" && *a == Algo::crc64nvme)
      throw err::invalid_request("The COMPOSITE checksum type cannot be used with the crc64nvme checksum algorithm.");
    u.checksum_algo = std::string(algo_name(*a));
    u.checksum_type = type;
  }
  store_->insert_upload(u);
  json::object out{{"Bucket", bucket}, {"Key", key}, {"UploadId", u.upload_id}};
  out["ServerSideEncryption"] = u.meta["ServerSideEncryption"];
  if (!u.checksum_algo.empty()) {
    out["ChecksumAlgorithm"] = u.checksum_algo;
    out["ChecksumType"] = u.checksum_type;
  }
  return out;
}

boost::asio::awaitable<Output> S3Service::upload_part(Call& c) {
  const auto& in = c.input;
  std::string bucket(str_or(in, "Bucket")), key(str_or(in, "Key")), id(str_or(in, "UploadId"));
  bucket_or_throw(bucket);
  int pn = part_number_of(in);
  UploadRow u = upload_or_throw(*store_, bucket, key, id);
  IntegrityRequest ir = integrity_request(in, c.http);
  Algo algo = part_algo(u, ir);
  BodyDigests d = co_await digest_body(env().pool, c.body, ir, algo);
  u = upload_or_throw(*store_, bucket, key, id);  // aborted meanwhile?
  if (completing_.count(id)) throw err::no_such_upload(id);

  PartRow p;
  p.upload_id = id;
  p.part_number = pn;
  p.size = d.size;
  p.md5 = d.md5_raw;
  p.etag = "\"" + d.md5_hex + "\"";
  p.last_modified = std::floor(env().clock.now_seconds());
  p.checksum = checksum_doc(d.algo, d.checksum_b64);
  p.checksum.erase("ChecksumType");
  std::string inline_data;
  if (c.body.kind() == Payload::Kind::memory && d.size <= kInlineMax) {
    inline_data = std::move(c.body.str());
  } else {
    std::string bid = new_blob_id();
    c.body.commit_to(blob_path(bid));
    p.blob = bid;
  }
  auto old = store_->part(id, pn);
  store_->put_part(p, inline_data);
  if (old) remove_blob(old->blob);

  json::object out{{"ETag", p.etag}};
  if (!u.checksum_algo.empty() || ir.algo != Algo::none) put_checksums(out, p.checksum);
  out["ServerSideEncryption"] = u.meta["ServerSideEncryption"];
  co_return out;
}

boost::asio::awaitable<Output> S3Service::upload_part_copy(Call& c) {
  const auto& in = c.input;
  std::string bucket(str_or(in, "Bucket")), key(str_or(in, "Key")), id(str_or(in, "UploadId"));
  bucket_or_throw(bucket);
  int pn = part_number_of(in);
  UploadRow u = upload_or_throw(*store_, bucket, key, id);
  BucketRow sb;
  ObjectRow src = internal::copy_source(*this, in, &sb);
  uint64_t off = 0, len = src.size;
  if (auto range = opt_str(in, "CopySourceRange")) {
    ByteRange r;
    std::string_view rv = trim(*range);
    bool ok = rv.starts_with("bytes=") && rv.find('-') != std::string_view::npos && rv[6] != '-' &&
              !rv.ends_with("-");
    if (!ok || parse_range(rv, UINT64_MAX, r) != RangeParse::ok)
      throw err::invalid_argument(
          "The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the "
          "zero-based offsets of the first and last bytes to copy",
          "x-amz-copy-source-range", *range);
    if (r.last >= src.size)
      throw err::invalid_argument("Range specified is not valid for source object of size: " + std::to_string(src.size),
                                  "x-amz-copy-source-range", *range);
    off = r.first;
    len = r.length();
  }
  if (len > kMaxSinglePut)
    throw err::invalid_request(
        "The specified copy source is larger than the maximum allowable size for a copy source: 5368709120");
  Algo algo = u.checksum_algo.empty() ? Algo::crc64nvme : *algo_from_name(u.checksum_algo);
  Hasher::Want w{true, false, algo, Algo::none};
  PartRow p;
  p.upload_id = id;
  p.part_number = pn;
  p.size = len;
  std::string inline_data;
  Hasher::Result r;
  if (!src.blob) {
    std::string all = store_->body(src.seq);
    inline_data = all.substr(off, len);
    r = hash_memory(w, inline_data);
  } else {
    std::string bid = new_blob_id();
    auto src_path = blobs_->path_for(*src.blob);
    auto dst = blob_path(bid);
    auto job = [src_path, off, len, dst, w] { return hash_copy_range(src_path, off, len, dst, w); };
    r = co_await env().pool.run(std::move(job));
    p.blob = bid;
  }
  u = upload_or_throw(*store_, bucket, key, id);
  p.md5 = r.md5;
  p.etag = "\"" + crypto::hex(r.md5) + "\"";
  p.last_modified = std::floor(env().clock.now_seconds());
  p.checksum = checksum_doc(algo, crypto::base64(r.sum));
  p.checksum.erase("ChecksumType");
  auto old = store_->part(id, pn);
  store_->put_part(p, inline_data);
  if (old) remove_blob(old->blob);
  json::object result{{"ETag", p.etag}, {"LastModified", p.last_modified}};
  if (!u.checksum_algo.empty()) put_checksums(result, p.checksum);
  json::object out{{"CopyPartResult", std::move(result)}};
  if (!sb.versioning.empty() || src.version_id != "null") out["CopySourceVersionId"] = src.version_id;
  out["ServerSideEncryption"] = u.meta["ServerSideEncryption"];
  co_return out;
}

boost::asio::awaitable<Output> S3Service::complete_multipart_upload(Call& c) {
  const auto& in = c.input;
  std::string bucket(str_or(in, "Bucket")), key(str_or(in, "Key")), id(str_or(in, "UploadId"));
  BucketRow b = bucket_or_throw(bucket);
  UploadRow u = upload_or_throw(*store_, bucket, key, id);
  if (completing_.count(id)) throw err::no_such_upload(id);
  const json::object* mpu = opt_obj(in, "MultipartUpload");
  const json::array* listed = mpu ? opt_arr(*mpu, "Parts") : nullptr;
  if (!listed || listed->empty()) throw err::malformed_xml();

  Algo algo = u.checksum_algo.empty() ? Algo::none : *algo_from_name(u.checksum_algo);
  bool full_object = u.checksum_type == "FULL_OBJECT" || algo == Algo::none;
  std::vector<PartRow> chosen;
  int prev = 0;
  for (auto& v : *listed) {
    if (!v.is_object()) throw err::malformed_xml();
    const auto& lp = v.get_object();
    int pn = static_cast<int>(opt_int(lp, "PartNumber").value_or(0));
    if (pn <= prev)
      throw AwsError("InvalidPartOrder",
                     "The list of parts was not in ascending order. Parts must be ordered by part number.", 400)
          .with("UploadId", id);
    prev = pn;
    auto p = store_->part(id, pn);
    std::string etag(str_or(lp, "ETag"));
    if (!p || strip_etag(etag) != strip_etag(p->etag))
      throw AwsError("InvalidPart",
                     "One or more of the specified parts could not be found.  The part may not have been uploaded, or "
                     "the specified entity tag may not match the part's entity tag.",
                     400)
          .with("UploadId", id)
          .with("PartNumber", std::to_string(pn))
          .with("ETag", etag);
    if (algo != Algo::none && !full_object) {
      auto given = opt_str(lp, algo_member(algo));
      if (!given)
        throw err::invalid_request("The upload was created using a " + lower_name(algo) +
                                   " checksum. The complete request must include the checksum for each part. It was "
                                   "missing for part " +
                                   std::to_string(pn) + " in the request.");
      if (*given != str_or(p->checksum, algo_member(algo)))
        throw AwsError("InvalidPart",
                       "One or more of the specified parts could not be found.  The part may not have been uploaded, "
                       "or the specified entity tag may not match the part's entity tag.",
                       400)
            .with("UploadId", id)
            .with("PartNumber", std::to_string(pn))
            .with("ETag", etag);
    }
    chosen.push_back(std::move(*p));
  }
  for (size_t i = 0; i + 1 < chosen.size(); ++i)
    if (chosen[i].size < kMinPartSize)
      throw AwsError("EntityTooSmall", "Your proposed upload is smaller than the minimum allowed object size.", 400)
          .with("ProposedSize", std::to_string(chosen[i].size))
          .with("MinSizeAllowed", std::to_string(kMinPartSize))
          .with("PartNumber", std::to_string(chosen[i].part_number))
          .with("ETag", std::string(strip_etag(chosen[i].etag)));
  uint64_t total = 0;
  std::string md5s, sums;
  for (auto& p : chosen) {
    total += p.size;
    md5s += p.md5;
    if (algo != Algo::none && !full_object)
      if (auto raw = crypto::base64_decode(str_or(p.checksum, algo_member(algo)))) sums += *raw;
  }
  if (auto size = opt_int(in, "MpuObjectSize"); size && static_cast<uint64_t>(*size) != total)
    throw err::invalid_request("The provided 'x-amz-mp-object-size' header value does not match what was computed");
  if (auto inm = opt_str(in, "IfNoneMatch")) {
    auto cur = store_->latest(bucket, key);
    if (cur && !cur->delete_marker) throw err::precondition_failed("If-None-Match");
  }
  if (auto im = opt_str(in, "IfMatch")) {
    auto cur = store_->latest(bucket, key);
    if (!cur || cur->delete_marker) throw err::no_such_key(key);
    if (!etag_matches(*im, cur->etag)) throw err::precondition_failed("If-Match");
  }

  // Assemble the object: one file (or an inline body) of the parts in order.
  Algo full_algo = full_object ? (algo == Algo::none ? Algo::crc64nvme : algo) : Algo::none;
  Hasher::Want w{false, false, full_algo, Algo::none};
  std::vector<Piece> pieces;
  for (auto& p : chosen) {
    Piece piece;
    piece.size = p.size;
    if (p.blob) piece.path = blobs_->path_for(*p.blob);
    else piece.data = store_->part_body(id, p.part_number);
    pieces.push_back(std::move(piece));
  }
  completing_.insert(id);
  ObjectRow row;
  try {
    if (total <= kInlineMax) {
      Hasher h(w);
      for (auto& piece : pieces) {
        if (piece.path) piece.data = Payload::from_file(*piece.path, 0, piece.size, false).read_all();
        h.update(piece.data);
        row.data += piece.data;
      }
      auto r = h.finish();
      if (full_algo != Algo::none) row.checksum = checksum_doc(full_algo, crypto::base64(r.sum), "FULL_OBJECT");
    } else {
      std::string bid = new_blob_id();
      auto dest = blob_path(bid);
      auto tmp = blobs_->temp_path();
      auto job = [pieces, tmp, w] { return assemble(pieces, tmp, w); };
      auto r = co_await env().pool.run(std::move(job));
      std::filesystem::rename(tmp, dest);
      row.blob = bid;
      if (full_algo != Algo::none) row.checksum = checksum_doc(full_algo, crypto::base64(r.sum), "FULL_OBJECT");
    }
  } catch (...) {
    completing_.erase(id);
    throw;
  }
  completing_.erase(id);
  if (algo != Algo::none && !full_object)
    row.checksum = checksum_doc(algo, crypto::base64(composite_raw(algo, sums)) + "-" + std::to_string(chosen.size()),
                                "COMPOSITE");
  for (auto& p : chosen) {
    json::object part{{"Size", static_cast<int64_t>(p.size)}};
    if (algo != Algo::none)
      if (auto* v = find(p.checksum, algo_member(algo))) part[algo_member(algo)] = *v;
    row.parts.push_back(std::move(part));
  }
  row.bucket = bucket;
  row.key = key;
  row.size = total;
  row.etag = "\"" + crypto::md5_hex(md5s) + "-" + std::to_string(chosen.size()) + "\"";
  row.last_modified = std::floor(env().clock.now_seconds());
  row.storage_class = u.storage_class;
  row.owner = u.owner;
  row.meta = u.meta;
  row.tags = u.tags;
  row.acl = u.acl;
  try {
    b = bucket_or_throw(bucket);
    if (!store_->upload(id)) throw err::no_such_upload(id);
  } catch (...) {
    remove_blob(row.blob);
    throw;
  }
  row = write_version(b, std::move(row));
  for (auto& p : store_->parts(id)) remove_blob(p.blob);
  store_->delete_upload(id);
  notify(c.ctx, b, "ObjectCreated:CompleteMultipartUpload", row, c.http.remote_ip);

  json::object out{{"Location", c.ctx.endpoint + "/" + bucket + "/" + uri_encode(key, false)},
                   {"Bucket", bucket},
                   {"Key", key},
                   {"ETag", row.etag}};
  put_checksums(out, row.checksum);
  if (!b.versioning.empty()) out["VersionId"] = row.version_id;
  out["ServerSideEncryption"] = row.meta["ServerSideEncryption"];
  if (auto e = expiration_header(b, row); !e.empty()) out["Expiration"] = e;
  co_return out;
}

Output S3Service::abort_multipart_upload(Call& c) {
  const auto& in = c.input;
  std::string bucket(str_or(in, "Bucket")), key(str_or(in, "Key")), id(str_or(in, "UploadId"));
  bucket_or_throw(bucket);
  UploadRow u = upload_or_throw(*store_, bucket, key, id);
  if (completing_.count(id)) throw err::no_such_upload(id);
  for (auto& p : store_->parts(id)) remove_blob(p.blob);
  store_->delete_upload(id);
  return json::object{};
}

Output S3Service::list_parts(Call& c) {
  const auto& in = c.input;
  std::string bucket(str_or(in, "Bucket")), key(str_or(in, "Key")), id(str_or(in, "UploadId"));
  bucket_or_throw(bucket);
  UploadRow u = upload_or_throw(*store_, bucket, key, id);
  int64_t marker = opt_int(in, "PartNumberMarker").value_or(0);
  int64_t max = opt_int(in, "MaxParts").value_or(1000);
  if (max < 0)
    throw err::invalid_argument("Argument max-parts must be an integer between 0 and 2147483647", "max-parts",
                                std::to_string(max));
  max = std::min<int64_t>(max, 1000);
  json::array parts;
  bool truncated = false;
  int64_t last = 0;
  for (auto& p : store_->parts(id)) {
    if (p.part_number <= marker) continue;
    if (static_cast<int64_t>(parts.size()) >= max) {
      truncated = true;
      break;
    }
    json::object d{{"PartNumber", p.part_number},
                   {"LastModified", p.last_modified},
                   {"ETag", p.etag},
                   {"Size", static_cast<int64_t>(p.size)}};
    if (!u.checksum_algo.empty()) put_checksums(d, p.checksum, false);
    parts.push_back(std::move(d));
    last = p.part_number;
  }
  json::object out{{"Bucket", bucket},
                   {"Key", key},
                   {"UploadId", id},
                   {"PartNumberMarker", marker},
                   {"MaxParts", max},
                   {"IsTruncated", truncated},
                   {"Initiator", initiator(u.owner)},
                   {"Owner", owner_doc(u.owner)},
                   {"StorageClass", u.storage_class}};
  if (!parts.empty()) out["Parts"] = std::move(parts);
  if (truncated) out["NextPartNumberMarker"] = last;
  if (!u.checksum_algo.empty()) {
    out["ChecksumAlgorithm"] = u.checksum_algo;
    out["ChecksumType"] = u.checksum_type;
  }
  return out;
}

Output S3Service::list_multipart_uploads(Call& c) {
  const auto& in = c.input;
  std::string bucket(str_or(in, "Bucket"));
  bucket_or_throw(bucket);
  std::string prefix(str_or(in, "Prefix")), delimiter(str_or(in, "Delimiter"));
  std::string key_marker(str_or(in, "KeyMarker")), id_marker(str_or(in, "UploadIdMarker"));
  int64_t max = opt_int(in, "MaxUploads").value_or(1000);
  if (max < 0)
    throw err::invalid_argument("Argument max-uploads must be an integer between 0 and 2147483647", "max-uploads",
                                std::to_string(max));
  max = std::min<int64_t>(max, 1000);
  bool url = false;
  if (auto e = opt_str(in, "EncodingType")) {
    if (*e != "url") throw err::invalid_argument("Invalid Encoding Method specified in Request", "encoding-type", *e);
    url = true;
  }
  auto enc = [&](const std::string& s) { return url ? url_encode_key(s) : s; };
  json::array uploads, prefixes;
  std::string last_cp, next_key, next_id;
  bool truncated = false;
  int64_t count = 0;
  bool past_id_marker = id_marker.empty();
  for (auto& u : store_->list_uploads(bucket)) {
    if (!u.key.starts_with(prefix)) continue;
    if (!key_marker.empty()) {
      if (u.key < key_marker) continue;
      if (u.key == key_marker) {
        if (id_marker.empty()) continue;
        if (!past_id_marker) {
          if (u.upload_id == id_marker) past_id_marker = true;
          continue;
        }
      }
    }
    if (!delimiter.empty()) {
      auto pos = u.key.find(delimiter, prefix.size());
      if (pos != std::string::npos) {
        std::string cp = u.key.substr(0, pos + delimiter.size());
        if (cp == last_cp || (!key_marker.empty() && cp <= key_marker)) continue;
        if (count >= max) {
          truncated = true;
          break;
        }
        prefixes.push_back(json::object{{"Prefix", enc(cp)}});
        last_cp = cp;
        next_key = cp;
        next_id.clear();
        ++count;
        continue;
      }
    }
    if (count >= max) {
      truncated = true;
      break;
    }
    json::object d{{"UploadId", u.upload_id},
                   {"Key", enc(u.key)},
                   {"Initiated", u.initiated},
                   {"StorageClass", u.storage_class},
                   {"Owner", owner_doc(u.owner)},
                   {"Initiator", initiator(u.owner)}};
    if (!u.checksum_algo.empty()) {
      d["ChecksumAlgorithm"] = u.checksum_algo;
      d["ChecksumType"] = u.checksum_type;
    }
    uploads.push_back(std::move(d));
    next_key = u.key;
    next_id = u.upload_id;
    ++count;
  }
  json::object out{{"Bucket", bucket},           {"KeyMarker", enc(key_marker)}, {"UploadIdMarker", id_marker},
                   {"Prefix", enc(prefix)},      {"MaxUploads", max},           {"IsTruncated", truncated}};
  if (!delimiter.empty()) out["Delimiter"] = enc(delimiter);
  if (url) out["EncodingType"] = "url";
  if (!uploads.empty()) out["Uploads"] = std::move(uploads);
  if (!prefixes.empty()) out["CommonPrefixes"] = std::move(prefixes);
  if (truncated) {
    out["NextKeyMarker"] = enc(next_key);
    out["NextUploadIdMarker"] = next_id;
  }
  return out;
}

}  // namespace stratus::s3
