#include "store.hpp"

namespace stratus::s3 {

namespace {

constexpr store::Migration kMigrations[] = {
    {1, R"sql(
      CREATE TABLE buckets (
        name TEXT PRIMARY KEY,
        account TEXT NOT NULL,
        region TEXT NOT NULL,
        created REAL NOT NULL,
        versioning TEXT NOT NULL DEFAULT '',
        object_lock INTEGER NOT NULL DEFAULT 0
      );
      CREATE INDEX buckets_account ON buckets(account, name);
      CREATE TABLE bucket_configs (
        bucket TEXT NOT NULL,
        kind TEXT NOT NULL,
        doc TEXT NOT NULL,
        PRIMARY KEY (bucket, kind)
      );
      CREATE TABLE objects (
        seq INTEGER PRIMARY KEY,
        bucket TEXT NOT NULL,
        key TEXT NOT NULL,
        version_id TEXT NOT NULL,
        latest INTEGER NOT NULL,
        delete_marker INTEGER NOT NULL,
        size INTEGER NOT NULL,
        etag TEXT NOT NULL,
        last_modified REAL NOT NULL,
        storage_class TEXT NOT NULL,
        owner TEXT NOT NULL,
        meta TEXT NOT NULL,
        checksum TEXT NOT NULL,
        parts TEXT NOT NULL,
        tags TEXT NOT NULL,
        acl TEXT NOT NULL,
        blob TEXT,
        data BLOB
      );
      CREATE UNIQUE INDEX objects_latest ON objects(bucket, key) WHERE latest = 1;
      CREATE INDEX objects_versions ON objects(bucket, key, seq);
      CREATE TABLE uploads (
        upload_id TEXT PRIMARY KEY,
        bucket TEXT NOT NULL,
        key TEXT NOT NULL,
        initiated REAL NOT NULL,
        owner TEXT NOT NULL,
        storage_class TEXT NOT NULL,
        meta TEXT NOT NULL,
        checksum_algo TEXT NOT NULL,
        checksum_type TEXT NOT NULL,
        tags TEXT NOT NULL,
        acl TEXT NOT NULL
      );
      CREATE INDEX uploads_bucket ON uploads(bucket, key, initiated);
      CREATE TABLE parts (
        upload_id TEXT NOT NULL,
        part_number INTEGER NOT NULL,
        size INTEGER NOT NULL,
        etag TEXT NOT NULL,
        md5 BLOB NOT NULL,
        last_modified REAL NOT NULL,
        checksum TEXT NOT NULL,
        blob TEXT,
        data BLOB,
        PRIMARY KEY (upload_id, part_number)
      );
    )sql"},
};

json::object parse_obj(std::string_view text) {
  if (text.empty()) return {};
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  return !ec && v.is_object() ? std::move(v.as_object()) : json::object{};
}
json::array parse_arr(std::string_view text) {
  if (text.empty()) return {};
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  return !ec && v.is_array() ? std::move(v.as_array()) : json::array{};
}
std::string tags_text(const std::vector<std::pair<std::string, std::string>>& tags) {
  json::array a;
  for (auto& [k, v] : tags) a.push_back(json::array{json::string(k), json::string(v)});
  return json::serialize(a);
}
std::vector<std::pair<std::string, std::string>> tags_parse(std::string_view text) {
  std::vector<std::pair<std::string, std::string>> out;
  for (auto& t : parse_arr(text))
    if (t.is_array() && t.get_array().size() == 2 && t.get_array()[0].is_string() && t.get_array()[1].is_string())
      out.emplace_back(std::string(t.get_array()[0].get_string()), std::string(t.get_array()[1].get_string()));
  return out;
}

constexpr const char* kObjectCols =
    "seq, bucket, key, version_id, latest, delete_marker, size, etag, last_modified, storage_class, owner, meta, "
    "checksum, parts, tags, acl, blob";

ObjectRow read_object(store::Cursor& c) {
  ObjectRow o;
  o.seq = c.i64(0);
  o.bucket = c.str(1);
  o.key = c.str(2);
  o.version_id = c.str(3);
  o.latest = c.i64(4) != 0;
  o.delete_marker = c.i64(5) != 0;
  o.size = static_cast<uint64_t>(c.i64(6));
  o.etag = c.str(7);
  o.last_modified = c.f64(8);
  o.storage_class = c.str(9);
  o.owner = c.str(10);
  o.meta = parse_obj(c.text(11));
  o.checksum = parse_obj(c.text(12));
  o.parts = parse_arr(c.text(13));
  o.tags = tags_parse(c.text(14));
  o.acl = parse_obj(c.text(15));
  o.blob = c.opt_str(16);
  return o;
}

BucketRow read_bucket(store::Cursor& c) {
  return BucketRow{c.str(0), c.str(1), c.str(2), c.f64(3), c.str(4), c.i64(5) != 0};
}

constexpr const char* kUploadCols =
    "upload_id, bucket, key, initiated, owner, storage_class, meta, checksum_algo, checksum_type, tags, acl";

UploadRow read_upload(store::Cursor& c) {
  UploadRow u;
  u.upload_id = c.str(0);
  u.bucket = c.str(1);
  u.key = c.str(2);
  u.initiated = c.f64(3);
  u.owner = c.str(4);
  u.storage_class = c.str(5);
  u.meta = parse_obj(c.text(6));
  u.checksum_algo = c.str(7);
  u.checksum_type = c.str(8);
  u.tags = tags_parse(c.text(9));
  u.acl = parse_obj(c.text(10));
  return u;
}

constexpr const char* kPartCols = "upload_id, part_number, size, etag, md5, last_modified, checksum, blob";

PartRow read_part(store::Cursor& c) {
  PartRow p;
  p.upload_id = c.str(0);
  p.part_number = static_cast<int>(c.i64(1));
  p.size = static_cast<uint64_t>(c.i64(2));
  p.etag = c.str(3);
  p.md5 = std::string(c.blob(4));
  p.last_modified = c.f64(5);
  p.checksum = parse_obj(c.text(6));
  p.blob = c.opt_str(7);
  return p;
}

std::string sql(std::string_view a, std::string_view cols, std::string_view b) {
  std::string s(a);
  s += cols;
  s += b;
  return s;
}

}  // namespace

void Store::migrate() { db_.migrate(kMigrations); }

std::optional<BucketRow> Store::bucket(const std::string& name) {
  auto c = db_.query("SELECT name, account, region, created, versioning, object_lock FROM buckets WHERE name = ?", name);
  if (c.next()) return read_bucket(c);
  return std::nullopt;
}

void Store::insert_bucket(const BucketRow& b) {
  db_.run("INSERT INTO buckets (name, account, region, created, versioning, object_lock) VALUES (?, ?, ?, ?, ?, ?)",
          b.name, b.account, b.region, b.created, b.versioning, b.object_lock);
}

void Store::delete_bucket(const std::string& name) {
  auto tx = db_.transaction();
  db_.run("DELETE FROM buckets WHERE name = ?", name);
  db_.run("DELETE FROM bucket_configs WHERE bucket = ?", name);
  db_.run("DELETE FROM objects WHERE bucket = ?", name);
  tx.commit();
}

std::vector<BucketRow> Store::list_buckets(const std::string& account, const std::string& prefix,
                                           const std::string& after, int limit) {
  std::vector<BucketRow> out;
  auto c = db_.query(
      "SELECT name, account, region, created, versioning, object_lock FROM buckets WHERE account = ? AND name > ? "
      "AND substr(name, 1, ?) = ? ORDER BY name LIMIT ?",
      account, after, static_cast<int64_t>(prefix.size()), prefix, limit);
  while (c.next()) out.push_back(read_bucket(c));
  return out;
}

std::vector<BucketRow> Store::all_buckets() {
  std::vector<BucketRow> out;
  auto c = db_.query("SELECT name, account, region, created, versioning, object_lock FROM buckets ORDER BY name");
  while (c.next()) out.push_back(read_bucket(c));
  return out;
}

void Store::set_versioning(const std::string& bucket, const std::string& status) {
  db_.run("UPDATE buckets SET versioning = ? WHERE name = ?", status, bucket);
}

bool Store::bucket_empty(const std::string& bucket) {
  auto c = db_.query("SELECT 1 FROM objects WHERE bucket = ? LIMIT 1", bucket);
  return !c.next();
}

std::optional<json::value> Store::config(const std::string& bucket, std::string_view kind) {
  auto c = db_.query("SELECT doc FROM bucket_configs WHERE bucket = ? AND kind = ?", bucket, kind);
  if (!c.next()) return std::nullopt;
  boost::system::error_code ec;
  json::value v = json::parse(c.text(0), ec);
  if (ec) return std::nullopt;
  return v;
}

void Store::put_config(const std::string& bucket, std::string_view kind, const json::value& doc) {
  db_.run("INSERT OR REPLACE INTO bucket_configs (bucket, kind, doc) VALUES (?, ?, ?)", bucket, kind,
          json::serialize(doc));
}

bool Store::delete_config(const std::string& bucket, std::string_view kind) {
  return db_.run("DELETE FROM bucket_configs WHERE bucket = ? AND kind = ?", bucket, kind) > 0;
}

std::vector<std::string> Store::buckets_with_config(std::string_view kind) {
  std::vector<std::string> out;
  auto c = db_.query("SELECT bucket FROM bucket_configs WHERE kind = ? ORDER BY bucket", kind);
  while (c.next()) out.push_back(c.str(0));
  return out;
}

std::optional<ObjectRow> Store::latest(const std::string& bucket, const std::string& key) {
  static const std::string q = sql("SELECT ", kObjectCols, " FROM objects WHERE bucket = ? AND key = ? AND latest = 1");
  auto c = db_.query(q, bucket, key);
  if (c.next()) return read_object(c);
  return std::nullopt;
}

std::optional<ObjectRow> Store::version(const std::string& bucket, const std::string& key,
                                        const std::string& version_id) {
  static const std::string q =
      sql("SELECT ", kObjectCols, " FROM objects WHERE bucket = ? AND key = ? AND version_id = ?");
  auto c = db_.query(q, bucket, key, version_id);
  if (c.next()) return read_object(c);
  return std::nullopt;
}

std::string Store::body(int64_t seq) {
  auto c = db_.query("SELECT data FROM objects WHERE seq = ?", seq);
  if (c.next() && !c.is_null(0)) return std::string(c.blob(0));
  return {};
}

int64_t Store::insert_object(const ObjectRow& o) {
  db_.run(
      "INSERT INTO objects (bucket, key, version_id, latest, delete_marker, size, etag, last_modified, "
      "storage_class, owner, meta, checksum, parts, tags, acl, blob, data) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      o.bucket, o.key, o.version_id, o.latest, o.delete_marker, static_cast<int64_t>(o.size), o.etag,
      o.last_modified, o.storage_class, o.owner, json::serialize(o.meta), json::serialize(o.checksum),
      json::serialize(o.parts), tags_text(o.tags), json::serialize(o.acl), o.blob,
      o.blob ? std::optional<store::Blob>() : std::optional<store::Blob>(store::Blob{o.data}));
  return db_.last_insert_rowid();
}

void Store::clear_latest(const std::string& bucket, const std::string& key) {
  db_.run("UPDATE objects SET latest = 0 WHERE bucket = ? AND key = ? AND latest = 1", bucket, key);
}

void Store::delete_row(int64_t seq) { db_.run("DELETE FROM objects WHERE seq = ?", seq); }

void Store::promote_latest(const std::string& bucket, const std::string& key) {
  db_.run(
      "UPDATE objects SET latest = 1 WHERE seq = (SELECT max(seq) FROM objects WHERE bucket = ? AND key = ?) "
      "AND NOT EXISTS (SELECT 1 FROM objects WHERE bucket = ? AND key = ? AND latest = 1)",
      bucket, key, bucket, key);
}

void Store::update_tags(int64_t seq, const std::vector<std::pair<std::string, std::string>>& tags) {
  db_.run("UPDATE objects SET tags = ? WHERE seq = ?", tags_text(tags), seq);
}

void Store::update_acl(int64_t seq, const json::object& acl) {
  db_.run("UPDATE objects SET acl = ? WHERE seq = ?", json::serialize(acl), seq);
}

std::vector<ObjectRow> Store::list_latest(const std::string& bucket, const std::string& lower, bool inclusive,
                                          const std::string& upper, int limit) {
  static const std::string q_ge =
      sql("SELECT ", kObjectCols,
          " FROM objects WHERE bucket = ? AND latest = 1 AND key >= ? AND (? = '' OR key < ?) AND delete_marker = 0 "
          "ORDER BY key LIMIT ?");
  static const std::string q_gt =
      sql("SELECT ", kObjectCols,
          " FROM objects WHERE bucket = ? AND latest = 1 AND key > ? AND (? = '' OR key < ?) AND delete_marker = 0 "
          "ORDER BY key LIMIT ?");
  std::vector<ObjectRow> out;
  auto c = db_.query(inclusive ? q_ge : q_gt, bucket, lower, upper, upper, limit);
  while (c.next()) out.push_back(read_object(c));
  return out;
}

std::vector<ObjectRow> Store::list_versions(const std::string& bucket, const std::string& lower, bool inclusive,
                                            const std::string& upper, int limit) {
  static const std::string q_ge = sql("SELECT ", kObjectCols,
                                      " FROM objects WHERE bucket = ? AND key >= ? AND (? = '' OR key < ?) "
                                      "ORDER BY key, seq DESC LIMIT ?");
  static const std::string q_gt = sql("SELECT ", kObjectCols,
                                      " FROM objects WHERE bucket = ? AND key > ? AND (? = '' OR key < ?) "
                                      "ORDER BY key, seq DESC LIMIT ?");
  std::vector<ObjectRow> out;
  auto c = db_.query(inclusive ? q_ge : q_gt, bucket, lower, upper, upper, limit);
  while (c.next()) out.push_back(read_object(c));
  return out;
}

std::vector<ObjectRow> Store::versions_of(const std::string& bucket, const std::string& key) {
  static const std::string q =
      sql("SELECT ", kObjectCols, " FROM objects WHERE bucket = ? AND key = ? ORDER BY seq DESC");
  std::vector<ObjectRow> out;
  auto c = db_.query(q, bucket, key);
  while (c.next()) out.push_back(read_object(c));
  return out;
}

std::vector<ObjectRow> Store::all_objects(const std::string& bucket) {
  static const std::string q = sql("SELECT ", kObjectCols, " FROM objects WHERE bucket = ? ORDER BY key, seq DESC");
  std::vector<ObjectRow> out;
  auto c = db_.query(q, bucket);
  while (c.next()) out.push_back(read_object(c));
  return out;
}

void Store::insert_upload(const UploadRow& u) {
  db_.run(
      "INSERT INTO uploads (upload_id, bucket, key, initiated, owner, storage_class, meta, checksum_algo, "
      "checksum_type, tags, acl) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      u.upload_id, u.bucket, u.key, u.initiated, u.owner, u.storage_class, json::serialize(u.meta), u.checksum_algo,
      u.checksum_type, tags_text(u.tags), json::serialize(u.acl));
}

std::optional<UploadRow> Store::upload(const std::string& upload_id) {
  static const std::string q = sql("SELECT ", kUploadCols, " FROM uploads WHERE upload_id = ?");
  auto c = db_.query(q, upload_id);
  if (c.next()) return read_upload(c);
  return std::nullopt;
}

void Store::delete_upload(const std::string& upload_id) {
  auto tx = db_.transaction();
  db_.run("DELETE FROM uploads WHERE upload_id = ?", upload_id);
  db_.run("DELETE FROM parts WHERE upload_id = ?", upload_id);
  tx.commit();
}

std::vector<UploadRow> Store::list_uploads(const std::string& bucket) {
  static const std::string q = sql("SELECT ", kUploadCols, " FROM uploads WHERE bucket = ? ORDER BY key, initiated");
  std::vector<UploadRow> out;
  auto c = db_.query(q, bucket);
  while (c.next()) out.push_back(read_upload(c));
  return out;
}

void Store::put_part(const PartRow& p, std::string_view inline_data) {
  db_.run(
      "INSERT OR REPLACE INTO parts (upload_id, part_number, size, etag, md5, last_modified, checksum, blob, data) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
      p.upload_id, p.part_number, static_cast<int64_t>(p.size), p.etag, store::Blob{p.md5}, p.last_modified,
      json::serialize(p.checksum), p.blob,
      p.blob ? std::optional<store::Blob>() : std::optional<store::Blob>(store::Blob{inline_data}));
}

std::optional<PartRow> Store::part(const std::string& upload_id, int part_number) {
  static const std::string q = sql("SELECT ", kPartCols, " FROM parts WHERE upload_id = ? AND part_number = ?");
  auto c = db_.query(q, upload_id, part_number);
  if (c.next()) return read_part(c);
  return std::nullopt;
}

std::vector<PartRow> Store::parts(const std::string& upload_id) {
  static const std::string q = sql("SELECT ", kPartCols, " FROM parts WHERE upload_id = ? ORDER BY part_number");
  std::vector<PartRow> out;
  auto c = db_.query(q, upload_id);
  while (c.next()) out.push_back(read_part(c));
  return out;
}

std::string Store::part_body(const std::string& upload_id, int part_number) {
  auto c = db_.query("SELECT data FROM parts WHERE upload_id = ? AND part_number = ?", upload_id, part_number);
  if (c.next() && !c.is_null(0)) return std::string(c.blob(0));
  return {};
}

}  // namespace stratus::s3
