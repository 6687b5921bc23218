// DynamoDB Streams: records written by Engine::write and the Streams API
// (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Operations_Amazon_DynamoDB_Streams.html).
// Each enablement of a table's stream is one stream with one shard; records are kept 24 hours.
#include "streams.hpp"

#include "attr.hpp"
#include "errors.hpp"

#include <stratus/clock.hpp>
#include <stratus/crypto.hpp>
#include <stratus/ids.hpp>
#include <stratus/strings.hpp>

#include <chrono>
#include <cmath>
#include <cstdio>

namespace stratus::dynamodb {

namespace {

constexpr double kRetention = 24 * 3600;
constexpr double kIteratorLifetime = 15 * 60;

std::string seq_text(int64_t seq) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%021lld", static_cast<long long>(seq));
  return buf;
}

std::optional<int64_t> parse_seq(std::string_view s) {
  if (s.empty() || s.size() > 30) return std::nullopt;
  for (char c : s)
    if (c < '0' || c > '9') return std::nullopt;
  long long v = 0;
  for (char c : s) {
    if (v > 900000000000000000LL) return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return v;
}

std::string hex32() {
  std::string out;
  static const char* kHex = "0123456789abcdef";
  for (int i = 0; i < 2; ++i) {
    uint64_t r = ids::random64();
    for (int k = 0; k < 16; ++k) out += kHex[(r >> (k * 4)) & 15];
  }
  return out;
}

AwsError stream_not_found(std::string_view arn) {
  return AwsError("ResourceNotFoundException", "Requested resource not found: Stream: " + std::string(arn) + " not found",
                  400);
}

}  // namespace

void create_stream(Engine& e, Table& t) {
  double now = e.now();
  std::string label = iso8601(now);
  if (!label.empty() && label.back() == 'Z') label.pop_back();
  std::string arn = t.arn() + "/stream/" + label;
  char shard[64];
  std::snprintf(shard, sizeof shard, "shardId-%020lld-%08llx", static_cast<long long>(now * 1000),
                static_cast<unsigned long long>(ids::random64() & 0xffffffffULL));
  auto& db = e.store->db();
  db.run("INSERT INTO streams (arn, account, region, table_name, label, view_type, key_schema, created, shard_id, "
         "start_seq, enabled) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)",
         arn, t.account, t.region, t.name, label, t.stream_view, json::serialize(t.desc.at("KeySchema")), now,
         std::string(shard), e.store->current_sequence() + 1);
  t.stream_id = db.last_insert_rowid();
  t.stream_arn = arn;
  t.desc["LatestStreamArn"] = arn;
  t.desc["LatestStreamLabel"] = label;
}

void disable_stream(Engine& e, Table& t) {
  if (!t.stream_id) return;
  e.store->db().run("UPDATE streams SET enabled = 0, disabled_at = ?, end_seq = ? WHERE id = ?", e.now(),
                    e.store->current_sequence(), t.stream_id);
}

void Engine::append_stream_record(Table& t, const ItemKey& k, const json::object* old, const json::object* neu,
                                  bool by_ttl) {
  if (!t.stream_id) return;
  if (old && neu && old->size() == neu->size()) {
    bool same = true;
    for (auto& [name, v] : *neu) {
      auto* o = old->if_contains(name);
      if (!o || !av_equal(*o, v)) {
        same = false;
        break;
      }
    }
    if (same) return;  // writes that change nothing produce no record
  }
  const json::object& any = neu ? *neu : *old;
  json::object ddb;
  double now = env->clock.now_seconds();
  ddb["ApproximateCreationDateTime"] = std::floor(now);
  ddb["Keys"] = key_attributes(t, any);
  bool want_new = t.stream_view == "NEW_IMAGE" || t.stream_view == "NEW_AND_OLD_IMAGES";
  bool want_old = t.stream_view == "OLD_IMAGE" || t.stream_view == "NEW_AND_OLD_IMAGES";
  size_t size = item_size(ddb["Keys"].get_object());
  if (want_new && neu) {
    ddb["NewImage"] = *neu;
    size += item_size(*neu);
  }
  if (want_old && old) {
    ddb["OldImage"] = *old;
    size += item_size(*old);
  }
  int64_t seq = store->next_sequence();
  ddb["SequenceNumber"] = seq_text(seq);
  ddb["SizeBytes"] = static_cast<int64_t>(size);
  ddb["StreamViewType"] = t.stream_view;
  json::object rec{{"eventID", hex32()},
                   {"eventName", !old ? "INSERT" : !neu ? "REMOVE" : "MODIFY"},
                   {"eventVersion", "1.1"},
                   {"eventSource", "aws:dynamodb"},
                   {"awsRegion", t.region},
                   {"dynamodb", std::move(ddb)}};
  if (by_ttl) rec["userIdentity"] = json::object{{"PrincipalId", "dynamodb.amazonaws.com"}, {"Type", "Service"}};
  store->db().run("INSERT INTO stream_records (sid, seq, created, record) VALUES (?, ?, ?, ?)", t.stream_id, seq, now,
                  serialize_item(rec));
  (void)k;
}

namespace streams_ops {

namespace {

struct StreamRow {
  int64_t id;
  std::string arn, table, label, view, key_schema, shard;
  double created;
  int64_t start_seq;
  std::optional<int64_t> end_seq;
  bool enabled;
};

std::optional<StreamRow> load_stream(Engine& e, std::string_view arn) {
  auto c = e.store->db().query(
      "SELECT id, arn, table_name, label, view_type, key_schema, shard_id, created, start_seq, end_seq, enabled "
      "FROM streams WHERE arn = ?",
      arn);
  if (!c.next()) return std::nullopt;
  return StreamRow{c.i64(0), c.str(1), c.str(2), c.str(3), c.str(4), c.str(5), c.str(6), c.f64(7), c.i64(8),
                   c.opt_i64(9), c.i64(10) != 0};
}

void trim(Engine& e) {
  e.store->db().run("DELETE FROM stream_records WHERE created < ?", e.now() - kRetention);
}

// Iterators age in real time, not on the test clock: advancing the clock (TTL tests) must not
// expire the iterator a Lambda event-source mapping is polling with, as it never would in AWS.
double real_now() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::string make_iterator(const StreamRow& s, int64_t position, double now) {
  std::string payload = std::to_string(s.id) + ":" + std::to_string(position) + ":" +
                        std::to_string(static_cast<int64_t>(now * 1000));
  return s.arn + "|1|" + crypto::base64(payload);
}

}  // namespace

Output list_streams(Engine& e, Call& c) {
  auto& in = c.input;
  int64_t limit = opt_int(in, "Limit").value_or(100);
  std::string table(str_or(in, "TableName"));
  std::string start(str_or(in, "ExclusiveStartStreamArn"));
  auto cur = e.store->db().query(
      "SELECT arn, table_name, label FROM streams WHERE account = ? AND region = ? AND (enabled = 1 OR disabled_at >= ?) "
      "ORDER BY arn",
      c.ctx.account_id, c.ctx.region, e.now() - kRetention);
  json::array out;
  std::string last;
  bool more = false;
  while (cur.next()) {
    std::string arn = cur.str(0);
    if (!table.empty() && cur.text(1) != table) continue;
    if (!start.empty() && arn <= start) continue;
    if (static_cast<int64_t>(out.size()) >= limit) {
      more = true;
      break;
    }
    out.push_back(json::object{{"StreamArn", arn}, {"TableName", cur.str(1)}, {"StreamLabel", cur.str(2)}});
    last = arn;
  }
  json::object r{{"Streams", std::move(out)}};
  if (more) r["LastEvaluatedStreamArn"] = last;
  return r;
}

Output describe_stream(Engine& e, Call& c) {
  std::string arn(str_or(c.input, "StreamArn"));
  auto s = load_stream(e, arn);
  if (!s) throw stream_not_found(arn);
  json::object range{{"StartingSequenceNumber", seq_text(s->start_seq)}};
  if (s->end_seq) range["EndingSequenceNumber"] = seq_text(std::max(*s->end_seq, s->start_seq));
  json::array shards;
  std::string after(str_or(c.input, "ExclusiveStartShardId"));
  if (after.empty() || after < s->shard)
    shards.push_back(json::object{{"ShardId", s->shard}, {"SequenceNumberRange", std::move(range)}});
  boost::system::error_code ec;
  json::value ks = json::parse(s->key_schema, ec);
  json::object d{{"StreamArn", s->arn},
                 {"StreamLabel", s->label},
                 {"StreamStatus", s->enabled ? "ENABLED" : "DISABLED"},
                 {"StreamViewType", s->view},
                 {"CreationRequestDateTime", s->created},
                 {"TableName", s->table},
                 {"KeySchema", ks},
                 {"Shards", std::move(shards)}};
  return json::object{{"StreamDescription", std::move(d)}};
}

Output get_shard_iterator(Engine& e, Call& c) {
  auto& in = c.input;
  std::string arn(str_or(in, "StreamArn"));
  auto s = load_stream(e, arn);
  if (!s) throw stream_not_found(arn);
  if (str_or(in, "ShardId") != s->shard)
    throw AwsError("ResourceNotFoundException",
                   "Requested resource not found: Shard does not exist", 400);
  auto type = str_or(in, "ShardIteratorType");
  auto seq_in = opt_str(in, "SequenceNumber");
  int64_t pos;
  trim(e);
  if (type == "TRIM_HORIZON") {
    auto cur = e.store->db().query("SELECT MIN(seq) FROM stream_records WHERE sid = ?", s->id);
    pos = cur.next() && !cur.is_null(0) ? cur.i64(0) : s->start_seq;
  } else if (type == "LATEST") {
    pos = e.store->current_sequence() + 1;
    if (s->end_seq) pos = *s->end_seq + 1;
  } else {
    if (!seq_in) throw validation("SequenceNumber is required for " + std::string(type) + " ShardIteratorType");
    auto seq = parse_seq(*seq_in);
    if (!seq || *seq < s->start_seq || (s->end_seq && *seq > *s->end_seq))
      throw validation("Invalid SequenceNumber " + *seq_in + " for shard " + s->shard);
    pos = type == "AT_SEQUENCE_NUMBER" ? *seq : *seq + 1;
  }
  return json::object{{"ShardIterator", make_iterator(*s, pos, real_now())}};
}

Output get_records(Engine& e, Call& c) {
  auto& in = c.input;
  std::string it(str_or(in, "ShardIterator"));
  auto bar = it.find("|1|");
  if (bar == std::string::npos) throw validation("Invalid ShardIterator");
  std::string arn = it.substr(0, bar);
  auto payload = crypto::base64_decode(std::string_view(it).substr(bar + 3));
  if (!payload) throw validation("Invalid ShardIterator");
  auto parts = split(*payload, ':');
  if (parts.size() != 3) throw validation("Invalid ShardIterator");
  auto sid = parse_int(parts[0]);
  auto pos = parse_int(parts[1]);
  auto issued = parse_int(parts[2]);
  if (!sid || !pos || !issued) throw validation("Invalid ShardIterator");
  auto s = load_stream(e, arn);
  if (!s || s->id != *sid) throw stream_not_found(arn);
  double now = real_now();
  if (now - static_cast<double>(*issued) / 1000.0 > kIteratorLifetime)
    throw AwsError("ExpiredIteratorException", "Iterator expired. The iterator was created at time " +
                                                   iso8601(static_cast<double>(*issued) / 1000.0) +
                                                   " while right now it is " + iso8601(now) +
                                                   " which is further in the future than the tolerated delay of 900000 milliseconds.",
                   400);
  trim(e);
  int64_t limit = opt_int(in, "Limit").value_or(1000);
  json::array records;
  int64_t next = *pos;
  {
    auto cur = e.store->db().query(
        "SELECT seq, record FROM stream_records WHERE sid = ? AND seq >= ? ORDER BY seq LIMIT ?", s->id, *pos, limit);
    while (cur.next()) {
      next = cur.i64(0) + 1;
      records.push_back(parse_item(cur.text(1)));
    }
  }
  json::object out{{"Records", std::move(records)}};
  bool closed = s->end_seq && next > *s->end_seq;
  if (!closed) out["NextShardIterator"] = make_iterator(*s, next, now);
  return out;
}

}  // namespace streams_ops
}  // namespace stratus::dynamodb
