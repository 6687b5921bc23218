// Message operations: send, receive (with long polling), delete, change visibility, their batch
// forms, dead-lettering and retention. AWS documents each at
// https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_<Operation>.html
#include "errors.hpp"
#include "sqs_service.hpp"
#include "store.hpp"

#include <stratus/clock.hpp>
#include <stratus/crypto.hpp>
#include <stratus/ids.hpp>
#include <stratus/strings.hpp>

#include <algorithm>
#include <set>

namespace stratus::sqs {

namespace {

// Message attributes are stored as JSON text with binary values base64-encoded.
std::string attributes_text(const json::object& attrs) {
  if (attrs.empty()) return {};
  json::object out;
  for (auto& [k, v] : attrs) {
    if (!v.is_object()) continue;
    json::object a;
    const auto& o = v.get_object();
    a["DataType"] = str_or(o, "DataType");
    if (auto* b = find(o, "BinaryValue"); b && b->is_string()) a["BinaryValue"] = crypto::base64(b->get_string());
    else a["StringValue"] = str_or(o, "StringValue");
    out[k] = std::move(a);
  }
  return json::serialize(out);
}

json::object attributes_doc(std::string_view text) {
  if (text.empty()) return {};
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) return {};
  json::object out = std::move(v.as_object());
  for (auto& [k, a] : out) {
    if (!a.is_object()) continue;
    auto& o = a.as_object();
    if (auto* b = o.if_contains("BinaryValue"); b && b->is_string()) {
      auto raw = crypto::base64_decode(b->get_string());
      *b = json::string(raw ? *raw : std::string());
    }
  }
  return out;
}

int64_t int_param(const json::value& v) {
  if (v.is_int64()) return v.get_int64();
  if (v.is_uint64()) return static_cast<int64_t>(std::min<uint64_t>(v.get_uint64(), INT64_MAX));
  if (v.is_double()) return static_cast<int64_t>(v.get_double());
  if (v.is_string()) return parse_int(v.get_string()).value_or(INT64_MIN);
  return INT64_MIN;
}

std::string render(const json::value& v) { return v.is_string() ? std::string(v.get_string()) : json::serialize(v); }

// The entry checks every batch operation shares, in AWS's order.
void check_batch(const json::array* entries, const char* entry_shape) {
  if (!entries || entries->empty()) throw err::empty_batch(entry_shape);
  if (entries->size() > 10) throw err::too_many_entries(entries->size());
  std::set<std::string_view> seen;
  for (auto& e : *entries) {
    std::string_view id = e.is_object() ? str_or(e.as_object(), "Id") : std::string_view();
    if (!valid_batch_entry_id(id)) throw err::invalid_batch_entry_id();
    if (!seen.insert(id).second) throw err::ids_not_distinct(std::string(id));
  }
}

json::object failure(std::string_view id, const AwsError& e) {
  return json::object{{"Id", id},
                      {"SenderFault", e.sender_fault},
                      {"Code", e.query_code.empty() ? e.code : e.query_code},
                      {"Message", e.message}};
}

}  // namespace

// ---- enqueue (every producer goes through here) ----

