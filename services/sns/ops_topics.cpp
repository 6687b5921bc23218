// Topic operations, permissions, tags and data protection policies. AWS documents each at
// https://docs.aws.amazon.com/sns/latest/api/API_<Operation>.html
#include "errors.hpp"
#include "model.hpp"
#include "sns_service.hpp"
#include "store.hpp"

#include <stratus/crypto.hpp>
#include <stratus/strings.hpp>

#include <algorithm>

namespace stratus::sns {

namespace {

constexpr size_t kPageSize = 100;

std::string attr_text(const json::value& v) { return v.is_string() ? std::string(v.get_string()) : json::serialize(v); }

// NextToken: the ARN of the last item of the previous page, base64.
std::optional<std::string> page_after(const json::object& in, std::string_view key = "NextToken") {
  auto t = opt_str(in, key);
  if (!t || t->empty()) return std::nullopt;
  auto raw = crypto::base64_decode(*t);
  if (!raw) throw err::invalid_parameter("NextToken");
  return *raw;
}

json::object tags_to_map(const json::array* list) {
  json::object m;
  if (!list) return m;
  for (auto& t : *list)
    if (t.is_object()) m[str_or(t.as_object(), "Key")] = str_or(t.as_object(), "Value");
  return m;
}

json::array map_to_tags(const json::object& m) {
  json::array out;
  for (auto& [k, v] : m) out.push_back(json::object{{"Key", k}, {"Value", v}});
  return out;
}

void validate_tags(const json::object& tags) {
  for (auto& [k, v] : tags) {
    if (k.empty() || k.size() > 128) throw err::invalid_parameter("Tags Reason: Tag keys must be between 1 and 128 characters");
    if (v.is_string() && v.get_string().size() > 256)
      throw err::invalid_parameter("Tags Reason: Tag values must be between 0 and 256 characters");
  }
  if (tags.size() > 50) throw err::tag_limit();
}

}  // namespace

Output SnsService::create_topic(Call& c) {
  const auto& in = c.input;
  std::string name(str_or(in, "Name"));
  json::object attrs;
  if (auto* a = opt_obj(in, "Attributes")) attrs = *a;
  bool fifo = false;
  if (auto* f = find(attrs, "FifoTopic")) {
    std::string v = attr_text(*f);
    if (iequals(v, "true")) fifo = true;
    else if (!iequals(v, "false")) throw err::invalid_parameter("Attributes Reason: FifoTopic: Invalid value [" + v + "]. Must be true or false.");
  }
  if (fifo && !valid_topic_name(name, true))
    throw err::invalid_parameter(
        "Fifo Topic names must end with .fifo and must be made up of only uppercase and lowercase ASCII letters, "
        "numbers, underscores, and hyphens, and must be between 1 and 256 characters long.");
  if (!fifo && !valid_topic_name(name, false)) throw err::invalid_parameter("Topic Name");
  for (auto& [k, v] : attrs) {
    if (k == "FifoTopic") continue;
    if (!settable_topic_attribute(k, fifo)) throw err::invalid_parameter("Attributes Reason: Unknown attribute " + std::string(k));
    validate_topic_attribute(k, attr_text(v), fifo);
  }
  json::object tags = tags_to_map(opt_arr(in, "Tags"));
  validate_tags(tags);
  std::string dpp(str_or(in, "DataProtectionPolicy"));
  std::string arn = "arn:aws:sns:" + c.ctx.region + ":" + c.ctx.account_id + ":" + name;
  if (Topic* existing = store_->topic(arn)) {
    // Idempotent for the same attributes and tags.
    for (auto& [k, v] : attrs) {
      if (k == "FifoTopic") continue;
      if (attr_text(v) != str_or(existing->attributes, k))
        throw err::invalid_parameter("Attributes Reason: Topic already exists with different attributes");
    }
    for (auto& [k, v] : tags)
      if (auto* have = find(existing->tags, k); !have || *have != v)
        throw err::invalid_parameter("Tags Reason: Topic already exists with different tags");
    return json::object{{"TopicArn", arn}};
  }
  Topic t;
  t.arn = arn;
  t.account = c.ctx.account_id;
  t.region = c.ctx.region;
  t.name = name;
  t.fifo = fifo;
  for (auto& [k, v] : attrs)
    if (k != "FifoTopic") t.attributes[k] = attr_text(v);
  t.tags = std::move(tags);
  t.data_protection_policy = dpp;
  store_->put(std::move(t));
  prepare_signer();
  return json::object{{"TopicArn", arn}};
}

Output SnsService::delete_topic(Call& c) {
  std::string arn(str_or(c.input, "TopicArn"));
  auto a = Arn::parse(arn);
  if (!a || a->service != "sns") throw err::invalid_parameter("TopicArn");
  // Deleting a topic that does not exist succeeds (AWS: the operation is idempotent).
  if (!store_->topic(arn)) return json::object{};
  for (Subscription* s : store_->subscriptions_of(arn)) store_->remove_subscription(std::string(s->arn));
  store_->remove_topic(arn);
  return json::object{};
}

Output SnsService::list_topics(Call& c) {
  auto after = page_after(c.input);
  json::array topics;
  json::object out;
  for (Topic* t : store_->topics(c.ctx.account_id, c.ctx.region)) {
    if (after && t->arn <= *after) continue;
    if (topics.size() == kPageSize) {
      out["NextToken"] = crypto::base64(std::string(str_or(topics.back().as_object(), "TopicArn")));
      break;
    }
    topics.push_back(json::object{{"TopicArn", t->arn}});
  }
  out["Topics"] = std::move(topics);
  return out;
}

Output SnsService::get_topic_attributes(Call& c) {
  Topic& t = topic_for(c, str_or(c.input, "TopicArn"));
  int64_t confirmed = 0, pending = 0;
  for (Subscription* s : store_->subscriptions_of(t.arn)) (s->pending ? pending : confirmed)++;
  json::object a;
  a["Policy"] = std::string(str_or(t.attributes, "Policy", default_topic_policy(t.arn, t.account)));
  a["Owner"] = t.account;
  a["SubscriptionsPending"] = std::to_string(pending);
  a["TopicArn"] = t.arn;
  a["EffectiveDeliveryPolicy"] = std::string(str_or(t.attributes, "DeliveryPolicy", default_effective_delivery_policy()));
  a["SubscriptionsConfirmed"] = std::to_string(confirmed);
  a["DisplayName"] = std::string(str_or(t.attributes, "DisplayName"));
  a["SubscriptionsDeleted"] = "0";
  for (auto& [k, v] : t.attributes)
    if (k != "Policy" && k != "DisplayName") a[k] = v;
  if (t.fifo) {
    a["FifoTopic"] = "true";
    if (!a.contains("ContentBasedDeduplication")) a["ContentBasedDeduplication"] = "false";
  }
  return json::object{{"Attributes", std::move(a)}};
}

Output SnsService::set_topic_attributes(Call& c) {
  Topic& t = topic_for(c, str_or(c.input, "TopicArn"));
  std::string name(str_or(c.input, "AttributeName"));
  std::string value(str_or(c.input, "AttributeValue"));
  if (!settable_topic_attribute(name, t.fifo)) throw err::invalid_parameter("AttributeName");
  try {
    validate_topic_attribute(name, value, t.fifo);
  } catch (AwsError& e) {
    // SetTopicAttributes reports "Invalid parameter: <Name>..." without the "Attributes Reason: ".
    std::string_view m = e.message;
    constexpr std::string_view kReason = "Invalid parameter: Attributes Reason: ";
    if (m.starts_with(kReason)) e.message = "Invalid parameter: " + std::string(m.substr(kReason.size()));
    throw;
  }
  if (value.empty() && name != "DisplayName") t.attributes.erase(name);
  else t.attributes[name] = value;
  store_->save(t);
  return json::object{};
}

Output SnsService::add_permission(Call& c) {
  Topic& t = topic_for(c, str_or(c.input, "TopicArn"));
  std::string label(str_or(c.input, "Label"));
  json::array principals, actions;
  if (auto* ids = opt_arr(c.input, "AWSAccountId"))
    for (auto& id : *ids) principals.push_back(json::string("arn:aws:iam::" + attr_text(id) + ":root"));
  if (auto* acts = opt_arr(c.input, "ActionName"))
    for (auto& a : *acts) actions.push_back(json::string("SNS:" + attr_text(a)));
  if (principals.empty()) throw err::invalid_parameter("AWSAccountId");
  if (actions.empty()) throw err::invalid_parameter("ActionName");
  boost::system::error_code ec;
  json::value policy = json::parse(str_or(t.attributes, "Policy", default_topic_policy(t.arn, t.account)), ec);
  if (ec || !policy.is_object()) policy = json::parse(default_topic_policy(t.arn, t.account));
  auto& p = policy.as_object();
  if (!p["Statement"].is_array()) p["Statement"] = json::array{};
  auto& statements = p["Statement"].as_array();
  for (auto& s : statements)
    if (s.is_object() && str_or(s.as_object(), "Sid") == label) throw err::invalid_parameter("Statement already exists");
  statements.push_back(json::object{{"Sid", label},
                                    {"Effect", "Allow"},
                                    {"Principal", json::object{{"AWS", principals}}},
                                    {"Action", actions},
                                    {"Resource", t.arn}});
  t.attributes["Policy"] = json::serialize(policy);
  store_->save(t);
  return json::object{};
}

Output SnsService::remove_permission(Call& c) {
  Topic& t = topic_for(c, str_or(c.input, "TopicArn"));
  std::string label(str_or(c.input, "Label"));
  boost::system::error_code ec;
  json::value policy = json::parse(str_or(t.attributes, "Policy", default_topic_policy(t.arn, t.account)), ec);
  if (ec || !policy.is_object()) return json::object{};
  auto* statements = policy.as_object().if_contains("Statement");
  if (!statements || !statements->is_array()) return json::object{};
  auto& list = statements->as_array();
  list.erase(std::remove_if(list.begin(), list.end(),
                            [&](const json::value& s) { return s.is_object() && str_or(s.as_object(), "Sid") == label; }),
             list.end());
  t.attributes["Policy"] = json::serialize(policy);
  store_->save(t);
  return json::object{};
}

namespace {
Topic* tagged_resource(Store& store, std::string_view arn) {
  auto a = Arn::parse(arn);
  if (!a || a->service != "sns") throw err::invalid_parameter("ResourceArn");
  Topic* t = store.topic(arn);
  if (!t) throw err::resource_not_found();
  return t;
}
}  // namespace

Output SnsService::tag_resource(Call& c) {
  Topic* t = tagged_resource(*store_, str_or(c.input, "ResourceArn"));
  json::object tags = tags_to_map(opt_arr(c.input, "Tags"));
  json::object merged = t->tags;
  for (auto& [k, v] : tags) merged[k] = v;
  validate_tags(merged);
  t->tags = std::move(merged);
  store_->save(*t);
  return json::object{};
}

Output SnsService::untag_resource(Call& c) {
  Topic* t = tagged_resource(*store_, str_or(c.input, "ResourceArn"));
  if (auto* keys = opt_arr(c.input, "TagKeys"))
    for (auto& k : *keys)
      if (k.is_string()) t->tags.erase(k.get_string());
  store_->save(*t);
  return json::object{};
}

Output SnsService::list_tags_for_resource(Call& c) {
  Topic* t = tagged_resource(*store_, str_or(c.input, "ResourceArn"));
  return json::object{{"Tags", map_to_tags(t->tags)}};
}

Output SnsService::get_data_protection_policy(Call& c) {
  Topic* t = tagged_resource(*store_, str_or(c.input, "ResourceArn"));
  json::object out;
  if (!t->data_protection_policy.empty()) out["DataProtectionPolicy"] = t->data_protection_policy;
  return out;
}

Output SnsService::put_data_protection_policy(Call& c) {
  Topic* t = tagged_resource(*store_, str_or(c.input, "ResourceArn"));
  std::string policy(str_or(c.input, "DataProtectionPolicy"));
  boost::system::error_code ec;
  json::value v = json::parse(policy, ec);
  if (ec || !v.is_object()) throw err::invalid_parameter("DataProtectionPolicy Reason: Policy is not a valid JSON object");
  t->data_protection_policy = policy;
  store_->save(*t);
  return json::object{};
}

}  // namespace stratus::sns
