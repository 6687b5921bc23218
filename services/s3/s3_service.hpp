#pragma once
// Amazon S3 (rest-xml): buckets and their configurations, objects with versions, multipart
// uploads, presigned URLs and browser POST uploads, CORS, static website hosting and event
// notifications. Bodies stream to and from disk; metadata lives in SQLite (store.hpp).
#include <stratus/service.hpp>
#include <stratus/store.hpp>

#include <memory>
#include <optional>
#include <set>
#include <string>
#include <unordered_set>

namespace stratus::s3 {

class Store;
struct BucketRow;
struct ObjectRow;

class S3Service final : public Service {
 public:
  S3Service();
  ~S3Service() override;
  void start(Env& env) override;
  void reset() override;
  bool serves_http() const override { return true; }
  Claim claim(HttpRequest& req) const override;
  boost::asio::awaitable<HttpResponse> handle_http(RequestContext& ctx, HttpRequest& req) override;

  // Bodies up to this size live inline in SQLite; larger ones are blob files.
  static constexpr uint64_t kInlineMax = 64 * 1024;
  // Bodies (or ranges) up to this size are read whole when answered; larger ones are streamed.
  static constexpr uint64_t kWholeReadMax = 1024 * 1024;

 private:
  using Awaitable = boost::asio::awaitable<Output>;
  // Registers an operation behind the checks every S3 request gets (presigned expiry, lifecycle
  // due work) and the bucket's CORS headers on its answer.
  void reg(const std::string& name, Output (S3Service::*fn)(Call&));
  void reg(const std::string& name, Awaitable (S3Service::*fn)(Call&));
  void before(Call& c);
  void after(const Call& c, Headers& h);

  // --- buckets (ops_buckets.cpp) ---
  Output create_bucket(Call& c);
  Output delete_bucket(Call& c);
  Output head_bucket(Call& c);
  Output list_buckets(Call& c);
  Output get_bucket_location(Call& c);
  Output put_bucket_versioning(Call& c);
  Output get_bucket_versioning(Call& c);

  // --- objects (ops_objects.cpp) ---
  Awaitable put_object(Call& c);
  Output get_object(Call& c);
  Output head_object(Call& c);
  Output delete_object(Call& c);
  Output delete_objects(Call& c);
  Awaitable copy_object(Call& c);
  Output get_object_attributes(Call& c);
  Output read_object(Call& c, bool head);

  // --- listings (ops_list.cpp) ---
  Output list_objects(Call& c);
  Output list_objects_v2(Call& c);
  Output list_object_versions(Call& c);

  // --- multipart (ops_multipart.cpp) ---
  Output create_multipart_upload(Call& c);
  Awaitable upload_part(Call& c);
  Awaitable upload_part_copy(Call& c);
  Awaitable complete_multipart_upload(Call& c);
  Output abort_multipart_upload(Call& c);
  Output list_parts(Call& c);
  Output list_multipart_uploads(Call& c);

  // --- object tagging and ACLs (ops_object_meta.cpp) ---
  Output put_object_tagging(Call& c);
  Output get_object_tagging(Call& c);
  Output delete_object_tagging(Call& c);
  Output put_object_acl(Call& c);
  Output get_object_acl(Call& c);

