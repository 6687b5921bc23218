#pragma once
// SNS state in SQLite with an in-memory cache of topics, subscriptions, platform applications and
// endpoints (every Publish reads them); deduplication records, SMS settings and the log of
// recorded deliveries (email, SMS, mobile push) are only in SQLite. Keyed by account and region
// (ARNs carry both).
#include "filter_policy.hpp"

#include <stratus/json.hpp>
#include <stratus/store.hpp>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace stratus::sns {

struct Topic {
  std::string arn, account, region, name;
  bool fifo = false;
  json::object attributes;  // the attributes set by clients (not the computed ones)
  json::object tags;
  std::string data_protection_policy;
  int64_t next_sequence = 0;
};

struct Subscription {
  std::string arn, topic_arn, owner, region, protocol, endpoint;
  json::object attributes;  // set by clients: RawMessageDelivery, FilterPolicy, ...
  bool pending = false;
  std::string token;
  // The parsed FilterPolicy (cache of attributes["FilterPolicy"]).
  std::shared_ptr<FilterPolicy> filter;
};

struct PlatformApp {
  std::string arn, account, region, name, platform;
  json::object attributes;
};

struct PlatformEndpoint {
  std::string arn, app_arn, account, region;
  json::object attributes;  // Token, Enabled, CustomUserData
};

// A delivery SNS cannot make for real (email, SMS, mobile push), kept for GET /_stratus/sns/messages.
struct RecordedDelivery {
  int64_t id = 0;
  std::string account, region, protocol, endpoint, topic_arn, subscription_arn, message_id, message, subject;
  json::object attributes;
  int64_t timestamp_ms = 0;
  std::string kind;  // "Notification", "SubscriptionConfirmation"
};

class Store {
 public:
  explicit Store(store::Database& db);
  void wipe();

  Topic* topic(std::string_view arn);
  std::vector<Topic*> topics(std::string_view account, std::string_view region);  // sorted by ARN
  Topic& put(Topic t);
  void save(const Topic& t);
  void remove_topic(std::string_view arn);

  Subscription* subscription(std::string_view arn);
  std::vector<Subscription*> subscriptions(std::string_view account, std::string_view region);
  std::vector<Subscription*> subscriptions_of(std::string_view topic_arn);
  Subscription& put(Subscription s);
  void save(const Subscription& s);
  void remove_subscription(std::string_view arn);

  PlatformApp* app(std::string_view arn);
  std::vector<PlatformApp*> apps(std::string_view account, std::string_view region);
  PlatformApp& put(PlatformApp a);
  void save(const PlatformApp& a);
  void remove_app(std::string_view arn);

  PlatformEndpoint* endpoint(std::string_view arn);
  std::vector<PlatformEndpoint*> endpoints_of(std::string_view app_arn);
  PlatformEndpoint& put(PlatformEndpoint e);
  void save(const PlatformEndpoint& e);
  void remove_endpoint(std::string_view arn);

  // FIFO deduplication (five minutes).
  struct Dedup {
    std::string message_id, sequence_number;
  };
  std::optional<Dedup> find_dedup(std::string_view topic_arn, std::string_view scope, std::string_view id, int64_t now_ms);
  void put_dedup(std::string_view topic_arn, std::string_view scope, std::string_view id, const Dedup& d, int64_t expires_ms);

  // SMS settings and phone numbers.
  json::object sms_attributes(std::string_view account, std::string_view region);
  void set_sms_attributes(std::string_view account, std::string_view region, const json::object& attrs);
  bool opted_out(std::string_view account, std::string_view region, std::string_view phone);
  void set_opted_out(std::string_view account, std::string_view region, std::string_view phone, bool out);
  std::vector<std::string> opted_out_numbers(std::string_view account, std::string_view region);
  std::map<std::string, std::string> sandbox_numbers(std::string_view account, std::string_view region);
  void set_sandbox_number(std::string_view account, std::string_view region, std::string_view phone,
                          std::optional<std::string> status);

  // Recorded deliveries.
  void record(RecordedDelivery& d);
  std::vector<RecordedDelivery> recorded(std::string_view account, std::string_view region, std::string_view protocol,
                                         std::string_view endpoint);
  int64_t clear_recorded(std::string_view account, std::string_view region);

  // The signing key and certificate (kept so signatures verify across restarts).
  std::optional<std::pair<std::string, std::string>> signing_key();
  void set_signing_key(const std::string& key_pem, const std::string& cert_pem);

 private:
  void load();
  store::Database& db_;
  std::map<std::string, std::unique_ptr<Topic>, std::less<>> topics_;
  std::map<std::string, std::unique_ptr<Subscription>, std::less<>> subs_;
  std::map<std::string, std::unique_ptr<PlatformApp>, std::less<>> apps_;
  std::map<std::string, std::unique_ptr<PlatformEndpoint>, std::less<>> endpoints_;
  uint64_t dedup_puts_ = 0;
};

// The filter policy of a subscription's attributes (nullptr: none), parsed once.
void refresh_filter(Subscription& s);

}  // namespace stratus::sns
