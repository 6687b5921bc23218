// DeleteObject and DeleteObjects, with versioning's delete markers.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/DeletingObjectVersions.html
#include "errors.hpp"
#include "model.hpp"
#include "objects.hpp"
#include "s3_service.hpp"
#include "store.hpp"

#include <stratus/clock.hpp>
#include <stratus/crypto.hpp>
#include <stratus/strings.hpp>

#include <cmath>

namespace stratus::s3 {

namespace {

struct DeleteResult {
  std::string version_id;      // of the removed version or the created marker ("" when none)
  bool delete_marker = false;  // a marker was created or removed
  bool removed_any = false;
  std::string event;           // notification event name ("" when nothing happened)
  ObjectRow row;               // what the event describes
};

// One key's deletion, shared by DeleteObject and DeleteObjects.
DeleteResult delete_one(S3Service& svc, const BucketRow& b, const std::string& key,
                        const std::optional<std::string>& version, const std::string& account, double now) {
  Store& st = svc.store();
  DeleteResult r;
  if (version) {
    if (!plausible_version_id(*version)) throw err::invalid_version(*version);
    auto row = st.version(b.name, key, *version);
    if (!row) {
      r.version_id = *version;
      return r;  // deleting a version that does not exist succeeds
    }
    {
      auto tx = st.db().transaction();
      st.delete_row(row->seq);
      if (row->latest) st.promote_latest(b.name, key);
      tx.commit();
    }
    svc.remove_blob(row->blob);
    r.version_id = row->version_id;
    r.delete_marker = row->delete_marker;
    r.removed_any = true;
    r.event = "ObjectRemoved:Delete";
    r.row = *row;
    return r;
  }
  if (b.versioning.empty()) {
    auto row = st.latest(b.name, key);
    if (row) {
      svc.drop_row(*row);
      r.removed_any = true;
      r.event = "ObjectRemoved:Delete";
      r.row = *row;
    }
    return r;
  }
  // Versioning enabled or suspended: a delete marker becomes the latest version.
  ObjectRow marker;
  marker.bucket = b.name;
  marker.key = key;
  marker.delete_marker = true;
  marker.last_modified = std::floor(now);
  marker.owner = account;
  marker = svc.write_version(b, std::move(marker));
  r.version_id = marker.version_id;
  r.delete_marker = true;
  r.removed_any = true;
  r.event = "ObjectRemoved:DeleteMarkerCreated";
  r.row = marker;
  return r;
}

}  // namespace

Output S3Service::delete_object(Call& c) {
  const auto& in = c.input;
  std::string bucket(str_or(in, "Bucket")), key(str_or(in, "Key"));
  BucketRow b = bucket_or_throw(bucket);
  if (auto im = opt_str(in, "IfMatch")) {
    auto cur = store_->latest(bucket, key);
    if (!cur || cur->delete_marker) throw err::no_such_key(key);
    if (!etag_matches(*im, cur->etag)) throw err::precondition_failed("If-Match");
  }
  auto r = delete_one(*this, b, key, opt_str(in, "VersionId"), c.ctx.account_id, env().clock.now_seconds());
  if (!r.event.empty()) notify(c.ctx, b, r.event, r.row, c.http.remote_ip);
  json::object out;
  if (r.delete_marker) out["DeleteMarker"] = true;
  if (!r.version_id.empty() && (!b.versioning.empty() || r.version_id != "null")) out["VersionId"] = r.version_id;
  return out;
}

Output S3Service::delete_objects(Call& c) {
  const auto& in = c.input;
  std::string bucket(str_or(in, "Bucket"));
  BucketRow b = bucket_or_throw(bucket);
  // S3 requires an integrity header on this operation; the body must match it.
  // (The model has no member for Content-MD5 here: it is read from the request.)
  const std::string* md5 = c.http.header("content-md5");
  bool has_checksum = md5 != nullptr;
  for (Algo a : kAllAlgos) has_checksum = has_checksum || c.http.header(algo_header(a));
  if (!has_checksum && !c.http.header("x-amz-sdk-checksum-algorithm"))
    throw err::invalid_request("Missing required header for this request: Content-MD5");
  if (md5) {
    auto calc = crypto::base64(crypto::md5(c.http.body.read_all()));
    auto raw = crypto::base64_decode(*md5);
    if (!raw || raw->size() != 16) throw err::invalid_digest(*md5);
    if (calc != *md5) throw err::bad_digest_md5(*md5, calc);
  }
  const json::object* del = opt_obj(in, "Delete");
  const json::array* objects = del ? opt_arr(*del, "Objects") : nullptr;
  if (!objects || objects->empty() || objects->size() > 1000) throw err::malformed_xml();
  bool quiet = del && opt_bool(*del, "Quiet").value_or(false);
  json::array deleted, errors;
  double now = env().clock.now_seconds();
  for (auto& o : *objects) {
    if (!o.is_object()) continue;
    std::string key(str_or(o.get_object(), "Key"));
    auto version = opt_str(o.get_object(), "VersionId");
    try {
      if (key.empty()) throw err::malformed_xml();
      auto r = delete_one(*this, b, key, version, c.ctx.account_id, now);
      if (!r.event.empty()) notify(c.ctx, b, r.event, r.row, c.http.remote_ip);
      if (quiet) continue;
      json::object d{{"Key", key}};
      if (version) d["VersionId"] = *version;
      if (r.delete_marker) {
        d["DeleteMarker"] = true;
        d["DeleteMarkerVersionId"] = r.version_id;
      }
      deleted.push_back(std::move(d));
    } catch (const AwsError& e) {
      if (e.code == "MalformedXML") throw;
      json::object er{{"Key", key}, {"Code", e.code}, {"Message", e.message}};
      if (version) er["VersionId"] = *version;
      errors.push_back(std::move(er));
    }
  }
  json::object out;
  if (!deleted.empty()) out["Deleted"] = std::move(deleted);
  if (!errors.empty()) out["Errors"] = std::move(errors);
  return out;
}

}  // namespace stratus::s3
