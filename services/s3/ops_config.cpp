// Bucket configurations stored as documents: CORS, website, lifecycle, tagging, policy,
// encryption, ownership controls, public access block, ACL, accelerate, request payment,
// logging, object lock, replication. Each validates like S3 and answers its own "not found" error.
#include "errors.hpp"
#include "lifecycle.hpp"
#include "model.hpp"
#include "objects.hpp"
#include "s3_service.hpp"
#include "store.hpp"

#include <stratus/clock.hpp>
#include <stratus/strings.hpp>

#include <cmath>
#include <set>

namespace stratus::s3 {

namespace {

std::string bucket_of(const Call& c) { return std::string(str_or(c.input, "Bucket")); }

const json::object& payload(const Call& c, std::string_view member) {
  const json::object* o = opt_obj(c.input, member);
  if (!o) throw err::malformed_xml();
  return *o;
}

json::value config_or(Store& st, const std::string& bucket, std::string_view kind, const std::string& code,
                      const std::string& message) {
  auto v = st.config(bucket, kind);
  if (!v) throw err::not_found_config(code, message, bucket);
  return *v;
}

size_t count_char(std::string_view s, char c) { return static_cast<size_t>(std::count(s.begin(), s.end(), c)); }

}  // namespace

// --- CORS (https://docs.aws.amazon.com/AmazonS3/latest/userguide/cors.html) ---

Output S3Service::put_bucket_cors(Call& c) {
  std::string bucket = bucket_of(c);
  bucket_or_throw(bucket);
  const json::object& cfg = payload(c, "CORSConfiguration");
  const json::array* rules = opt_arr(cfg, "CORSRules");
  if (!rules || rules->empty() || rules->size() > 100) throw err::malformed_xml();
  static const std::set<std::string_view> kMethods = {"GET", "PUT", "HEAD", "POST", "DELETE"};
  for (auto& r : *rules) {
    if (!r.is_object()) throw err::malformed_xml();
    const auto& rule = r.get_object();
    const json::array* methods = opt_arr(rule, "AllowedMethods");
    const json::array* origins = opt_arr(rule, "AllowedOrigins");
    if (!methods || methods->empty() || !origins || origins->empty()) throw err::malformed_xml();
    for (auto& m : *methods)
      if (!m.is_string() || !kMethods.count(m.get_string()))
        throw err::invalid_request("Found unsupported HTTP method in CORS config. Unsupported method is " +
                                   std::string(m.is_string() ? std::string_view(m.get_string()) : ""));
    for (auto& o : *origins)
      if (o.is_string() && count_char(o.get_string(), '*') > 1)
        throw err::invalid_request("AllowedOrigin \"" + std::string(o.get_string()) +
                                   "\" can not have more than one wildcard.");
    if (auto* headers = opt_arr(rule, "AllowedHeaders"))
      for (auto& h : *headers)
        if (h.is_string() && count_char(h.get_string(), '*') > 1)
          throw err::invalid_request("AllowedHeader \"" + std::string(h.get_string()) +
                                     "\" can not have more than one wildcard.");
  }
  store_->put_config(bucket, "cors", cfg);
  return json::object{};
}

Output S3Service::get_bucket_cors(Call& c) {
  std::string bucket = bucket_of(c);
  bucket_or_throw(bucket);
  return config_or(*store_, bucket, "cors", "NoSuchCORSConfiguration", "The CORS configuration does not exist")
      .as_object();
}

Output S3Service::delete_bucket_cors(Call& c) {
  std::string bucket = bucket_of(c);
  bucket_or_throw(bucket);
  store_->delete_config(bucket, "cors");
  return json::object{};
}

// --- website (https://docs.aws.amazon.com/AmazonS3/latest/userguide/WebsiteHosting.html) ---

Output S3Service::put_bucket_website(Call& c) {
  std::string bucket = bucket_of(c);
  bucket_or_throw(bucket);
  const json::object& cfg = payload(c, "WebsiteConfiguration");
  const json::object* redirect_all = opt_obj(cfg, "RedirectAllRequestsTo");
  const json::object* index = opt_obj(cfg, "IndexDocument");
  if (redirect_all) {
    if (index || find(cfg, "ErrorDocument") || find(cfg, "RoutingRules"))
      throw err::invalid_argument("RedirectAllRequestsTo cannot be provided in conjunction with other Routing Rules.",
                                  "RedirectAllRequestsTo", "not null");
    if (str_or(*redirect_all, "HostName").empty()) throw err::malformed_xml();
  } else {
    if (!index)
      throw err::invalid_argument("A value for IndexDocument Suffix must be provided if RedirectAllRequestsTo is empty",
                                  "IndexDocument", "null");
    std::string suffix(str_or(*index, "Suffix"));
    if (suffix.empty() || suffix.find('/') != std::string::npos)
      throw err::invalid_argument("The IndexDocument Suffix is not well formed", "IndexDocument", suffix);
  }
  if (auto* rules = opt_arr(cfg, "RoutingRules")) {
    for (auto& r : *rules) {
      const json::object* redirect = r.is_object() ? opt_obj(r.get_object(), "Redirect") : nullptr;
      if (!redirect) throw err::malformed_xml();
      if (find(*redirect, "ReplaceKeyWith") && find(*redirect, "ReplaceKeyPrefixWith"))
        throw err::invalid_request("You can only define ReplaceKeyPrefix or ReplaceKey but not both.");
      if (auto code = opt_str(*redirect, "HttpRedirectCode")) {
        auto n = parse_int(*code);
        if (!n || *n < 300 || *n > 399)
          throw err::invalid_argument("The provided HTTP redirect code (" + *code + ") is not valid. Valid codes are 3XX except 300.",
                                      "HttpRedirectCode", *code);
      }
    }
  }
  store_->put_config(bucket, "website", cfg);
  return json::object{};
}

Output S3Service::get_bucket_website(Call& c) {
  std::string bucket = bucket_of(c);
  bucket_or_throw(bucket);
  return config_or(*store_, bucket, "website", "NoSuchWebsiteConfiguration",
                   "The specified bucket does not have a website configuration")
      .as_object();
}

Output S3Service::delete_bucket_website(Call& c) {
  std::string bucket = bucket_of(c);
  bucket_or_throw(bucket);
  store_->delete_config(bucket, "website");
  return json::object{};
}

// --- lifecycle ---

Output S3Service::put_bucket_lifecycle(Call& c) {
  std::string bucket = bucket_of(c);
  bucket_or_throw(bucket);
  const json::object& cfg = payload(c, "LifecycleConfiguration");
  validate_lifecycle(cfg);
  store_->put_config(bucket, "lifecycle", cfg);
  lifecycle_due_ = 0;  // re-evaluate on the next request
  json::object out{{"TransitionDefaultMinimumObjectSize", "all_storage_classes_128K"}};
  return out;
}

Output S3Service::get_bucket_lifecycle(Call& c) {
  std::string bucket = bucket_of(c);
  bucket_or_throw(bucket);
  json::object out = config_or(*store_, bucket, "lifecycle", "NoSuchLifecycleConfiguration",
                               "The lifecycle configuration does not exist")
                         .as_object();
  out["TransitionDefaultMinimumObjectSize"] = "all_storage_classes_128K";
  return out;
}

Output S3Service::delete_bucket_lifecycle(Call& c) {
  std::string bucket = bucket_of(c);
  bucket_or_throw(bucket);
  store_->delete_config(bucket, "lifecycle");
  return json::object{};
}

// --- tagging ---

Output S3Service::put_bucket_tagging(Call& c) {
  std::string bucket = bucket_of(c);
  bucket_or_throw(bucket);
  const json::object& cfg = payload(c, "Tagging");
  const json::array* set = opt_arr(cfg, "TagSet");
  auto tags = set ? tags_from_doc(*set) : std::vector<std::pair<std::string, std::string>>{};
  validate_tags(tags, 50);
  store_->put_config(bucket, "tagging", json::object{{"TagSet", tags_to_doc(tags)}});
  return json::object{};
}

Output S3Service::get_bucket_tagging(Call& c) {
  std::string bucket = bucket_of(c);
  bucket_or_throw(bucket);
  return config_or(*store_, bucket, "tagging", "NoSuchTagSet", "The TagSet does not exist").as_object();
}

Output S3Service::delete_bucket_tagging(Call& c) {
  std::string bucket = bucket_of(c);
  bucket_or_throw(bucket);
  store_->delete_config(bucket, "tagging");
  return json::object{};
}

// --- policy ---

Output S3Service::put_bucket_policy(Call& c) {
  std::string bucket = bucket_of(c);
  bucket_or_throw(bucket);
  std::string text(str_or(c.input, "Policy"));
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object() || trim(text).empty() || trim(text).front() != '{')
    throw AwsError("MalformedPolicy", "Policies must be valid JSON and the first byte must be '{'", 400);
  if (!find(v.as_object(), "Statement"))
    throw AwsError("MalformedPolicy", "Missing required field Statement", 400);
  store_->put_config(bucket, "policy", json::string(text));
  return json::object{};
}