SqsService::SendResult SqsService::enqueue(Queue& q, SendRequest& r) {
  const bool moving = r.message_id.has_value();
  if (r.body.empty()) throw err::missing_parameter("MessageBody");
  validate_message_attributes(r.attributes);
  validate_system_attributes(r.system_attributes);
  int64_t size = static_cast<int64_t>(r.body.size()) + message_attributes_size(r.attributes);
  if (!moving && size > q.config.maximum_message_size)
    throw err::invalid_parameter_value("One or more parameters are invalid. Reason: Message must be shorter than " +
                                       std::to_string(q.config.maximum_message_size) + " bytes.");
  if (!valid_message_characters(r.body)) throw err::invalid_message_contents();
  if (r.delay_seconds && (*r.delay_seconds < 0 || *r.delay_seconds > 900))
    throw err::invalid_parameter(std::to_string(*r.delay_seconds), "DelaySeconds",
                                 "DelaySeconds must be >= 0 and <= 900.");
  if (q.fifo()) {
    if (r.delay_seconds && *r.delay_seconds != 0 && !moving)
      throw err::invalid_parameter(std::to_string(*r.delay_seconds), "DelaySeconds",
                                   "The request include parameter that is not valid for this queue type.");
    if (!r.group_id || r.group_id->empty()) throw err::missing_parameter("MessageGroupId");
    if (!valid_fifo_id(*r.group_id))
      throw err::invalid_parameter(*r.group_id, "MessageGroupId",
                                   "MessageGroupId can only include alphanumeric and punctuation characters. 1 to 128 in length.");
    if (r.dedup_id) {
      if (!valid_fifo_id(*r.dedup_id))
        throw err::invalid_parameter(*r.dedup_id, "MessageDeduplicationId",
                                     "MessageDeduplicationId can only include alphanumeric and punctuation characters. 1 to 128 in length.");
    } else if (q.config.content_based_deduplication) {
      r.dedup_id = crypto::sha256_hex(r.body);
    } else {
      throw err::invalid_parameter_value(
          "The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly");
    }
  } else {
    if (r.dedup_id && !moving)
      throw err::invalid_parameter(*r.dedup_id, "MessageDeduplicationId",
                                   "The request include parameter that is not valid for this queue type.");
    // Standard queues accept a MessageGroupId (fair queues).
    if (r.group_id && !valid_fifo_id(*r.group_id))
      throw err::invalid_parameter(*r.group_id, "MessageGroupId",
                                   "MessageGroupId can only include alphanumeric and punctuation characters. 1 to 128 in length.");
  }

  SendResult res;
  res.md5_body = crypto::md5_hex(r.body);
  res.md5_attributes = md5_of_message_attributes(r.attributes);
  res.md5_system_attributes = md5_of_message_attributes(r.system_attributes);
  const int64_t now = now_ms();
  const std::string scope = q.fifo() && q.config.deduplication_scope == "messageGroup" ? *r.group_id : std::string();
  if (q.fifo() && !moving) {
    // Exactly-once: a duplicate within five minutes is accepted but not enqueued again.
    if (auto dup = store_->find_dedup(q.id, scope, *r.dedup_id, now)) {
      res.message_id = dup->message_id;
      res.sequence_number = dup->sequence_number;
      return res;
    }
  }
  StoredMessage m;
  m.queue_id = q.id;
  m.message_id = r.message_id.value_or(ids::uuid4());
  m.body = std::move(r.body);
  m.attributes = attributes_text(r.attributes);
  m.system_attributes = attributes_text(r.system_attributes);
  m.sender_id = r.sender_id;
  m.sent_ms = r.sent_ms.value_or(now);
  // FIFO queues only know the queue's delay; standard messages may carry their own.
  int64_t delay = q.fifo() ? q.config.delay_seconds : r.delay_seconds.value_or(q.config.delay_seconds);
  m.visible_ms = now + delay * 1000;
  m.group_id = r.group_id;
  m.dlq_source_arn = r.dlq_source_arn;
  m.md5_body = res.md5_body;
  m.md5_attributes = res.md5_attributes;
  if (q.fifo()) {
    m.dedup_id = r.dedup_id;
    // 20-digit, increasing, not consecutive — like AWS's.
    m.sequence_number = std::to_string(18000000000000000000ULL + static_cast<uint64_t>(++q.next_sequence) * 256ULL);
    store_->save_sequence(q);
    res.sequence_number = m.sequence_number;
  }
  store_->insert(m);
  if (q.fifo() && !moving)
    store_->put_dedup(q.id, scope, *m.dedup_id, {m.message_id, *m.sequence_number}, now + kDedupWindowMs);
  res.message_id = m.message_id;
  if (delay == 0) wake(q.id);
  return res;
}

