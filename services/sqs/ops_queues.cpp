// Queue operations. AWS documents each at
// https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_<Operation>.html
#include "errors.hpp"
#include "sqs_service.hpp"
#include "store.hpp"

#include <stratus/clock.hpp>
#include <stratus/crypto.hpp>
#include <stratus/strings.hpp>

#include <algorithm>

namespace stratus::sqs {

namespace {

std::string attr_text(const json::value& v) { return v.is_string() ? std::string(v.get_string()) : json::serialize(v); }

// Page tokens carry the last name returned; names sort, so the next page starts after it.
std::string page_token(std::string_view last) { return crypto::base64(json::serialize(json::object{{"after", last}})); }
std::optional<std::string> page_after(const json::object& in) {
  auto token = opt_str(in, "NextToken");
  if (!token) return std::nullopt;
  auto raw = crypto::base64_decode(*token);
  boost::system::error_code ec;
  json::value v = raw ? json::parse(*raw, ec) : json::value();
  if (!raw || ec || !v.is_object() || !find(v.as_object(), "after"))
    throw err::invalid_parameter_value("Invalid NextToken value.");
  return std::string(str_or(v.as_object(), "after"));
}
std::optional<int64_t> max_results(const json::object& in) {
  auto n = opt_int(in, "MaxResults");
  if (n && (*n < 1 || *n > 1000))
    throw err::invalid_parameter(std::to_string(*n), "MaxResults", "MaxResults must be an integer between 1 and 1000.");
  return n;
}

void validate_tags(const json::object& tags) {
  for (auto& [k, v] : tags) {
    if (k.empty() || k.size() > 128)
      throw err::invalid_parameter_value("Tag keys must be between 1 and 128 characters in length.");
    if (!v.is_string() || v.get_string().size() > 256)
      throw err::invalid_parameter_value("Tag values must be between 0 and 256 characters in length.");
  }
}

const std::vector<std::string_view>& permission_actions() {
  static const std::vector<std::string_view> kActions = {
      "*", "SendMessage", "SendMessageBatch", "ReceiveMessage", "DeleteMessage", "DeleteMessageBatch",
      "ChangeMessageVisibility", "ChangeMessageVisibilityBatch", "GetQueueAttributes", "GetQueueUrl",
      "ListDeadLetterSourceQueues", "PurgeQueue", "ListQueueTags", "StartMessageMoveTask", "CancelMessageMoveTask",
      "ListMessageMoveTasks"};
  return kActions;
}

}  // namespace

// The DLQ a RedrivePolicy names must exist, be of the same type and allow this source
// (its RedriveAllowPolicy).
static void check_dead_letter_target(Store& store, const QueueConfig& cfg, const std::string& source_arn,
                                     const std::string& raw_policy) {
  if (cfg.dead_letter_target_arn.empty()) return;
  auto reason = [&](const std::string& r) { return err::invalid_parameter(raw_policy, "RedrivePolicy", r); };
  Queue* dlq = store.find_by_arn(cfg.dead_letter_target_arn);
  if (!dlq) throw reason("Dead letter target does not exist.");
  if (dlq->fifo() != cfg.fifo) throw reason("Dead-letter queue must be same type of queue as the source.");
  const std::string& allow = dlq->config.redrive_allow_policy;
  if (allow.empty()) return;
  boost::system::error_code ec;
  json::value v = json::parse(allow, ec);
  if (ec || !v.is_object()) return;
  auto perm = str_or(v.as_object(), "redrivePermission");
  bool allowed = perm == "allowAll";
  if (perm == "byQueue")
    if (auto* arns = opt_arr(v.as_object(), "sourceQueueArns"))
      for (auto& a : *arns) allowed = allowed || (a.is_string() && a.get_string() == source_arn);
  if (!allowed) throw reason("Dead letter target does not allow this source queue to use it as a dead-letter queue.");
}

Output SqsService::create_queue(Call& c) {
  const auto& in = c.input;
  std::string name(str_or(in, "QueueName"));
  json::object attrs;
  if (auto* a = opt_obj(in, "Attributes")) attrs = *a;
  bool fifo = false;
  if (auto* f = find(attrs, "FifoQueue")) {
    std::string v = attr_text(*f);
    if (iequals(v, "true")) fifo = true;
    else if (!iequals(v, "false")) throw err::invalid_attribute_value("FifoQueue");
  }
  if (name.empty()) throw err::missing_parameter("QueueName");
  if (fifo && !valid_queue_name(name, true))
    throw err::invalid_parameter_value(
        "The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with "
        ".fifo suffix and be 1 to 80 in length.");
  if (!fifo && !valid_queue_name(name, false))
    throw err::invalid_parameter_value("Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length");
  QueueConfig cfg;
  cfg.fifo = fifo;
  cfg.apply(attrs, true);
  json::object tags;
  if (auto* t = opt_obj(in, "tags")) tags = *t;
  validate_tags(tags);
  if (tags.size() > 50) throw err::invalid_parameter_value("Too many tags added for queue " + name + ".");
  const std::string arn = "arn:aws:sqs:" + c.ctx.region + ":" + c.ctx.account_id + ":" + name;
  if (auto* rp = find(attrs, "RedrivePolicy")) check_dead_letter_target(*store_, cfg, arn, attr_text(*rp));

  if (Queue* existing = store_->find(c.ctx.account_id, c.ctx.region, name)) {
    // Idempotent when every given attribute has the existing queue's value.
    for (auto& [k, _] : attrs) {
      std::string_view key = k;
      auto have = key == "FifoQueue" ? std::optional<std::string>(existing->fifo() ? "true" : "false")
                                     : existing->config.get(key);
      auto want = key == "FifoQueue" ? std::optional<std::string>(fifo ? "true" : "false") : cfg.get(key);
      if (have != want) throw err::queue_name_exists(std::string(key));
    }
    return json::object{{"QueueUrl", url_of(c, *existing)}};
  }
  Queue q;
  q.account = c.ctx.account_id;
  q.region = c.ctx.region;
  q.name = name;
  q.config = cfg;
  q.tags = std::move(tags);
  // Timestamps are whole seconds in the API; keep the clock's milliseconds for ordering.
  q.created_ms = q.modified_ms = now_ms();
  Queue& created = store_->create(std::move(q));
  return json::object{{"QueueUrl", url_of(c, created)}};
}

Output SqsService::get_queue_url(Call& c) {
  std::string name(str_or(c.input, "QueueName"));
  std::string account(str_or(c.input, "QueueOwnerAWSAccountId", c.ctx.account_id));
  Queue* q = store_->find(account, c.ctx.region, name);
  if (!q) throw err::queue_does_not_exist(c.ctx.protocol == Protocol::query);
  return json::object{{"QueueUrl", url_of(c, *q)}};
}

Output SqsService::list_queues(Call& c) {
  const auto& in = c.input;
  auto limit = max_results(in);
  auto after = page_after(in);
  auto queues = store_->list(c.ctx.account_id, c.ctx.region, str_or(in, "QueueNamePrefix"));
  json::array urls;
  json::object out;
  size_t cap = static_cast<size_t>(limit.value_or(1000));
  std::string last;
  for (Queue* q : queues) {
    if (after && q->name <= *after) continue;
    if (urls.size() == cap) {
      // More remain: only a paginated request (MaxResults given) gets a token.
      if (limit) out["NextToken"] = page_token(last);
      break;
    }
    urls.push_back(json::string(url_of(c, *q)));
    last = q->name;
  }
  if (!urls.empty()) out["QueueUrls"] = std::move(urls);
  return out;
}

Output SqsService::get_queue_attributes(Call& c) {
  Queue& q = queue_for(c);
  std::vector<std::string> names;
  bool all = false;
  if (auto* list = opt_arr(c.input, "AttributeNames"))
    for (auto& v : *list) {
      std::string n = v.is_string() ? std::string(v.get_string()) : json::serialize(v);
      if (n == "All") all = true;
      else if (!is_queue_attribute_name(n)) throw err::unknown_attribute(n);
      else names.push_back(n);
    }
  if (all) names.assign(all_queue_attribute_names().begin(), all_queue_attribute_names().end());
  if (names.empty()) return json::object{};
  expire(q);
  std::optional<MessageCounts> counts;
  auto count = [&]() -> const MessageCounts& {
    if (!counts) counts = store_->counts(q.id, now_ms());
    return *counts;
  };
  json::object attrs;
  for (auto& n : names) {
    if (attrs.contains(n)) continue;
    if (n == "QueueArn") attrs[n] = q.arn();
    else if (n == "ApproximateNumberOfMessages") attrs[n] = std::to_string(count().visible);
    else if (n == "ApproximateNumberOfMessagesNotVisible") attrs[n] = std::to_string(count().not_visible);
    else if (n == "ApproximateNumberOfMessagesDelayed") attrs[n] = std::to_string(count().delayed);
    else if (n == "CreatedTimestamp") attrs[n] = std::to_string(q.created_ms / 1000);
    else if (n == "LastModifiedTimestamp") attrs[n] = std::to_string(q.modified_ms / 1000);
    else if (auto v = q.config.get(n)) attrs[n] = *v;
  }
  if (attrs.empty()) return json::object{};
  return json::object{{"Attributes", std::move(attrs)}};
}

Output SqsService::set_queue_attributes(Call& c) {
  Queue& q = queue_for(c);
  json::object attrs;
  if (auto* a = opt_obj(c.input, "Attributes")) attrs = *a;
  QueueConfig cfg = q.config;
  cfg.apply(attrs, false);
  if (auto* rp = find(attrs, "RedrivePolicy")) check_dead_letter_target(*store_, cfg, q.arn(), attr_text(*rp));
  q.config = std::move(cfg);
  q.modified_ms = now_ms();
  store_->save(q);
  return json::object{};
}

Output SqsService::delete_queue(Call& c) {
  Queue& q = queue_for(c);
  int64_t id = q.id;
  std::erase_if(attempts_, [id](const auto& kv) { return kv.first.starts_with(std::to_string(id) + "\n"); });
  store_->remove(q);
  if (auto it = events_.find(id); it != events_.end()) it->second->notify_all();
  return json::object{};
}

Output SqsService::purge_queue(Call& c) {
  Queue& q = queue_for(c);
  int64_t now = now_ms();
  if (q.purged_ms && now - *q.purged_ms < kPurgeIntervalSeconds * 1000) throw err::purge_in_progress(q.name);
  store_->purge(q.id);
  q.purged_ms = now;
  store_->save(q);
  return json::object{};
}

Output SqsService::tag_queue(Call& c) {
  Queue& q = queue_for(c);
  json::object tags;
  if (auto* t = opt_obj(c.input, "Tags")) tags = *t;
  validate_tags(tags);
  json::object merged = q.tags;
  for (auto& [k, v] : tags) merged[k] = v;
  if (merged.size() > 50) throw err::invalid_parameter_value("Too many tags added for queue " + q.name + ".");
  q.tags = std::move(merged);
  store_->save(q);
  return json::object{};
}

Output SqsService::untag_queue(Call& c) {
  Queue& q = queue_for(c);
  if (auto* keys = opt_arr(c.input, "TagKeys"))
    for (auto& k : *keys)
      if (k.is_string()) q.tags.erase(k.get_string());
  store_->save(q);
  return json::object{};
}

Output SqsService::list_queue_tags(Call& c) {
  Queue& q = queue_for(c);
  if (q.tags.empty()) return json::object{};
  return json::object{{"Tags", q.tags}};
}

Output SqsService::add_permission(Call& c) {
  Queue& q = queue_for(c);
  const auto& in = c.input;
  std::string label(str_or(in, "Label"));
  if (label.empty() || label.size() > 80 ||
      !std::all_of(label.begin(), label.end(), [](char ch) { return std::isalnum(static_cast<unsigned char>(ch)) || ch == '-' || ch == '_'; }))
    throw err::invalid_parameter(label, "Label", "Label can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length.");
  const json::array* accounts = opt_arr(in, "AWSAccountIds");
  const json::array* actions = opt_arr(in, "Actions");
  if (!accounts || accounts->empty()) throw err::missing_parameter("AWSAccountIds");
  if (!actions || actions->empty()) throw err::missing_parameter("Actions");
  const auto& valid = permission_actions();
  json::array principals, acts;
  for (auto& a : *accounts) principals.push_back(json::string("arn:aws:iam::" + attr_text(a) + ":root"));
  for (auto& a : *actions) {
    std::string act = attr_text(a);
    if (std::find(valid.begin(), valid.end(), act) == valid.end())
      throw err::invalid_parameter("SQS:" + act, "ActionName", "Please refer to the appropriate WSDL for a list of valid actions. ");
    acts.push_back(json::string("SQS:" + act));
  }
  json::object policy;
  if (!q.config.policy.empty()) {
    boost::system::error_code ec;
    json::value v = json::parse(q.config.policy, ec);
    if (!ec && v.is_object()) policy = v.as_object();
  }
  if (policy.empty())
    policy = json::object{{"Version", "2008-10-17"}, {"Id", q.arn() + "/SQSDefaultPolicy"}, {"Statement", json::array{}}};
  if (!policy["Statement"].is_array()) policy["Statement"] = json::array{};
  auto& statements = policy["Statement"].as_array();
  for (auto& s : statements)
    if (s.is_object() && str_or(s.as_object(), "Sid") == label) throw err::invalid_parameter(label, "Label", "Already exists.");
  json::object statement{{"Sid", label},
                         {"Effect", "Allow"},
                         {"Principal", json::object{{"AWS", principals.size() == 1 ? principals[0] : json::value(principals)}}},
                         {"Action", acts.size() == 1 ? acts[0] : json::value(acts)},
                         {"Resource", q.arn()}};
  statements.push_back(std::move(statement));
  q.config.policy = json::serialize(policy);
  q.modified_ms = now_ms();
  store_->save(q);
  return json::object{};
}

Output SqsService::remove_permission(Call& c) {
  Queue& q = queue_for(c);
  std::string label(str_or(c.input, "Label"));
  json::object policy;
  if (!q.config.policy.empty()) {
    boost::system::error_code ec;
    json::value v = json::parse(q.config.policy, ec);
    if (!ec && v.is_object()) policy = v.as_object();
  }
  json::array* statements = policy.contains("Statement") && policy["Statement"].is_array() ? &policy["Statement"].as_array() : nullptr;
  auto match = [&](const json::value& s) { return s.is_object() && str_or(s.as_object(), "Sid") == label; };
  if (!statements || std::none_of(statements->begin(), statements->end(), match))
    throw err::invalid_parameter(label, "Label", "can't find label.");
  statements->erase(std::remove_if(statements->begin(), statements->end(), match), statements->end());
  q.config.policy = statements->empty() ? std::string() : json::serialize(policy);
  q.modified_ms = now_ms();
  store_->save(q);
  return json::object{};
}

Output SqsService::list_dead_letter_source_queues(Call& c) {
  Queue& dlq = queue_for(c);
  auto limit = max_results(c.input);
  auto after = page_after(c.input);
  json::array urls;
  json::object out;
  size_t cap = static_cast<size_t>(limit.value_or(1000));
  std::string arn = dlq.arn();
  std::string last;
  for (Queue* q : store_->list(dlq.account, dlq.region, "")) {
    if (q->config.dead_letter_target_arn != arn) continue;
    if (after && q->name <= *after) continue;
    if (urls.size() == cap) {
      if (limit) out["NextToken"] = page_token(last);
      break;
    }
    urls.push_back(json::string(url_of(c, *q)));
    last = q->name;
  }
  out["queueUrls"] = std::move(urls);
  return out;
}

}  // namespace stratus::sqs