Output S3Service::get_bucket_policy(Call& c) {
  std::string bucket = bucket_of(c);
  bucket_or_throw(bucket);
  json::value v = config_or(*store_, bucket, "policy", "NoSuchBucketPolicy", "The bucket policy does not exist");
  return json::object{{"Policy", v}};
}

Output S3Service::delete_bucket_policy(Call& c) {
  std::string bucket = bucket_of(c);
  bucket_or_throw(bucket);
  store_->delete_config(bucket, "policy");
  return json::object{};
}

Output S3Service::get_bucket_policy_status(Call& c) {
  std::string bucket = bucket_of(c);
  bucket_or_throw(bucket);
  json::value v = config_or(*store_, bucket, "policy", "NoSuchBucketPolicy", "The bucket policy does not exist");
  bool is_public = false;
  boost::system::error_code ec;
  json::value p = json::parse(v.is_string() ? std::string_view(v.get_string()) : std::string_view("{}"), ec);
  if (!ec && p.is_object()) {
    json::array stmts;
    if (auto* s = find(p.as_object(), "Statement")) {
      if (s->is_array()) stmts = s->as_array();
      else stmts.push_back(*s);
    }
    for (auto& s : stmts) {
      if (!s.is_object() || str_or(s.get_object(), "Effect") != "Allow" || find(s.get_object(), "Condition")) continue;
      const json::value* pr = find(s.get_object(), "Principal");
      if (!pr) continue;
      if (pr->is_string() && pr->get_string() == "*") is_public = true;
      if (pr->is_object())
        if (auto* aws = find(pr->get_object(), "AWS"); aws && aws->is_string() && aws->get_string() == "*")
          is_public = true;
    }
  }
  return json::object{{"PolicyStatus", json::object{{"IsPublic", is_public}}}};
}

