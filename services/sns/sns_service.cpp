#include "sns_service.hpp"

#include "errors.hpp"
#include "model.hpp"
#include "signing.hpp"
#include "store.hpp"

#include <stratus/blocking.hpp>
#include <stratus/clock.hpp>
#include <stratus/crypto.hpp>
#include <stratus/ids.hpp>
#include <stratus/strings.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>

namespace stratus::sns {

SnsService::SnsService()
    : Service(ServiceInfo{
          .name = "sns",
          .models = {{"sns", Protocol::query}},
          .signing_names = {"sns"},
          .query_version = "2010-03-31",
          .validation_error_code = "InvalidParameter",
          .max_body = 4ull << 20,
      }) {
  on("CreateTopic", &SnsService::create_topic);
  on("DeleteTopic", &SnsService::delete_topic);
  on("ListTopics", &SnsService::list_topics);
  on("GetTopicAttributes", &SnsService::get_topic_attributes);
  on("SetTopicAttributes", &SnsService::set_topic_attributes);
  on("AddPermission", &SnsService::add_permission);
  on("RemovePermission", &SnsService::remove_permission);
  on("TagResource", &SnsService::tag_resource);
  on("UntagResource", &SnsService::untag_resource);
  on("ListTagsForResource", &SnsService::list_tags_for_resource);
  on("GetDataProtectionPolicy", &SnsService::get_data_protection_policy);
  on("PutDataProtectionPolicy", &SnsService::put_data_protection_policy);
  on("Subscribe", &SnsService::subscribe);
  on("ConfirmSubscription", &SnsService::confirm_subscription);
  on("Unsubscribe", &SnsService::unsubscribe);
  on("ListSubscriptions", &SnsService::list_subscriptions);
  on("ListSubscriptionsByTopic", &SnsService::list_subscriptions_by_topic);
  on("GetSubscriptionAttributes", &SnsService::get_subscription_attributes);
  on("SetSubscriptionAttributes", &SnsService::set_subscription_attributes);
  on("Publish", &SnsService::publish);
  on("PublishBatch", &SnsService::publish_batch);
  on("CreatePlatformApplication", &SnsService::create_platform_application);
  on("DeletePlatformApplication", &SnsService::delete_platform_application);
  on("ListPlatformApplications", &SnsService::list_platform_applications);
  on("GetPlatformApplicationAttributes", &SnsService::get_platform_application_attributes);
  on("SetPlatformApplicationAttributes", &SnsService::set_platform_application_attributes);
  on("CreatePlatformEndpoint", &SnsService::create_platform_endpoint);
  on("DeleteEndpoint", &SnsService::delete_endpoint);
  on("GetEndpointAttributes", &SnsService::get_endpoint_attributes);
  on("SetEndpointAttributes", &SnsService::set_endpoint_attributes);
  on("ListEndpointsByPlatformApplication", &SnsService::list_endpoints_by_platform_application);
  on("SetSMSAttributes", &SnsService::set_sms_attributes);
  on("GetSMSAttributes", &SnsService::get_sms_attributes);
  on("CheckIfPhoneNumberIsOptedOut", &SnsService::check_if_phone_number_is_opted_out);
  on("ListPhoneNumbersOptedOut", &SnsService::list_phone_numbers_opted_out);
  on("OptInPhoneNumber", &SnsService::opt_in_phone_number);
  on("GetSMSSandboxAccountStatus", &SnsService::get_sms_sandbox_account_status);
  on("CreateSMSSandboxPhoneNumber", &SnsService::create_sms_sandbox_phone_number);
  on("DeleteSMSSandboxPhoneNumber", &SnsService::delete_sms_sandbox_phone_number);
  on("VerifySMSSandboxPhoneNumber", &SnsService::verify_sms_sandbox_phone_number);
  on("ListSMSSandboxPhoneNumbers", &SnsService::list_sms_sandbox_phone_numbers);
  on("ListOriginationNumbers", &SnsService::list_origination_numbers);
}

SnsService::~SnsService() = default;

void SnsService::start(Env& env) {
  Service::start(env);
  store_ = std::make_unique<Store>(env.storage.database("sns"));
  env.bus.register_target("sns", [this](const Delivery& d) { return deliver_from_bus(d); });
}

void SnsService::reset() {
  store_->wipe();
  if (signer_) store_->set_signing_key(signer_->key_pem(), signer_->cert_pem());
}

void SnsService::prepare_signer() {
  if (signer_ || key_pending_ || store_->signing_key()) return;
  key_pending_ = true;
  boost::asio::co_spawn(
      env().io,
      [this]() -> boost::asio::awaitable<void> {
        auto pems = co_await env().pool.run([] { return Signer::generate(); });
        key_pending_ = false;
        if (!signer_ && !stopping_) {
          signer_ = std::make_unique<Signer>(pems.first, pems.second);
          store_->set_signing_key(signer_->key_pem(), signer_->cert_pem());
        }
        if (key_ready_) key_ready_->notify_all();
      },
      boost::asio::detached);
}

boost::asio::awaitable<void> SnsService::ensure_signer() {
  if (signer_) co_return;
  if (store_->signing_key()) {
    signer();  // a stored key: parsing it is quick
    co_return;
  }
  prepare_signer();
  if (!key_ready_) key_ready_ = std::make_unique<AsyncEvent>(env().clock);
  while (!signer_ && key_pending_) {
    // The clock's deadline is far away: only the generator's notify (or shutdown) ends the wait.
    bool woken = co_await key_ready_->wait_until(env().clock.now() + std::chrono::hours(1));
    if (!woken) break;
  }
}

Signer& SnsService::signer() {
  if (!signer_) {
    // One signing key per data dir, so subscribers that cached the certificate keep verifying.
    if (auto key = store_->signing_key()) signer_ = std::make_unique<Signer>(key->first, key->second);
    else signer_ = std::make_unique<Signer>("", "");
    store_->set_signing_key(signer_->key_pem(), signer_->cert_pem());
  }
  return *signer_;
}

void SnsService::stop() { stopping_ = true; }

int64_t SnsService::now_ms() const { return env().clock.now_ms(); }

Topic& SnsService::topic_for(const Call& c, std::string_view arn) {
  auto a = Arn::parse(arn);
  if (!a || a->service != "sns" || a->region.empty() || a->account.empty() || a->resource.find(':') != std::string::npos)
    throw err::invalid_parameter("TopicArn");
  Topic* t = store_->topic(arn);
  if (!t) throw err::topic_not_found();
  (void)c;
  return *t;
}

}  // namespace stratus::sns
