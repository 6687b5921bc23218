// PutObject, GetObject, HeadObject, GetObjectAttributes.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html and API_GetObject.html
#include "errors.hpp"
#include "model.hpp"
#include "objects.hpp"
#include "s3_service.hpp"
#include "store.hpp"

#include <stratus/blocking.hpp>
#include <stratus/clock.hpp>
#include <stratus/strings.hpp>

#include <cmath>

namespace stratus::s3 {

namespace {

std::string version_header(const BucketRow& b, const std::string& version_id) {
  return b.versioning.empty() ? std::string() : version_id;
}

// Conditional writes (https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes.html).
void check_write_conditions(Store& st, const BucketRow& b, const std::string& key, const json::object& in) {
  auto inm = opt_str(in, "IfNoneMatch");
  auto im = opt_str(in, "IfMatch");
  if (!inm && !im) return;
  if (inm && trim(*inm) != "*")
    throw AwsError("NotImplemented", "A header you provided implies functionality that is not implemented", 501)
        .with("Header", "If-None-Match");
  auto cur = st.latest(b.name, key);
  bool exists = cur && !cur->delete_marker;
  if (inm && exists) throw err::precondition_failed("If-None-Match");
  if (im) {
    if (!exists) throw err::no_such_key(key);
    if (!etag_matches(*im, cur->etag)) throw err::precondition_failed("If-Match");
  }
}

}  // namespace

boost::asio::awaitable<Output> S3Service::put_object(Call& c) {
  const auto& in = c.input;
  std::string bucket(str_or(in, "Bucket")), key(str_or(in, "Key"));
  BucketRow b = bucket_or_throw(bucket);
  validate_object_input(in, key);
  if (find(in, "WriteOffsetBytes"))
    throw AwsError("NotImplemented", "A header you provided implies functionality that is not implemented", 501)
        .with("Header", "x-amz-write-offset-bytes");
  auto tags = parse_tagging_header(str_or(in, "Tagging"));
  check_write_conditions(*store_, b, key, in);
  IntegrityRequest ir = integrity_request(in, c.http);
  BodyDigests d = co_await digest_body(env().pool, c.body, ir);
  // The bucket may have gone while the body was hashed; conditions are checked again.
  b = bucket_or_throw(bucket);
  check_write_conditions(*store_, b, key, in);

  ObjectRow row;
  row.bucket = bucket;
  row.key = key;
  row.size = d.size;
  row.etag = "\"" + d.md5_hex + "\"";
  row.last_modified = std::floor(env().clock.now_seconds());
  row.storage_class = std::string(str_or(in, "StorageClass", "STANDARD"));
  row.owner = c.ctx.account_id;
  row.meta = meta_from_input(in);
  row.checksum = checksum_doc(d.algo, d.checksum_b64);
  row.tags = std::move(tags);
  row.acl = acl_from_input(in, c.ctx.account_id);
  if (c.body.kind() == Payload::Kind::memory && d.size <= kInlineMax) {
    row.data = std::move(c.body.str());
  } else {
    std::string id = new_blob_id();
    c.body.commit_to(blob_path(id));
    row.blob = id;
  }
  row = write_version(b, std::move(row));
  notify(c.ctx, b, "ObjectCreated:Put", row, c.http.remote_ip);

  json::object out{{"ETag", row.etag}};
  if (auto v = version_header(b, row.version_id); !v.empty()) out["VersionId"] = v;
  put_checksums(out, row.checksum);
  out["ServerSideEncryption"] = row.meta["ServerSideEncryption"];
  if (auto* k = find(row.meta, "SSEKMSKeyId")) out["SSEKMSKeyId"] = *k;
  if (auto e = expiration_header(b, row); !e.empty()) out["Expiration"] = e;
  co_return out;
}

Output S3Service::get_object(Call& c) { return read_object(c, false); }
Output S3Service::head_object(Call& c) { return read_object(c, true); }

Output S3Service::read_object(Call& c, bool head) {
  const auto& in = c.input;
  std::string bucket(str_or(in, "Bucket")), key(str_or(in, "Key"));
  BucketRow b = bucket_or_throw(bucket);
  auto version = opt_str(in, "VersionId");
  std::optional<ObjectRow> row;
  if (version) {
    if (!plausible_version_id(*version)) throw err::invalid_version(*version);
    row = store_->version(bucket, key, *version);
    if (!row) throw err::no_such_version(key, *version);
  } else {
    row = store_->latest(bucket, key);
    if (!row) throw err::no_such_key(key);
  }
  if (row->delete_marker) {
    AwsError e = version ? err::method_not_allowed(c.http.method, "DeleteMarker") : err::no_such_key(key);
    e.headers.emplace_back("x-amz-delete-marker", "true");
    if (shows_version(b, *row)) e.headers.emplace_back("x-amz-version-id", row->version_id);
    if (version) e.headers.emplace_back("Last-Modified", rfc822(row->last_modified));
    throw e;
  }

  Conditions cond;
  cond.if_match = opt_str(in, "IfMatch");
  cond.if_none_match = opt_str(in, "IfNoneMatch");
  if (auto* v = find(in, "IfModifiedSince"); v && v->is_number()) cond.if_modified_since = v->to_number<double>();
  if (auto* v = find(in, "IfUnmodifiedSince"); v && v->is_number()) cond.if_unmodified_since = v->to_number<double>();
  ConditionResult cr = evaluate_conditions(cond, row->etag, row->last_modified);
  if (cr.status == 412) throw err::precondition_failed(cr.condition);
  if (cr.status == 304) {
    AwsError e("NotModified", "Not Modified", 304);
    e.headers.emplace_back("ETag", row->etag);
    e.headers.emplace_back("Last-Modified", rfc822(row->last_modified));
    if (shows_version(b, *row)) e.headers.emplace_back("x-amz-version-id", row->version_id);
    throw e;
  }

  uint64_t offset = 0, length = row->size;
  int status = 200;
  json::object out;
  auto range_header = opt_str(in, "Range");
  auto part_number = opt_int(in, "PartNumber");
  if (part_number) {
    if (range_header) throw err::invalid_request("Cannot specify both Range header and partNumber query parameter");
    if (*part_number < 1 || *part_number > kMaxParts)
      throw err::invalid_argument("Part number must be an integer between 1 and 10000, inclusive", "partNumber",
                                  std::to_string(*part_number));
    int64_t count = row->parts.empty() ? 1 : static_cast<int64_t>(row->parts.size());
    if (*part_number > count)
      throw AwsError("InvalidPartNumber", "The requested partnumber is not satisfiable", 416)
          .with("PartNumberRequested", std::to_string(*part_number))
          .with("ActualPartCount", std::to_string(count));
    if (!row->parts.empty()) {
      for (int64_t i = 0; i + 1 < *part_number; ++i) offset += row->parts[i].as_object().at("Size").to_number<uint64_t>();
      length = row->parts[*part_number - 1].as_object().at("Size").to_number<uint64_t>();
      out["PartsCount"] = count;
    }
    status = 206;
    out["ContentRange"] = "bytes " + std::to_string(offset) + "-" + std::to_string(offset + length - 1) + "/" +
                          std::to_string(row->size);
    if (length == 0) out["ContentRange"] = "bytes */0";
  } else if (range_header) {
    ByteRange r;
    switch (parse_range(*range_header, row->size, r)) {
      case RangeParse::ignore: break;
      case RangeParse::unsatisfiable: {
        AwsError e = err::invalid_range(*range_header, row->size);
        e.headers.emplace_back("Content-Range", "bytes */" + std::to_string(row->size));
        throw e;
      }
      case RangeParse::ok:
        offset = r.first;
        length = r.length();
        status = 206;
        out["ContentRange"] = "bytes " + std::to_string(r.first) + "-" + std::to_string(r.last) + "/" +
                              std::to_string(row->size);
        break;
    }
  }

  out["AcceptRanges"] = "bytes";
  out["LastModified"] = row->last_modified;
  out["ContentLength"] = static_cast<int64_t>(length);
  out["ETag"] = row->etag;
  for (auto& [k, v] : row->meta) out[k] = v;
  if (shows_version(b, *row)) out["VersionId"] = row->version_id;
  if (row->storage_class != "STANDARD") out["StorageClass"] = row->storage_class;
  if (!row->tags.empty()) out["TagCount"] = static_cast<int64_t>(row->tags.size());
  if (iequals(str_or(in, "ChecksumMode"), "ENABLED") && status == 200) put_checksums(out, row->checksum);
  if (auto e = expiration_header(b, *row); !e.empty()) out["Expiration"] = e;
  // response-* parameters override the stored headers (GetObject only, but HEAD accepts them too).
  static constexpr std::pair<const char*, const char*> kOverrides[] = {
      {"ResponseCacheControl", "CacheControl"},         {"ResponseContentDisposition", "ContentDisposition"},
      {"ResponseContentEncoding", "ContentEncoding"},   {"ResponseContentLanguage", "ContentLanguage"},
      {"ResponseContentType", "ContentType"}};
  for (auto& [from, to] : kOverrides)
    if (auto* v = find(in, from)) out[to] = *v;
  if (auto* v = find(in, "ResponseExpires"); v && v->is_number()) out["Expires"] = rfc822(v->to_number<double>());

  Output o(std::move(out));
  o.status = status;
  if (!head) o.body = object_payload(*row, offset, length);
  return o;
}

Output S3Service::get_object_attributes(Call& c) {
  const auto& in = c.input;
  std::string bucket(str_or(in, "Bucket")), key(str_or(in, "Key"));
  BucketRow b = bucket_or_throw(bucket);
  auto version = opt_str(in, "VersionId");
  std::optional<ObjectRow> row;
  if (version) {
    if (!plausible_version_id(*version)) throw err::invalid_version(*version);
    row = store_->version(bucket, key, *version);
    if (!row) throw err::no_such_version(key, *version);
  } else {
    row = store_->latest(bucket, key);
    if (!row) throw err::no_such_key(key);
  }
  if (row->delete_marker) {
    AwsError e = version ? err::method_not_allowed("GET", "DeleteMarker") : err::no_such_key(key);
    e.headers.emplace_back("x-amz-delete-marker", "true");
    if (shows_version(b, *row)) e.headers.emplace_back("x-amz-version-id", row->version_id);
    throw e;
  }
  std::set<std::string> want;
  if (auto* a = opt_arr(in, "ObjectAttributes"))
    for (auto& v : *a)
      if (v.is_string()) want.insert(std::string(v.get_string()));
  for (auto& w : want)
    if (w != "ETag" && w != "Checksum" && w != "ObjectParts" && w != "StorageClass" && w != "ObjectSize")
      throw err::invalid_argument("Invalid attribute name specified.", "x-amz-object-attributes", w);
  json::object out{{"LastModified", row->last_modified}};
  if (shows_version(b, *row)) out["VersionId"] = row->version_id;
  if (want.count("ETag")) out["ETag"] = std::string(strip_etag(row->etag));
  if (want.count("StorageClass")) out["StorageClass"] = row->storage_class;
  if (want.count("ObjectSize")) out["ObjectSize"] = static_cast<int64_t>(row->size);
  if (want.count("Checksum") && !row->checksum.empty()) {
    json::object cs;
    put_checksums(cs, row->checksum);
    out["Checksum"] = std::move(cs);
  }
  if (want.count("ObjectParts") && !row->parts.empty()) {
    int64_t marker = opt_int(in, "PartNumberMarker").value_or(0);
    int64_t max = opt_int(in, "MaxParts").value_or(1000);
    json::array parts;
    int64_t n = 0, last = 0;
    bool truncated = false;
    for (size_t i = 0; i < row->parts.size(); ++i) {
      int64_t pn = static_cast<int64_t>(i) + 1;
      if (pn <= marker) continue;
      if (n >= max) {
        truncated = true;
        break;
      }
      json::object p{{"PartNumber", pn}};
      for (auto& [k, v] : row->parts[i].as_object())
        if (k != "ChecksumType") p[k] = v;
      parts.push_back(std::move(p));
      last = pn;
      ++n;
    }
    json::object op{{"TotalPartsCount", static_cast<int64_t>(row->parts.size())},
                    {"PartNumberMarker", marker},
                    {"MaxParts", max},
                    {"IsTruncated", truncated},
                    {"Parts", std::move(parts)}};
    if (last) op["NextPartNumberMarker"] = last;
    out["ObjectParts"] = std::move(op);
  }
  return out;
}

}  // namespace stratus::s3
