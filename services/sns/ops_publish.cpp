// Publish and PublishBatch: validation, FIFO deduplication and sequencing, then fan-out
// (delivery.cpp). https://docs.aws.amazon.com/sns/latest/api/API_Publish.html
#include "errors.hpp"
#include "model.hpp"
#include "sns_service.hpp"
#include "store.hpp"

#include <stratus/bus.hpp>
#include <stratus/clock.hpp>
#include <stratus/crypto.hpp>
#include <stratus/ids.hpp>
#include <stratus/strings.hpp>

#include <set>

namespace stratus::sns {

namespace {

void validate_subject(const std::optional<std::string>& subject) {
  if (!subject) return;
  // ASCII text without line breaks, up to 100 characters, not empty.
  bool ok = !subject->empty() && subject->size() <= 100;
  for (unsigned char ch : *subject) ok = ok && ch >= 0x20 && ch < 0x7f;
  if (!ok) throw err::invalid_parameter("Subject");
}

bool valid_batch_id(std::string_view id) {
  if (id.empty() || id.size() > 80) return false;
  for (char ch : id)
    if (!std::isalnum(static_cast<unsigned char>(ch)) && ch != '-' && ch != '_') return false;
  return true;
}

bool valid_fifo_id(std::string_view id) {
  if (id.empty() || id.size() > 128) return false;
  for (unsigned char ch : id)
    if (ch < 0x21 || ch > 0x7e) return false;
  return true;
}

}  // namespace

SnsService::Message SnsService::prepare(const Call& c, Topic& topic, const json::object& in) {
  Message m;
  m.message = std::string(str_or(in, "Message"));
  if (m.message.empty()) throw err::invalid_parameter("Empty message");
  auto subject = opt_str(in, "Subject");
  validate_subject(subject);
  if (subject) m.subject = *subject;
  if (auto structure = opt_str(in, "MessageStructure")) {
    if (*structure != "json") throw err::invalid_parameter("MessageStructure");
    m.structure = parse_message_structure(m.message);
  }
  if (auto* a = opt_obj(in, "MessageAttributes")) m.attributes = *a;
  validate_message_attributes(m.attributes);
  if (static_cast<int64_t>(m.message.size()) + message_attributes_size(m.attributes) > kMaxMessageBytes)
    throw err::invalid_parameter("Message too long");
  m.group_id = opt_str(in, "MessageGroupId");
  m.dedup_id = opt_str(in, "MessageDeduplicationId");
  if (topic.fifo) {
    if (!m.group_id) throw err::invalid_parameter("The MessageGroupId parameter is required for FIFO topics");
    if (!valid_fifo_id(*m.group_id))
      throw err::invalid_parameter("MessageGroupId Reason: MessageGroupId can only include alphanumeric and punctuation characters. 1 to 128 in length.");
    if (m.dedup_id) {
      if (!valid_fifo_id(*m.dedup_id))
        throw err::invalid_parameter("MessageDeduplicationId Reason: MessageDeduplicationId can only include alphanumeric and punctuation characters. 1 to 128 in length.");
    } else if (str_or(topic.attributes, "ContentBasedDeduplication") == "true") {
      // The hash covers the message only (not subject or attributes), as AWS documents.
      m.dedup_id = crypto::sha256_hex(m.message);
    } else {
      throw err::invalid_parameter(
          "The topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly");
    }
  } else {
    if (m.dedup_id)
      throw err::invalid_parameter("MessageDeduplicationId Reason: The request includes MessageDeduplicationId parameter that is not valid for this topic type");
    if (m.group_id)
      throw err::invalid_parameter("MessageGroupId Reason: The request includes MessageGroupId parameter that is not valid for this topic type");
  }
  m.message_id = ids::uuid4();
  m.timestamp = static_cast<double>(now_ms()) / 1000.0;
  m.endpoint = c.ctx.endpoint;
  m.account = c.ctx.account_id;
  m.region = c.ctx.region;
  return m;
}

bool SnsService::deduplicate(Topic& topic, Message& m) {
  if (!topic.fifo) return false;
  std::string scope = str_or(topic.attributes, "FifoThroughputScope") == "MessageGroup" ? *m.group_id : "";
  const int64_t now = now_ms();
  // A duplicate within five minutes is accepted and answered with the original's ids, not delivered.
  if (auto dup = store_->find_dedup(topic.arn, scope, *m.dedup_id, now)) {
    m.message_id = dup->message_id;
    m.sequence_number = dup->sequence_number;
    return true;
  }
  m.sequence_number = std::to_string(10000000000000000000ULL + static_cast<uint64_t>(++topic.next_sequence) * 1000ULL);
  store_->save(topic);
  store_->put_dedup(topic.arn, scope, *m.dedup_id, {m.message_id, *m.sequence_number}, now + kDedupWindowMs);
  return false;
}

boost::asio::awaitable<Output> SnsService::publish(Call& c) {
  if (!signer_) co_await ensure_signer();
  co_return publish_now(c);
}

boost::asio::awaitable<Output> SnsService::publish_batch(Call& c) {
  if (!signer_) co_await ensure_signer();
  co_return publish_batch_now(c);
}

Output SnsService::publish_now(Call& c) {
  const auto& in = c.input;
  auto topic_arn = opt_str(in, "TopicArn");
  auto target_arn = opt_str(in, "TargetArn");
  auto phone = opt_str(in, "PhoneNumber");
  int targets = (topic_arn ? 1 : 0) + (target_arn ? 1 : 0) + (phone ? 1 : 0);
  if (targets == 0) throw err::invalid_parameter("TopicArn or TargetArn Reason: no value for required parameter");
  if (targets > 1)
    throw err::invalid_parameter("TopicArn or TargetArn Reason: Only one of TopicArn, TargetArn or PhoneNumber may be specified");

  if (phone || (target_arn && Arn::parse(*target_arn) && Arn::parse(*target_arn)->resource.starts_with("endpoint/"))) {
    // SMS and mobile push: validated like a topic message, then recorded.
    Topic scratch;
    Message m = prepare(c, scratch, in);
    if (phone) {
      if (!valid_phone_number(*phone))
        throw err::invalid_parameter("PhoneNumber Reason: " + *phone + " is not valid to publish to");
      if (store_->opted_out(c.ctx.account_id, c.ctx.region, *phone))
        throw AwsError("OptedOutException", "Phone number is opted out", 400);
      std::string text = m.structure ? message_for(*m.structure, "sms") : m.message;
      record(nullptr, "sms", *phone, "", m, text, "Notification");
    } else {
      PlatformEndpoint* e = store_->endpoint(*target_arn);
      if (!e) throw err::not_found("Endpoint does not exist");
      if (str_or(e->attributes, "Enabled", "true") == "false") throw err::endpoint_disabled();
      PlatformApp* app = store_->app(e->app_arn);
      std::string platform = app ? app->platform : "";
      std::string text = m.structure ? message_for(*m.structure, platform) : m.message;
      record(nullptr, "application", e->arn, "", m, text, "Notification");
    }
    return json::object{{"MessageId", m.message_id}};
  }

  std::string arn = topic_arn ? *topic_arn : *target_arn;
  Topic& topic = topic_for(c, arn);
  Message m = prepare(c, topic, in);
  if (!deduplicate(topic, m)) fan_out(topic, m);
  json::object out{{"MessageId", m.message_id}};
  if (m.sequence_number) out["SequenceNumber"] = *m.sequence_number;
  return out;
}

Output SnsService::publish_batch_now(Call& c) {
  Topic& topic = topic_for(c, str_or(c.input, "TopicArn"));
  const json::array* entries = opt_arr(c.input, "PublishBatchRequestEntries");
  if (!entries || entries->empty()) throw err::empty_batch();
  if (entries->size() > 10) throw err::too_many_entries();
  std::set<std::string_view> ids;
  int64_t total = 0;
  for (auto& e : *entries) {
    std::string_view id = e.is_object() ? str_or(e.as_object(), "Id") : std::string_view();
    if (!valid_batch_id(id)) throw err::invalid_batch_entry_id();
    if (!ids.insert(id).second) throw err::ids_not_distinct();
    total += static_cast<int64_t>(str_or(e.as_object(), "Message").size());
    if (auto* a = opt_obj(e.as_object(), "MessageAttributes")) total += message_attributes_size(*a);
  }
  if (total > kMaxMessageBytes) throw err::batch_too_long();
  json::array ok, failed;
  for (auto& e : *entries) {
    const auto& o = e.as_object();
    std::string id(str_or(o, "Id"));
    try {
      Message m = prepare(c, topic, o);
      if (!deduplicate(topic, m)) fan_out(topic, m);
      json::object entry{{"Id", id}, {"MessageId", m.message_id}};
      if (m.sequence_number) entry["SequenceNumber"] = *m.sequence_number;
      ok.push_back(std::move(entry));
    } catch (const AwsError& ex) {
      // Batch entries report the query code (InvalidParameter, ...).
      std::string code = ex.code;
      if (code.ends_with("Exception")) code.resize(code.size() - 9);
      if (code == "InvalidParameterValue") code = "ParameterValueInvalid";
      failed.push_back(json::object{{"Id", id}, {"Code", code}, {"Message", ex.message}, {"SenderFault", true}});
    }
  }
  return json::object{{"Successful", std::move(ok)}, {"Failed", std::move(failed)}};
}

// ---- the bus target: other services publish ----

boost::asio::awaitable<json::value> SnsService::deliver_from_bus(const Delivery& d) {
  if (!signer_) co_await ensure_signer();
  Topic* topic = store_->topic(d.target_arn);
  if (!topic) throw err::topic_not_found();
  json::object in{{"Message", d.payload}};
  for (auto key : {"Subject", "MessageStructure", "MessageGroupId", "MessageDeduplicationId"})
    if (auto v = opt_str(d.attributes, key)) in[key] = *v;
  if (auto* a = opt_obj(d.attributes, "MessageAttributes")) in["MessageAttributes"] = *a;
  RequestContext ctx;
  ctx.account_id = topic->account;
  ctx.region = topic->region;
  ctx.endpoint = env().local_endpoint();
  HttpRequest http;
  Call c{ctx, in, Payload{}, http, nullptr};
  Message m = prepare(c, *topic, in);
  if (!deduplicate(*topic, m)) fan_out(*topic, m);
  co_return json::object{{"MessageId", m.message_id}};
}

}  // namespace stratus::sns
