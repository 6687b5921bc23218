// Event notifications: the configuration operations, the s3:TestEvent on configuration, and
// delivery of records to SQS, SNS, Lambda and EventBridge through the integrations bus.
#include "notifications.hpp"

#include "errors.hpp"
#include "model.hpp"
#include "s3_service.hpp"
#include "store.hpp"

#include <stratus/bus.hpp>
#include <stratus/clock.hpp>
#include <stratus/crypto.hpp>
#include <stratus/ids.hpp>
#include <stratus/strings.hpp>

#include <cstdio>
#include <set>

#include <spdlog/spdlog.h>

namespace stratus::s3 {

namespace {

constexpr std::string_view kEvents[] = {
    "s3:TestEvent",
    "s3:ObjectCreated:*", "s3:ObjectCreated:Put", "s3:ObjectCreated:Post", "s3:ObjectCreated:Copy",
    "s3:ObjectCreated:CompleteMultipartUpload",
    "s3:ObjectRemoved:*", "s3:ObjectRemoved:Delete", "s3:ObjectRemoved:DeleteMarkerCreated",
    "s3:ObjectRestore:*", "s3:ObjectRestore:Post", "s3:ObjectRestore:Completed", "s3:ObjectRestore:Delete",
    "s3:ReducedRedundancyLostObject",
    "s3:Replication:*", "s3:Replication:OperationFailedReplication", "s3:Replication:OperationNotTracked",
    "s3:Replication:OperationMissedThreshold", "s3:Replication:OperationReplicatedAfterThreshold",
    "s3:LifecycleExpiration:*", "s3:LifecycleExpiration:Delete", "s3:LifecycleExpiration:DeleteMarkerCreated",
    "s3:LifecycleTransition", "s3:IntelligentTiering",
    "s3:ObjectTagging:*", "s3:ObjectTagging:Put", "s3:ObjectTagging:Delete", "s3:ObjectAcl:Put"};

// (list member, ARN member, bus target service)
struct Kind {
  const char* list;
  const char* arn;
};
constexpr Kind kKinds[] = {{"QueueConfigurations", "QueueArn"},
                           {"TopicConfigurations", "TopicArn"},
                           {"LambdaFunctionConfigurations", "LambdaFunctionArn"}};

}  // namespace

bool valid_event_name(std::string_view e) {
  for (auto k : kEvents)
    if (k == e) return true;
  return false;
}

bool event_selected(const json::array& configured, std::string_view name) {
  for (auto& v : configured) {
    if (!v.is_string()) continue;
    std::string_view c = v.get_string();
    if (!c.starts_with("s3:")) continue;
    c.remove_prefix(3);
    if (c == name) return true;
    if (c.ends_with(":*") && name.starts_with(c.substr(0, c.size() - 1))) return true;
  }
  return false;
}

bool key_filter_matches(const json::object* filter, std::string_view key) {
  if (!filter) return true;
  const json::object* k = opt_obj(*filter, "Key");
  const json::array* rules = k ? opt_arr(*k, "FilterRules") : nullptr;
  if (!rules) return true;
  for (auto& r : *rules) {
    if (!r.is_object()) continue;
    std::string name = to_lower(str_or(r.get_object(), "Name"));
    std::string_view value = str_or(r.get_object(), "Value");
    if (name == "prefix" && !key.starts_with(value)) return false;
    if (name == "suffix" && !key.ends_with(value)) return false;
  }
  return true;
}

void validate_notification(json::object& cfg) {
  std::set<std::string> ids;
  for (auto& kind : kKinds) {
    json::value* list = cfg.if_contains(kind.list);
    if (!list || !list->is_array()) continue;
    for (auto& item : list->as_array()) {
      if (!item.is_object()) throw err::malformed_xml();
      auto& o = item.as_object();
      std::string arn(str_or(o, kind.arn));
      auto parsed = Arn::parse(arn);
      if (!parsed) throw err::invalid_argument("The ARN is not well formed", kind.arn, arn);
      const json::array* events = opt_arr(o, "Events");
      if (!events || events->empty()) throw err::malformed_xml();
      for (auto& e : *events)
        if (!e.is_string() || !valid_event_name(e.get_string()))
          throw err::invalid_argument("The event is not supported for notifications", "Event",
                                      e.is_string() ? std::string(e.get_string()) : "");
      if (auto* f = opt_obj(o, "Filter")) {
        const json::object* k = opt_obj(*f, "Key");
        const json::array* rules = k ? opt_arr(*k, "FilterRules") : nullptr;
        std::set<std::string> names;
        if (rules)
          for (auto& r : *rules) {
            std::string name = r.is_object() ? to_lower(str_or(r.get_object(), "Name")) : "";
            if (name != "prefix" && name != "suffix")
              throw err::invalid_argument("filter rule name must be either prefix or suffix", "FilterRule", name);
            if (!names.insert(name).second)
              throw err::invalid_argument("Cannot specify more than one " + name + " rule in a filter.", "FilterRule",
                                          name);
          }
      }
      std::string id(str_or(o, "Id"));
      if (id.empty()) {
        id = crypto::base64(ids::uuid4());
        o["Id"] = id;
      }
      if (!ids.insert(id).second)
        throw err::invalid_argument("Configurations overlap. Configurations on the same bucket cannot share a common "
                                    "event type.",
                                    "Id", id);
    }
  }
}

json::object event_record(const EventInfo& e, const std::string& configuration_id) {
  json::object object{{"key", url_encode_key(e.key)}};
  if (!e.removal) {
    object["size"] = static_cast<int64_t>(e.size);
    object["eTag"] = e.etag;
  }
  if (!e.version_id.empty()) object["versionId"] = e.version_id;
  object["sequencer"] = e.sequencer;
  return json::object{
      {"eventVersion", "2.1"},
      {"eventSource", "aws:s3"},
      {"awsRegion", e.region},
      {"eventTime", iso8601(e.time)},
      {"eventName", e.event_name},
      {"userIdentity", json::object{{"principalId", e.principal}}},
      {"requestParameters", json::object{{"sourceIPAddress", e.source_ip}}},
      {"responseElements", json::object{{"x-amz-request-id", e.request_id}, {"x-amz-id-2", e.host_id}}},
      {"s3", json::object{{"s3SchemaVersion", "1.0"},
                          {"configurationId", configuration_id},
                          {"bucket", json::object{{"name", e.bucket},
                                                  {"ownerIdentity", json::object{{"principalId", e.bucket_owner}}},
                                                  {"arn", "arn:aws:s3:::" + e.bucket}}},
                          {"object", std::move(object)}}}};
}

json::object records_message(json::object record) {
  return json::object{{"Records", json::array{std::move(record)}}};
}

// Detail types and detail fields per event
// (https://docs.aws.amazon.com/AmazonS3/latest/userguide/ev-events.html).
json::object eventbridge_entry(const EventInfo& e, const std::string& account) {
  const bool created = e.event_name.starts_with("ObjectCreated");
  const bool tagging = e.event_name.starts_with("ObjectTagging");
  const bool acl = e.event_name.starts_with("ObjectAcl");
  json::object object{{"key", e.key}};
  if (created) object["size"] = static_cast<int64_t>(e.size);
  if (!e.removal) object["etag"] = e.etag;
  if (!e.version_id.empty()) object["version-id"] = e.version_id;
  if (created || e.removal) object["sequencer"] = e.sequencer;
  json::object detail{{"version", "0"},
                      {"bucket", json::object{{"name", e.bucket}}},
                      {"object", std::move(object)},
                      {"request-id", e.request_id},
                      {"requester", account},
                      {"source-ip-address", e.source_ip}};
  std::string detail_type;
  if (created) {
    detail_type = "Object Created";
    std::string_view how = std::string_view(e.event_name).substr(std::string_view("ObjectCreated:").size());
    detail["reason"] = how == "Put"    ? "PutObject"
                       : how == "Post" ? "POSTObject"
                       : how == "Copy" ? "CopyObject"
                                       : "CompleteMultipartUpload";
  } else if (tagging) {
    detail_type = e.event_name.ends_with(":Put") ? "Object Tags Added" : "Object Tags Deleted";
  } else if (acl) {
    detail_type = "Object ACL Updated";
  } else {
    detail_type = "Object Deleted";
    bool lifecycle = e.event_name.starts_with("LifecycleExpiration");
    detail["reason"] = lifecycle ? "Lifecycle Expiration" : "DeleteObject";
    detail["deletion-type"] = e.event_name.ends_with("DeleteMarkerCreated") ? "Delete Marker Created"
                                                                            : "Permanently Deleted";
  }
  return json::object{{"Source", "aws.s3"},
                      {"DetailType", detail_type},
                      {"Detail", json::serialize(detail)},
                      {"Resources", json::array{json::string("arn:aws:s3:::" + e.bucket)}},
                      {"Time", e.time}};
}

json::object test_event(const std::string& bucket, const std::string& request_id, const std::string& host_id,
                        double time) {
  return json::object{{"Service", "Amazon S3"}, {"Event", "s3:TestEvent"}, {"Time", iso8601(time)},
                      {"Bucket", bucket},       {"RequestId", request_id}, {"HostId", host_id}};
}

namespace {

Delivery delivery_for(const std::string& arn, std::string payload, const std::string& bucket) {
  Delivery d;
  d.target_arn = arn;
  d.payload = std::move(payload);
  d.source_arn = "arn:aws:s3:::" + bucket;
  auto parsed = Arn::parse(arn);
  if (parsed && parsed->service == "sns") d.attributes["Subject"] = "Amazon S3 Notification";
  if (parsed && parsed->service == "lambda") {
    d.attributes["InvocationType"] = "Event";
    d.attributes["Source"] = "s3";
  }
  d.retry.max_attempts = 3;
  return d;
}

}  // namespace

void S3Service::notify(const RequestContext& ctx, const BucketRow& b, std::string_view event, const ObjectRow& row,
                       const std::string& source_ip) {
  auto cfg_v = store_->config(b.name, "notification");
  if (!cfg_v || !cfg_v->is_object() || cfg_v->as_object().empty()) return;
  const json::object& cfg = cfg_v->as_object();
  EventInfo e;
  e.event_name = std::string(event);
  e.region = b.region;
  e.bucket = b.name;
  e.bucket_owner = b.account;
  e.key = row.key;
  e.size = row.size;
  e.etag = std::string(strip_etag(row.etag));
  if (!b.versioning.empty()) e.version_id = row.version_id;
  char seq[32];
  std::snprintf(seq, sizeof seq, "%012llX%04X", static_cast<unsigned long long>(env().clock.now_ms()),
                static_cast<unsigned>(++sequencer_ & 0xFFFF));
  e.sequencer = seq;
  e.request_id = ctx.request_id;
  e.host_id = ids::s3_host_id();
  e.source_ip = source_ip.empty() ? "127.0.0.1" : source_ip;
  e.principal = "AWS:" + (ctx.access_key_id.empty() ? ctx.account_id : ctx.access_key_id);
  e.time = env().clock.now_seconds();
  e.removal = event.starts_with("ObjectRemoved") || event.starts_with("LifecycleExpiration");
  for (auto& kind : kKinds) {
    const json::array* list = opt_arr(cfg, kind.list);
    if (!list) continue;
    for (auto& item : *list) {
      if (!item.is_object()) continue;
      const auto& o = item.get_object();
      const json::array* events = opt_arr(o, "Events");
      if (!events || !event_selected(*events, event) || !key_filter_matches(opt_obj(o, "Filter"), row.key)) continue;
      std::string arn(str_or(o, kind.arn));
      auto parsed = Arn::parse(arn);
      if (!parsed || !env().bus.has_target(parsed->service)) {
        spdlog::debug("s3 notification to {}: no such target yet", arn);
        continue;
      }
      std::string body = json::serialize(records_message(event_record(e, std::string(str_or(o, "Id")))));
      env().bus.dispatch(delivery_for(arn, std::move(body), b.name),
                         [arn](const json::value*, const AwsError* error) {
                           if (error) spdlog::warn("s3 notification to {} failed: {}", arn, error->message);
                         });
    }
  }
  if (find(cfg, "EventBridgeConfiguration") && env().bus.has_target("events")) {
    std::string arn = "arn:aws:events:" + b.region + ":" + b.account + ":event-bus/default";
    Delivery d;
    d.target_arn = arn;
    d.payload = json::serialize(eventbridge_entry(e, b.account));
    d.source_arn = "arn:aws:s3:::" + b.name;
    env().bus.dispatch(std::move(d), [arn](const json::value*, const AwsError* error) {
      if (error) spdlog::warn("s3 notification to {} failed: {}", arn, error->message);
    });
  }
}

boost::asio::awaitable<Output> S3Service::put_bucket_notification(Call& c) {
  std::string bucket(str_or(c.input, "Bucket"));
  BucketRow b = bucket_or_throw(bucket);
  const json::object* in_cfg = opt_obj(c.input, "NotificationConfiguration");
  json::object cfg = in_cfg ? *in_cfg : json::object{};
  validate_notification(cfg);
  bool skip = opt_bool(c.input, "SkipDestinationValidation").value_or(false);
  // S3 validates SQS and SNS destinations by sending them an s3:TestEvent; a Lambda function is
  // checked, never invoked (API_PutBucketNotificationConfiguration.html: "In the case of Lambda
  // destinations, Amazon S3 verifies that the Lambda function permissions grant Amazon S3
  // permission to invoke the function"). Pinned by test_s3_notify.py.
  if (!skip) {
    std::set<std::string> arns;
    for (auto& kind : kKinds)
      if (auto* list = opt_arr(cfg, kind.list))
        for (auto& item : *list)
          if (item.is_object()) arns.insert(std::string(str_or(item.get_object(), kind.arn)));
    std::string host_id = ids::s3_host_id();
    std::string payload = json::serialize(test_event(bucket, c.ctx.request_id, host_id, env().clock.now_seconds()));
    std::vector<std::pair<std::string, std::string>> failures;
    for (auto& arn : arns) {
      auto parsed = Arn::parse(arn);
      if (!parsed || !env().bus.has_target(parsed->service)) continue;  // wired when that service lands
      const bool lambda = parsed->service == "lambda";
      bool failed = false;
      try {
        if (lambda) {
          json::object in{{"FunctionName", arn}};
          co_await env().bus.call("lambda", "GetFunction", std::move(in), parsed->account, parsed->region);
        } else {
          Delivery d = delivery_for(arn, payload, bucket);  // named: see BlockingPool jobs (GCC 12 temporaries)
          co_await env().bus.deliver(d);
        }
      } catch (const std::exception&) {
        failed = true;
      }
      if (failed)
        failures.emplace_back(arn, lambda ? "Not authorized to invoke function [" + arn + "]"
                                          : "Permissions on the destination " +
                                                std::string(parsed->service == "sqs" ? "queue" : "topic") +
                                                " do not allow S3 to publish notifications from this bucket");
    }
    if (!failures.empty()) {
      AwsError e = err::invalid_argument("Unable to validate the following destination configurations",
                                         failures.front().first, failures.front().second);
      e.fields.erase("ArgumentName");
      e.fields.erase("ArgumentValue");
      for (size_t i = 0; i < failures.size(); ++i) {
        e.with("ArgumentName" + std::to_string(i + 1), failures[i].first);
        e.with("ArgumentValue" + std::to_string(i + 1), failures[i].second);
      }
      throw e;
    }
  }
  store_->put_config(bucket, "notification", cfg);
  co_return json::object{};
}

Output S3Service::get_bucket_notification(Call& c) {
  std::string bucket(str_or(c.input, "Bucket"));
  bucket_or_throw(bucket);
  auto v = store_->config(bucket, "notification");
  return v && v->is_object() ? v->as_object() : json::object{};
}

}  // namespace stratus::s3