// --- encryption (every bucket has SSE-S3 by default since January 2023) ---

Output S3Service::put_bucket_encryption(Call& c) {
  std::string bucket = bucket_of(c);
  bucket_or_throw(bucket);
  const json::object& cfg = payload(c, "ServerSideEncryptionConfiguration");
  const json::array* rules = opt_arr(cfg, "Rules");
  if (!rules || rules->empty()) throw err::malformed_xml();
  for (auto& r : *rules) {
    const json::object* d = r.is_object() ? opt_obj(r.get_object(), "ApplyServerSideEncryptionByDefault") : nullptr;
    if (!d) throw err::malformed_xml();
    auto alg = str_or(*d, "SSEAlgorithm");
    if (alg != "AES256" && alg != "aws:kms" && alg != "aws:kms:dsse") throw err::malformed_xml();
  }
  store_->put_config(bucket, "encryption", cfg);
  return json::object{};
}

Output S3Service::get_bucket_encryption(Call& c) {
  std::string bucket = bucket_of(c);
  bucket_or_throw(bucket);
  auto v = store_->config(bucket, "encryption");
  json::value cfg = v ? *v
                      : json::value(json::object{
                            {"Rules", json::array{json::object{
                                          {"ApplyServerSideEncryptionByDefault", json::object{{"SSEAlgorithm", "AES256"}}},
                                          {"BucketKeyEnabled", false}}}}});
  return json::object{{"ServerSideEncryptionConfiguration", cfg}};
}

Output S3Service::delete_bucket_encryption(Call& c) {
  std::string bucket = bucket_of(c);
  bucket_or_throw(bucket);
  store_->delete_config(bucket, "encryption");
  return json::object{};
}

// --- ownership controls ---

Output S3Service::put_bucket_ownership_controls(Call& c) {
  std::string bucket = bucket_of(c);
  bucket_or_throw(bucket);
  const json::object& cfg = payload(c, "OwnershipControls");
  const json::array* rules = opt_arr(cfg, "Rules");
  if (!rules || rules->size() != 1 || !rules->front().is_object()) throw err::malformed_xml();
  auto own = str_or(rules->front().get_object(), "ObjectOwnership");
  if (own != "BucketOwnerPreferred" && own != "ObjectWriter" && own != "BucketOwnerEnforced") throw err::malformed_xml();
  store_->put_config(bucket, "ownership", cfg);
  return json::object{};
}

