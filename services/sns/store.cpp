#include "store.hpp"

#include <spdlog/spdlog.h>

namespace stratus::sns {

namespace {

constexpr store::Migration kMigrations[] = {
    {1, R"sql(
      CREATE TABLE topics (
        arn TEXT PRIMARY KEY,
        account TEXT NOT NULL,
        region TEXT NOT NULL,
        name TEXT NOT NULL,
        fifo INTEGER NOT NULL,
        attributes TEXT NOT NULL,
        tags TEXT NOT NULL,
        data_protection_policy TEXT NOT NULL,
        next_sequence INTEGER NOT NULL
      );
      CREATE TABLE subscriptions (
        arn TEXT PRIMARY KEY,
        topic_arn TEXT NOT NULL,
        owner TEXT NOT NULL,
        region TEXT NOT NULL,
        protocol TEXT NOT NULL,
        endpoint TEXT NOT NULL,
        attributes TEXT NOT NULL,
        pending INTEGER NOT NULL,
        token TEXT NOT NULL
      );
      CREATE TABLE platform_apps (
        arn TEXT PRIMARY KEY,
        account TEXT NOT NULL,
        region TEXT NOT NULL,
        name TEXT NOT NULL,
        platform TEXT NOT NULL,
        attributes TEXT NOT NULL
      );
      CREATE TABLE platform_endpoints (
        arn TEXT PRIMARY KEY,
        app_arn TEXT NOT NULL,
        account TEXT NOT NULL,
        region TEXT NOT NULL,
        attributes TEXT NOT NULL
      );
      CREATE TABLE dedup (
        topic_arn TEXT NOT NULL,
        scope TEXT NOT NULL,
        dedup_id TEXT NOT NULL,
        message_id TEXT NOT NULL,
        sequence_number TEXT NOT NULL,
        expires_ms INTEGER NOT NULL,
        PRIMARY KEY (topic_arn, scope, dedup_id)
      ) WITHOUT ROWID;
      CREATE TABLE sms_attributes (
        account TEXT NOT NULL,
        region TEXT NOT NULL,
        attributes TEXT NOT NULL,
        PRIMARY KEY (account, region)
      );
      CREATE TABLE phone_numbers (
        account TEXT NOT NULL,
        region TEXT NOT NULL,
        phone TEXT NOT NULL,
        kind TEXT NOT NULL,
        status TEXT NOT NULL,
        PRIMARY KEY (account, region, kind, phone)
      );
      CREATE TABLE deliveries (
        id INTEGER PRIMARY KEY,
        account TEXT NOT NULL,
        region TEXT NOT NULL,
        protocol TEXT NOT NULL,
        endpoint TEXT NOT NULL,
        topic_arn TEXT NOT NULL,
        subscription_arn TEXT NOT NULL,
        message_id TEXT NOT NULL,
        message TEXT NOT NULL,
        subject TEXT NOT NULL,
        attributes TEXT NOT NULL,
        timestamp_ms INTEGER NOT NULL,
        kind TEXT NOT NULL
      );
      CREATE TABLE signing_key (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        key_pem TEXT NOT NULL,
        cert_pem TEXT NOT NULL
      );
    )sql"},
};

json::object parse_object(std::string_view text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  return !ec && v.is_object() ? std::move(v.as_object()) : json::object();
}

template <class M, class P>
auto values_sorted(const M& m, P pred) {
  std::vector<typename M::mapped_type::element_type*> out;
  for (auto& [_, v] : m)
    if (pred(*v)) out.push_back(v.get());
  return out;  // std::map iterates in key (ARN) order
}

}  // namespace

void refresh_filter(Subscription& s) {
  s.filter.reset();
  auto text = str_or(s.attributes, "FilterPolicy");
  if (text.empty()) return;
  auto scope = str_or(s.attributes, "FilterPolicyScope") == "MessageBody" ? FilterScope::message_body
                                                                            : FilterScope::message_attributes;
  try {
    s.filter = std::make_shared<FilterPolicy>(FilterPolicy::parse(text, scope));
  } catch (const std::exception& e) {
    spdlog::warn("sns: stored filter policy of {} no longer parses: {}", s.arn, e.what());
  }
}

Store::Store(store::Database& db) : db_(db) {
  db_.migrate(kMigrations);
  load();
}

void Store::wipe() {
  db_.wipe();
  topics_.clear();
  subs_.clear();
  apps_.clear();
  endpoints_.clear();
}

void Store::load() {
  {
    auto c = db_.query("SELECT arn, account, region, name, fifo, attributes, tags, data_protection_policy, next_sequence FROM topics");
    while (c.next()) {
      Topic t{c.str(0), c.str(1), c.str(2), c.str(3), c.i64(4) != 0, parse_object(c.text(5)), parse_object(c.text(6)),
              c.str(7), c.i64(8)};
      std::string key = t.arn;  // not topics_[t.arn] = ...(std::move(t)): the right side runs first
      topics_[key] = std::make_unique<Topic>(std::move(t));
    }
  }
  {
    auto c = db_.query("SELECT arn, topic_arn, owner, region, protocol, endpoint, attributes, pending, token FROM subscriptions");
    while (c.next()) {
      Subscription s{c.str(0), c.str(1), c.str(2), c.str(3), c.str(4), c.str(5), parse_object(c.text(6)), c.i64(7) != 0,
                     c.str(8), nullptr};
      refresh_filter(s);
      std::string key = s.arn;
      subs_[key] = std::make_unique<Subscription>(std::move(s));
    }
  }
  {
    auto c = db_.query("SELECT arn, account, region, name, platform, attributes FROM platform_apps");
    while (c.next()) {
      PlatformApp a{c.str(0), c.str(1), c.str(2), c.str(3), c.str(4), parse_object(c.text(5))};
      std::string key = a.arn;
      apps_[key] = std::make_unique<PlatformApp>(std::move(a));
    }
  }
  auto c = db_.query("SELECT arn, app_arn, account, region, attributes FROM platform_endpoints");
  while (c.next()) {
    PlatformEndpoint e{c.str(0), c.str(1), c.str(2), c.str(3), parse_object(c.text(4))};
    std::string key = e.arn;
    endpoints_[key] = std::make_unique<PlatformEndpoint>(std::move(e));
  }
}

// ---- topics ----

Topic* Store::topic(std::string_view arn) {
  auto it = topics_.find(arn);
  return it == topics_.end() ? nullptr : it->second.get();
}

std::vector<Topic*> Store::topics(std::string_view account, std::string_view region) {
  return values_sorted(topics_, [&](const Topic& t) { return t.account == account && t.region == region; });
}

Topic& Store::put(Topic t) {
  save(t);
  auto& slot = topics_[t.arn];
  slot = std::make_unique<Topic>(std::move(t));
  return *slot;
}

void Store::save(const Topic& t) {
  db_.run("INSERT OR REPLACE INTO topics (arn, account, region, name, fifo, attributes, tags, data_protection_policy, "
          "next_sequence) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
          t.arn, t.account, t.region, t.name, t.fifo, json::serialize(t.attributes), json::serialize(t.tags),
          t.data_protection_policy, t.next_sequence);
}

void Store::remove_topic(std::string_view arn) {
  db_.run("DELETE FROM topics WHERE arn = ?", arn);
  db_.run("DELETE FROM dedup WHERE topic_arn = ?", arn);
  if (auto it = topics_.find(arn); it != topics_.end()) topics_.erase(it);
}

// ---- subscriptions ----

Subscription* Store::subscription(std::string_view arn) {
  auto it = subs_.find(arn);
  return it == subs_.end() ? nullptr : it->second.get();
}

std::vector<Subscription*> Store::subscriptions(std::string_view account, std::string_view region) {
  return values_sorted(subs_, [&](const Subscription& s) { return s.owner == account && s.region == region; });
}

std::vector<Subscription*> Store::subscriptions_of(std::string_view topic_arn) {
  std::vector<Subscription*> out;
  // Subscription ARNs are "<topic ARN>:<id>": they sort together.
  std::string prefix = std::string(topic_arn) + ":";
  for (auto it = subs_.lower_bound(prefix); it != subs_.end() && it->first.starts_with(prefix); ++it)
    if (it->second->topic_arn == topic_arn) out.push_back(it->second.get());
  return out;
}

Subscription& Store::put(Subscription s) {
  save(s);
  auto& slot = subs_[s.arn];
  slot = std::make_unique<Subscription>(std::move(s));
  return *slot;
}

void Store::save(const Subscription& s) {
  db_.run("INSERT OR REPLACE INTO subscriptions (arn, topic_arn, owner, region, protocol, endpoint, attributes, pending, "
          "token) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
          s.arn, s.topic_arn, s.owner, s.region, s.protocol, s.endpoint, json::serialize(s.attributes), s.pending,
          s.token);
}

void Store::remove_subscription(std::string_view arn) {
  db_.run("DELETE FROM subscriptions WHERE arn = ?", arn);
  if (auto it = subs_.find(arn); it != subs_.end()) subs_.erase(it);
}

// ---- platform applications and endpoints ----

PlatformApp* Store::app(std::string_view arn) {
  auto it = apps_.find(arn);
  return it == apps_.end() ? nullptr : it->second.get();
}

std::vector<PlatformApp*> Store::apps(std::string_view account, std::string_view region) {
  return values_sorted(apps_, [&](const PlatformApp& a) { return a.account == account && a.region == region; });
}

PlatformApp& Store::put(PlatformApp a) {
  save(a);
  auto& slot = apps_[a.arn];
  slot = std::make_unique<PlatformApp>(std::move(a));
  return *slot;
}

void Store::save(const PlatformApp& a) {
  db_.run("INSERT OR REPLACE INTO platform_apps (arn, account, region, name, platform, attributes) VALUES (?, ?, ?, ?, ?, ?)",
          a.arn, a.account, a.region, a.name, a.platform, json::serialize(a.attributes));
}

void Store::remove_app(std::string_view arn) {
  for (auto* e : endpoints_of(arn)) remove_endpoint(std::string(e->arn));
  db_.run("DELETE FROM platform_apps WHERE arn = ?", arn);
  if (auto it = apps_.find(arn); it != apps_.end()) apps_.erase(it);
}

PlatformEndpoint* Store::endpoint(std::string_view arn) {
  auto it = endpoints_.find(arn);
  return it == endpoints_.end() ? nullptr : it->second.get();
}

std::vector<PlatformEndpoint*> Store::endpoints_of(std::string_view app_arn) {
  return values_sorted(endpoints_, [&](const PlatformEndpoint& e) { return e.app_arn == app_arn; });
}

PlatformEndpoint& Store::put(PlatformEndpoint e) {
  save(e);
  auto& slot = endpoints_[e.arn];
  slot = std::make_unique<PlatformEndpoint>(std::move(e));
  return *slot;
}

void Store::save(const PlatformEndpoint& e) {
  db_.run("INSERT OR REPLACE INTO platform_endpoints (arn, app_arn, account, region, attributes) VALUES (?, ?, ?, ?, ?)",
          e.arn, e.app_arn, e.account, e.region, json::serialize(e.attributes));
}

void Store::remove_endpoint(std::string_view arn) {
  db_.run("DELETE FROM platform_endpoints WHERE arn = ?", arn);
  if (auto it = endpoints_.find(arn); it != endpoints_.end()) endpoints_.erase(it);
}

// ---- deduplication ----

std::optional<Store::Dedup> Store::find_dedup(std::string_view topic_arn, std::string_view scope, std::string_view id,
                                              int64_t now_ms) {
  auto c = db_.query("SELECT message_id, sequence_number FROM dedup WHERE topic_arn = ? AND scope = ? AND dedup_id = ? "
                     "AND expires_ms > ?",
                     topic_arn, scope, id, now_ms);
  if (!c.next()) return std::nullopt;
  return Dedup{c.str(0), c.str(1)};
}

void Store::put_dedup(std::string_view topic_arn, std::string_view scope, std::string_view id, const Dedup& d,
                      int64_t expires_ms) {
  db_.run("INSERT OR REPLACE INTO dedup (topic_arn, scope, dedup_id, message_id, sequence_number, expires_ms) VALUES "
          "(?, ?, ?, ?, ?, ?)",
          topic_arn, scope, id, d.message_id, d.sequence_number, expires_ms);
  if (++dedup_puts_ % 512 == 0) db_.run("DELETE FROM dedup WHERE expires_ms <= ?", expires_ms - 5 * 60 * 1000);
}

// ---- SMS ----

json::object Store::sms_attributes(std::string_view account, std::string_view region) {
  auto c = db_.query("SELECT attributes FROM sms_attributes WHERE account = ? AND region = ?", account, region);
  return c.next() ? parse_object(c.text(0)) : json::object();
}

void Store::set_sms_attributes(std::string_view account, std::string_view region, const json::object& attrs) {
  db_.run("INSERT OR REPLACE INTO sms_attributes (account, region, attributes) VALUES (?, ?, ?)", account, region,
          json::serialize(attrs));
}

bool Store::opted_out(std::string_view account, std::string_view region, std::string_view phone) {
  auto c = db_.query("SELECT 1 FROM phone_numbers WHERE account = ? AND region = ? AND kind = 'opted-out' AND phone = ?",
                     account, region, phone);
  return c.next();
}

void Store::set_opted_out(std::string_view account, std::string_view region, std::string_view phone, bool out) {
  if (out)
    db_.run("INSERT OR REPLACE INTO phone_numbers (account, region, phone, kind, status) VALUES (?, ?, ?, 'opted-out', '')",
            account, region, phone);
  else
    db_.run("DELETE FROM phone_numbers WHERE account = ? AND region = ? AND kind = 'opted-out' AND phone = ?", account,
            region, phone);
}

std::vector<std::string> Store::opted_out_numbers(std::string_view account, std::string_view region) {
  std::vector<std::string> out;
  auto c = db_.query("SELECT phone FROM phone_numbers WHERE account = ? AND region = ? AND kind = 'opted-out' ORDER BY phone",
                     account, region);
  while (c.next()) out.push_back(c.str(0));
  return out;
}

std::map<std::string, std::string> Store::sandbox_numbers(std::string_view account, std::string_view region) {
  std::map<std::string, std::string> out;
  auto c = db_.query("SELECT phone, status FROM phone_numbers WHERE account = ? AND region = ? AND kind = 'sandbox'",
                     account, region);
  while (c.next()) out[c.str(0)] = c.str(1);
  return out;
}

void Store::set_sandbox_number(std::string_view account, std::string_view region, std::string_view phone,
                               std::optional<std::string> status) {
  if (status)
    db_.run("INSERT OR REPLACE INTO phone_numbers (account, region, phone, kind, status) VALUES (?, ?, ?, 'sandbox', ?)",
            account, region, phone, *status);
  else
    db_.run("DELETE FROM phone_numbers WHERE account = ? AND region = ? AND kind = 'sandbox' AND phone = ?", account,
            region, phone);
}

// ---- recorded deliveries ----

void Store::record(RecordedDelivery& d) {
  db_.run("INSERT INTO deliveries (account, region, protocol, endpoint, topic_arn, subscription_arn, message_id, "
          "message, subject, attributes, timestamp_ms, kind) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
          d.account, d.region, d.protocol, d.endpoint, d.topic_arn, d.subscription_arn, d.message_id, d.message,
          d.subject, json::serialize(d.attributes), d.timestamp_ms, d.kind);
  d.id = db_.last_insert_rowid();
}

std::vector<RecordedDelivery> Store::recorded(std::string_view account, std::string_view region,
                                              std::string_view protocol, std::string_view endpoint) {
  std::vector<RecordedDelivery> out;
  auto c = db_.query("SELECT id, account, region, protocol, endpoint, topic_arn, subscription_arn, message_id, message, "
                     "subject, attributes, timestamp_ms, kind FROM deliveries WHERE (? = '' OR account = ?) AND "
                     "(? = '' OR region = ?) AND (? = '' OR protocol = ?) AND (? = '' OR endpoint = ?) ORDER BY id",
                     account, account, region, region, protocol, protocol, endpoint, endpoint);
  while (c.next()) {
    RecordedDelivery d;
    d.id = c.i64(0);
    d.account = c.str(1);
    d.region = c.str(2);
    d.protocol = c.str(3);
    d.endpoint = c.str(4);
    d.topic_arn = c.str(5);
    d.subscription_arn = c.str(6);
    d.message_id = c.str(7);
    d.message = c.str(8);
    d.subject = c.str(9);
    d.attributes = parse_object(c.text(10));
    d.timestamp_ms = c.i64(11);
    d.kind = c.str(12);
    out.push_back(std::move(d));
  }
  return out;
}

int64_t Store::clear_recorded(std::string_view account, std::string_view region) {
  return db_.run("DELETE FROM deliveries WHERE (? = '' OR account = ?) AND (? = '' OR region = ?)", account, account,
                 region, region);
}

std::optional<std::pair<std::string, std::string>> Store::signing_key() {
  auto c = db_.query("SELECT key_pem, cert_pem FROM signing_key WHERE id = 1");
  if (!c.next()) return std::nullopt;
  return std::make_pair(c.str(0), c.str(1));
}

void Store::set_signing_key(const std::string& key_pem, const std::string& cert_pem) {
  db_.run("INSERT OR REPLACE INTO signing_key (id, key_pem, cert_pem) VALUES (1, ?, ?)", key_pem, cert_pem);
}

}  // namespace stratus::sns
