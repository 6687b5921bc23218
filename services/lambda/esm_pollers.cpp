// Event-source mapping pollers, in process: SQS queues through the sqs service's ReceiveMessage /
// DeleteMessageBatch, DynamoDB streams through dynamodbstreams' DescribeStream / GetShardIterator /
// GetRecords (Bus::call). Events are built in AWS's shapes:
// https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html, .../with-ddb.html
#include "errors.hpp"
#include "filter.hpp"
#include "lambda_service.hpp"
#include "model.hpp"

#include <stratus/bus.hpp>
#include <stratus/crypto.hpp>
#include <stratus/ids.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <spdlog/spdlog.h>

namespace stratus::lambda {
namespace asio = boost::asio;
using asio::awaitable;

namespace {

std::vector<json::object> filters_of(const json::object& d) {
  std::vector<json::object> out;
  if (auto* fc = opt_obj(d, "FilterCriteria"))
    if (auto* list = opt_arr(*fc, "Filters"))
      for (auto& f : *list)
        if (f.is_object()) try {
            out.push_back(parse_pattern(str_or(f.get_object(), "Pattern")));
          } catch (const std::invalid_argument&) {
          }
  return out;
}

bool reports_item_failures(const json::object& d) {
  if (auto* t = opt_arr(d, "FunctionResponseTypes"))
    for (auto& x : *t)
      if (x.is_string() && x.get_string() == "ReportBatchItemFailures") return true;
  return false;
}

// The SQS message as the Lambda event record (with-sqs.html "Example Amazon SQS message event").
json::object sqs_record(const json::object& msg, const std::string& queue_arn, const std::string& region) {
  json::object attrs;
  if (auto* a = opt_obj(msg, "Attributes"))
    for (auto& [k, v] : *a) attrs[k] = v;
  json::object mattrs;
  if (auto* ma = opt_obj(msg, "MessageAttributes"))
    for (auto& [k, v] : *ma) {
      if (!v.is_object()) continue;
      const auto& o = v.get_object();
      json::object x{{"stringListValues", json::array{}}, {"binaryListValues", json::array{}},
                     {"dataType", str_or(o, "DataType")}};
      if (auto s = opt_str(o, "StringValue")) x["stringValue"] = *s;
      if (auto b = opt_str(o, "BinaryValue")) x["binaryValue"] = crypto::base64(*b);
      mattrs[k] = std::move(x);
    }
  json::object r{{"messageId", str_or(msg, "MessageId")},
                 {"receiptHandle", str_or(msg, "ReceiptHandle")},
                 {"body", str_or(msg, "Body")},
                 {"attributes", std::move(attrs)},
                 {"messageAttributes", std::move(mattrs)},
                 {"md5OfBody", str_or(msg, "MD5OfBody")}};
  if (auto md5 = opt_str(msg, "MD5OfMessageAttributes")) r["md5OfMessageAttributes"] = *md5;
  r["eventSource"] = "aws:sqs";
  r["eventSourceARN"] = queue_arn;
  r["awsRegion"] = region;
  return r;
}

// What filter patterns see for an SQS record: the body as JSON when it is JSON.
json::value sqs_filter_view(const json::object& record) {
  json::object v = record;
  boost::system::error_code ec;
  auto body = json::parse(str_or(record, "body"), ec);
  if (!ec && body.is_object()) v["body"] = std::move(body);
  return v;
}

// DynamoDB stream records carry binary attribute values as raw bytes in documents: base64 them.
void base64_binaries(json::value& v) {
  if (v.is_object()) {
    auto& o = v.get_object();
    for (auto& [k, x] : o) {
      if (k == "B" && x.is_string()) x = json::string(crypto::base64(x.get_string()));
      else if (k == "BS" && x.is_array()) {
        for (auto& b : x.get_array())
          if (b.is_string()) b = json::string(crypto::base64(b.get_string()));
      } else {
        base64_binaries(x);
      }
    }
  } else if (v.is_array()) {
    for (auto& x : v.get_array()) base64_binaries(x);
  }
}

json::value parse_or_string(std::string_view s) {
  boost::system::error_code ec;
  auto v = json::parse(s, ec);
  return ec ? json::value(json::string(s)) : v;
}

}  // namespace

void LambdaService::start_mapping(const std::string& uuid) {
  Mapping* m = store_.mapping(uuid);
  if (!m) return;
  uint64_t gen = ++poller_generation_;
  pollers_[uuid] = gen;
  auto arn = Arn::parse(str_or(m->doc, "EventSourceArn"));
  if (!arn) return;
  if (arn->service == "sqs") asio::co_spawn(env().io, poll_sqs(uuid, gen), asio::detached);
  else asio::co_spawn(env().io, poll_stream(uuid, gen), asio::detached);
}

void LambdaService::stop_mapping(const std::string& uuid) { pollers_.erase(uuid); }

awaitable<void> LambdaService::poll_sqs(std::string uuid, uint64_t generation) {
  Clock& clock = env().clock;
  auto alive = [&] {
    auto it = pollers_.find(uuid);
    return it != pollers_.end() && it->second == generation;
  };
  std::string queue_url;
  std::chrono::seconds backoff{1};
  while (alive()) {
    Mapping* m = store_.mapping(uuid);
    if (!m) co_return;
    const json::object d = m->doc;
    const std::string queue_arn(str_or(d, "EventSourceArn"));
    auto arn = Arn::parse(queue_arn);
    const std::string account = arn->account, region = arn->region;
    try {
      if (queue_url.empty()) {
        json::object q;
        q["QueueName"] = arn->resource;
        q["QueueOwnerAWSAccountId"] = account;
        auto out = co_await env().bus.call("sqs", "GetQueueUrl", std::move(q), account, region);
        queue_url = str_or(out, "QueueUrl");
      }
      const int64_t batch = opt_int(d, "BatchSize").value_or(10);
      const int64_t window = opt_int(d, "MaximumBatchingWindowInSeconds").value_or(0);
      json::array messages;
      const auto started = clock.now();
      for (;;) {
        int64_t want = std::min<int64_t>(10, batch - static_cast<int64_t>(messages.size()));
        int64_t wait = 20;
        if (!messages.empty()) {
          auto left = std::chrono::duration_cast<std::chrono::milliseconds>(started + std::chrono::seconds(window) - clock.now());
          wait = std::max<int64_t>(0, std::min<int64_t>(20, (left.count() + 999) / 1000));
        }
        json::object rq;
        rq["QueueUrl"] = queue_url;
        rq["MaxNumberOfMessages"] = want;
        rq["WaitTimeSeconds"] = wait;
        rq["AttributeNames"] = json::array{"All"};
        rq["MessageSystemAttributeNames"] = json::array{"All"};
        rq["MessageAttributeNames"] = json::array{"All"};
        auto out = co_await env().bus.call("sqs", "ReceiveMessage", std::move(rq), account, region);
        if (!alive()) co_return;
        if (auto* got = opt_arr(out, "Messages"))
          for (auto& x : *got) messages.push_back(x);
        if (messages.empty()) break;
        if (static_cast<int64_t>(messages.size()) >= batch || window == 0) break;
        if (clock.now() - started >= std::chrono::seconds(window)) break;
        if (!opt_arr(out, "Messages") || opt_arr(out, "Messages")->empty()) break;
      }
      backoff = std::chrono::seconds(1);
      if (messages.empty()) continue;
      // Filtered-out messages are deleted (with-sqs.html, "Filtering").
      auto filters = filters_of(d);
      json::array records, dropped;
      for (auto& x : messages) {
        if (!x.is_object()) continue;
        json::object rec = sqs_record(x.get_object(), queue_arn, region);
        if (any_pattern_matches(filters, sqs_filter_view(rec))) records.push_back(std::move(rec));
        else dropped.push_back(x);
      }
      auto delete_all = [&](const json::array& msgs) -> awaitable<void> {
        for (size_t i = 0; i < msgs.size(); i += 10) {
          json::array entries;
          for (size_t k = i; k < msgs.size() && k < i + 10; ++k)
            entries.push_back(json::object{{"Id", "m" + std::to_string(k)},
                                           {"ReceiptHandle", str_or(msgs[k].get_object(), "ReceiptHandle")}});
          json::object del;
          del["QueueUrl"] = queue_url;
          del["Entries"] = std::move(entries);
          co_await env().bus.call("sqs", "DeleteMessageBatch", std::move(del), account, region);
        }
      };
      if (!dropped.empty()) co_await delete_all(dropped);
      if (records.empty()) continue;
      Target t;
      bool resolved = true;
      try {
        t = resolve(m->account, m->region, str_or(d, "FunctionArn"), std::nullopt);
      } catch (const AwsError& e) {
        spdlog::warn("lambda: event-source mapping {}: {}", uuid, e.message);
        resolved = false;
      }
      if (!resolved) {
        if (!co_await clock.sleep_for(std::chrono::seconds(5))) co_return;
        continue;
      }
      runtime::Invocation inv;
      inv.request_id = ids::uuid4();
      json::object event;
      event["Records"] = records;
      inv.payload = json::serialize(event);
      inv.invoked_arn = t.invoked_arn;
      InvokeOutcome outcome;
      bool ok = true;
      try {
        outcome = co_await execute(t, std::move(inv));
      } catch (const AwsError& e) {
        ok = false;
        spdlog::debug("lambda: event-source mapping {}: {}", uuid, e.message);
      }
      if (!alive()) co_return;
      if (!ok || !outcome.result.function_error.empty()) continue;  // visible again after the visibility timeout
      // Successful batch: delete what succeeded (everything, unless the function reported failures).
      json::array done;
      if (reports_item_failures(d)) {
        auto resp = parse_or_string(outcome.result.payload);
        std::set<std::string> failed;
        bool whole_batch_failed = false;
        if (resp.is_object())
          if (auto* f = opt_arr(resp.get_object(), "batchItemFailures"))
            for (auto& item : *f) {
              std::string id = item.is_object() ? std::string(str_or(item.get_object(), "itemIdentifier")) : "";
              bool known = false;
              for (auto& r : records) known = known || str_or(r.get_object(), "messageId") == id;
              if (id.empty() || !known) whole_batch_failed = true;
              failed.insert(id);
            }
        if (whole_batch_failed) continue;
        for (auto& x : messages)
          if (!failed.count(std::string(str_or(x.get_object(), "MessageId")))) done.push_back(x);
      } else {
        for (auto& r : records) {
          for (auto& x : messages)
            if (str_or(x.get_object(), "MessageId") == str_or(r.get_object(), "messageId")) done.push_back(x);
        }
      }
      if (!done.empty()) co_await delete_all(done);
    } catch (const AwsError& e) {
      spdlog::debug("lambda: event-source mapping {} ({}): {} {}", uuid, queue_arn, e.code, e.message);
      queue_url.clear();
    } catch (const std::exception& e) {
      spdlog::warn("lambda: event-source mapping {}: {}", uuid, e.what());
    }
    if (!alive()) co_return;
    // Errors from the queue (deleted, not yet created): back off without busy-looping.
    if (queue_url.empty()) {
      if (!co_await clock.sleep_for(backoff)) co_return;
      backoff = std::min(backoff * 2, std::chrono::seconds(30));
    }
  }
}

awaitable<void> LambdaService::poll_stream(std::string uuid, uint64_t generation) {
  Clock& clock = env().clock;
  auto alive = [&] {
    auto it = pollers_.find(uuid);
    return it != pollers_.end() && it->second == generation;
  };
  struct ShardState {
    std::string iterator;
    bool done = false;
  };
  std::map<std::string, ShardState> shards;
  bool first_describe = true;
  int idle_rounds = 0;
  while (alive()) {
    Mapping* m = store_.mapping(uuid);
    if (!m) co_return;
    const json::object d = m->doc;
    const std::string stream_arn(str_or(d, "EventSourceArn"));
    auto arn = Arn::parse(stream_arn);
    const std::string account = arn->account, region = arn->region, mapping_account = m->account,
                      mapping_region = m->region;
    bool got_any = false;
    try {
      json::object ds;
      ds["StreamArn"] = stream_arn;
      auto desc = co_await env().bus.call("dynamodbstreams", "DescribeStream", std::move(ds), account, region);
      if (!alive()) co_return;
      std::string position(str_or(d, "StartingPosition", "LATEST"));
      if (auto* sd = opt_obj(desc, "StreamDescription"))
        if (auto* list = opt_arr(*sd, "Shards"))
          for (auto& s : *list) {
            std::string id(str_or(s.get_object(), "ShardId"));
            if (shards.count(id)) continue;
            // New shards after start are read from their beginning; at start, from StartingPosition.
            json::object gi;
            gi["StreamArn"] = stream_arn;
            gi["ShardId"] = id;
            gi["ShardIteratorType"] = first_describe ? (position == "TRIM_HORIZON" ? "TRIM_HORIZON" : "LATEST") : "TRIM_HORIZON";
            auto it = co_await env().bus.call("dynamodbstreams", "GetShardIterator", std::move(gi), account, region);
            shards[id].iterator = str_or(it, "ShardIterator");
          }
      first_describe = false;
      for (auto& [shard_id, state] : shards) {
        if (state.done || state.iterator.empty() || !alive()) continue;
        const int64_t batch = opt_int(d, "BatchSize").value_or(100);
        json::object gr;
        gr["ShardIterator"] = state.iterator;
        gr["Limit"] = std::min<int64_t>(batch, 1000);
        auto out = co_await env().bus.call("dynamodbstreams", "GetRecords", std::move(gr), account, region);
        if (!alive()) co_return;
        if (auto next = opt_str(out, "NextShardIterator")) state.iterator = *next;
        else state.done = true;
        json::array raw;
        if (auto* r = opt_arr(out, "Records")) raw = *r;
        if (raw.empty()) continue;
        got_any = true;
        auto filters = filters_of(d);
        json::array records;
        for (auto& r : raw) {
          json::value rec = r;
          base64_binaries(rec);
          rec.as_object()["eventSourceARN"] = stream_arn;
          if (any_pattern_matches(filters, rec)) records.push_back(std::move(rec));
        }
        // Deliver with retries, bisecting and the failure destination (with-ddb.html "Error handling").
        const int64_t max_retries = opt_int(d, "MaximumRetryAttempts").value_or(-1);
        const int64_t max_age = opt_int(d, "MaximumRecordAgeInSeconds").value_or(-1);
        const bool bisect = opt_bool(d, "BisectBatchOnFunctionError").value_or(false);
        const bool item_failures = reports_item_failures(d);
        std::vector<json::array> pending{records};
        while (!pending.empty() && alive()) {
          json::array part = std::move(pending.back());
          pending.pop_back();
          if (part.empty()) continue;
          int attempts = 0;
          for (;;) {
            // Records older than the maximum age are not delivered (they go to the failure destination).
            bool too_old = false;
            if (max_age >= 0)
              for (auto& r : part)
                if (auto* dd = opt_obj(r.get_object(), "dynamodb"))
                  if (auto* t = find(*dd, "ApproximateCreationDateTime"); t && t->is_number())
                    too_old = too_old || clock.now_seconds() - t->to_number<double>() > static_cast<double>(max_age);
            std::string condition;
            InvokeOutcome outcome;
            bool ok = false;
            if (!too_old) {
              Target t;
              try {
                t = resolve(mapping_account, mapping_region, str_or(d, "FunctionArn"), std::nullopt);
              } catch (const AwsError&) {
                co_return;
              }
              runtime::Invocation inv;
              inv.request_id = ids::uuid4();
              json::object event;
              event["Records"] = part;
              inv.payload = json::serialize(event);
              inv.invoked_arn = t.invoked_arn;
              try {
                outcome = co_await execute(t, std::move(inv));
                ok = outcome.result.function_error.empty();
              } catch (const AwsError&) {
              }
              ++attempts;
              if (!alive()) co_return;
              if (ok && item_failures) {
                // Checkpoint: everything before the first reported failure is done; retry from it.
                auto resp = parse_or_string(outcome.result.payload);
                std::string first_failed;
                if (resp.is_object())
                  if (auto* f = opt_arr(resp.get_object(), "batchItemFailures"); f && !f->empty() && (*f)[0].is_object())
                    first_failed = str_or((*f)[0].get_object(), "itemIdentifier");
                if (!first_failed.empty()) {
                  json::array rest;
                  bool from = false;
                  for (auto& r : part) {
                    auto* dd = opt_obj(r.get_object(), "dynamodb");
                    if (dd && str_or(*dd, "SequenceNumber") == first_failed) from = true;
                    if (from) rest.push_back(r);
                  }
                  if (!rest.empty() && rest.size() < part.size() + 1) {
                    part = std::move(rest);
                    ok = false;
                  }
                }
              }
              if (ok) break;
              if (bisect && part.size() > 1) {
                size_t half = part.size() / 2;
                json::array a(part.begin(), part.begin() + static_cast<std::ptrdiff_t>(half));
                json::array b(part.begin() + static_cast<std::ptrdiff_t>(half), part.end());
                pending.push_back(std::move(b));
                pending.push_back(std::move(a));
                break;
              }
              if (max_retries < 0 || attempts <= max_retries) {
                if (!co_await clock.sleep_for(std::chrono::seconds(1))) co_return;
                continue;
              }
              condition = "RetryAttemptsExhausted";
            } else {
              condition = "RecordAgeExceeded";
            }
            // Give up on this batch: tell the on-failure destination.
            std::string dest;
            if (auto* dc = opt_obj(d, "DestinationConfig"))
              if (auto* of = opt_obj(*dc, "OnFailure")) dest = str_or(*of, "Destination");
            if (!dest.empty()) {
              auto seq = [&](const json::value& r) {
                auto* dd = opt_obj(r.get_object(), "dynamodb");
                return dd ? std::string(str_or(*dd, "SequenceNumber")) : std::string();
              };
              auto arrival = [&](const json::value& r) {
                auto* dd = opt_obj(r.get_object(), "dynamodb");
                auto* t = dd ? find(*dd, "ApproximateCreationDateTime") : nullptr;
                return iso8601(t && t->is_number() ? t->to_number<double>() : clock.now_seconds());
              };
              json::object response_ctx{{"statusCode", 200}, {"executedVersion", outcome.executed_version.empty() ? "$LATEST" : outcome.executed_version}};
              if (!too_old) response_ctx["functionError"] = "Unhandled";
              json::object record{
                  {"requestContext", json::object{{"requestId", ids::uuid4()},
                                                  {"functionArn", str_or(d, "FunctionArn")},
                                                  {"condition", condition},
                                                  {"approximateInvokeCount", attempts}}},
                  {"responseContext", std::move(response_ctx)},
                  {"version", "1.0"},
                  {"timestamp", iso8601(clock.now_seconds())},
                  {"DDBStreamBatchInfo", json::object{{"shardId", shard_id},
                                                      {"startSequenceNumber", seq(part.front())},
                                                      {"endSequenceNumber", seq(part.back())},
                                                      {"approximateArrivalOfFirstRecord", arrival(part.front())},
                                                      {"approximateArrivalOfLastRecord", arrival(part.back())},
                                                      {"batchSize", static_cast<int64_t>(part.size())},
                                                      {"streamArn", stream_arn}}}};
              Delivery dl;
              dl.target_arn = dest;
              dl.source_arn = str_or(d, "EventSourceMappingArn");
              dl.payload = json::serialize(record);
              env().bus.dispatch(std::move(dl), [dest](const json::value*, const AwsError* e) {
                if (e) spdlog::warn("lambda: on-failure destination {} failed: {}", dest, e->message);
              });
            }
            break;
          }
        }
        if (alive()) {
          if (Mapping* mm = store_.mapping(uuid)) {
            mm->doc["LastProcessingResult"] = "OK";
            store_.save(*mm);
          }
        }
      }
      std::erase_if(shards, [](const auto& kv) { return kv.second.done; });
    } catch (const AwsError& e) {
      spdlog::debug("lambda: event-source mapping {} ({}): {} {}", uuid, stream_arn, e.code, e.message);
      shards.clear();
      first_describe = true;
    } catch (const std::exception& e) {
      spdlog::warn("lambda: event-source mapping {}: {}", uuid, e.what());
    }
    if (!alive()) co_return;
    // Streams are polled: four times a second while records flow, then once a second.
    idle_rounds = got_any ? 0 : idle_rounds + 1;
    auto pause = idle_rounds > 8 ? std::chrono::milliseconds(1000) : std::chrono::milliseconds(250);
    if (!co_await clock.sleep_for(pause)) co_return;
  }
}

}  // namespace stratus::lambda
