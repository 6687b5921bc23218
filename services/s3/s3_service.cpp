// Registration, routing claims, the checks every request gets, and the storage helpers the
// operation files share. Operations: ops_*.cpp; browser-facing data planes: cors.cpp,
// post_upload.cpp, website.cpp; background work: lifecycle.cpp, notifications.cpp.
#include "s3_service.hpp"

#include "errors.hpp"
#include "model.hpp"
#include "store.hpp"

#include <stratus/clock.hpp>
#include <stratus/ids.hpp>
#include <stratus/protocol.hpp>
#include <stratus/sigv4.hpp>
#include <stratus/strings.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

namespace stratus::s3 {

namespace {

// Hosts: "<bucket>.s3.<anything>" (virtual-hosted style: localhost, <region>.localhost,
// localhost.localstack.cloud, amazonaws.com) and "<bucket>.s3-website[.-]<anything>".
std::string_view host_without_port(std::string_view host) {
  if (host.starts_with('[')) return host;  // IPv6 literal: never a bucket host
  auto colon = host.rfind(':');
  return colon == std::string_view::npos ? host : host.substr(0, colon);
}

enum class HostKind { none, bucket, website };

HostKind classify_host(std::string_view host, std::string& bucket) {
  host = host_without_port(host);
  if (host.size() < 6) return HostKind::none;
  auto ws = host.find(".s3-website");
  if (ws != std::string_view::npos && ws > 0) {
    bucket = to_lower(host.substr(0, ws));
    return HostKind::website;
  }
  auto p = host.find(".s3.");
  if (p == std::string_view::npos) {
    // Legacy "<bucket>.s3-<region>.amazonaws.com".
    p = host.find(".s3-");
    if (p == std::string_view::npos || !host.ends_with(".amazonaws.com")) return HostKind::none;
  }
  if (p == 0) return HostKind::none;
  bucket = to_lower(host.substr(0, p));
  return HostKind::bucket;
}

// First path segments that belong to other services' path-style data planes: an unsigned
// CORS preflight on them is not S3's.
bool reserved_first_segment(std::string_view seg) {
  static constexpr std::string_view kReserved[] = {"restapis", "2015-03-31", "2016-08-19", "2017-10-31",
                                                   "2018-10-31", "2019-09-25", "2020-04-22", "2021-10-31",
                                                   "v2",        "@connections", "_aws", "_stratus",
                                                   "_localstack", "moto-api", "graphql"};
  for (auto r : kReserved)
    if (seg == r) return true;
  return false;
}

std::string_view first_segment(std::string_view path) {
  if (path.starts_with('/')) path.remove_prefix(1);
  auto slash = path.find('/');
  return slash == std::string_view::npos ? path : path.substr(0, slash);
}

constexpr std::string_view kWebsitePathPrefix = "/_s3-website/";

}  // namespace

S3Service::S3Service()
    : Service(ServiceInfo{
          .name = "s3",
          .models = {{"s3", Protocol::rest_xml}},
          .signing_names = {"s3"},
          .validation_error_code = "InvalidArgument",
          .validate_enums = false,
          .request_id = RequestIdStyle::s3,
          .handles_cors = true,
          .fallback = true,
          .max_body = 5ull << 30,  // one PUT; larger objects go through multipart uploads
          .too_large =
              [](uint64_t size, uint64_t limit) {
                AwsError e("EntityTooLarge", "Your proposed upload exceeds the maximum allowed size", 400);
                if (size) e.with("ProposedSize", std::to_string(size));
                return e.with("MaxSizeAllowed", std::to_string(limit));
              },
          .xml_namespace = "http://s3.amazonaws.com/doc/2006-03-01/",
          .xml_root_names =
              {
                  {"ListObjectsOutput", "ListBucketResult"},
                  {"ListObjectsV2Output", "ListBucketResult"},
                  {"ListBucketsOutput", "ListAllMyBucketsResult"},
                  {"ListObjectVersionsOutput", "ListVersionsResult"},
                  {"CreateMultipartUploadOutput", "InitiateMultipartUploadResult"},
                  {"CompleteMultipartUploadOutput", "CompleteMultipartUploadResult"},
                  {"ListPartsOutput", "ListPartsResult"},
                  {"ListMultipartUploadsOutput", "ListMultipartUploadsResult"},
                  {"DeleteObjectsOutput", "DeleteResult"},
                  {"GetObjectAttributesOutput", "GetObjectAttributesResponse"},
                  {"GetBucketAclOutput", "AccessControlPolicy"},
                  {"GetObjectAclOutput", "AccessControlPolicy"},
                  {"GetObjectTaggingOutput", "Tagging"},
                  {"GetBucketTaggingOutput", "Tagging"},
                  {"GetBucketCorsOutput", "CORSConfiguration"},
                  {"GetBucketLifecycleConfigurationOutput", "LifecycleConfiguration"},
                  {"GetBucketVersioningOutput", "VersioningConfiguration"},
                  {"GetBucketWebsiteOutput", "WebsiteConfiguration"},
                  {"GetBucketAccelerateConfigurationOutput", "AccelerateConfiguration"},
                  {"GetBucketRequestPaymentOutput", "RequestPaymentConfiguration"},
                  {"GetBucketLoggingOutput", "BucketLoggingStatus"},
              },
      }) {
  reg("CreateBucket", &S3Service::create_bucket);
  reg("DeleteBucket", &S3Service::delete_bucket);
  reg("HeadBucket", &S3Service::head_bucket);
  reg("ListBuckets", &S3Service::list_buckets);
  reg("GetBucketLocation", &S3Service::get_bucket_location);
  reg("PutBucketVersioning", &S3Service::put_bucket_versioning);
  reg("GetBucketVersioning", &S3Service::get_bucket_versioning);

  reg("PutObject", &S3Service::put_object);
  reg("GetObject", &S3Service::get_object);
  reg("HeadObject", &S3Service::head_object);
  reg("DeleteObject", &S3Service::delete_object);
  reg("DeleteObjects", &S3Service::delete_objects);
  reg("CopyObject", &S3Service::copy_object);
  reg("GetObjectAttributes", &S3Service::get_object_attributes);

  reg("ListObjects", &S3Service::list_objects);
  reg("ListObjectsV2", &S3Service::list_objects_v2);
  reg("ListObjectVersions", &S3Service::list_object_versions);

  reg("CreateMultipartUpload", &S3Service::create_multipart_upload);
  reg("UploadPart", &S3Service::upload_part);
  reg("UploadPartCopy", &S3Service::upload_part_copy);
  reg("CompleteMultipartUpload", &S3Service::complete_multipart_upload);
  reg("AbortMultipartUpload", &S3Service::abort_multipart_upload);
  reg("ListParts", &S3Service::list_parts);
  reg("ListMultipartUploads", &S3Service::list_multipart_uploads);

  reg("PutObjectTagging", &S3Service::put_object_tagging);
  reg("GetObjectTagging", &S3Service::get_object_tagging);
  reg("DeleteObjectTagging", &S3Service::delete_object_tagging);
  reg("PutObjectAcl", &S3Service::put_object_acl);
  reg("GetObjectAcl", &S3Service::get_object_acl);

  reg("PutBucketCors", &S3Service::put_bucket_cors);
  reg("GetBucketCors", &S3Service::get_bucket_cors);
  reg("DeleteBucketCors", &S3Service::delete_bucket_cors);
  reg("PutBucketWebsite", &S3Service::put_bucket_website);
  reg("GetBucketWebsite", &S3Service::get_bucket_website);
  reg("DeleteBucketWebsite", &S3Service::delete_bucket_website);
  reg("PutBucketLifecycleConfiguration", &S3Service::put_bucket_lifecycle);
  reg("GetBucketLifecycleConfiguration", &S3Service::get_bucket_lifecycle);
  reg("DeleteBucketLifecycle", &S3Service::delete_bucket_lifecycle);
  reg("PutBucketTagging", &S3Service::put_bucket_tagging);
  reg("GetBucketTagging", &S3Service::get_bucket_tagging);
  reg("DeleteBucketTagging", &S3Service::delete_bucket_tagging);
  reg("PutBucketPolicy", &S3Service::put_bucket_policy);
  reg("GetBucketPolicy", &S3Service::get_bucket_policy);
  reg("DeleteBucketPolicy", &S3Service::delete_bucket_policy);
  reg("GetBucketPolicyStatus", &S3Service::get_bucket_policy_status);
  reg("PutBucketEncryption", &S3Service::put_bucket_encryption);
  reg("GetBucketEncryption", &S3Service::get_bucket_encryption);
  reg("DeleteBucketEncryption", &S3Service::delete_bucket_encryption);
  reg("PutBucketOwnershipControls", &S3Service::put_bucket_ownership_controls);
  reg("GetBucketOwnershipControls", &S3Service::get_bucket_ownership_controls);
  reg("DeleteBucketOwnershipControls", &S3Service::delete_bucket_ownership_controls);
  reg("PutPublicAccessBlock", &S3Service::put_public_access_block);
  reg("GetPublicAccessBlock", &S3Service::get_public_access_block);
  reg("DeletePublicAccessBlock", &S3Service::delete_public_access_block);
  reg("PutBucketAcl", &S3Service::put_bucket_acl);
  reg("GetBucketAcl", &S3Service::get_bucket_acl);
  reg("PutBucketAccelerateConfiguration", &S3Service::put_bucket_accelerate);
  reg("GetBucketAccelerateConfiguration", &S3Service::get_bucket_accelerate);
  reg("PutBucketRequestPayment", &S3Service::put_bucket_request_payment);
  reg("GetBucketRequestPayment", &S3Service::get_bucket_request_payment);
  reg("PutBucketLogging", &S3Service::put_bucket_logging);
  reg("GetBucketLogging", &S3Service::get_bucket_logging);
  reg("GetObjectLockConfiguration", &S3Service::get_object_lock_configuration);
  reg("PutObjectLockConfiguration", &S3Service::put_object_lock_configuration);
  reg("PutBucketReplication", &S3Service::put_bucket_replication);
  reg("GetBucketReplication", &S3Service::get_bucket_replication);
  reg("DeleteBucketReplication", &S3Service::delete_bucket_replication);
  reg("PutBucketNotificationConfiguration", &S3Service::put_bucket_notification);
  reg("GetBucketNotificationConfiguration", &S3Service::get_bucket_notification);

}

// The model is parsed on the first request, not at start-up (it is the largest one: ~2 MiB).
const std::set<std::string>& S3Service::object_subresources() const {
  if (!object_subresources_) {
    object_subresources_.emplace();
    if (const model::Model* m = model_for(info(), Protocol::rest_xml)) {
      for (const model::Operation* op : m->operations()) {
        bool object_level = op->request_uri.find("{Key+}") != std::string::npos;
        for (auto& [k, v] : op->literal_query)
          if (object_level && k != "x-id") object_subresources_->insert(k);
      }
    }
  }
  return *object_subresources_;
}

S3Service::~S3Service() = default;

void S3Service::start(Env& env) {
  Service::start(env);
  store_ = std::make_unique<Store>(env.storage.database("s3"));
  store_->migrate();
  blobs_ = std::make_unique<store::BlobStore>(env.storage.blobs("s3"));
  lifecycle_due_ = 0;
  // Lifecycle actions fall due with time, requests or not (every request also checks).
  boost::asio::co_spawn(env.io, lifecycle_loop(), boost::asio::detached);
}

boost::asio::awaitable<void> S3Service::lifecycle_loop() {
  Clock& clock = env().clock;
  for (;;) {
    double now = clock.now_seconds();
    double wake = std::min(std::max(lifecycle_due_, now + 1.0), now + 3600.0);
    auto when = Clock::time_point(std::chrono::milliseconds(static_cast<int64_t>(wake * 1000.0)));
    if (!co_await clock.sleep_until(when)) co_return;  // shutting down
    try {
      run_lifecycle(false);
    } catch (const std::exception& e) {
      spdlog::error("s3 lifecycle: {}", e.what());
    }
  }
}

void S3Service::reset() {
  store_->db().wipe();
  blobs_->wipe();
  made_dirs_.clear();
  completing_.clear();
  lifecycle_due_ = 0;
}

// --- routing ---------------------------------------------------------------------------------

Service::Claim S3Service::claim(HttpRequest& req) const {
  std::string bucket;
  HostKind hk = classify_host(req.host(), bucket);
  if (hk == HostKind::website) return Claim::http;
  if (hk == HostKind::none && req.path.starts_with(kWebsitePathPrefix)) return Claim::http;
  const bool preflight = req.method == "OPTIONS" && req.header("origin") && req.header("access-control-request-method");
  const bool form_post = req.method == "POST" &&
                         req.header_or("content-type").find("multipart/form-data") != std::string_view::npos;
  if (hk == HostKind::bucket) {
    // Virtual-hosted style: the bucket moves into the path, as if the client had used path style.
    std::string path = "/" + bucket;
    if (req.path != "/" && !req.path.empty()) path += req.path;
    req.path = std::move(path);
    req.target = req.path + (req.query_string.empty() ? "" : "?" + req.query_string);
  }
  std::string_view seg = first_segment(req.path);
  bool has_key = false;
  {
    std::string_view p = req.path;
    if (p.starts_with('/')) p.remove_prefix(1);
    auto slash = p.find('/');
    has_key = slash != std::string_view::npos && slash + 1 < p.size();
  }
  if (preflight) {
    if (hk == HostKind::bucket || (!seg.empty() && !reserved_first_segment(seg))) return Claim::http;
    return Claim::none;
  }
  if (form_post && !has_key && !seg.empty() && (hk == HostKind::bucket || !reserved_first_segment(seg)) &&
      !req.header("authorization"))
    return Claim::http;

  bool s3_signed = false;
  if (hk == HostKind::none) {
    auto scope = sigv4::parse_scope(req);
    if (scope && scope->service != "s3") return Claim::none;
    s3_signed = scope.has_value();
  }

  // Operations the URI template alone cannot tell apart.
  const std::string& m = req.method;
  if (seg.empty()) {
    if (m == "GET") req.operation_hint = "ListBuckets";
  } else if (!has_key) {
    if (req.has_query("lifecycle")) {
      if (m == "GET") req.operation_hint = "GetBucketLifecycleConfiguration";
      else if (m == "PUT") req.operation_hint = "PutBucketLifecycleConfiguration";
    } else if (req.has_query("notification")) {
      if (m == "GET") req.operation_hint = "GetBucketNotificationConfiguration";
      else if (m == "PUT") req.operation_hint = "PutBucketNotificationConfiguration";
    }
  } else if (req.has_query("uploadId")) {
    if (m == "PUT" && req.has_query("partNumber"))
      req.operation_hint = req.header("x-amz-copy-source") ? "UploadPartCopy" : "UploadPart";
    else if (m == "GET") req.operation_hint = "ListParts";
    else if (m == "DELETE") req.operation_hint = "AbortMultipartUpload";
    else if (m == "POST") req.operation_hint = "CompleteMultipartUpload";
  } else {
    bool subresource = false;
    const auto& subresources = object_subresources();
    for (auto& [k, v] : req.query) subresource = subresource || subresources.count(k) > 0;
    if (!subresource) {
      if (m == "GET") req.operation_hint = "GetObject";
      else if (m == "HEAD") req.operation_hint = "HeadObject";
      else if (m == "DELETE") req.operation_hint = "DeleteObject";
      else if (m == "PUT") req.operation_hint = req.header("x-amz-copy-source") ? "CopyObject" : "PutObject";
    }
  }
  if (hk == HostKind::bucket || s3_signed) return Claim::model;
  return Claim::none;  // unsigned path style: reaches S3 as the fallback unless a data plane claims it
}

boost::asio::awaitable<HttpResponse> S3Service::handle_http(RequestContext& ctx, HttpRequest& req) {
  std::string bucket;
  HostKind hk = classify_host(req.host(), bucket);
  try {
    if (hk == HostKind::website) co_return co_await handle_website(ctx, req, bucket, req.path);
    if (hk == HostKind::none && req.path.starts_with(kWebsitePathPrefix)) {
      std::string_view rest = std::string_view(req.path).substr(kWebsitePathPrefix.size());
      auto slash = rest.find('/');
      std::string b(rest.substr(0, slash));
      std::string path = slash == std::string_view::npos ? "/" : std::string(rest.substr(slash));
      co_return co_await handle_website(ctx, req, b, path);
    }
    // Virtual-host requests were rewritten to path style by claim().
    std::string b = url_decode(first_segment(req.path));
    if (req.method == "OPTIONS") co_return co_await handle_preflight(ctx, req, b);
    co_return co_await handle_post_upload(ctx, req, b);
  } catch (const AwsError& e) {
    co_return xml_error(ctx, e);
  }
}

HttpResponse S3Service::xml_error(const RequestContext& ctx, AwsError e) {
  if (!find(e.fields, "HostId")) e.with("HostId", ids::s3_host_id());  // as for modelled operations (reg)
  const model::Model* m = model_for(info(), Protocol::rest_xml);
  return protocol::encode_error(m, &info(), Protocol::rest_xml, e, ctx);
}

// --- per-request checks ----------------------------------------------------------------------

namespace {

std::string iso_seconds(double t) { return iso8601(t, false); }

AwsError query_auth_error(std::string msg) { return AwsError("AuthorizationQueryParametersError", std::move(msg), 400); }

// Presigned URLs carry their own lifetime, which S3 enforces even when signatures are not checked
// (https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html).
void check_presigned(const HttpRequest& req, double now) {
  if (req.has_query("X-Amz-Signature") || req.has_query("X-Amz-Credential")) {
    const std::string* date = req.query_param("X-Amz-Date");
    const std::string* expires = req.query_param("X-Amz-Expires");
    if (!date || !expires || !req.query_param("X-Amz-Algorithm") || !req.query_param("X-Amz-Credential") ||
        !req.query_param("X-Amz-Signature") || !req.query_param("X-Amz-SignedHeaders"))
      throw query_auth_error(
          "Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, "
          "X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.");
    auto secs = parse_int(*expires);
    if (!secs) throw query_auth_error("X-Amz-Expires should be a number");
    if (*secs < 0) throw query_auth_error("X-Amz-Expires must be non-negative");
    if (*secs > 604800) throw query_auth_error("X-Amz-Expires must be less than a week (in seconds) that is 604800");
    auto signed_at = sigv4::parse_amz_date(*date);
    if (!signed_at)
      throw query_auth_error("X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"");
    if (*signed_at > now + 900) throw err::access_denied("Request is not valid yet");
    double end = *signed_at + static_cast<double>(*secs);
    if (now > end)
      throw err::access_denied("Request has expired")
          .with("X-Amz-Expires", *expires)
          .with("Expires", iso_seconds(end))
          .with("ServerTime", iso_seconds(now));
    return;
  }
  // Signature Version 2 query authentication: Expires is an absolute epoch time.
  if (req.has_query("Signature") && req.has_query("AWSAccessKeyId")) {
    const std::string* expires = req.query_param("Expires");
    auto t = expires ? parse_int(*expires) : std::nullopt;
    if (!t) throw err::access_denied("Query-string authentication requires the Signature, Expires and AWSAccessKeyId parameters");
    if (now > static_cast<double>(*t))
      throw err::access_denied("Request has expired")
          .with("Expires", iso_seconds(static_cast<double>(*t)))
          .with("ServerTime", iso_seconds(now));
  }
}

}  // namespace

void S3Service::before(Call& c) {
  double now = env().clock.now_seconds();
  if (!c.http.query.empty()) check_presigned(c.http, now);
  if (now >= lifecycle_due_) run_lifecycle(false);
}

void S3Service::after(const Call& c, Headers& h) {
  if (!c.http.header("origin")) return;
  auto bucket = str_or(c.input, "Bucket");
  if (!bucket.empty()) cors_response_headers(std::string(bucket), c.http, h);
}

void S3Service::reg(const std::string& name, Output (S3Service::*fn)(Call&)) {
  on(name, std::function<Output(Call&)>([this, fn](Call& c) -> Output {
    try {
      before(c);
      Output out = (this->*fn)(c);
      after(c, out.headers);
      return out;
    } catch (AwsError& e) {
      Headers h;
      after(c, h);
      for (auto& kv : h) e.headers.push_back(kv);
      if (!find(e.fields, "HostId")) e.with("HostId", ids::s3_host_id());
      throw;
    }
  }));
}

void S3Service::reg(const std::string& name, Awaitable (S3Service::*fn)(Call&)) {
  on_async(name, [this, fn](Call& c) -> Awaitable {
    std::optional<AwsError> failure;
    Output out;
    try {
      before(c);
      out = co_await (this->*fn)(c);
    } catch (AwsError& e) {
      failure = std::move(e);
    }
    if (failure) {
      Headers h;
      after(c, h);
      for (auto& kv : h) failure->headers.push_back(kv);
      if (!find(failure->fields, "HostId")) failure->with("HostId", ids::s3_host_id());
      throw *failure;
    }
    after(c, out.headers);
    co_return out;
  });
}

// --- shared storage helpers --------------------------------------------------------------------

BucketRow S3Service::bucket_or_throw(const std::string& name) {
  auto b = store_->bucket(name);
  if (!b) throw err::no_such_bucket(name);
  return *b;
}

std::string S3Service::new_blob_id() { return ids::random_string(2, "0123456789abcdef") + ids::uuid4(); }

std::filesystem::path S3Service::blob_path(const std::string& id) {
  auto p = blobs_->path_for(id);
  auto dir = p.parent_path().string();
  if (!made_dirs_.count(dir)) {
    std::filesystem::create_directories(p.parent_path());
    made_dirs_.insert(dir);
  }
  return p;
}

void S3Service::remove_blob(const std::optional<std::string>& id) {
  if (id) blobs_->remove(*id);
}

void S3Service::drop_row(const ObjectRow& row) {
  store_->delete_row(row.seq);
  remove_blob(row.blob);
}

ObjectRow S3Service::write_version(const BucketRow& b, ObjectRow row) {
  std::optional<std::string> dead_blob;
  try {
    auto tx = store_->db().transaction();
    if (b.versioning == "Enabled") {
      row.version_id = new_version_id();
    } else {
      row.version_id = "null";
      if (auto old = store_->version(b.name, row.key, "null")) {
        store_->delete_row(old->seq);
        dead_blob = old->blob;
      }
    }
    store_->clear_latest(b.name, row.key);
    row.latest = true;
    row.seq = store_->insert_object(row);
    tx.commit();
  } catch (...) {
    remove_blob(row.blob);
    throw;
  }
  remove_blob(dead_blob);
  return row;
}

Payload S3Service::object_payload(const ObjectRow& row, uint64_t offset, uint64_t length) {
  if (!row.blob) {
    std::string data = store_->body(row.seq);
    if (offset == 0 && length == data.size()) return Payload(std::move(data));
    return Payload(data.substr(std::min<uint64_t>(offset, data.size()), length));
  }
  // The file is opened now: a concurrent overwrite or delete unlinks the name, never these bytes.
  auto path = blobs_->path_for(*row.blob);
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw AwsError::internal("object body missing on disk");
  if (length <= kWholeReadMax) {
    // Read at once: the answer goes out in one gather write with its headers.
    std::string data(length, '\0');
    ssize_t got = ::pread(fd, data.data(), length, static_cast<off_t>(offset));
    ::close(fd);
    if (got != static_cast<ssize_t>(length)) throw AwsError::internal("short read of an object body");
    return Payload(std::move(data));
  }
  struct Reader {
    int fd = -1;
    uint64_t off = 0, left = 0;
    Reader() = default;
    Reader(const Reader&) = delete;
    Reader& operator=(const Reader&) = delete;
    ~Reader() {
      if (fd >= 0) ::close(fd);
    }
  };
  auto r = std::make_shared<Reader>();
  r->fd = fd;
  r->off = offset;
  r->left = length;
  return Payload::from_stream(
      [r]() -> boost::asio::awaitable<std::optional<std::string>> {
        if (r->left == 0) co_return std::nullopt;
        std::string buf(std::min<uint64_t>(r->left, 512 * 1024), '\0');
        ssize_t got = ::pread(r->fd, buf.data(), buf.size(), static_cast<off_t>(r->off));
        if (got <= 0) throw std::runtime_error("short read of an object body");
        buf.resize(static_cast<size_t>(got));
        r->off += static_cast<uint64_t>(got);
        r->left -= static_cast<uint64_t>(got);
        co_return buf;
      },
      length);
}

std::string S3Service::object_bytes(const ObjectRow& row) {
  if (!row.blob) return store_->body(row.seq);
  return Payload::from_file(blobs_->path_for(*row.blob), 0, row.size, false).read_all();
}

}  // namespace stratus::s3
