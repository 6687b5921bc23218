// The Logs store's schema 2 (events keyed by integer stream and group ids) migrates a data dir
// written with schema 1 (events keyed by account, region, group and stream names).
#include "services/logs/store.hpp"

#include <gtest/gtest.h>

using namespace stratus;

TEST(LogsStore, MigratesSchemaOneDataDirs) {
  store::Database db("logs", std::nullopt);
  db.exec(R"sql(
    CREATE TABLE _schema (version INTEGER NOT NULL);
    INSERT INTO _schema VALUES (1);
    CREATE TABLE groups (
      account TEXT NOT NULL, region TEXT NOT NULL, name TEXT NOT NULL,
      created INTEGER NOT NULL, retention INTEGER, kms TEXT, class TEXT NOT NULL,
      deletion_protection INTEGER NOT NULL DEFAULT 0, tags TEXT NOT NULL DEFAULT '{}',
      PRIMARY KEY (account, region, name));
    CREATE TABLE streams (
      account TEXT NOT NULL, region TEXT NOT NULL, grp TEXT NOT NULL, name TEXT NOT NULL,
      created INTEGER NOT NULL, first_ts INTEGER, last_ts INTEGER, last_ingest INTEGER,
      bytes INTEGER NOT NULL DEFAULT 0, seq INTEGER NOT NULL DEFAULT 0,
      PRIMARY KEY (account, region, grp, name));
    CREATE TABLE events (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      account TEXT NOT NULL, region TEXT NOT NULL, grp TEXT NOT NULL, stream TEXT NOT NULL,
      ts INTEGER NOT NULL, ingested INTEGER NOT NULL, message TEXT NOT NULL);
    CREATE INDEX events_by_stream ON events (account, region, grp, stream, ts, id);
    CREATE INDEX events_by_group ON events (account, region, grp, ts, id);
    INSERT INTO groups (account, region, name, created, class) VALUES
      ('111111111111', 'us-east-1', '/g', 1, 'STANDARD'), ('111111111111', 'eu-west-1', '/g', 2, 'STANDARD');
    INSERT INTO streams (account, region, grp, name, created, bytes, seq) VALUES
      ('111111111111', 'us-east-1', '/g', 'a', 1, 54, 1), ('111111111111', 'us-east-1', '/g', 'b', 1, 27, 1),
      ('111111111111', 'eu-west-1', '/g', 'a', 2, 28, 1);
    INSERT INTO events (account, region, grp, stream, ts, ingested, message) VALUES
      ('111111111111', 'us-east-1', '/g', 'a', 100, 5, 'a1'), ('111111111111', 'us-east-1', '/g', 'b', 150, 5, 'b'),
      ('111111111111', 'us-east-1', '/g', 'a', 200, 5, 'a2'), ('111111111111', 'eu-west-1', '/g', 'a', 120, 5, 'eu');
  )sql");
  logs::Store st;
  st.open(db);
  EXPECT_EQ(db.schema_version(), 2);
  const logs::Scope us{"111111111111", "us-east-1"}, eu{"111111111111", "eu-west-1"};

  auto a = st.stream_events(us, "/g", "a", std::nullopt, std::nullopt, std::nullopt, std::nullopt, false, 10);
  ASSERT_EQ(a.size(), 2u);
  EXPECT_EQ(a[0].message, "a1");
  EXPECT_EQ(a[0].stream, "a");
  EXPECT_EQ(a[1].message, "a2");
  EXPECT_LT(a[0].id, a[1].id);  // event ids (and so tokens) survive

  auto all = st.group_events(us, "/g", {}, "", std::nullopt, std::nullopt, std::nullopt, 10);
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].message, "a1");
  EXPECT_EQ(all[1].message, "b");
  EXPECT_EQ(all[1].stream, "b");
  EXPECT_EQ(all[2].message, "a2");

  auto other = st.group_events(eu, "/g", {}, "", std::nullopt, std::nullopt, std::nullopt, 10);
  ASSERT_EQ(other.size(), 1u);
  EXPECT_EQ(other[0].message, "eu");

  auto s = st.stream(us, "/g", "a");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->stored_bytes, 54);

  // New events go after the migrated ones; deleting a stream takes only its own events.
  st.append(us, "/g", "b", {logs::Event{0, "b", 300, 6, "b2"}}, 6);
  st.delete_stream(us, "/g", "a");
  all = st.group_events(us, "/g", {}, "", std::nullopt, std::nullopt, std::nullopt, 10);
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[1].message, "b2");
  EXPECT_GT(all[1].id, a[1].id);
  EXPECT_EQ(st.group_events(eu, "/g", {}, "", std::nullopt, std::nullopt, std::nullopt, 10).size(), 1u);
}

TEST(LogsStore, ExpiresEventsOlderThanTheGroupsRetention) {
  store::Database db("logs", std::nullopt);
  logs::Store st;
  st.open(db);
  const logs::Scope s{"000000000000", "us-east-1"};
  const int64_t day = 86400000, now = 100 * day;
  logs::LogGroup kept{"/kept", 1}, short_lived{"/short", 1};
  short_lived.retention_days = 1;
  ASSERT_TRUE(st.insert_group(s, kept));
  ASSERT_TRUE(st.insert_group(s, short_lived));
  for (const char* g : {"/kept", "/short"}) {
    ASSERT_TRUE(st.insert_stream(s, g, logs::LogStream{"a", 1}));
    st.append(s, g, "a", {logs::Event{0, "a", now - 3 * day, now, "old"}, logs::Event{0, "a", now - 1000, now, "new"}},
              now);
  }
  st.expire(now);
  auto all = [&](const char* g) {
    std::vector<std::string> out;
    for (auto& e : st.group_events(s, g, {}, "", std::nullopt, std::nullopt, std::nullopt, 10)) out.push_back(e.message);
    return out;
  };
  EXPECT_EQ(all("/kept"), (std::vector<std::string>{"old", "new"}));
  EXPECT_EQ(all("/short"), (std::vector<std::string>{"new"}));
  // Deleting a group takes its streams and events, not another group's.
  st.delete_group(s, "/short");
  EXPECT_TRUE(all("/short").empty());
  EXPECT_EQ(all("/kept").size(), 2u);
}
