#pragma once
// SQS domain rules without I/O: queue names and URLs, queue attributes (defaults, validation,
// rendering), message attribute validation and MD5 digests, receipt handles, batch entry ids.
#include <stratus/json.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace stratus::sqs {

inline constexpr int64_t kMaxMessageSize = 1048576;      // 1 MiB since 2025 (was 256 KiB)
inline constexpr int64_t kMaxVisibilityTimeout = 43200;  // 12 hours
inline constexpr int64_t kDedupWindowMs = 5 * 60 * 1000;  // FIFO deduplication interval
inline constexpr int64_t kPurgeIntervalSeconds = 60;

// ---- queue names and URLs ----

// Standard: [A-Za-z0-9_-]{1,80}; FIFO: the same plus a ".fifo" suffix counted in the 80.
bool valid_queue_name(std::string_view name, bool fifo);

struct QueueLocation {
  std::string account, region, name;  // region empty: the caller's
};
// Accepts AWS's https://sqs.<region>.amazonaws.com/<account>/<name>, Stratus's
// http://host:port/<account>/<name>, and LocalStack's forms
// (http://sqs.<region>.localhost.localstack.cloud:4566/..., http://<region>.queue.localhost...,
// http://localhost:4566/queue/<region>/<account>/<name>).
std::optional<QueueLocation> parse_queue_url(std::string_view url);

// ---- queue attributes ----

// The attributes a client can set, with their current values. Read-only attributes
// (QueueArn, Approximate*, timestamps) are computed by the service.
struct QueueConfig {
  bool fifo = false;
  int64_t delay_seconds = 0;
  int64_t maximum_message_size = kMaxMessageSize;
  int64_t message_retention_period = 345600;
  int64_t receive_message_wait_time_seconds = 0;
  int64_t visibility_timeout = 30;
  std::string policy;
  std::string redrive_policy;        // normalised {"deadLetterTargetArn":"...","maxReceiveCount":N}
  std::string redrive_allow_policy;
  std::string kms_master_key_id;
  int64_t kms_data_key_reuse_period_seconds = 300;
  bool sqs_managed_sse = true;
  bool content_based_deduplication = false;
  std::string deduplication_scope = "queue";
  std::string fifo_throughput_limit = "perQueue";
  // parsed from redrive_policy
  std::string dead_letter_target_arn;
  int64_t max_receive_count = 0;

  // Validates and applies `attrs` (AWS's checks and messages). `creating` allows FifoQueue.
  // Cross-queue checks (the DLQ exists and accepts this source) are the service's.
  void apply(const json::object& attrs, bool creating);
  // The value GetQueueAttributes reports for a settable attribute; nullopt when unset/not applicable.
  std::optional<std::string> get(std::string_view name) const;
  // Settable attributes as stored (name → value).
  json::object to_json() const;
  static QueueConfig from_json(const json::object& stored);
};

// Every attribute name GetQueueAttributes knows, in the order AWS lists them for "All".
const std::vector<std::string_view>& all_queue_attribute_names();
bool is_queue_attribute_name(std::string_view name);

// ---- messages ----

// AWS's allowed characters: #x9 | #xA | #xD | #x20-#xD7FF | #xE000-#xFFFD | #x10000-#x10FFFF.
bool valid_message_characters(std::string_view utf8);

// Validates MessageAttributes (documents of the MessageAttributeValue shape); throws AwsError.
void validate_message_attributes(const json::object& attrs);
// Validates MessageSystemAttributes (only AWSTraceHeader, a String).
void validate_system_attributes(const json::object& attrs);
// Bytes the attributes add to the message size (name + type + value of each).
int64_t message_attributes_size(const json::object& attrs);
// MD5 over the attributes as AWS computes it (sorted names; length-prefixed name, type,
// transport byte and value). Lower-case hex; "" when there are no attributes.
std::string md5_of_message_attributes(const json::object& attrs);

// MessageGroupId / MessageDeduplicationId: 1-128 alphanumeric or punctuation characters.
bool valid_fifo_id(std::string_view id);
// Batch entry Id: [A-Za-z0-9_-]{1,80}.
bool valid_batch_entry_id(std::string_view id);

// Message attribute names a ReceiveMessage asked for: "All", ".*", "prefix.*", exact names.
bool message_attribute_selected(const std::vector<std::string>& requested, std::string_view name);

// ---- receipt handles ----

// A receipt handle names the receive that produced it: the queue, the message (row and id: row ids
// can be reused after deletes, message ids never are) and the receive's nonce.
struct Receipt {
  int64_t queue_id = 0;
  int64_t message_row = 0;
  uint64_t nonce = 0;
  std::string message_id;
  std::string queue_arn;
};
std::string encode_receipt(const Receipt& r);
std::optional<Receipt> decode_receipt(std::string_view handle);

// Move task handles carry the task id and the source queue ARN.
std::string encode_task_handle(std::string_view task_id, std::string_view source_arn);
std::optional<std::pair<std::string, std::string>> decode_task_handle(std::string_view handle);

}  // namespace stratus::sqs
