#pragma once
// Amazon SQS: one implementation answering both wire protocols (current SDKs' JSON, older
// clients' query/XML). Queues and messages live in SQLite (store.hpp); long polls park on a
// per-queue AsyncEvent woken by sends; other services deliver through the bus target "sqs".
#include <stratus/bus.hpp>
#include <stratus/service.hpp>

#include <boost/asio/awaitable.hpp>

#include <memory>
#include <optional>
#include <string>
#include <unordered_map>

namespace stratus {
class AsyncEvent;
}

namespace stratus::sqs {

class Store;
struct Queue;
struct StoredMessage;
struct MoveTask;

class SqsService final : public Service {
 public:
  SqsService();
  ~SqsService() override;
  void start(Env& env) override;
  void reset() override;
  void stop() override;

  // One message to enqueue, from SendMessage(Batch), the bus, DLQ moves and move tasks.
  struct SendRequest {
    std::string body;
    json::object attributes;         // MessageAttributes (documents: binary values raw)
    json::object system_attributes;  // MessageSystemAttributes
    std::optional<int64_t> delay_seconds;
    std::optional<std::string> group_id, dedup_id;
    std::string sender_id;
    // Moves (DLQ, redrive) keep the original identity.
    std::optional<std::string> message_id;
    std::optional<int64_t> sent_ms;
    std::optional<std::string> dlq_source_arn;
  };
  struct SendResult {
    std::string message_id;
    std::string md5_body, md5_attributes, md5_system_attributes;
    std::optional<std::string> sequence_number;
  };

 private:
  // ops_queues.cpp
  Output create_queue(Call& c);
  Output get_queue_url(Call& c);
  Output list_queues(Call& c);
  Output get_queue_attributes(Call& c);
  Output set_queue_attributes(Call& c);
  Output delete_queue(Call& c);
  Output purge_queue(Call& c);
  Output tag_queue(Call& c);
  Output untag_queue(Call& c);
  Output list_queue_tags(Call& c);
  Output add_permission(Call& c);
  Output remove_permission(Call& c);
  Output list_dead_letter_source_queues(Call& c);
  // ops_messages.cpp
  Output send_message(Call& c);
  Output send_message_batch(Call& c);
  boost::asio::awaitable<Output> receive_message(Call& c);
  Output delete_message(Call& c);
  Output delete_message_batch(Call& c);
  Output change_message_visibility(Call& c);
  Output change_message_visibility_batch(Call& c);
  // ops_move_tasks.cpp
  Output start_message_move_task(Call& c);
  Output list_message_move_tasks(Call& c);
  Output cancel_message_move_task(Call& c);
  boost::asio::awaitable<void> run_move_task(std::string task_id);

  // Shared by the operations.
  Queue& queue_for(const Call& c, std::string_view queue_url);
  Queue& queue_for(const Call& c) { return queue_for(c, str_or(c.input, "QueueUrl")); }
  std::string url_of(const Call& c, const Queue& q) const;
  int64_t now_ms() const;
  // Validates and enqueues; throws AwsError for bad input (batch entries catch it).
  SendResult enqueue(Queue& q, SendRequest& r);
  // A stored message as a request to enqueue it elsewhere (redrive), keeping its identity.
  SendRequest resend_request(const StoredMessage& m);
  // Received messages over maxReceiveCount go to the queue's DLQ.
  void dead_letter(Queue& q, StoredMessage& m);
  // Messages whose retention period passed disappear.
  void expire(Queue& q);
  void delete_by_receipt(Queue& q, const std::string& handle);
  void change_visibility(Queue& q, const std::string& handle, const json::value* timeout);
  // Long-poll wake-ups.
  AsyncEvent& event_for(int64_t queue_id);
  void wake(int64_t queue_id, size_t n = 1);
  void wake_all();
  // Bus target: SendMessage (default) from other services.
  boost::asio::awaitable<json::value> deliver(const Delivery& d);
  std::string sender_id(const Call& c) const;

  std::unique_ptr<Store> store_;
  std::unordered_map<int64_t, std::unique_ptr<AsyncEvent>> events_;
  // FIFO ReceiveRequestAttemptId: the messages a receive attempt returned, for retries.
  struct Attempt {
    std::vector<std::pair<int64_t, uint64_t>> messages;  // row, nonce
    int64_t expires_ms = 0;
  };
  std::unordered_map<std::string, Attempt> attempts_;
  bool stopping_ = false;
};

}  // namespace stratus::sqs
