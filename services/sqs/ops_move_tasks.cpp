// Dead-letter queue redrive: StartMessageMoveTask, ListMessageMoveTasks, CancelMessageMoveTask.
// https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-configure-dead-letter-queue-redrive.html
#include "errors.hpp"
#include "sqs_service.hpp"
#include "store.hpp"

#include <stratus/bus.hpp>
#include <stratus/clock.hpp>
#include <stratus/ids.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace stratus::sqs {

namespace {

constexpr int64_t kDefaultMovesPerTick = 500;

void check_arn_format(const std::string& arn, const char* param) {
  auto a = Arn::parse(arn);
  if (!a || a->region.empty() || a->account.empty())
    throw err::invalid_parameter_value(std::string("You must use this format to specify the ") + param +
                                       ": arn:<partition>:<service>:<region>:<account-id>:<resource-id>");
}

json::object task_entry(const MoveTask& t) {
  json::object e;
  if (t.status == "RUNNING") e["TaskHandle"] = encode_task_handle(t.task_id, t.source_arn);
  e["Status"] = t.status;
  e["SourceArn"] = t.source_arn;
  if (!t.destination_arn.empty()) e["DestinationArn"] = t.destination_arn;
  if (t.max_per_second) e["MaxNumberOfMessagesPerSecond"] = *t.max_per_second;
  e["ApproximateNumberOfMessagesMoved"] = t.moved;
  e["ApproximateNumberOfMessagesToMove"] = t.to_move;
  if (!t.failure_reason.empty()) e["FailureReason"] = t.failure_reason;
  e["StartedTimestamp"] = t.started_ms;
  return e;
}

}  // namespace

Output SqsService::start_message_move_task(Call& c) {
  const auto& in = c.input;
  std::string source_arn(str_or(in, "SourceArn"));
  check_arn_format(source_arn, "SourceArn");
  Queue* source = store_->find_by_arn(source_arn);
  if (!source) throw err::resource_not_found("The resource that you specified for the SourceArn parameter doesn't exist.");
  bool is_dlq = false;
  for (Queue* q : store_->all()) is_dlq = is_dlq || q->config.dead_letter_target_arn == source_arn;
  if (!is_dlq) throw err::invalid_parameter_value("Source queue must be configured as a Dead Letter Queue.");
  std::string destination_arn(str_or(in, "DestinationArn"));
  if (!destination_arn.empty()) {
    check_arn_format(destination_arn, "DestinationArn");
    if (!store_->find_by_arn(destination_arn))
      throw err::resource_not_found("The resource that you specified for the DestinationArn parameter doesn't exist.");
  }
  std::optional<int64_t> rate = opt_int(in, "MaxNumberOfMessagesPerSecond");
  if (rate && (*rate < 1 || *rate > 500))
    throw err::invalid_parameter(std::to_string(*rate), "MaxNumberOfMessagesPerSecond", "Must be between 1 and 500.");
  for (auto& t : store_->tasks_for(source_arn))
    if (t.status == "RUNNING" || t.status == "CANCELLING")
      throw err::invalid_parameter_value(
          "There is already a task running. Only one active task is allowed for a source queue arn at a given time.");
  expire(*source);
  MoveTask t;
  t.task_id = ids::uuid4();
  t.account = source->account;
  t.region = source->region;
  t.source_arn = source_arn;
  t.destination_arn = destination_arn;
  t.max_per_second = rate;
  t.status = "RUNNING";
  t.started_ms = now_ms();
  t.to_move = store_->counts(source->id, t.started_ms).visible;
  store_->save_task(t);
  boost::asio::co_spawn(env().io, run_move_task(t.task_id), boost::asio::detached);
  return json::object{{"TaskHandle", encode_task_handle(t.task_id, source_arn)}};
}

boost::asio::awaitable<void> SqsService::run_move_task(std::string task_id) {
  for (;;) {
    // Let the request that started the task (and everything else) run first.
    co_await boost::asio::post(env().io, boost::asio::use_awaitable);
    if (stopping_) co_return;
    auto t = store_->get_task(task_id);
    if (!t) co_return;  // reset
    if (t->status == "CANCELLING") {
      t->status = "CANCELLED";
      store_->save_task(*t);
      co_return;
    }
    if (t->status != "RUNNING") co_return;
    Queue* source = store_->find_by_arn(t->source_arn);
    if (!source) {
      t->status = "FAILED";
      t->failure_reason = "AWS.SimpleQueueService.NonExistentQueue";
      store_->save_task(*t);
      co_return;
    }
    const int64_t now = now_ms();
    int64_t budget = t->max_per_second.value_or(kDefaultMovesPerTick);
    auto batch = store_->visible(source->id, now, static_cast<int>(budget), true);
    if (batch.empty()) {
      t->status = "COMPLETED";
      store_->save_task(*t);
      co_return;
    }
    try {
      int64_t moved = 0;
      auto tx = store_->db().transaction();
      for (auto& m : batch) {
        const std::string& target_arn = !t->destination_arn.empty() ? t->destination_arn : m.dlq_source_arn.value_or("");
        Queue* target = store_->find_by_arn(target_arn);
        if (!target) throw err::queue_does_not_exist(false);
        SendRequest r = resend_request(m);
        enqueue(*target, r);
        store_->erase(m.row, source->id, m.message_id);
        ++moved;
      }
      tx.commit();
      t->moved += moved;
    } catch (const AwsError& e) {
      t->status = "FAILED";
      t->failure_reason = e.query_code.empty() ? e.code : e.query_code;
    }
    store_->save_task(*t);
    if (t->status != "RUNNING") co_return;
    // A rate limit moves that many messages per (service clock) second.
    if (t->max_per_second && !co_await env().clock.sleep_for(std::chrono::seconds(1))) co_return;
  }
}

Output SqsService::list_message_move_tasks(Call& c) {
  const auto& in = c.input;
  std::string source_arn(str_or(in, "SourceArn"));
  check_arn_format(source_arn, "SourceArn");
  if (!store_->find_by_arn(source_arn))
    throw err::resource_not_found("The resource that you specified for the SourceArn parameter doesn't exist.");
  int64_t max = opt_int(in, "MaxResults").value_or(1);
  if (max < 1 || max > 10)
    throw err::invalid_parameter(std::to_string(max), "MaxResults", "You must enter a number that's between 1 and 10.");
  json::array results;
  for (auto& t : store_->tasks_for(source_arn)) {
    if (static_cast<int64_t>(results.size()) >= max) break;
    results.push_back(task_entry(t));
  }
  return json::object{{"Results", std::move(results)}};
}

Output SqsService::cancel_message_move_task(Call& c) {
  std::string handle(str_or(c.input, "TaskHandle"));
  auto decoded = decode_task_handle(handle);
  if (!decoded) throw err::invalid_parameter_value("Value for parameter TaskHandle is invalid.");
  if (!store_->find_by_arn(decoded->second))
    throw err::resource_not_found("The resource that you specified for the SourceArn parameter doesn't exist.");
  auto t = store_->get_task(decoded->first);
  if (!t) throw err::resource_not_found("Task does not exist.");
  if (t->status != "RUNNING") throw err::invalid_parameter_value("Only active tasks can be cancelled.");
  t->status = "CANCELLING";
  store_->save_task(*t);
  return json::object{{"ApproximateNumberOfMessagesMoved", t->moved}};
}

}  // namespace stratus::sqs