namespace {

SqsService::SendRequest send_request(const json::object& in, std::string sender) {
  SqsService::SendRequest r;
  r.body = std::string(str_or(in, "MessageBody"));
  if (auto* a = opt_obj(in, "MessageAttributes")) r.attributes = *a;
  if (auto* a = opt_obj(in, "MessageSystemAttributes")) r.system_attributes = *a;
  if (auto* d = find(in, "DelaySeconds")) r.delay_seconds = int_param(*d);
  r.group_id = opt_str(in, "MessageGroupId");
  r.dedup_id = opt_str(in, "MessageDeduplicationId");
  r.sender_id = std::move(sender);
  return r;
}

json::object send_output(const SqsService::SendResult& res, bool system_attrs_given) {
  json::object out{{"MessageId", res.message_id}, {"MD5OfMessageBody", res.md5_body}};
  if (!res.md5_attributes.empty()) out["MD5OfMessageAttributes"] = res.md5_attributes;
  if (system_attrs_given && !res.md5_system_attributes.empty())
    out["MD5OfMessageSystemAttributes"] = res.md5_system_attributes;
  if (res.sequence_number) out["SequenceNumber"] = *res.sequence_number;
  return out;
}

}  // namespace

Output SqsService::send_message(Call& c) {
  Queue& q = queue_for(c);
  SendRequest r = send_request(c.input, sender_id(c));
  bool system_given = !r.system_attributes.empty();
  // X-Ray: the request's trace header becomes the AWSTraceHeader system attribute.
  if (!system_given)
    if (auto* trace = c.http.header("x-amzn-trace-id"); trace && !trace->empty())
      r.system_attributes["AWSTraceHeader"] = json::object{{"DataType", "String"}, {"StringValue", *trace}};
  return send_output(enqueue(q, r), system_given);
}

Output SqsService::send_message_batch(Call& c) {
  Queue& q = queue_for(c);
  const json::array* entries = opt_arr(c.input, "Entries");
  check_batch(entries, "SendMessageBatchRequestEntry");
  int64_t total = 0;
  for (auto& e : *entries) {
    if (!e.is_object()) continue;
    const auto& o = e.as_object();
    total += static_cast<int64_t>(str_or(o, "MessageBody").size());
    if (auto* a = opt_obj(o, "MessageAttributes")) total += message_attributes_size(*a);
  }
  if (total > kMaxMessageSize) throw err::batch_too_long(kMaxMessageSize, total);
  json::array ok, failed;
  std::string sender = sender_id(c);
  auto tx = store_->db().transaction();
  for (auto& e : *entries) {
    const auto& o = e.as_object();
    std::string_view id = str_or(o, "Id");
    try {
      SendRequest r = send_request(o, sender);
      bool system_given = !r.system_attributes.empty();
      json::object entry = send_output(enqueue(q, r), system_given);
      entry.emplace("Id", id);
      ok.push_back(std::move(entry));
    } catch (const AwsError& ex) {
      failed.push_back(failure(id, ex));
    }
  }
  tx.commit();
  return json::object{{"Successful", std::move(ok)}, {"Failed", std::move(failed)}};
}

SqsService::SendRequest SqsService::resend_request(const StoredMessage& m) {
  SendRequest r;
  r.body = m.body;
  r.attributes = attributes_doc(m.attributes);
  r.system_attributes = attributes_doc(m.system_attributes);
  r.group_id = m.group_id;
  r.dedup_id = m.dedup_id;
  r.sender_id = m.sender_id;
  r.message_id = m.message_id;
  return r;
}

// ---- receive ----

void SqsService::expire(Queue& q) {
  // At most once a (service clock) second per queue: retention is measured in minutes.
  const int64_t now = now_ms();
  if (q.expired_check_ms && now - q.expired_check_ms < 1000) return;
  q.expired_check_ms = now;
  store_->expire(q.id, now - q.config.message_retention_period * 1000);
}

void SqsService::dead_letter(Queue& q, StoredMessage& m) {
  Queue* dlq = store_->find_by_arn(q.config.dead_letter_target_arn);
  if (!dlq) return;
  const int64_t now = now_ms();
  StoredMessage moved = m;
  moved.queue_id = dlq->id;
  moved.visible_ms = now;
  moved.nonce = 0;
  moved.dlq_source_arn = q.arn();
  if (dlq->fifo()) {
    // FIFO dead-letter queues restart the retention clock and number the message anew.
    moved.sent_ms = now;
    moved.sequence_number =
        std::to_string(18000000000000000000ULL + static_cast<uint64_t>(++dlq->next_sequence) * 256ULL);
    store_->save_sequence(*dlq);
  }
  store_->erase(m.row, q.id, m.message_id);
  store_->insert(moved);
  wake(dlq->id);
}

