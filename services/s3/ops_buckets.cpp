// CreateBucket, DeleteBucket, HeadBucket, ListBuckets, GetBucketLocation, bucket versioning.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateBucket.html
#include "errors.hpp"
#include "model.hpp"
#include "s3_service.hpp"
#include "store.hpp"

#include <stratus/clock.hpp>
#include <stratus/crypto.hpp>
#include <stratus/strings.hpp>

#include <cmath>

namespace stratus::s3 {

namespace {

std::string bucket_arn(const std::string& name) { return "arn:aws:s3:::" + name; }

}  // namespace

Output S3Service::create_bucket(Call& c) {
  const auto& in = c.input;
  std::string name(str_or(in, "Bucket"));
  if (!valid_bucket_name(name)) throw err::invalid_bucket_name(name);
  std::string region = "us-east-1";
  const json::object* cfg = opt_obj(in, "CreateBucketConfiguration");
  auto constraint = cfg ? opt_str(*cfg, "LocationConstraint") : std::nullopt;
  if (constraint && !constraint->empty()) {
    std::string want = *constraint == "EU" ? "eu-west-1" : *constraint;
    if (want == "us-east-1")
      throw AwsError("InvalidLocationConstraint", "The specified location-constraint is not valid", 400)
          .with("LocationConstraint", *constraint);
    // The us-east-1 (global) endpoint creates buckets anywhere; regional endpoints only in their region.
    if (c.ctx.region != "us-east-1" && want != c.ctx.region)
      throw AwsError("IllegalLocationConstraintException",
                     "The " + *constraint +
                         " location constraint is incompatible for the region specific endpoint this request was "
                         "sent to.",
                     400);
    region = want;
  } else if (c.ctx.region != "us-east-1") {
    throw AwsError("IllegalLocationConstraintException",
                   "The unspecified location constraint is incompatible for the region specific endpoint this "
                   "request was sent to.",
                   400);
  }
  if (auto acl = opt_str(in, "ACL"); acl && !valid_bucket_acl(*acl)) throw err::invalid_argument("", "x-amz-acl", *acl);
  if (auto own = opt_str(in, "ObjectOwnership");
      own && *own != "BucketOwnerPreferred" && *own != "ObjectWriter" && *own != "BucketOwnerEnforced")
    throw err::invalid_argument("Invalid x-amz-object-ownership header: " + *own, "x-amz-object-ownership", *own);

  if (auto existing = store_->bucket(name)) {
    if (existing->account != c.ctx.account_id)
      throw AwsError("BucketAlreadyExists",
                     "The requested bucket name is not available. The bucket namespace is shared by all users of the "
                     "system. Please select a different name and try again.",
                     409)
          .with("BucketName", name);
    // Legacy behaviour of us-east-1: re-creating your own bucket there succeeds (and resets its ACL).
    if (!(existing->region == "us-east-1" && c.ctx.region == "us-east-1"))
      throw AwsError("BucketAlreadyOwnedByYou",
                     "Your previous request to create the named bucket succeeded and you already own it.", 409)
          .with("BucketName", name);
    store_->delete_config(name, "acl");
    return json::object{{"Location", "/" + name}};
  }

  BucketRow b;
  b.name = name;
  b.account = c.ctx.account_id;
  b.region = region;
  b.created = std::floor(env().clock.now_seconds());
  if (opt_bool(in, "ObjectLockEnabledForBucket").value_or(false)) {
    b.object_lock = true;
    b.versioning = "Enabled";
  }
  {
    auto tx = store_->db().transaction();
    store_->insert_bucket(b);
    if (auto acl = opt_str(in, "ACL")) store_->put_config(name, "acl", canned_acl(*acl, b.account));
    if (auto own = opt_str(in, "ObjectOwnership"))
      store_->put_config(name, "ownership",
                         json::object{{"Rules", json::array{json::object{{"ObjectOwnership", *own}}}}});
    if (b.object_lock)
      store_->put_config(name, "object-lock", json::object{{"ObjectLockEnabled", "Enabled"}});
    if (cfg)
      if (auto* tags = opt_arr(*cfg, "Tags"); tags && !tags->empty())
        store_->put_config(name, "tagging", json::object{{"TagSet", *tags}});
    tx.commit();
  }
  json::object out{{"BucketArn", bucket_arn(name)}};
  out["Location"] = region == "us-east-1" ? "/" + name : "http://" + name + ".s3.amazonaws.com/";
  return out;
}

Output S3Service::delete_bucket(Call& c) {
  std::string name(str_or(c.input, "Bucket"));
  BucketRow b = bucket_or_throw(name);
  if (!store_->bucket_empty(name))
    throw AwsError("BucketNotEmpty", "The bucket you tried to delete is not empty", 409).with("BucketName", name);
  for (auto& u : store_->list_uploads(name)) {
    for (auto& p : store_->parts(u.upload_id)) remove_blob(p.blob);
    store_->delete_upload(u.upload_id);
  }
  store_->delete_bucket(name);
  return json::object{};
}

Output S3Service::head_bucket(Call& c) {
  std::string name(str_or(c.input, "Bucket"));
  auto b = store_->bucket(name);
  if (!b) throw AwsError("NoSuchBucket", "Not Found", 404);
  return json::object{{"BucketRegion", b->region}, {"AccessPointAlias", false}, {"BucketArn", bucket_arn(name)}};
}

Output S3Service::list_buckets(Call& c) {
  const auto& in = c.input;
  std::string prefix(str_or(in, "Prefix"));
  std::string after;
  if (auto tok = opt_str(in, "ContinuationToken")) {
    auto raw = crypto::base64url_decode(*tok);
    if (!raw || raw->empty())
      throw err::invalid_argument("The continuation token provided is incorrect", "continuation-token", *tok);
    after = *raw;
  }
  auto max = opt_int(in, "MaxBuckets");
  if (max && (*max < 1 || *max > 10000))
    throw err::invalid_argument("Argument max-buckets must be an integer between 1 and 10000", "max-buckets",
                                std::to_string(*max));
  auto region = opt_str(in, "BucketRegion");
  int limit = max ? static_cast<int>(*max) : 10000;
  json::array buckets;
  std::string last;
  bool more = false;
  std::string cursor = after;
  while (static_cast<int>(buckets.size()) < limit) {
    auto page = store_->list_buckets(c.ctx.account_id, prefix, cursor, 1000);
    if (page.empty()) break;
    for (auto& b : page) {
      cursor = b.name;
      if (region && b.region != *region) continue;
      if (static_cast<int>(buckets.size()) >= limit) {
        more = true;
        break;
      }
      buckets.push_back(json::object{{"Name", b.name},
                                     {"CreationDate", b.created},
                                     {"BucketRegion", b.region},
                                     {"BucketArn", bucket_arn(b.name)}});
      last = b.name;
    }
    if (more || page.size() < 1000) break;
  }
  if (!more && max && static_cast<int>(buckets.size()) == limit) {
    // One more look: is there anything after the page?
    auto rest = store_->list_buckets(c.ctx.account_id, prefix, last, 1000);
    for (auto& b : rest)
      if (!region || b.region == *region) more = true;
  }
  json::object out{{"Buckets", std::move(buckets)}, {"Owner", owner_doc(c.ctx.account_id)}};
  if (!prefix.empty()) out["Prefix"] = prefix;
  if (more && max) out["ContinuationToken"] = crypto::base64url(last);
  return out;
}

Output S3Service::get_bucket_location(Call& c) {
  std::string name(str_or(c.input, "Bucket"));
  BucketRow b = bucket_or_throw(name);
  // The body is the bare <LocationConstraint> element (empty for us-east-1), which SDKs read as
  // the root's text: not expressible through the output shape.
  std::string body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<LocationConstraint xmlns=\"" +
                     info().xml_namespace + "\">" + (b.region == "us-east-1" ? std::string() : b.region) +
                     "</LocationConstraint>";
  Output o;
  o.body = Payload(std::move(body));
  o.headers.add("Content-Type", "application/xml");
  return o;
}

Output S3Service::put_bucket_versioning(Call& c) {
  std::string name(str_or(c.input, "Bucket"));
  BucketRow b = bucket_or_throw(name);
  const json::object* cfg = opt_obj(c.input, "VersioningConfiguration");
  auto status = cfg ? opt_str(*cfg, "Status") : std::nullopt;
  if (!status || (*status != "Enabled" && *status != "Suspended")) throw err::malformed_xml();
  if (b.object_lock && *status == "Suspended")
    throw AwsError("InvalidBucketState",
                   "An Object Lock configuration is present on this bucket, so the versioning state cannot be "
                   "changed.",
                   409);
  store_->set_versioning(name, *status);
  return json::object{};
}

Output S3Service::get_bucket_versioning(Call& c) {
  std::string name(str_or(c.input, "Bucket"));
  BucketRow b = bucket_or_throw(name);
  json::object out;
  if (!b.versioning.empty()) out["Status"] = b.versioning;
  return out;
}

}  // namespace stratus::s3
