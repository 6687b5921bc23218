#include "store.hpp"

#include <stratus/bus.hpp>

#include <algorithm>

namespace stratus::sqs {

namespace {

constexpr store::Migration kMigrations[] = {
    {1, R"sql(
      CREATE TABLE queues (
        id INTEGER PRIMARY KEY,
        account TEXT NOT NULL,
        region TEXT NOT NULL,
        name TEXT NOT NULL,
        attributes TEXT NOT NULL,
        tags TEXT NOT NULL,
        created_ms INTEGER NOT NULL,
        modified_ms INTEGER NOT NULL,
        purged_ms INTEGER,
        next_sequence INTEGER NOT NULL DEFAULT 0,
        UNIQUE (account, region, name)
      );
      CREATE TABLE messages (
        id INTEGER PRIMARY KEY,
        queue_id INTEGER NOT NULL,
        message_id TEXT NOT NULL,
        body BLOB NOT NULL,
        attributes TEXT,
        system_attributes TEXT,
        sender_id TEXT NOT NULL,
        sent_ms INTEGER NOT NULL,
        visible_ms INTEGER NOT NULL,
        receive_count INTEGER NOT NULL DEFAULT 0,
        first_receive_ms INTEGER,
        received_ms INTEGER,
        nonce INTEGER NOT NULL DEFAULT 0,
        group_id TEXT,
        dedup_id TEXT,
        sequence_number TEXT,
        dlq_source_arn TEXT
      );
      CREATE INDEX messages_visible ON messages (queue_id, visible_ms);
      CREATE INDEX messages_sent ON messages (queue_id, sent_ms);
      CREATE TABLE dedup (
        queue_id INTEGER NOT NULL,
        scope TEXT NOT NULL,
        dedup_id TEXT NOT NULL,
        message_id TEXT NOT NULL,
        sequence_number TEXT NOT NULL,
        expires_ms INTEGER NOT NULL,
        PRIMARY KEY (queue_id, scope, dedup_id)
      ) WITHOUT ROWID;
      CREATE TABLE move_tasks (
        task_id TEXT PRIMARY KEY,
        account TEXT NOT NULL,
        region TEXT NOT NULL,
        source_arn TEXT NOT NULL,
        destination_arn TEXT NOT NULL,
        max_per_second INTEGER,
        status TEXT NOT NULL,
        started_ms INTEGER NOT NULL,
        to_move INTEGER NOT NULL,
        moved INTEGER NOT NULL,
        failure_reason TEXT NOT NULL
      );
      CREATE INDEX move_tasks_source ON move_tasks (source_arn, started_ms);
    )sql"},
    // Digests computed once at send time (every receive returns them).
    {2, R"sql(
      ALTER TABLE messages ADD COLUMN md5_body TEXT;
      ALTER TABLE messages ADD COLUMN md5_attributes TEXT;
    )sql"},
};

constexpr std::string_view kMessageColumns =
    "id, queue_id, message_id, body, attributes, system_attributes, sender_id, sent_ms, visible_ms, receive_count, "
    "first_receive_ms, received_ms, nonce, group_id, dedup_id, sequence_number, dlq_source_arn, md5_body, md5_attributes";

json::object parse_object(std::string_view text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  return !ec && v.is_object() ? std::move(v.as_object()) : json::object();
}

}  // namespace

Store::Store(store::Database& db) : db_(db) {
  db_.migrate(kMigrations);
  load();
}

void Store::wipe() {
  db_.wipe();
  queues_.clear();
  by_id_.clear();
}

std::string Store::key(std::string_view account, std::string_view region, std::string_view name) {
  std::string k;
  k.reserve(account.size() + region.size() + name.size() + 2);
  k.append(account).append(1, '\n').append(region).append(1, '\n').append(name);
  return k;
}

void Store::load() {
  auto c = db_.query("SELECT id, account, region, name, attributes, tags, created_ms, modified_ms, purged_ms, "
                     "next_sequence FROM queues");
  while (c.next()) {
    auto q = std::make_unique<Queue>();
    q->id = c.i64(0);
    q->account = c.str(1);
    q->region = c.str(2);
    q->name = c.str(3);
    q->config = QueueConfig::from_json(parse_object(c.text(4)));
    q->tags = parse_object(c.text(5));
    q->created_ms = c.i64(6);
    q->modified_ms = c.i64(7);
    q->purged_ms = c.opt_i64(8);
    q->next_sequence = c.i64(9);
    q->incarnation = ++incarnations_;
    by_id_[q->id] = q.get();
    queues_[key(q->account, q->region, q->name)] = std::move(q);
  }
}

Queue* Store::find(std::string_view account, std::string_view region, std::string_view name) {
  auto it = queues_.find(key(account, region, name));
  return it == queues_.end() ? nullptr : it->second.get();
}

Queue* Store::find_by_id(int64_t id) {
  auto it = by_id_.find(id);
  return it == by_id_.end() ? nullptr : it->second;
}

Queue* Store::find_by_arn(std::string_view arn) {
  auto a = Arn::parse(arn);
  if (!a || a->service != "sqs") return nullptr;
  return find(a->account, a->region, a->resource);
}

std::vector<Queue*> Store::list(std::string_view account, std::string_view region, std::string_view prefix) {
  std::vector<Queue*> out;
  for (auto& [_, q] : queues_)
    if (q->account == account && q->region == region && std::string_view(q->name).starts_with(prefix))
      out.push_back(q.get());
  std::sort(out.begin(), out.end(), [](Queue* a, Queue* b) { return a->name < b->name; });
  return out;
}

std::vector<Queue*> Store::all() {
  std::vector<Queue*> out;
  for (auto& [_, q] : queues_) out.push_back(q.get());
  return out;
}

Queue& Store::create(Queue q) {
  db_.run("INSERT INTO queues (account, region, name, attributes, tags, created_ms, modified_ms, purged_ms, "
          "next_sequence) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
          q.account, q.region, q.name, json::serialize(q.config.to_json()), json::serialize(q.tags), q.created_ms,
          q.modified_ms, q.purged_ms, q.next_sequence);
  q.id = db_.last_insert_rowid();
  q.incarnation = ++incarnations_;
  auto owned = std::make_unique<Queue>(std::move(q));
  Queue& ref = *owned;
  by_id_[ref.id] = &ref;
  queues_[key(ref.account, ref.region, ref.name)] = std::move(owned);
  return ref;
}

void Store::save(const Queue& q) {
  db_.run("UPDATE queues SET attributes = ?, tags = ?, modified_ms = ?, purged_ms = ?, next_sequence = ? WHERE id = ?",
          json::serialize(q.config.to_json()), json::serialize(q.tags), q.modified_ms, q.purged_ms, q.next_sequence,
          q.id);
}

void Store::save_sequence(const Queue& q) {
  db_.run("UPDATE queues SET next_sequence = ? WHERE id = ?", q.next_sequence, q.id);
}

void Store::remove(Queue& q) {
  int64_t id = q.id;
  auto tx = db_.transaction();
  db_.run("DELETE FROM messages WHERE queue_id = ?", id);
  db_.run("DELETE FROM dedup WHERE queue_id = ?", id);
  db_.run("DELETE FROM queues WHERE id = ?", id);
  tx.commit();
  by_id_.erase(id);
  queues_.erase(key(q.account, q.region, q.name));
}

// ---- messages ----

int64_t Store::insert(StoredMessage& m) {
  db_.run("INSERT INTO messages (queue_id, message_id, body, attributes, system_attributes, sender_id, sent_ms, "
          "visible_ms, receive_count, first_receive_ms, received_ms, nonce, group_id, dedup_id, sequence_number, "
          "dlq_source_arn, md5_body, md5_attributes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
          m.queue_id, m.message_id, store::Blob{m.body},
          m.attributes.empty() ? std::optional<std::string>() : std::optional<std::string>(m.attributes),
          m.system_attributes.empty() ? std::optional<std::string>() : std::optional<std::string>(m.system_attributes),
          m.sender_id, m.sent_ms, m.visible_ms, m.receive_count, m.first_receive_ms, m.received_ms,
          static_cast<int64_t>(m.nonce), m.group_id, m.dedup_id, m.sequence_number, m.dlq_source_arn, m.md5_body,
          m.md5_attributes.empty() ? std::optional<std::string>() : std::optional<std::string>(m.md5_attributes));
  m.row = db_.last_insert_rowid();
  return m.row;
}

StoredMessage Store::read_message(store::Cursor& c) {
  StoredMessage m;
  m.row = c.i64(0);
  m.queue_id = c.i64(1);
  m.message_id = c.str(2);
  m.body = std::string(c.blob(3));
  m.attributes = c.is_null(4) ? std::string() : c.str(4);
  m.system_attributes = c.is_null(5) ? std::string() : c.str(5);
  m.sender_id = c.str(6);
  m.sent_ms = c.i64(7);
  m.visible_ms = c.i64(8);
  m.receive_count = c.i64(9);
  m.first_receive_ms = c.opt_i64(10);
  m.received_ms = c.opt_i64(11);
  m.nonce = static_cast<uint64_t>(c.i64(12));
  m.group_id = c.opt_str(13);
  m.dedup_id = c.opt_str(14);
  m.sequence_number = c.opt_str(15);
  m.dlq_source_arn = c.opt_str(16);
  m.md5_body = c.is_null(17) ? std::string() : c.str(17);
  m.md5_attributes = c.is_null(18) ? std::string() : c.str(18);
  return m;
}

std::optional<StoredMessage> Store::get(int64_t row) {
  static const std::string sql = "SELECT " + std::string(kMessageColumns) + " FROM messages WHERE id = ?";
  auto c = db_.query(sql, row);
  if (!c.next()) return std::nullopt;
  return read_message(c);
}

std::vector<StoredMessage> Store::visible(int64_t queue_id, int64_t now_ms, int limit, bool enqueue_order) {
  static const std::string by_visibility = "SELECT " + std::string(kMessageColumns) +
                                           " FROM messages WHERE queue_id = ? AND visible_ms <= ? "
                                           "ORDER BY visible_ms, id LIMIT ?";
  static const std::string by_enqueue = "SELECT " + std::string(kMessageColumns) +
                                        " FROM messages WHERE queue_id = ? AND visible_ms <= ? ORDER BY id LIMIT ?";
  std::vector<StoredMessage> out;
  auto c = db_.query(enqueue_order ? by_enqueue : by_visibility, queue_id, now_ms, static_cast<int64_t>(limit));
  while (c.next()) out.push_back(read_message(c));
  return out;
}

std::vector<std::pair<int64_t, std::string>> Store::visible_unlocked(int64_t queue_id, int64_t now_ms, int limit) {
  // Visible messages in enqueue order (ids and groups only), skipping groups with a message in flight.
  static const std::string sql =
      "SELECT id, group_id FROM messages WHERE queue_id = ?1 AND visible_ms <= ?2 AND (group_id IS NULL OR group_id "
      "NOT IN (SELECT group_id FROM messages WHERE queue_id = ?1 AND visible_ms > ?2 AND receive_count > 0 AND "
      "group_id IS NOT NULL)) ORDER BY id LIMIT ?3";
  std::vector<std::pair<int64_t, std::string>> out;
  auto c = db_.query(sql, queue_id, now_ms, static_cast<int64_t>(limit));
  while (c.next()) out.emplace_back(c.i64(0), c.is_null(1) ? std::string() : c.str(1));
  return out;
}

void Store::mark_received(const StoredMessage& m) {
  db_.run("UPDATE messages SET visible_ms = ?, receive_count = ?, first_receive_ms = ?, received_ms = ?, nonce = ? "
          "WHERE id = ?",
          m.visible_ms, m.receive_count, m.first_receive_ms, m.received_ms, static_cast<int64_t>(m.nonce), m.row);
}

void Store::set_visible(int64_t row, int64_t visible_ms) {
  db_.run("UPDATE messages SET visible_ms = ? WHERE id = ?", visible_ms, row);
}

bool Store::erase(int64_t row, int64_t queue_id, std::string_view message_id) {
  return db_.run("DELETE FROM messages WHERE id = ? AND queue_id = ? AND message_id = ?", row, queue_id, message_id) > 0;
}

int64_t Store::purge(int64_t queue_id) { return db_.run("DELETE FROM messages WHERE queue_id = ?", queue_id); }

int64_t Store::expire(int64_t queue_id, int64_t sent_before_ms) {
  return db_.run("DELETE FROM messages WHERE queue_id = ? AND sent_ms < ?", queue_id, sent_before_ms);
}

MessageCounts Store::counts(int64_t queue_id, int64_t now_ms) {
  MessageCounts n;
  {
    auto c = db_.query("SELECT COUNT(*) FROM messages WHERE queue_id = ? AND visible_ms <= ?", queue_id, now_ms);
    if (c.next()) n.visible = c.i64(0);
  }
  auto c = db_.query("SELECT SUM(receive_count > 0), SUM(receive_count = 0) FROM messages WHERE queue_id = ? AND "
                     "visible_ms > ?",
                     queue_id, now_ms);
  if (c.next()) {
    n.not_visible = c.is_null(0) ? 0 : c.i64(0);
    n.delayed = c.is_null(1) ? 0 : c.i64(1);
  }
  return n;
}

std::optional<int64_t> Store::next_visibility_change(int64_t queue_id, int64_t now_ms) {
  auto c = db_.query("SELECT MIN(visible_ms) FROM messages WHERE queue_id = ? AND visible_ms > ?", queue_id, now_ms);
  if (c.next() && !c.is_null(0)) return c.i64(0);
  return std::nullopt;
}

// ---- deduplication ----

std::optional<Store::Dedup> Store::find_dedup(int64_t queue_id, std::string_view scope, std::string_view dedup_id,
                                              int64_t now_ms) {
  auto c = db_.query("SELECT message_id, sequence_number FROM dedup WHERE queue_id = ? AND scope = ? AND dedup_id = ? "
                     "AND expires_ms > ?",
                     queue_id, scope, dedup_id, now_ms);
  if (!c.next()) return std::nullopt;
  return Dedup{c.str(0), c.str(1)};
}

void Store::put_dedup(int64_t queue_id, std::string_view scope, std::string_view dedup_id, const Dedup& d,
                      int64_t expires_ms) {
  db_.run("INSERT OR REPLACE INTO dedup (queue_id, scope, dedup_id, message_id, sequence_number, expires_ms) VALUES "
          "(?, ?, ?, ?, ?, ?)",
          queue_id, scope, dedup_id, d.message_id, d.sequence_number, expires_ms);
  // Keep the table small: now and then drop the records that expired.
  if (++dedup_puts_ % 512 == 0) db_.run("DELETE FROM dedup WHERE expires_ms <= ?", expires_ms - kDedupWindowMs);
}

// ---- move tasks ----

void Store::save_task(const MoveTask& t) {
  db_.run("INSERT OR REPLACE INTO move_tasks (task_id, account, region, source_arn, destination_arn, max_per_second, "
          "status, started_ms, to_move, moved, failure_reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
          t.task_id, t.account, t.region, t.source_arn, t.destination_arn, t.max_per_second, t.status, t.started_ms,
          t.to_move, t.moved, t.failure_reason);
}

namespace {
MoveTask read_task(store::Cursor& c) {
  MoveTask t;
  t.task_id = c.str(0);
  t.account = c.str(1);
  t.region = c.str(2);
  t.source_arn = c.str(3);
  t.destination_arn = c.str(4);
  t.max_per_second = c.opt_i64(5);
  t.status = c.str(6);
  t.started_ms = c.i64(7);
  t.to_move = c.i64(8);
  t.moved = c.i64(9);
  t.failure_reason = c.str(10);
  return t;
}
constexpr std::string_view kTaskColumns =
    "task_id, account, region, source_arn, destination_arn, max_per_second, status, started_ms, to_move, moved, "
    "failure_reason";
}  // namespace

std::optional<MoveTask> Store::get_task(std::string_view task_id) {
  static const std::string sql = "SELECT " + std::string(kTaskColumns) + " FROM move_tasks WHERE task_id = ?";
  auto c = db_.query(sql, task_id);
  if (!c.next()) return std::nullopt;
  return read_task(c);
}

std::vector<MoveTask> Store::tasks_for(std::string_view source_arn) {
  static const std::string sql =
      "SELECT " + std::string(kTaskColumns) + " FROM move_tasks WHERE source_arn = ? ORDER BY started_ms DESC, rowid DESC";
  std::vector<MoveTask> out;
  auto c = db_.query(sql, source_arn);
  while (c.next()) out.push_back(read_task(c));
  return out;
}

std::vector<std::string> Store::running_tasks() {
  std::vector<std::string> out;
  auto c = db_.query("SELECT task_id FROM move_tasks WHERE status IN ('RUNNING', 'CANCELLING')");
  while (c.next()) out.push_back(c.str(0));
  return out;
}

}  // namespace stratus::sqs
