#include "sqs_service.hpp"

#include "errors.hpp"
#include "store.hpp"

#include <stratus/clock.hpp>
#include <stratus/identity.hpp>
#include <stratus/strings.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>

namespace stratus::sqs {

SqsService::SqsService()
    : Service(ServiceInfo{
          .name = "sqs",
          .models = {{"sqs", Protocol::json}, {"sqs-query", Protocol::query}},
          .target_prefixes = {"AmazonSQS"},
          .signing_names = {"sqs"},
          .query_version = "2012-11-05",
          .json_error_prefix = "com.amazonaws.sqs#",
          // SQS answers unknown attribute names with InvalidAttributeName, not a model enum error.
          .validate_enums = false,
          .max_body = 4ull << 20,
      }) {
  on("CreateQueue", &SqsService::create_queue);
  on("GetQueueUrl", &SqsService::get_queue_url);
  on("ListQueues", &SqsService::list_queues);
  on("GetQueueAttributes", &SqsService::get_queue_attributes);
  on("SetQueueAttributes", &SqsService::set_queue_attributes);
  on("DeleteQueue", &SqsService::delete_queue);
  on("PurgeQueue", &SqsService::purge_queue);
  on("TagQueue", &SqsService::tag_queue);
  on("UntagQueue", &SqsService::untag_queue);
  on("ListQueueTags", &SqsService::list_queue_tags);
  on("AddPermission", &SqsService::add_permission);
  on("RemovePermission", &SqsService::remove_permission);
  on("ListDeadLetterSourceQueues", &SqsService::list_dead_letter_source_queues);
  on("SendMessage", &SqsService::send_message);
  on("SendMessageBatch", &SqsService::send_message_batch);
  on("ReceiveMessage", &SqsService::receive_message);
  on("DeleteMessage", &SqsService::delete_message);
  on("DeleteMessageBatch", &SqsService::delete_message_batch);
  on("ChangeMessageVisibility", &SqsService::change_message_visibility);
  on("ChangeMessageVisibilityBatch", &SqsService::change_message_visibility_batch);
  on("StartMessageMoveTask", &SqsService::start_message_move_task);
  on("ListMessageMoveTasks", &SqsService::list_message_move_tasks);
  on("CancelMessageMoveTask", &SqsService::cancel_message_move_task);
}

SqsService::~SqsService() = default;

void SqsService::start(Env& env) {
  Service::start(env);
  store_ = std::make_unique<Store>(env.storage.database("sqs"));
  env.bus.register_target("sqs", [this](const Delivery& d) { return deliver(d); });
  // Move tasks that were running when the process stopped carry on.
  for (auto& id : store_->running_tasks())
    boost::asio::co_spawn(env.io, run_move_task(id), boost::asio::detached);
}

void SqsService::reset() {
  store_->wipe();
  attempts_.clear();
  wake_all();
}

void SqsService::stop() {
  stopping_ = true;
  wake_all();
}

int64_t SqsService::now_ms() const { return env().clock.now_ms(); }

std::string SqsService::url_of(const Call& c, const Queue& q) const {
  return c.ctx.endpoint + "/" + q.account + "/" + q.name;
}

Queue& SqsService::queue_for(const Call& c, std::string_view queue_url) {
  const bool query = c.ctx.protocol == Protocol::query;
  // In-process callers (Bus::call: no HTTP request behind it) may name the queue by ARN.
  if (c.http.headers.empty() && queue_url.starts_with("arn:")) {
    if (Queue* q = store_->find_by_arn(queue_url)) return *q;
    throw err::queue_does_not_exist(query);
  }
  auto loc = parse_queue_url(queue_url);
  if (!loc) throw err::invalid_address(std::string(queue_url));
  const std::string& region = loc->region.empty() ? c.ctx.region : loc->region;
  if (Queue* q = store_->find(loc->account, region, loc->name)) return *q;
  throw err::queue_does_not_exist(query);
}

std::string SqsService::sender_id(const Call& c) const {
  if (const Principal* p = env().identities.find(c.ctx.access_key_id); p && !p->user_id.empty()) return p->user_id;
  return c.ctx.account_id;
}

AsyncEvent& SqsService::event_for(int64_t queue_id) {
  auto& e = events_[queue_id];
  if (!e) e = std::make_unique<AsyncEvent>(env().clock);
  return *e;
}

void SqsService::wake(int64_t queue_id, size_t n) {
  auto it = events_.find(queue_id);
  if (it == events_.end()) return;
  for (size_t i = 0; i < n && i < it->second->waiting(); ++i) it->second->notify_one();
}

void SqsService::wake_all() {
  for (auto& [_, e] : events_) e->notify_all();
}

}  // namespace stratus::sqs