  // --- bucket configurations (ops_config.cpp) ---
  Output put_bucket_cors(Call& c);
  Output get_bucket_cors(Call& c);
  Output delete_bucket_cors(Call& c);
  Output put_bucket_website(Call& c);
  Output get_bucket_website(Call& c);
  Output delete_bucket_website(Call& c);
  Output put_bucket_lifecycle(Call& c);
  Output get_bucket_lifecycle(Call& c);
  Output delete_bucket_lifecycle(Call& c);
  Output put_bucket_tagging(Call& c);
  Output get_bucket_tagging(Call& c);
  Output delete_bucket_tagging(Call& c);
  Output put_bucket_policy(Call& c);
  Output get_bucket_policy(Call& c);
  Output delete_bucket_policy(Call& c);
  Output get_bucket_policy_status(Call& c);
  Output put_bucket_encryption(Call& c);
  Output get_bucket_encryption(Call& c);
  Output delete_bucket_encryption(Call& c);
  Output put_bucket_ownership_controls(Call& c);
  Output get_bucket_ownership_controls(Call& c);
  Output delete_bucket_ownership_controls(Call& c);
  Output put_public_access_block(Call& c);
  Output get_public_access_block(Call& c);
  Output delete_public_access_block(Call& c);
  Output put_bucket_acl(Call& c);
  Output get_bucket_acl(Call& c);
  Output put_bucket_accelerate(Call& c);
  Output get_bucket_accelerate(Call& c);
  Output put_bucket_request_payment(Call& c);
  Output get_bucket_request_payment(Call& c);
  Output put_bucket_logging(Call& c);
  Output get_bucket_logging(Call& c);
  Output get_object_lock_configuration(Call& c);
  Output put_object_lock_configuration(Call& c);
  Output put_bucket_replication(Call& c);
  Output get_bucket_replication(Call& c);
  Output delete_bucket_replication(Call& c);
  Awaitable put_bucket_notification(Call& c);
  Output get_bucket_notification(Call& c);

 public:
  // Shared by the operation files (not part of the core's view of the service).
  Store& store() { return *store_; }
  store::BlobStore& blobs() { return *blobs_; }
  BucketRow bucket_or_throw(const std::string& name);
  // Stores a new version of (bucket, key) following the bucket's versioning state: replaces
  // the null version when unversioned/suspended; returns the inserted row (with its seq).
  ObjectRow write_version(const BucketRow& b, ObjectRow row);
  // Removes a stored row and its blob file.
  void drop_row(const ObjectRow& row);
  // A new blob id / its path (fan-out directory created).
  std::string new_blob_id();
  std::filesystem::path blob_path(const std::string& id);
  void remove_blob(const std::optional<std::string>& id);
  // Body bytes [offset, offset+length) of a stored object, streamed from its file or memory.
  Payload object_payload(const ObjectRow& row, uint64_t offset, uint64_t length);
  // Whole body of a (small or large) object as bytes; for copies of inline objects.
  std::string object_bytes(const ObjectRow& row);
  // Event notifications (notifications.cpp).
  void notify(const RequestContext& ctx, const BucketRow& b, std::string_view event, const ObjectRow& row,
              const std::string& source_ip);
  // Lifecycle (lifecycle.cpp): applies due expirations; `force` ignores the next-due time.
  void run_lifecycle(bool force);
  // x-amz-expiration header of an object under the bucket's lifecycle rules ("" if none).
  std::string expiration_header(const BucketRow& b, const ObjectRow& row);
  // CORS headers for an actual (non-preflight) request with an Origin (cors.cpp).
  void cors_response_headers(const std::string& bucket, const HttpRequest& req, Headers& out);
  Env& environment() const { return env(); }

 private:
  boost::asio::awaitable<HttpResponse> handle_preflight(RequestContext& ctx, HttpRequest& req, const std::string& bucket);
  boost::asio::awaitable<HttpResponse> handle_post_upload(RequestContext& ctx, HttpRequest& req,
                                                         const std::string& bucket);
  boost::asio::awaitable<HttpResponse> handle_website(RequestContext& ctx, HttpRequest& req, const std::string& bucket,
                                                     const std::string& path);
  HttpResponse xml_error(const RequestContext& ctx, AwsError e);
  boost::asio::awaitable<void> lifecycle_loop();

  std::unique_ptr<Store> store_;
  std::unique_ptr<store::BlobStore> blobs_;
  const std::set<std::string>& object_subresources() const;
  mutable std::optional<std::set<std::string>> object_subresources_;  // literal query keys of object operations
  std::set<std::string> made_dirs_;             // blob fan-out directories known to exist
  double lifecycle_due_ = 0;                    // clock time of the next lifecycle pass
  std::unordered_set<std::string> completing_;  // uploads whose completion is in flight
  uint64_t sequencer_ = 0;
  friend struct Internals;
};

}  // namespace stratus::s3