namespace {

struct ReceiveOptions {
  int max = 1;
  std::optional<int64_t> visibility_timeout;
  std::vector<std::string> system_names;     // AttributeNames ∪ MessageSystemAttributeNames
  std::vector<std::string> attribute_names;  // MessageAttributeNames
};

bool wants(const std::vector<std::string>& names, std::string_view n) {
  for (auto& s : names)
    if (s == "All" || s == n) return true;
  return false;
}

}  // namespace

namespace {

json::object message_output(const Queue& q, const StoredMessage& m, const ReceiveOptions& o) {
  json::object out{{"MessageId", m.message_id},
                   {"ReceiptHandle", encode_receipt({q.id, m.row, m.nonce, m.message_id, q.arn()})},
                   {"MD5OfBody", m.md5_body.empty() ? crypto::md5_hex(m.body) : m.md5_body},
                   {"Body", m.body}};
  json::object attrs;
  const auto& n = o.system_names;
  if (wants(n, "SenderId")) attrs["SenderId"] = m.sender_id;
  if (wants(n, "ApproximateFirstReceiveTimestamp"))
    attrs["ApproximateFirstReceiveTimestamp"] = std::to_string(m.first_receive_ms.value_or(0));
  if (wants(n, "ApproximateReceiveCount")) attrs["ApproximateReceiveCount"] = std::to_string(m.receive_count);
  if (wants(n, "SentTimestamp")) attrs["SentTimestamp"] = std::to_string(m.sent_ms);
  if (!m.system_attributes.empty() && wants(n, "AWSTraceHeader")) {
    json::object sys = attributes_doc(m.system_attributes);
    if (auto* t = opt_obj(sys, "AWSTraceHeader")) attrs["AWSTraceHeader"] = str_or(*t, "StringValue");
  }
  if (m.dlq_source_arn && wants(n, "DeadLetterQueueSourceArn")) attrs["DeadLetterQueueSourceArn"] = *m.dlq_source_arn;
  if (m.sequence_number && wants(n, "SequenceNumber")) attrs["SequenceNumber"] = *m.sequence_number;
  if (m.dedup_id && wants(n, "MessageDeduplicationId")) attrs["MessageDeduplicationId"] = *m.dedup_id;
  if (m.group_id && wants(n, "MessageGroupId")) attrs["MessageGroupId"] = *m.group_id;
  if (!attrs.empty()) out["Attributes"] = std::move(attrs);
  if (!m.attributes.empty() && !o.attribute_names.empty()) {
    json::object all = attributes_doc(m.attributes);
    json::object selected;
    for (auto& [k, v] : all)
      if (message_attribute_selected(o.attribute_names, k)) selected[k] = v;
    if (!selected.empty()) {
      out["MD5OfMessageAttributes"] = selected.size() == all.size() && !m.md5_attributes.empty()
                                          ? m.md5_attributes
                                          : md5_of_message_attributes(selected);
      out["MessageAttributes"] = std::move(selected);
    }
  }
  return out;
}

}  // namespace

