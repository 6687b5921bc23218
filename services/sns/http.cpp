// SNS on the Stratus port outside the API: the signing certificate (SigningCertURL), the
// SubscribeURL / UnsubscribeURL links subscribers follow (plain GETs with Action=...), and the
// log of recorded deliveries — GET/DELETE /_stratus/sns/messages, plus LocalStack's
// /_aws/sns/{sms-messages,platform-endpoint-messages,subscription-tokens/<arn>} for users switching.
#include "model.hpp"
#include "signing.hpp"
#include "sns_service.hpp"
#include "store.hpp"

#include <stratus/clock.hpp>
#include <stratus/strings.hpp>

namespace stratus::sns {

namespace {

HttpResponse json_response(int status, const json::value& v) {
  HttpResponse r;
  r.status = status;
  r.headers.add("Content-Type", "application/json");
  r.body = Payload(json::serialize(v));
  return r;
}

std::string query_or(const HttpRequest& req, std::string_view name) {
  auto* v = req.query_param(name);
  return v ? *v : std::string();
}

json::object delivery_json(const RecordedDelivery& d) {
  json::object o{{"Type", d.kind},
                 {"Protocol", d.protocol},
                 {"Endpoint", d.endpoint},
                 {"MessageId", d.message_id},
                 {"Message", d.message},
                 {"Timestamp", iso8601(static_cast<double>(d.timestamp_ms) / 1000.0)},
                 {"Account", d.account},
                 {"Region", d.region}};
  if (!d.topic_arn.empty()) o["TopicArn"] = d.topic_arn;
  if (!d.subscription_arn.empty()) o["SubscriptionArn"] = d.subscription_arn;
  if (!d.subject.empty()) o["Subject"] = d.subject;
  if (!d.attributes.empty()) o["MessageAttributes"] = d.attributes;
  return o;
}

}  // namespace

Service::Claim SnsService::claim(HttpRequest& req) const {
  std::string_view path = req.path;
  if (path.starts_with("/_stratus/sns/") || path.starts_with("/_aws/sns/")) return Claim::http;
  if (req.method != "GET") return Claim::none;
  if (path.starts_with("/SimpleNotificationService-") && path.ends_with(".pem")) return Claim::http;
  // The links in confirmation messages and envelopes: GET /?Action=ConfirmSubscription|Unsubscribe&...
  if (path == "/" && !req.has_query("Version") && !req.header("authorization")) {
    if (auto* action = req.query_param("Action"); action && (*action == "ConfirmSubscription" || *action == "Unsubscribe"))
      return Claim::model;
  }
  return Claim::none;
}

boost::asio::awaitable<HttpResponse> SnsService::handle_http(RequestContext& ctx, HttpRequest& req) {
  (void)ctx;
  std::string_view path = req.path;
  if (path.starts_with("/SimpleNotificationService-")) {
    HttpResponse r;
    if (path.substr(1) != signer().cert_file_name()) {
      r.status = 404;
      co_return r;
    }
    r.headers.add("Content-Type", "application/x-pem-file");
    r.body = Payload(signer().cert_pem());
    co_return r;
  }
  const std::string account = query_or(req, "accountId").empty() ? query_or(req, "account") : query_or(req, "accountId");
  const std::string region = query_or(req, "region");
  if (path == "/_stratus/sns/messages") {
    if (req.method == "DELETE") {
      int64_t n = store_->clear_recorded(account, region);
      co_return json_response(200, json::object{{"deleted", n}});
    }
    if (req.method != "GET") co_return json_response(405, json::object{{"message", "use GET or DELETE"}});
    json::array list;
    for (auto& d : store_->recorded(account, region, query_or(req, "protocol"), query_or(req, "endpoint")))
      list.push_back(delivery_json(d));
    co_return json_response(200, json::object{{"messages", std::move(list)}});
  }
  if (path == "/_aws/sns/sms-messages" || path == "/_aws/sns/platform-endpoint-messages") {
    const bool sms = path == "/_aws/sns/sms-messages";
    const char* key = sms ? "sms_messages" : "platform_endpoint_messages";
    if (req.method == "DELETE") {
      store_->clear_recorded(account, region);
      HttpResponse r;
      r.status = 204;
      co_return r;
    }
    json::object grouped;
    for (auto& d : store_->recorded(account, region, sms ? "sms" : "application", query_or(req, sms ? "phoneNumber" : "endpointArn"))) {
      json::object m{{"MessageId", d.message_id}, {"Message", d.message}, {"MessageAttributes", d.attributes}};
      m[sms ? "PhoneNumber" : "TargetArn"] = d.endpoint;
      if (!d.topic_arn.empty()) m["TopicArn"] = d.topic_arn;
      if (!d.subscription_arn.empty()) m["SubscriptionArn"] = d.subscription_arn;
      if (!d.subject.empty()) m["Subject"] = d.subject;
      auto& slot = grouped[d.endpoint];
      if (!slot.is_array()) slot = json::array{};
      slot.as_array().push_back(std::move(m));
    }
    co_return json_response(200, json::object{{key, std::move(grouped)}, {"region", region.empty() ? "us-east-1" : region}});
  }
  constexpr std::string_view kTokens = "/_aws/sns/subscription-tokens/";
  if (path.starts_with(kTokens)) {
    std::string arn = url_decode(path.substr(kTokens.size()));
    Subscription* s = store_->subscription(arn);
    if (!s) co_return json_response(404, json::object{{"error", "The requested SubscriptionArn does not exist."}, {"subscription_arn", arn}});
    co_return json_response(200, json::object{{"subscription_token", s->token}, {"subscription_arn", s->arn}});
  }
  co_return json_response(404, json::object{{"message", "Not Found: " + std::string(path)}});
}

}  // namespace stratus::sns
