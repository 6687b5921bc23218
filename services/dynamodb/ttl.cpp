// Time to Live: expired items are really deleted (with a REMOVE stream record whose userIdentity
// is the DynamoDB service), by a sweeper that runs on the Clock so tests can move time instead of
// waiting. https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/TTL.html
#include "ttl.hpp"

#include "number.hpp"

#include <stratus/clock.hpp>

#include <spdlog/spdlog.h>

#include <cmath>

namespace stratus::dynamodb {

size_t sweep_expired(Engine& e, size_t max_items) {
  auto& db = e.store->db();
  int64_t now = static_cast<int64_t>(std::floor(e.now()));
  struct Due {
    int64_t tid;
    ItemKey k;
  };
  std::vector<Due> due;
  {
    auto c = db.query("SELECT tid, h, pk, sk FROM ttl WHERE expires <= ? ORDER BY expires LIMIT ?", now,
                      static_cast<int64_t>(max_items));
    while (c.next()) due.push_back({c.i64(0), {c.i64(1), std::string(c.blob(2)), std::string(c.blob(3))}});
  }
  if (due.empty()) return 0;
  std::unordered_map<int64_t, Table*> by_id;
  for (auto& [k, t] : e.tables) by_id[t->id] = t.get();
  auto tx = e.store->transaction();
  for (auto& d : due) {
    auto it = by_id.find(d.tid);
    if (it == by_id.end()) {
      db.run("DELETE FROM ttl WHERE tid = ?", d.tid);
      continue;
    }
    Table& t = *it->second;
    int64_t len = 0;
    auto item = e.get(t, d.k, &len);
    if (!item) {
      e.store->ttl_del(t.id, d.k);
      continue;
    }
    e.write(t, d.k, &*item, nullptr, true, len);
  }
  tx.commit();
  return due.size();
}

boost::asio::awaitable<void> ttl_sweeper(Engine& e) {
  for (;;) {
    if (!co_await e.env->clock.sleep_for(std::chrono::seconds(1))) co_return;
    try {
      while (sweep_expired(e, 500) == 500) {
      }
      e.store->db().run("DELETE FROM stream_records WHERE created < ?", e.now() - 24 * 3600);
    } catch (const std::exception& ex) {
      spdlog::warn("dynamodb: TTL sweep failed: {}", ex.what());
    }
  }
}

}  // namespace stratus::dynamodb
