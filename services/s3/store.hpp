#pragma once
// S3's schema and queries. Buckets are global (names are unique per partition, as in AWS) and
// carry their owner account and region; objects are rows per version (the null version has
// version_id "null"), with small bodies inline and large ones in blob files named by ids.
#include <stratus/json.hpp>
#include <stratus/store.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace stratus::s3 {

struct BucketRow {
  std::string name, account, region;
  double created = 0;
  std::string versioning;  // "", "Enabled", "Suspended"
  bool object_lock = false;
};

struct ObjectRow {
  int64_t seq = 0;
  std::string bucket, key, version_id = "null";
  bool latest = true, delete_marker = false;
  uint64_t size = 0;
  std::string etag;  // quoted
  double last_modified = 0;
  std::string storage_class = "STANDARD";
  std::string owner;             // account id
  json::object meta;             // ContentType, CacheControl, ..., Metadata (user map)
  json::object checksum;         // ChecksumCRC32... and ChecksumType
  json::array parts;             // part sizes of a multipart object
  std::vector<std::pair<std::string, std::string>> tags;
  json::object acl;              // Owner + Grants; empty: private to the owner
  std::optional<std::string> blob;  // blob id when the body is a file
  std::string data;              // inline body (filled by Store::body)
};

struct UploadRow {
  std::string upload_id, bucket, key;
  double initiated = 0;
  std::string owner, storage_class = "STANDARD";
  json::object meta;             // as ObjectRow::meta
  std::string checksum_algo, checksum_type;  // "" or CRC32... / COMPOSITE, FULL_OBJECT
  std::vector<std::pair<std::string, std::string>> tags;
  json::object acl;
};

struct PartRow {
  std::string upload_id;
  int part_number = 0;
  uint64_t size = 0;
  std::string etag;              // quoted
  double last_modified = 0;
  json::object checksum;         // ChecksumCRC32... of the part
  std::optional<std::string> blob;
  std::string md5;               // raw MD5 of the part (for the multipart ETag)
};

class Store {
 public:
  explicit Store(store::Database& db) : db_(db) {}
  void migrate();
  store::Database& db() { return db_; }

  // --- buckets ---
  std::optional<BucketRow> bucket(const std::string& name);
  void insert_bucket(const BucketRow& b);
  void delete_bucket(const std::string& name);
  // The account's buckets with names > after (and starting with prefix), by name.
  std::vector<BucketRow> list_buckets(const std::string& account, const std::string& prefix, const std::string& after,
                                      int limit);
  std::vector<BucketRow> all_buckets();
  void set_versioning(const std::string& bucket, const std::string& status);
  bool bucket_empty(const std::string& bucket);

  // --- bucket configuration documents (cors, website, lifecycle, tagging, policy, ...) ---
  std::optional<json::value> config(const std::string& bucket, std::string_view kind);
  void put_config(const std::string& bucket, std::string_view kind, const json::value& doc);
  bool delete_config(const std::string& bucket, std::string_view kind);
  // Buckets that have a configuration of this kind.
  std::vector<std::string> buckets_with_config(std::string_view kind);

  // --- objects ---
  std::optional<ObjectRow> latest(const std::string& bucket, const std::string& key);
  std::optional<ObjectRow> version(const std::string& bucket, const std::string& key, const std::string& version_id);
  std::string body(int64_t seq);
  int64_t insert_object(const ObjectRow& o);
  // Makes the current latest version non-latest.
  void clear_latest(const std::string& bucket, const std::string& key);
  void delete_row(int64_t seq);
  // After the latest version was removed: the newest remaining version becomes latest.
  void promote_latest(const std::string& bucket, const std::string& key);
  void update_tags(int64_t seq, const std::vector<std::pair<std::string, std::string>>& tags);
  void update_acl(int64_t seq, const json::object& acl);
  // Latest, non-delete-marker objects with lower <= key < upper (upper empty: no bound), by key.
  std::vector<ObjectRow> list_latest(const std::string& bucket, const std::string& lower, bool lower_inclusive,
                                     const std::string& upper, int limit);
  // All versions with key >= lower (key > lower when !inclusive), by key then newest first.
  std::vector<ObjectRow> list_versions(const std::string& bucket, const std::string& lower, bool lower_inclusive,
                                       const std::string& upper, int limit);
  std::vector<ObjectRow> versions_of(const std::string& bucket, const std::string& key);
  std::vector<ObjectRow> all_objects(const std::string& bucket);

  // --- multipart uploads ---
  void insert_upload(const UploadRow& u);
  std::optional<UploadRow> upload(const std::string& upload_id);
  void delete_upload(const std::string& upload_id);
  std::vector<UploadRow> list_uploads(const std::string& bucket);
  void put_part(const PartRow& p, std::string_view inline_data);
  std::optional<PartRow> part(const std::string& upload_id, int part_number);
  std::vector<PartRow> parts(const std::string& upload_id);
  std::string part_body(const std::string& upload_id, int part_number);

 private:
  store::Database& db_;
};

}  // namespace stratus::s3
