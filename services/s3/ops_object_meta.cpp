// Object tagging and object ACLs.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObjectTagging.html, API_PutObjectAcl.html
#include "errors.hpp"
#include "model.hpp"
#include "objects.hpp"
#include "s3_service.hpp"
#include "store.hpp"

namespace stratus::s3 {

namespace {

// The addressed version of an object; delete markers answer like AWS (405 by version id, else 404).
ObjectRow target(S3Service& svc, const BucketRow& b, const json::object& in, const std::string& method) {
  std::string key(str_or(in, "Key"));
  auto version = opt_str(in, "VersionId");
  std::optional<ObjectRow> row;
  if (version) {
    if (!plausible_version_id(*version)) throw err::invalid_version(*version);
    row = svc.store().version(b.name, key, *version);
    if (!row) throw err::no_such_version(key, *version);
    if (row->delete_marker) throw err::method_not_allowed(method, "DeleteMarker");
  } else {
    row = svc.store().latest(b.name, key);
    if (!row || row->delete_marker) throw err::no_such_key(key);
  }
  return *row;
}

json::object with_version(const BucketRow& b, const ObjectRow& row, json::object out = {}) {
  if (shows_version(b, row)) out["VersionId"] = row.version_id;
  return out;
}

}  // namespace

Output S3Service::put_object_tagging(Call& c) {
  BucketRow b = bucket_or_throw(std::string(str_or(c.input, "Bucket")));
  const json::object* tagging = opt_obj(c.input, "Tagging");
  const json::array* set = tagging ? opt_arr(*tagging, "TagSet") : nullptr;
  if (!tagging) throw err::malformed_xml();
  auto tags = set ? tags_from_doc(*set) : std::vector<std::pair<std::string, std::string>>{};
  validate_tags(tags, 10);
  ObjectRow row = target(*this, b, c.input, "PUT");
  store_->update_tags(row.seq, tags);
  notify(c.ctx, b, "ObjectTagging:Put", row, c.http.remote_ip);
  return with_version(b, row);
}

Output S3Service::get_object_tagging(Call& c) {
  BucketRow b = bucket_or_throw(std::string(str_or(c.input, "Bucket")));
  ObjectRow row = target(*this, b, c.input, "GET");
  return with_version(b, row, json::object{{"TagSet", tags_to_doc(row.tags)}});
}

Output S3Service::delete_object_tagging(Call& c) {
  BucketRow b = bucket_or_throw(std::string(str_or(c.input, "Bucket")));
  ObjectRow row = target(*this, b, c.input, "DELETE");
  store_->update_tags(row.seq, {});
  notify(c.ctx, b, "ObjectTagging:Delete", row, c.http.remote_ip);
  return with_version(b, row);
}

Output S3Service::put_object_acl(Call& c) {
  const auto& in = c.input;
  BucketRow b = bucket_or_throw(std::string(str_or(in, "Bucket")));
  ObjectRow row = target(*this, b, in, "PUT");
  json::object acl;
  bool has_grants = false;
  for (const char* g : {"GrantFullControl", "GrantRead", "GrantReadACP", "GrantWrite", "GrantWriteACP"})
    has_grants = has_grants || find(in, g);
  if (auto canned = opt_str(in, "ACL")) {
    if (has_grants) throw err::invalid_request("Specifying both Canned ACLs and Header Grants is not allowed");
    if (!valid_object_acl(*canned)) throw err::invalid_argument("", "x-amz-acl", *canned);
  }
  if (find(in, "ACL") || has_grants) {
    acl = acl_from_input(in, row.owner);
  } else if (auto* policy = opt_obj(in, "AccessControlPolicy")) {
    acl = *policy;
    if (!find(acl, "Owner")) throw err::malformed_xml();
  } else {
    throw AwsError("MissingSecurityHeader", "Your request was missing a required header", 400)
        .with("MissingHeaderName", "x-amz-acl");
  }
  store_->update_acl(row.seq, acl);
  notify(c.ctx, b, "ObjectAcl:Put", row, c.http.remote_ip);
  return json::object{};
}

Output S3Service::get_object_acl(Call& c) {
  BucketRow b = bucket_or_throw(std::string(str_or(c.input, "Bucket")));
  ObjectRow row = target(*this, b, c.input, "GET");
  json::object acl = row.acl.empty() ? canned_acl("private", row.owner) : row.acl;
  return with_version(b, row, std::move(acl));
}

}  // namespace stratus::s3
