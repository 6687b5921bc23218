#include <stratus/store.hpp>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

using namespace stratus;
namespace fs = std::filesystem;

namespace {
constexpr store::Migration kMigrations[] = {
    {1, "CREATE TABLE items (account TEXT, region TEXT, k TEXT, v BLOB, n INTEGER, PRIMARY KEY (account, region, k));"},
    {2, "ALTER TABLE items ADD COLUMN note TEXT;"},
};
fs::path temp_dir() {
  auto d = fs::temp_directory_path() / ("stratus-store-test-" + std::to_string(::getpid()) + "-" +
                                        std::to_string(reinterpret_cast<uintptr_t>(&kMigrations)));
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}
}  // namespace

TEST(Database, MigratesOnceAndRecordsVersion) {
  store::Database db("t", std::nullopt);
  db.migrate(kMigrations);
  EXPECT_EQ(db.schema_version(), 2);
  db.migrate(kMigrations);  // idempotent
  EXPECT_EQ(db.run("INSERT INTO items VALUES (?, ?, ?, ?, ?, ?)", "000000000000", "us-east-1", "a", store::Blob{std::string_view("\0x", 2)},
                   int64_t{7}, nullptr),
            1);
  auto c = db.query("SELECT v, n, note FROM items WHERE account = ? AND k = ?", "000000000000", "a");
  ASSERT_TRUE(c.next());
  EXPECT_EQ(c.blob(0), std::string_view("\0x", 2));
  EXPECT_EQ(c.i64(1), 7);
  EXPECT_TRUE(c.is_null(2));
  EXPECT_FALSE(c.next());
}

TEST(Database, TransactionsRollBackUnlessCommitted) {
  store::Database db("t", std::nullopt);
  db.migrate(kMigrations);
  {
    auto tx = db.transaction();
    db.run("INSERT INTO items (account, region, k) VALUES ('a', 'r', 'x')");
  }  // no commit
  EXPECT_FALSE(db.query("SELECT 1 FROM items").next());
  {
    auto tx = db.transaction();
    db.run("INSERT INTO items (account, region, k) VALUES ('a', 'r', 'y')");
    {
      auto inner = db.transaction();  // savepoint
      db.run("INSERT INTO items (account, region, k) VALUES ('a', 'r', 'z')");
    }  // inner rolled back
    tx.commit();
  }
  auto c = db.query("SELECT group_concat(k) FROM items");
  ASSERT_TRUE(c.next());
  EXPECT_EQ(c.str(0), "y");
}

TEST(Database, SqlErrorsThrow) {
  store::Database db("t", std::nullopt);
  EXPECT_THROW(db.run("INSERT INTO nothing VALUES (1)"), std::runtime_error);
  db.migrate(kMigrations);
  db.run("INSERT INTO items (account, region, k) VALUES ('a', 'r', 'x')");
  EXPECT_THROW(db.run("INSERT INTO items (account, region, k) VALUES ('a', 'r', 'x')"), std::runtime_error);  // PK
}

TEST(Database, InMemoryDatabasesArePrivateAndWriteNoFiles) {
  // In memory, each database lives in SQLite's memdb VFS under a name of its own, with its
  // rollback journal in memory too: nothing appears in the working directory.
  auto dir = temp_dir();
  auto cwd = fs::current_path();
  fs::current_path(dir);
  {
    store::Database a("a", std::nullopt), b("a", std::nullopt);  // same service name, two databases
    a.migrate(kMigrations);
    b.migrate(kMigrations);
    a.run("INSERT INTO items (account, region, k) VALUES ('a', 'r', 'only-in-a')");
    EXPECT_FALSE(b.query("SELECT 1 FROM items").next());
    {
      auto tx = a.transaction();
      const std::string v(500, 'x');
      for (int i = 0; i < 2000; ++i)
        a.run("INSERT INTO items (account, region, k, v) VALUES ('a', 'r', printf('k%d', ?), ?)", int64_t{i}, v);
    }  // rolled back: the memory journal restores the pages
    auto c = a.query("SELECT count(*) FROM items");
    ASSERT_TRUE(c.next());
    EXPECT_EQ(c.i64(0), 1);
  }
  EXPECT_TRUE(fs::is_empty(dir));
  fs::current_path(cwd);
  fs::remove_all(dir);
}

TEST(Database, WipeDropsDataAndKeepsSchema) {
  store::Database db("t", std::nullopt);
  db.migrate(kMigrations);
  db.run("INSERT INTO items (account, region, k) VALUES ('a', 'r', 'x')");
  db.wipe();
  EXPECT_EQ(db.schema_version(), 2);
  EXPECT_FALSE(db.query("SELECT 1 FROM items").next());
  db.run("INSERT INTO items (account, region, k, note) VALUES ('a', 'r', 'x', 'n')");
}

TEST(Database, PersistsToFileWithWal) {
  auto dir = temp_dir();
  {
    store::Database db("t", dir / "t.db");
    db.migrate(kMigrations);
    db.run("INSERT INTO items (account, region, k) VALUES ('a', 'r', 'kept')");
    db.checkpoint();
  }
  store::Database again("t", dir / "t.db");
  auto c = again.query("PRAGMA journal_mode");
  ASSERT_TRUE(c.next());
  EXPECT_EQ(c.str(0), "wal");
  auto k = again.query("SELECT k FROM items");
  ASSERT_TRUE(k.next());
  EXPECT_EQ(k.str(0), "kept");
  fs::remove_all(dir);
}

TEST(BlobStore, IdsCannotEscapeTheDirectory) {
  auto dir = temp_dir();
  store::BlobStore blobs(dir / "blobs");
  for (const std::string& bad : std::vector<std::string>{"", "..", "../x", "a/b", ".hidden", "a\\b", std::string(200, 'a'), "a b", std::string("a\0b", 3)})
    EXPECT_THROW(blobs.path_for(bad), std::invalid_argument) << bad;
  auto p = blobs.path_for("abc123_-.x");
  EXPECT_EQ(p.parent_path().parent_path(), dir / "blobs");
  blobs.write("abc123_-.x", "content");
  std::ifstream in(p);
  std::string s((std::istreambuf_iterator<char>(in)), {});
  EXPECT_EQ(s, "content");
  blobs.remove("abc123_-.x");
  EXPECT_FALSE(fs::exists(p));
  fs::remove_all(dir);
}

TEST(Storage, InMemoryUsesAPrivateScratchDirRemovedAtExit) {
  fs::path scratch;
  {
    Storage st(std::nullopt);
    EXPECT_FALSE(st.persistent());
    scratch = st.temp_dir().parent_path();
    EXPECT_TRUE(fs::exists(st.temp_dir()));
    auto& db = st.database("x");
    EXPECT_TRUE(db.in_memory());
    EXPECT_EQ(&db, &st.database("x"));
  }
  EXPECT_FALSE(fs::exists(scratch));
}