boost::asio::awaitable<Output> SqsService::receive_message(Call& c) {
  const auto& in = c.input;
  Queue* q = &queue_for(c);
  const int64_t qid = q->id;
  const uint64_t incarnation = q->incarnation;
  ReceiveOptions o;
  if (auto* v = find(in, "MaxNumberOfMessages")) {
    int64_t n = int_param(*v);
    if (n < 1 || n > 10)
      throw err::invalid_parameter(render(*v), "MaxNumberOfMessages", "Must be between 1 and 10, if provided.");
    o.max = static_cast<int>(n);
  }
  if (auto* v = find(in, "VisibilityTimeout")) {
    int64_t n = int_param(*v);
    if (n < 0 || n > kMaxVisibilityTimeout)
      throw err::invalid_parameter(render(*v), "VisibilityTimeout", "Must be >= 0 and <= 43200, if provided.");
    o.visibility_timeout = n;
  }
  int64_t wait = q->config.receive_message_wait_time_seconds;
  if (auto* v = find(in, "WaitTimeSeconds")) {
    wait = int_param(*v);
    if (wait < 0 || wait > 20)
      throw err::invalid_parameter(render(*v), "WaitTimeSeconds", "Must be >= 0 and <= 20, if provided.");
  }
  std::optional<std::string> attempt_id = opt_str(in, "ReceiveRequestAttemptId");
  if (attempt_id && !valid_fifo_id(*attempt_id))
    throw err::invalid_parameter(*attempt_id, "ReceiveRequestAttemptId",
                                 "ReceiveRequestAttemptId can only include alphanumeric and punctuation characters. 1 to 128 in length.");
  o.system_names = string_list(in, "AttributeNames");
  for (auto& n : string_list(in, "MessageSystemAttributeNames")) o.system_names.push_back(n);
  o.attribute_names = string_list(in, "MessageAttributeNames");

  const int64_t deadline = now_ms() + wait * 1000;
  json::array messages;
  for (;;) {
    q = store_->find_by_id(qid);
    // Deleted (or reset) while we waited: the poll ends empty, even if a new queue took the id.
    if (!q || q->incarnation != incarnation || stopping_) break;
    std::string attempt_key;
    if (q->fifo() && attempt_id) {
      attempt_key = std::to_string(qid) + "\n" + *attempt_id;
      // A retried attempt gets the same messages (and receipt handles) while they are still in flight.
      auto it = attempts_.find(attempt_key);
      if (it != attempts_.end() && it->second.expires_ms > now_ms()) {
        std::vector<StoredMessage> again;
        bool intact = true;
        for (auto& [row, nonce] : it->second.messages) {
          auto m = store_->get(row);
          if (!m || m->nonce != nonce || m->visible_ms <= now_ms()) {
            intact = false;
            break;
          }
          again.push_back(std::move(*m));
        }
        if (intact && !again.empty()) {
          for (auto& m : again) messages.push_back(message_output(*q, m, o));
          break;
        }
        attempts_.erase(it);
      }
    }
    expire(*q);
    const int64_t now = now_ms();
    const int64_t vt = o.visibility_timeout.value_or(q->config.visibility_timeout);
    const bool redrive = q->config.max_receive_count > 0 && !q->config.dead_letter_target_arn.empty() &&
                         store_->find_by_arn(q->config.dead_letter_target_arn);
    std::vector<StoredMessage> taken;
    auto take = [&](StoredMessage& m) {
      if (redrive && m.receive_count >= q->config.max_receive_count) {
        dead_letter(*q, m);
        return;
      }
      m.receive_count += 1;
      if (!m.first_receive_ms) m.first_receive_ms = now;
      m.received_ms = now;
      m.nonce = ids::random64() >> 1;
      m.visible_ms = now + vt * 1000;
      store_->mark_received(m);
      taken.push_back(m);
    };
    // Nothing visible (an idle queue, a parked poll re-checking): no write transaction at all.
    std::vector<StoredMessage> first;
    if (!q->fifo()) first = store_->visible(qid, now, o.max, false);
    if (q->fifo() || !first.empty()) {
      auto tx = store_->db().transaction();
      if (q->fifo()) {
        // Messages of one group in order, a group at a time; groups with a message in flight wait.
        auto candidates = store_->visible_unlocked(qid, now, 1000);
        std::vector<std::string> order;
        std::set<std::string> seen;
        for (auto& [row, group] : candidates)
          if (seen.insert(group).second) order.push_back(group);
        for (auto& g : order) {
          for (auto& [row, group] : candidates) {
            if (static_cast<int>(taken.size()) >= o.max) break;
            if (group != g) continue;
            if (auto m = store_->get(row)) take(*m);
          }
          if (static_cast<int>(taken.size()) >= o.max) break;
        }
      } else {
        for (;;) {
          int want = o.max - static_cast<int>(taken.size());
          if (want <= 0) break;
          auto batch = first.empty() ? store_->visible(qid, now, want, false) : std::move(first);
          first.clear();
          if (batch.empty()) break;
          size_t before = taken.size();
          for (auto& m : batch) take(m);
          // With a zero visibility timeout the received messages stay visible: don't take them twice.
          if (vt == 0 && taken.size() > before) break;
        }
      }
      tx.commit();
    }
    if (!taken.empty()) {
      if (!attempt_key.empty()) {
        Attempt a;
        for (auto& m : taken) a.messages.emplace_back(m.row, m.nonce);
        a.expires_ms = now + kDedupWindowMs;
        attempts_[attempt_key] = std::move(a);
        // SDKs may send a fresh attempt id on every receive: drop the expired ones now and then.
        if (attempts_.size() % 256 == 0)
          std::erase_if(attempts_, [now](const auto& kv) { return kv.second.expires_ms <= now; });
      }
      // A zero visibility timeout leaves the messages available to other pollers at once.
      if (vt == 0) wake(qid, taken.size());
      for (auto& m : taken) messages.push_back(message_output(*q, m, o));
      break;
    }
    if (now >= deadline) break;
    // Park until a send wakes us, a delayed or in-flight message becomes visible, or the poll ends.
    int64_t until = deadline;
    if (auto next = store_->next_visibility_change(qid, now)) until = std::min(until, *next);
    bool notified = co_await event_for(qid).wait_until(Clock::time_point(std::chrono::milliseconds(until)));
    // Neither woken nor at the deadline: the clock shut down (or the wait was cancelled) — answer
    // now with what we have instead of waiting again.
    if (!notified && now_ms() < until) break;
  }
  json::object out;
  if (!messages.empty()) out["Messages"] = std::move(messages);
  co_return out;
}

