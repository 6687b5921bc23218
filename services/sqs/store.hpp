#pragma once
// SQS state in SQLite: queues (with an in-memory cache: every operation looks one up) and their
// messages, FIFO deduplication records and message move tasks. Every row is keyed by the queue,
// and queues by (account, region, name). Times are epoch milliseconds of the service clock.
#include "model.hpp"

#include <stratus/json.hpp>
#include <stratus/store.hpp>

#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace stratus::sqs {

struct Queue {
  int64_t id = 0;
  std::string account, region, name;
  QueueConfig config;
  json::object tags;
  int64_t created_ms = 0, modified_ms = 0;
  std::optional<int64_t> purged_ms;
  int64_t next_sequence = 0;
  int64_t expired_check_ms = 0;  // last retention sweep (not stored)
  uint64_t incarnation = 0;      // unique per queue object (ids are reused after deletes and resets)

  std::string arn() const { return "arn:aws:sqs:" + region + ":" + account + ":" + name; }
  bool fifo() const { return config.fifo; }
};

// A message as stored.
struct StoredMessage {
  int64_t row = 0;
  int64_t queue_id = 0;
  std::string message_id;
  std::string body;
  std::string attributes;         // MessageAttributes as JSON text (binary values base64), "" if none
  std::string system_attributes;  // MessageSystemAttributes as JSON text, "" if none
  std::string sender_id;
  int64_t sent_ms = 0;
  int64_t visible_ms = 0;
  int64_t receive_count = 0;
  std::optional<int64_t> first_receive_ms;
  std::optional<int64_t> received_ms;
  uint64_t nonce = 0;
  std::optional<std::string> group_id, dedup_id, sequence_number, dlq_source_arn;
  std::string md5_body;        // "" for rows stored before digests were kept
  std::string md5_attributes;  // of all MessageAttributes; "" when none
};

struct MessageCounts {
  int64_t visible = 0, not_visible = 0, delayed = 0;
};

struct MoveTask {
  std::string task_id;
  std::string account, region;
  std::string source_arn, destination_arn;  // destination empty: each message's original source
  std::optional<int64_t> max_per_second;
  std::string status;                       // RUNNING, COMPLETED, CANCELLING, CANCELLED, FAILED
  int64_t started_ms = 0;
  int64_t to_move = 0, moved = 0;
  std::string failure_reason;
};

class Store {
 public:
  explicit Store(store::Database& db);
  void wipe();

  // ---- queues (cached) ----
  Queue* find(std::string_view account, std::string_view region, std::string_view name);
  Queue* find_by_id(int64_t id);
  Queue* find_by_arn(std::string_view arn);
  std::vector<Queue*> list(std::string_view account, std::string_view region, std::string_view prefix);
  std::vector<Queue*> all();
  Queue& create(Queue q);
  void save(const Queue& q);  // attributes, tags, timestamps, sequence counter
  void save_sequence(const Queue& q);  // only the FIFO sequence counter (every FIFO send)
  void remove(Queue& q);

  // ---- messages ----
  int64_t insert(StoredMessage& m);  // sets m.row
  std::optional<StoredMessage> get(int64_t row);
  // Messages visible at `now_ms`, oldest visibility first (standard) or enqueue order (FIFO).
  std::vector<StoredMessage> visible(int64_t queue_id, int64_t now_ms, int limit, bool enqueue_order);
  // FIFO: (row, group) of visible messages of groups without a message in flight, in enqueue order.
  std::vector<std::pair<int64_t, std::string>> visible_unlocked(int64_t queue_id, int64_t now_ms, int limit);
  void mark_received(const StoredMessage& m);  // visible_ms, receive_count, first/last receive, nonce
  void set_visible(int64_t row, int64_t visible_ms);
  bool erase(int64_t row, int64_t queue_id, std::string_view message_id);
  int64_t purge(int64_t queue_id);
  int64_t expire(int64_t queue_id, int64_t sent_before_ms);
  MessageCounts counts(int64_t queue_id, int64_t now_ms);
  std::optional<int64_t> next_visibility_change(int64_t queue_id, int64_t now_ms);

  // ---- FIFO deduplication ----
  struct Dedup {
    std::string message_id, sequence_number;
  };
  std::optional<Dedup> find_dedup(int64_t queue_id, std::string_view scope, std::string_view dedup_id, int64_t now_ms);
  void put_dedup(int64_t queue_id, std::string_view scope, std::string_view dedup_id, const Dedup& d, int64_t expires_ms);

  // ---- move tasks ----
  void save_task(const MoveTask& t);
  std::optional<MoveTask> get_task(std::string_view task_id);
  std::vector<MoveTask> tasks_for(std::string_view source_arn);
  std::vector<std::string> running_tasks();

  store::Database& db() { return db_; }

 private:
  static std::string key(std::string_view account, std::string_view region, std::string_view name);
  void load();
  StoredMessage read_message(store::Cursor& c);
  store::Database& db_;
  std::unordered_map<std::string, std::unique_ptr<Queue>> queues_;
  std::unordered_map<int64_t, Queue*> by_id_;
  uint64_t dedup_puts_ = 0;
  uint64_t incarnations_ = 0;
};

}  // namespace stratus::sqs