Output S3Service::get_bucket_ownership_controls(Call& c) {
  std::string bucket = bucket_of(c);
  bucket_or_throw(bucket);
  json::value v = config_or(*store_, bucket, "ownership", "OwnershipControlsNotFoundError",
                            "The bucket ownership controls were not found");
  return json::object{{"OwnershipControls", v}};
}

Output S3Service::delete_bucket_ownership_controls(Call& c) {
  std::string bucket = bucket_of(c);
  bucket_or_throw(bucket);
  store_->delete_config(bucket, "ownership");
  return json::object{};
}

// --- public access block ---

Output S3Service::put_public_access_block(Call& c) {
  std::string bucket = bucket_of(c);
  bucket_or_throw(bucket);
  const json::object& cfg = payload(c, "PublicAccessBlockConfiguration");
  store_->put_config(bucket, "public-access-block", cfg);
  return json::object{};
}

Output S3Service::get_public_access_block(Call& c) {
  std::string bucket = bucket_of(c);
  bucket_or_throw(bucket);
  json::value v = config_or(*store_, bucket, "public-access-block", "NoSuchPublicAccessBlockConfiguration",
                            "The public access block configuration was not found");
  json::object cfg = v.as_object();
  for (const char* k : {"BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets"})
    if (!find(cfg, k)) cfg[k] = false;
  return json::object{{"PublicAccessBlockConfiguration", std::move(cfg)}};
}

Output S3Service::delete_public_access_block(Call& c) {
  std::string bucket = bucket_of(c);
  bucket_or_throw(bucket);
  store_->delete_config(bucket, "public-access-block");
  return json::object{};
}

// --- bucket ACL ---

Output S3Service::put_bucket_acl(Call& c) {
  const auto& in = c.input;
  std::string bucket = bucket_of(c);
  BucketRow b = bucket_or_throw(bucket);
  bool has_grants = false;
  for (const char* g : {"GrantFullControl", "GrantRead", "GrantReadACP", "GrantWrite", "GrantWriteACP"})
    has_grants = has_grants || find(in, g);
  json::object acl;
  if (auto canned = opt_str(in, "ACL")) {
    if (has_grants) throw err::invalid_request("Specifying both Canned ACLs and Header Grants is not allowed");
    if (!valid_bucket_acl(*canned)) throw err::invalid_argument("", "x-amz-acl", *canned);
  }
  if (find(in, "ACL") || has_grants) {
    acl = acl_from_input(in, b.account);
  } else if (auto* policy = opt_obj(in, "AccessControlPolicy")) {
    acl = *policy;
    if (!find(acl, "Owner")) throw err::malformed_xml();
  } else {
    throw AwsError("MissingSecurityHeader", "Your request was missing a required header", 400)
        .with("MissingHeaderName", "x-amz-acl");
  }
  store_->put_config(bucket, "acl", acl);
  return json::object{};
}

Output S3Service::get_bucket_acl(Call& c) {
  std::string bucket = bucket_of(c);
  BucketRow b = bucket_or_throw(bucket);
  auto v = store_->config(bucket, "acl");
  if (v && v->is_object()) return v->as_object();
  return canned_acl("private", b.account);
}

// --- accelerate, request payment, logging ---

Output S3Service::put_bucket_accelerate(Call& c) {
  std::string bucket = bucket_of(c);
  bucket_or_throw(bucket);
  const json::object& cfg = payload(c, "AccelerateConfiguration");
  auto st = str_or(cfg, "Status");
  if (st != "Enabled" && st != "Suspended") throw err::malformed_xml();
  if (bucket.find('.') != std::string::npos)
    throw err::invalid_request("S3 Transfer Acceleration is not supported for buckets with periods (.) in their names");
  store_->put_config(bucket, "accelerate", cfg);
  return json::object{};
}

Output S3Service::get_bucket_accelerate(Call& c) {
  std::string bucket = bucket_of(c);
  bucket_or_throw(bucket);
  auto v = store_->config(bucket, "accelerate");
  return v && v->is_object() ? v->as_object() : json::object{};
}

Output S3Service::put_bucket_request_payment(Call& c) {
  std::string bucket = bucket_of(c);
  bucket_or_throw(bucket);
  const json::object& cfg = payload(c, "RequestPaymentConfiguration");
  auto p = str_or(cfg, "Payer");
  if (p != "Requester" && p != "BucketOwner") throw err::malformed_xml();
  store_->put_config(bucket, "request-payment", cfg);
  return json::object{};
}