// ---- delete and visibility ----

void SqsService::delete_by_receipt(Queue& q, const std::string& handle) {
  auto r = decode_receipt(handle);
  if (!r || r->queue_arn != q.arn()) throw err::receipt_handle_invalid(handle);
  if (r->queue_id != q.id) return;  // a message of an earlier queue of this name: gone
  // Standard queues delete with any handle the message was received with (one statement, the hot
  // path); an already deleted message is a success, as AWS answers.
  if (!q.fifo()) {
    store_->erase(r->message_row, q.id, r->message_id);
    return;
  }
  auto m = store_->get(r->message_row);
  if (!m || m->queue_id != q.id || m->message_id != r->message_id) return;  // already deleted: a success
  if (m->nonce != r->nonce || m->visible_ms <= now_ms())
    throw err::invalid_parameter(handle, "ReceiptHandle", "The receipt handle has expired.");
  store_->erase(m->row, q.id, m->message_id);
  // Deleting unlocks the message's group for other receivers.
  wake(q.id);
}

Output SqsService::delete_message(Call& c) {
  Queue& q = queue_for(c);
  delete_by_receipt(q, std::string(str_or(c.input, "ReceiptHandle")));
  return json::object{};
}

Output SqsService::delete_message_batch(Call& c) {
  Queue& q = queue_for(c);
  const json::array* entries = opt_arr(c.input, "Entries");
  check_batch(entries, "DeleteMessageBatchRequestEntry");
  json::array ok, failed;
  auto tx = store_->db().transaction();
  for (auto& e : *entries) {
    const auto& o = e.as_object();
    std::string_view id = str_or(o, "Id");
    try {
      delete_by_receipt(q, std::string(str_or(o, "ReceiptHandle")));
      ok.push_back(json::object{{"Id", id}});
    } catch (const AwsError& ex) {
      failed.push_back(failure(id, ex));
    }
  }
  tx.commit();
  return json::object{{"Successful", std::move(ok)}, {"Failed", std::move(failed)}};
}

void SqsService::change_visibility(Queue& q, const std::string& handle, const json::value* timeout) {
  if (!timeout) throw err::missing_parameter("VisibilityTimeout");
  int64_t vt = int_param(*timeout);
  if (vt < 0 || vt > kMaxVisibilityTimeout)
    throw err::invalid_parameter(render(*timeout), "VisibilityTimeout", "Must be between 0 and 43200, if provided.");
  auto r = decode_receipt(handle);
  if (!r || r->queue_arn != q.arn()) throw err::receipt_handle_invalid(handle);
  auto m = r->queue_id == q.id ? store_->get(r->message_row) : std::nullopt;
  if (!m || m->queue_id != q.id || m->message_id != r->message_id)
    throw err::invalid_parameter(handle, "ReceiptHandle",
                                 "Message does not exist or is not available for visibility timeout change.");
  const int64_t now = now_ms();
  // A handle whose visibility already ended (or that a later receive replaced) changes nothing.
  if (m->nonce != r->nonce || m->visible_ms <= now) return;
  if (now + vt * 1000 - m->received_ms.value_or(now) > kMaxVisibilityTimeout * 1000)
    throw err::invalid_parameter(render(*timeout), "VisibilityTimeout",
                                 "Total VisibilityTimeout for the message is beyond the limit [43200 seconds]");
  store_->set_visible(m->row, now + vt * 1000);
  if (vt == 0) wake(q.id);
}

