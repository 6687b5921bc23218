// Fan-out: filter policies, then per protocol — SQS and Lambda through the integrations bus,
// HTTP/HTTPS with the outgoing client (and retries), email/SMS/mobile push recorded.
// Envelope formats: https://docs.aws.amazon.com/sns/latest/dg/sns-message-and-json-formats.html
#include "errors.hpp"
#include "model.hpp"
#include "signing.hpp"
#include "sns_service.hpp"
#include "store.hpp"

#include <stratus/clock.hpp>
#include <stratus/http_client.hpp>
#include <stratus/ids.hpp>
#include <stratus/strings.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>

namespace stratus::sns {

namespace {

std::string unsubscribe_url(std::string_view endpoint, std::string_view sub_arn) {
  return std::string(endpoint) + "/?Action=Unsubscribe&SubscriptionArn=" + std::string(sub_arn);
}

bool raw_delivery(const Subscription& s) { return iequals(str_or(s.attributes, "RawMessageDelivery"), "true"); }

std::string dead_letter_arn(const Subscription& s) {
  auto text = str_or(s.attributes, "RedrivePolicy");
  if (text.empty()) return {};
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  return !ec && v.is_object() ? std::string(str_or(v.as_object(), "deadLetterTargetArn")) : std::string();
}

// HTTP retries: the subscription's DeliveryPolicy, else the topic's "http" default, else AWS's
// default (3 retries, 20 s apart). https://docs.aws.amazon.com/sns/latest/dg/sns-message-delivery-retries.html
struct HttpRetry {
  int attempts = 4;
  int delay_seconds = 20;
};
HttpRetry http_retry(const Topic& topic, const Subscription& s) {
  HttpRetry r;
  auto apply = [&](const json::object* policy) {
    if (!policy) return;
    if (auto n = opt_int(*policy, "numRetries")) r.attempts = static_cast<int>(std::clamp<int64_t>(*n, 0, 100)) + 1;
    if (auto d = opt_int(*policy, "minDelayTarget")) r.delay_seconds = static_cast<int>(std::clamp<int64_t>(*d, 1, 3600));
  };
  auto parse = [](std::string_view text) {
    boost::system::error_code ec;
    json::value v = text.empty() ? json::value() : json::parse(text, ec);
    return !ec && v.is_object() ? v.as_object() : json::object();
  };
  json::object tp = parse(str_or(topic.attributes, "DeliveryPolicy"));
  if (auto* http = opt_obj(tp, "http")) apply(opt_obj(*http, "defaultHealthyRetryPolicy"));
  json::object sp = parse(str_or(s.attributes, "DeliveryPolicy"));
  apply(opt_obj(sp, "healthyRetryPolicy"));
  return r;
}

bool matches(const Subscription& s, const SnsService::Message& m) {
  if (!s.filter) return true;
  if (str_or(s.attributes, "FilterPolicyScope") == "MessageBody") return s.filter->matches_body(m.message);
  return s.filter->matches_attributes(m.attributes);
}

}  // namespace

std::string SnsService::sign(const Topic& topic, const Message& m) {
  json::object e{{"Type", "Notification"}, {"MessageId", m.message_id}, {"TopicArn", topic.arn}};
  if (!m.subject.empty()) e["Subject"] = m.subject;
  e["Message"] = m.message;
  e["Timestamp"] = iso8601(m.timestamp);
  return signer().sign(string_to_sign(e), str_or(topic.attributes, "SignatureVersion", "1"));
}

json::object SnsService::envelope(const Topic& topic, const Subscription& s, const Message& m, const std::string& text,
                                  const std::string& signature, bool lambda_shape) {
  json::object e;
  e["Type"] = "Notification";
  e["MessageId"] = m.message_id;
  if (m.sequence_number) e["SequenceNumber"] = *m.sequence_number;
  e["TopicArn"] = topic.arn;
  if (!m.subject.empty()) e["Subject"] = m.subject;
  else if (lambda_shape) e["Subject"] = nullptr;
  e["Message"] = text;
  e["Timestamp"] = iso8601(m.timestamp);
  e["SignatureVersion"] = std::string(str_or(topic.attributes, "SignatureVersion", "1"));
  e["Signature"] = signature;
  std::string cert_url = m.endpoint + "/" + signer().cert_file_name();
  e[lambda_shape ? "SigningCertUrl" : "SigningCertURL"] = cert_url;
  e[lambda_shape ? "UnsubscribeUrl" : "UnsubscribeURL"] = unsubscribe_url(m.endpoint, s.arn);
  if (!m.attributes.empty() || lambda_shape) e["MessageAttributes"] = envelope_attributes(m.attributes);
  return e;
}

void SnsService::fan_out(const Topic& topic, const Message& m) {
  std::optional<std::string> signature;
  auto sig = [&]() -> const std::string& {
    if (!signature) signature = sign(topic, m);
    return *signature;
  };
  for (Subscription* s : store_->subscriptions_of(topic.arn)) {
    if (s->pending || !matches(*s, m)) continue;
    try {
      deliver(topic, *s, m, s->protocol == "sqs" && raw_delivery(*s) ? std::string() : sig());
    } catch (const std::exception& e) {
      spdlog::warn("sns: delivery to {} failed: {}", s->arn, e.what());
    }
  }
}

void SnsService::deliver(const Topic& topic, const Subscription& s, const Message& m, const std::string& signature) {
  const std::string& p = s.protocol;
  std::string text = m.structure ? message_for(*m.structure, p) : m.message;
  const bool raw = raw_delivery(s);
  if (p == "sqs" || p == "lambda" || p == "firehose") {
    Delivery d;
    d.target_arn = s.endpoint;
    d.source_arn = topic.arn;
    d.dead_letter_arn = dead_letter_arn(s);
    // In-process endpoints fail only for "client" reasons (queue gone, no permission): AWS sends
    // those to the subscription's DLQ at once instead of retrying.
    d.retry.max_attempts = p == "lambda" ? 3 : 1;
    if (p == "lambda") {
      json::object record{{"EventSource", "aws:sns"},
                          {"EventVersion", "1.0"},
                          {"EventSubscriptionArn", s.arn},
                          {"Sns", envelope(topic, s, m, text, signature, true)}};
      d.payload = json::serialize(json::object{{"Records", json::array{std::move(record)}}});
      d.attributes["InvocationType"] = "Event";
      d.attributes["Source"] = "sns";
    } else if (raw) {
      d.payload = text;
      if (!m.attributes.empty()) d.attributes["MessageAttributes"] = m.attributes;
    } else {
      d.payload = pretty_json(envelope(topic, s, m, text, signature, false));
    }
    if (topic.fifo && p == "sqs") {
      if (m.group_id) d.attributes["MessageGroupId"] = *m.group_id;
      if (m.dedup_id) d.attributes["MessageDeduplicationId"] = *m.dedup_id;
    }
    env().bus.dispatch(std::move(d));
    return;
  }
  if (p == "http" || p == "https") {
    Headers h;
    h.add("x-amz-sns-message-type", "Notification");
    h.add("x-amz-sns-message-id", m.message_id);
    h.add("x-amz-sns-topic-arn", topic.arn);
    h.add("x-amz-sns-subscription-arn", s.arn);
    h.add("Content-Type", "text/plain; charset=UTF-8");
    h.add("User-Agent", "Amazon Simple Notification Service Agent");
    std::string body;
    if (raw) {
      h.add("x-amz-sns-rawdelivery", "true");
      body = text;
    } else {
      body = pretty_json(envelope(topic, s, m, text, signature, false));
    }
    HttpRetry retry = http_retry(topic, s);
    boost::asio::co_spawn(env().io,
                          http_post(s.endpoint, std::move(body), std::move(h), dead_letter_arn(s), topic.arn,
                                    retry.attempts, retry.delay_seconds),
                          boost::asio::detached);
    return;
  }
  if (p == "email-json") {
    record(&s, p, s.endpoint, topic.arn, m, pretty_json(envelope(topic, s, m, text, signature, false)), "Notification");
    return;
  }
  if (p == "application") {
    PlatformEndpoint* e = store_->endpoint(s.endpoint);
    if (!e || str_or(e->attributes, "Enabled", "true") == "false") return;
    PlatformApp* app = store_->app(e->app_arn);
    record(&s, p, s.endpoint, topic.arn, m, m.structure ? message_for(*m.structure, app ? app->platform : "") : text,
           "Notification");
    return;
  }
  record(&s, p, s.endpoint, topic.arn, m, text, "Notification");  // email, sms
}

void SnsService::record(const Subscription* s, std::string_view protocol, std::string_view endpoint,
                        std::string_view topic_arn, const Message& m, std::string_view text, std::string_view kind) {
  RecordedDelivery d;
  if (s) {
    d.account = s->owner;
    d.region = s->region;
    d.subscription_arn = s->arn;
  } else {
    d.account = m.account;
    d.region = m.region;
  }
  if (auto t = Arn::parse(topic_arn)) {
    d.account = t->account;
    d.region = t->region;
  }
  d.protocol = protocol;
  d.endpoint = endpoint;
  d.topic_arn = topic_arn;
  d.message_id = m.message_id;
  d.message = text;
  d.subject = m.subject;
  d.attributes = envelope_attributes(m.attributes);
  d.timestamp_ms = static_cast<int64_t>(m.timestamp * 1000.0);
  d.kind = kind;
  store_->record(d);
}

void SnsService::send_confirmation(const Topic& topic, const Subscription& s, std::string_view endpoint_url,
                                   std::string_view type) {
  Message m;
  m.message_id = ids::uuid4();
  m.timestamp = static_cast<double>(now_ms()) / 1000.0;
  m.endpoint = endpoint_url;
  std::string subscribe_url = std::string(endpoint_url) + "/?Action=ConfirmSubscription&TopicArn=" + topic.arn +
                              "&Token=" + s.token;
  json::object e;
  e["Type"] = std::string(type);
  e["MessageId"] = m.message_id;
  e["Token"] = s.token;
  e["TopicArn"] = topic.arn;
  e["Message"] = type == "SubscriptionConfirmation"
                     ? "You have chosen to subscribe to the topic " + topic.arn +
                           ".\nTo confirm the subscription, visit the SubscribeURL included in this message."
                     : "You have chosen to deactivate subscription " + s.arn +
                           ".\nTo cancel this operation and restore the subscription, visit the SubscribeURL included "
                           "in this message.";
  e["SubscribeURL"] = subscribe_url;
  e["Timestamp"] = iso8601(m.timestamp);
  e["SignatureVersion"] = std::string(str_or(topic.attributes, "SignatureVersion", "1"));
  e["Signature"] = signer().sign(string_to_sign(e), str_or(topic.attributes, "SignatureVersion", "1"));
  e["SigningCertURL"] = std::string(endpoint_url) + "/" + signer().cert_file_name();
  std::string body = pretty_json(e);
  if (s.protocol == "http" || s.protocol == "https") {
    Headers h;
    h.add("x-amz-sns-message-type", std::string(type));
    h.add("x-amz-sns-message-id", m.message_id);
    h.add("x-amz-sns-topic-arn", topic.arn);
    if (type != "SubscriptionConfirmation") h.add("x-amz-sns-subscription-arn", s.arn);
    h.add("Content-Type", "text/plain; charset=UTF-8");
    h.add("User-Agent", "Amazon Simple Notification Service Agent");
    boost::asio::co_spawn(env().io, http_post(s.endpoint, std::move(body), std::move(h), "", topic.arn, 4, 20),
                          boost::asio::detached);
  } else {
    // Email confirmations are recorded with the SubscribeURL a user would click.
    std::string text = s.protocol == "email-json" ? body : std::string(str_or(e, "Message")) + "\n" + subscribe_url;
    record(&s, s.protocol, s.endpoint, topic.arn, m, text, type);
  }
}

boost::asio::awaitable<void> SnsService::http_post(std::string url, std::string body, Headers headers,
                                                   std::string dlq_arn, std::string topic_arn, int attempts,
                                                   int delay_seconds) {
  for (int attempt = 1; attempt <= attempts && !stopping_; ++attempt) {
    int status = 0;
    try {
      HttpClientRequest req;
      req.method = "POST";
      req.url = url;
      req.headers = headers;
      req.body = body;
      req.timeout = std::chrono::seconds(15);
      auto resp = co_await http_request(env().io.get_executor(), std::move(req));
      status = resp.status;
      if (status >= 200 && status < 300) co_return;
    } catch (const std::exception& e) {
      spdlog::debug("sns: POST {} failed: {}", url, e.what());
    }
    // 4xx other than 429 are permanent: AWS does not retry them.
    if (status >= 400 && status < 500 && status != 429) break;
    // Linear retries (on the service clock, so tests can move it).
    if (attempt < attempts && !co_await env().clock.sleep_for(std::chrono::seconds(delay_seconds))) co_return;
  }
  if (!dlq_arn.empty()) {
    Delivery d;
    d.target_arn = dlq_arn;
    d.source_arn = topic_arn;
    d.payload = body;
    env().bus.dispatch(std::move(d));
  }
}

}  // namespace stratus::sns