Output S3Service::get_bucket_request_payment(Call& c) {
  std::string bucket = bucket_of(c);
  bucket_or_throw(bucket);
  auto v = store_->config(bucket, "request-payment");
  return v && v->is_object() ? v->as_object() : json::object{{"Payer", "BucketOwner"}};
}

Output S3Service::put_bucket_logging(Call& c) {
  std::string bucket = bucket_of(c);
  bucket_or_throw(bucket);
  const json::object& cfg = payload(c, "BucketLoggingStatus");
  if (auto* le = opt_obj(cfg, "LoggingEnabled")) {
    std::string target(str_or(*le, "TargetBucket"));
    if (!store_->bucket(target))
      throw AwsError("InvalidTargetBucketForLogging", "The target bucket for logging does not exist", 400)
          .with("TargetBucket", target);
  }
  store_->put_config(bucket, "logging", cfg);
  return json::object{};
}

Output S3Service::get_bucket_logging(Call& c) {
  std::string bucket = bucket_of(c);
  bucket_or_throw(bucket);
  auto v = store_->config(bucket, "logging");
  return v && v->is_object() ? v->as_object() : json::object{};
}

// --- object lock (configuration only; retention is not enforced) ---

Output S3Service::get_object_lock_configuration(Call& c) {
  std::string bucket = bucket_of(c);
  bucket_or_throw(bucket);
  json::value v = config_or(*store_, bucket, "object-lock", "ObjectLockConfigurationNotFoundError",
                            "Object Lock configuration does not exist for this bucket");
  return json::object{{"ObjectLockConfiguration", v}};
}

Output S3Service::put_object_lock_configuration(Call& c) {
  std::string bucket = bucket_of(c);
  BucketRow b = bucket_or_throw(bucket);
  if (b.versioning != "Enabled")
    throw AwsError("InvalidBucketState", "Versioning must be 'Enabled' on the bucket to apply a Object Lock configuration",
                   409);
  const json::object* cfg = opt_obj(c.input, "ObjectLockConfiguration");
  json::object doc = cfg ? *cfg : json::object{};
  if (!find(doc, "ObjectLockEnabled")) doc["ObjectLockEnabled"] = "Enabled";
  store_->put_config(bucket, "object-lock", doc);
  return json::object{};
}

// --- replication (the configuration only: objects are not copied) ---
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketReplication.html. Infrastructure
// tools read it back on every refresh (Terraform's aws_s3_bucket: GetBucketReplication).

Output S3Service::put_bucket_replication(Call& c) {
  std::string bucket = bucket_of(c);
  BucketRow b = bucket_or_throw(bucket);
  const json::object& cfg = payload(c, "ReplicationConfiguration");
  if (b.versioning != "Enabled")
    throw err::invalid_request("Versioning must be 'Enabled' on the bucket to apply a replication configuration");
  const json::array* rules = opt_arr(cfg, "Rules");
  if (str_or(cfg, "Role").empty() || !rules || rules->empty() || rules->size() > 1000) throw err::malformed_xml();
  for (auto& rv : *rules) {
    if (!rv.is_object()) throw err::malformed_xml();
    const json::object& r = rv.get_object();
    auto status = str_or(r, "Status");
    const json::object* dest = opt_obj(r, "Destination");
    if ((status != "Enabled" && status != "Disabled") || !dest) throw err::malformed_xml();
    std::string_view arn = str_or(*dest, "Bucket");
    if (!arn.starts_with("arn:aws:s3:::")) throw err::invalid_argument("Invalid bucket ARN.", "Bucket", std::string(arn));
    auto target = store_->bucket(std::string(arn.substr(std::string_view("arn:aws:s3:::").size())));
    if (!target) throw err::invalid_request("Destination bucket must exist.");
    if (target->versioning != "Enabled") throw err::invalid_request("Destination bucket must have versioning enabled.");
  }
  store_->put_config(bucket, "replication", cfg);
  return json::object{};
}

Output S3Service::get_bucket_replication(Call& c) {
  std::string bucket = bucket_of(c);
  bucket_or_throw(bucket);
  json::value v = config_or(*store_, bucket, "replication", "ReplicationConfigurationNotFoundError",
                            "The replication configuration was not found");
  return json::object{{"ReplicationConfiguration", v}};
}

Output S3Service::delete_bucket_replication(Call& c) {
  std::string bucket = bucket_of(c);
  bucket_or_throw(bucket);
  store_->delete_config(bucket, "replication");
  return json::object{};
}

}  // namespace stratus::s3
