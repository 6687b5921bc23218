#pragma once
// Event notifications as pure functions: configuration validation, event and key-filter
// matching, and AWS's record format
// (https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-content-structure.html).
#include <stratus/json.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace stratus::s3 {

// "s3:ObjectCreated:*" selects "ObjectCreated:Put"; exact names select themselves.
bool event_selected(const json::array& configured, std::string_view event_name);
bool valid_event_name(std::string_view configured);
// Filter.Key.FilterRules prefix/suffix (names case-insensitive).
bool key_filter_matches(const json::object* filter, std::string_view key);
// Throws InvalidArgument like PutBucketNotificationConfiguration; fills in missing Ids.
void validate_notification(json::object& cfg);

struct EventInfo {
  std::string event_name;  // "ObjectCreated:Put"
  std::string region, bucket, bucket_owner;
  std::string key;
  uint64_t size = 0;
  std::string etag;        // without quotes
  std::string version_id;  // "" when the bucket is not versioned
  std::string sequencer;
  std::string request_id, host_id, source_ip, principal;
  double time = 0;
  bool removal = false;    // ObjectRemoved / LifecycleExpiration: no size or eTag
};
json::object event_record(const EventInfo& e, const std::string& configuration_id);
json::object records_message(json::object record);
// The EventBridge event (PutEvents entry: Source, DetailType, Detail, Resources, Time).
json::object eventbridge_entry(const EventInfo& e, const std::string& account);
json::object test_event(const std::string& bucket, const std::string& request_id, const std::string& host_id, double time);

}  // namespace stratus::s3
