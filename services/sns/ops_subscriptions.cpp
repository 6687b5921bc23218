// Subscriptions: Subscribe (with confirmation for http/https/email), ConfirmSubscription,
// Unsubscribe, listing and attributes. https://docs.aws.amazon.com/sns/latest/api/API_Subscribe.html
#include "errors.hpp"
#include "model.hpp"
#include "sns_service.hpp"
#include "store.hpp"

#include <stratus/bus.hpp>
#include <stratus/crypto.hpp>
#include <stratus/ids.hpp>
#include <stratus/strings.hpp>

namespace stratus::sns {

namespace {

constexpr size_t kPageSize = 100;

std::string attr_text(const json::value& v) { return v.is_string() ? std::string(v.get_string()) : json::serialize(v); }

// Validates one subscription attribute. `context` is "Attributes Reason: " for Subscribe.
void validate_subscription_attribute(std::string_view name, const std::string& value, std::string_view protocol,
                                     const json::object& others, const std::string& context) {
  auto fail = [&](const std::string& what) { throw err::invalid_parameter(context + what); };
  if (name == "RawMessageDelivery") {
    if (!iequals(value, "true") && !iequals(value, "false"))
      fail("RawMessageDelivery: Invalid value [" + value + "]. Must be true or false.");
    if (iequals(value, "true") && protocol != "sqs" && protocol != "http" && protocol != "https" && protocol != "firehose")
      fail("Delivery protocol [" + std::string(protocol) + "] does not support raw message delivery.");
  } else if (name == "FilterPolicyScope") {
    if (value != "MessageAttributes" && value != "MessageBody")
      fail("FilterPolicyScope: Invalid filter policy scope, please specify MessageAttributes or MessageBody");
  } else if (name == "FilterPolicy") {
    if (value.empty()) return;
    auto scope = str_or(others, "FilterPolicyScope") == "MessageBody" ? FilterScope::message_body
                                                                        : FilterScope::message_attributes;
    FilterPolicy::parse(value, scope, context);
  } else if (name == "RedrivePolicy") {
    if (value.empty()) return;
    boost::system::error_code ec;
    json::value v = json::parse(value, ec);
    if (ec || !v.is_object()) fail("RedrivePolicy: Redrive policy is not a valid JSON map");
    auto target = str_or(v.as_object(), "deadLetterTargetArn");
    if (target.empty()) fail("RedrivePolicy: deadLetterTargetArn is missing");
    auto a = Arn::parse(target);
    if (!a || a->service != "sqs") fail("RedrivePolicy: Invalid deadLetterTargetArn");
  } else if (name == "DeliveryPolicy" || name == "ReplayPolicy") {
    if (value.empty()) return;
    boost::system::error_code ec;
    json::value v = json::parse(value, ec);
    if (ec || !v.is_object()) fail(std::string(name) + ": failed to parse JSON");
  }
}

json::object subscription_entry(const Subscription& s) {
  return json::object{{"SubscriptionArn", s.pending ? std::string("PendingConfirmation") : s.arn},
                      {"Owner", s.owner},
                      {"Protocol", s.protocol},
                      {"Endpoint", s.endpoint},
                      {"TopicArn", s.topic_arn}};
}

json::object list_page(const std::vector<Subscription*>& subs, const json::object& in) {
  std::optional<std::string> after;
  if (auto t = opt_str(in, "NextToken"); t && !t->empty()) {
    auto raw = crypto::base64_decode(*t);
    if (!raw) throw err::invalid_parameter("NextToken");
    after = *raw;
  }
  json::array list;
  json::object out;
  std::string last;
  for (Subscription* s : subs) {
    if (after && s->arn <= *after) continue;
    if (list.size() == kPageSize) {
      out["NextToken"] = crypto::base64(last);
      break;
    }
    list.push_back(subscription_entry(*s));
    last = s->arn;
  }
  out["Subscriptions"] = std::move(list);
  return out;
}

}  // namespace

Output SnsService::subscribe(Call& c) {
  const auto& in = c.input;
  Topic& topic = topic_for(c, str_or(in, "TopicArn"));
  std::string protocol(str_or(in, "Protocol"));
  std::string endpoint(str_or(in, "Endpoint"));
  if (!known_protocol(protocol))
    throw err::invalid_parameter("Amazon SNS does not support this protocol string: " + protocol);
  if (endpoint.empty()) throw err::invalid_parameter("Endpoint");
  validate_endpoint(protocol, endpoint);
  if (protocol == "sqs") {
    bool fifo_queue = endpoint.ends_with(".fifo");
    if (topic.fifo && !fifo_queue) throw err::invalid_parameter("Invalid parameter: Endpoint Reason: Please use FIFO SQS queue");
    if (!topic.fifo && fifo_queue)
      throw err::invalid_parameter("Invalid parameter: Endpoint Reason: FIFO SQS Queues can not be subscribed to standard SNS topics");
  } else if (topic.fifo && protocol != "sqs" && protocol != "lambda" && protocol != "firehose" && protocol != "http" &&
             protocol != "https") {
    throw err::invalid_parameter("Invalid parameter: Endpoint Reason: FIFO topics support only SQS, Lambda, Firehose, HTTP and HTTPS subscriptions");
  }
  json::object attrs;
  if (auto* a = opt_obj(in, "Attributes"))
    for (auto& [k, v] : *a) attrs[k] = attr_text(v);
  for (auto& [k, v] : attrs) {
    if (!settable_subscription_attribute(k)) throw err::invalid_parameter("Attributes Reason: Unknown attribute " + std::string(k));
    validate_subscription_attribute(k, std::string(v.get_string()), protocol, attrs, "Attributes Reason: ");
  }
  bool return_arn = opt_bool(in, "ReturnSubscriptionArn").value_or(false);
  for (Subscription* s : store_->subscriptions_of(topic.arn)) {
    if (s->protocol != protocol || s->endpoint != endpoint) continue;
    for (auto& [k, v] : attrs)
      if (str_or(s->attributes, k) != v.get_string())
        throw err::invalid_parameter("Attributes Reason: Subscription already exists with different attributes");
    return json::object{{"SubscriptionArn", s->pending && !return_arn ? std::string("pending confirmation") : s->arn}};
  }
  Subscription s;
  s.arn = topic.arn + ":" + ids::uuid4();
  s.topic_arn = topic.arn;
  s.owner = c.ctx.account_id;
  s.region = topic.region;
  s.protocol = protocol;
  s.endpoint = endpoint;
  s.attributes = std::move(attrs);
  s.pending = needs_confirmation(protocol);
  s.token = crypto::hex(crypto::random_bytes(32)) + crypto::hex(crypto::random_bytes(32)) +
            crypto::hex(crypto::random_bytes(30));  // 188 hex digits, like AWS's tokens
  refresh_filter(s);
  Subscription& saved = store_->put(std::move(s));
  if (saved.pending) send_confirmation(topic, saved, c.ctx.endpoint, "SubscriptionConfirmation");
  return json::object{{"SubscriptionArn", saved.pending && !return_arn ? std::string("pending confirmation") : saved.arn}};
}

Output SnsService::confirm_subscription(Call& c) {
  Topic& topic = topic_for(c, str_or(c.input, "TopicArn"));
  std::string token(str_or(c.input, "Token"));
  for (Subscription* s : store_->subscriptions_of(topic.arn)) {
    if (s->token != token) continue;
    if (s->pending) {
      s->pending = false;
      store_->save(*s);
    }
    return json::object{{"SubscriptionArn", s->arn}};
  }
  throw err::invalid_parameter("Invalid token");
}

Output SnsService::unsubscribe(Call& c) {
  std::string arn(str_or(c.input, "SubscriptionArn"));
  auto a = Arn::parse(arn);
  if (!a || a->service != "sns" || a->resource.find(':') == std::string::npos) throw err::invalid_parameter("SubscriptionArn");
  Subscription* s = store_->subscription(arn);
  if (!s) throw err::subscription_not_found();
  if ((s->protocol == "http" || s->protocol == "https") && !s->pending)
    if (Topic* t = store_->topic(s->topic_arn)) send_confirmation(*t, *s, c.ctx.endpoint, "UnsubscribeConfirmation");
  store_->remove_subscription(arn);
  return json::object{};
}

Output SnsService::list_subscriptions(Call& c) {
  return list_page(store_->subscriptions(c.ctx.account_id, c.ctx.region), c.input);
}

Output SnsService::list_subscriptions_by_topic(Call& c) {
  Topic& topic = topic_for(c, str_or(c.input, "TopicArn"));
  return list_page(store_->subscriptions_of(topic.arn), c.input);
}

Output SnsService::get_subscription_attributes(Call& c) {
  std::string arn(str_or(c.input, "SubscriptionArn"));
  auto a = Arn::parse(arn);
  if (!a || a->service != "sns") throw err::invalid_parameter("SubscriptionArn");
  Subscription* s = store_->subscription(arn);
  if (!s) throw err::subscription_not_found();
  json::object out;
  out["Owner"] = s->owner;
  out["RawMessageDelivery"] = to_lower(str_or(s->attributes, "RawMessageDelivery", "false"));
  out["TopicArn"] = s->topic_arn;
  out["Endpoint"] = s->endpoint;
  out["Protocol"] = s->protocol;
  out["PendingConfirmation"] = s->pending ? "true" : "false";
  out["ConfirmationWasAuthenticated"] = s->pending ? "false" : "true";
  out["SubscriptionArn"] = s->arn;
  out["SubscriptionPrincipal"] = "arn:aws:iam::" + s->owner + ":root";
  for (auto& [k, v] : s->attributes)
    if (k != "RawMessageDelivery") out[k] = v;
  if (s->attributes.contains("FilterPolicy") && !s->attributes.contains("FilterPolicyScope"))
    out["FilterPolicyScope"] = "MessageAttributes";
  if (s->protocol == "http" || s->protocol == "https")
    out["EffectiveDeliveryPolicy"] = std::string(str_or(s->attributes, "DeliveryPolicy", default_effective_delivery_policy()));
  return json::object{{"Attributes", std::move(out)}};
}

Output SnsService::set_subscription_attributes(Call& c) {
  std::string arn(str_or(c.input, "SubscriptionArn"));
  auto a = Arn::parse(arn);
  if (!a || a->service != "sns") throw err::invalid_parameter("SubscriptionArn");
  Subscription* s = store_->subscription(arn);
  if (!s) throw err::subscription_not_found();
  std::string name(str_or(c.input, "AttributeName"));
  std::string value(str_or(c.input, "AttributeValue"));
  if (!settable_subscription_attribute(name)) throw err::invalid_parameter("AttributeName");
  json::object next = s->attributes;
  if (value.empty() && name != "RawMessageDelivery") next.erase(name);
  else next[name] = value;
  // A scope change re-validates the policy under the new scope.
  validate_subscription_attribute(name, value, s->protocol, next, "");
  if (name == "FilterPolicyScope" && next.contains("FilterPolicy"))
    validate_subscription_attribute("FilterPolicy", std::string(str_or(next, "FilterPolicy")), s->protocol, next, "");
  s->attributes = std::move(next);
  refresh_filter(*s);
  store_->save(*s);
  return json::object{};
}

}  // namespace stratus::sns