Output SqsService::change_message_visibility(Call& c) {
  Queue& q = queue_for(c);
  change_visibility(q, std::string(str_or(c.input, "ReceiptHandle")), find(c.input, "VisibilityTimeout"));
  return json::object{};
}

Output SqsService::change_message_visibility_batch(Call& c) {
  Queue& q = queue_for(c);
  const json::array* entries = opt_arr(c.input, "Entries");
  check_batch(entries, "ChangeMessageVisibilityBatchRequestEntry");
  json::array ok, failed;
  auto tx = store_->db().transaction();
  for (auto& e : *entries) {
    const auto& o = e.as_object();
    std::string_view id = str_or(o, "Id");
    try {
      change_visibility(q, std::string(str_or(o, "ReceiptHandle")), find(o, "VisibilityTimeout"));
      ok.push_back(json::object{{"Id", id}});
    } catch (const AwsError& ex) {
      failed.push_back(failure(id, ex));
    }
  }
  tx.commit();
  return json::object{{"Successful", std::move(ok)}, {"Failed", std::move(failed)}};
}

// ---- the bus target ----

boost::asio::awaitable<json::value> SqsService::deliver(const Delivery& d) {
  Queue* q = store_->find_by_arn(d.target_arn);
  if (!q) throw err::queue_does_not_exist(false);
  auto action = str_or(d.attributes, "Action", "SendMessage");
  if (action != "SendMessage")
    throw AwsError("InvalidAction", "The sqs delivery target supports SendMessage, not " + std::string(action), 400);
  SendRequest r;
  r.body = d.payload;
  if (auto* a = opt_obj(d.attributes, "MessageAttributes")) r.attributes = *a;
  if (auto* a = opt_obj(d.attributes, "MessageSystemAttributes")) r.system_attributes = *a;
  if (auto* v = find(d.attributes, "DelaySeconds")) r.delay_seconds = int_param(*v);
  r.group_id = opt_str(d.attributes, "MessageGroupId");
  r.dedup_id = opt_str(d.attributes, "MessageDeduplicationId");
  auto src = Arn::parse(d.source_arn);
  r.sender_id = src && !src->account.empty() ? src->account : q->account;
  if (auto* dl = opt_obj(d.attributes, "dead_letter")) {
    // The error attributes each AWS producer attaches to what it dead-letters.
    auto text = [](std::string_view s) { return json::object{{"DataType", "String"}, {"StringValue", s.empty() ? "unknown" : s}}; };
    std::string code(str_or(*dl, "error_code")), message(str_or(*dl, "error_message"));
    if (src && src->service == "events") {
      r.attributes["ERROR_CODE"] = text(code);
      r.attributes["ERROR_MESSAGE"] = text(message.substr(0, 256));
      r.attributes["RULE_ARN"] = text(d.source_arn);
      r.attributes["TARGET_ARN"] = text(str_or(*dl, "target_arn"));
    } else if (src && src->service == "lambda") {
      r.attributes["RequestID"] = text(d.trace_id.empty() ? ids::uuid4() : d.trace_id);
      r.attributes["ErrorCode"] = json::object{{"DataType", "Number"}, {"StringValue", "200"}};
      r.attributes["ErrorMessage"] = text(message.substr(0, 256));
    }
  }
  SendResult res = enqueue(*q, r);
  json::object out{{"MessageId", res.message_id}};
  if (res.sequence_number) out["SequenceNumber"] = *res.sequence_number;
  co_return out;
}

}  // namespace stratus::sqs
