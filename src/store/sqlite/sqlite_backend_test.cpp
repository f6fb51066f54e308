#include "store/sqlite/sqlite_backend.h"

#include <sys/mount.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include <sqlite3.h>

#include "store/store.h"
#include "store/store_test_util.h"

namespace modelwatch::store {
namespace {

using testing::MakeResult;

WallTime Now() { return SystemClock().WallNow(); }

bool ExecSql(const std::string& path, const char* sql) {
  sqlite3* db = nullptr;
  bool ok = sqlite3_open(path.c_str(), &db) == SQLITE_OK &&
            sqlite3_exec(db, sql, nullptr, nullptr, nullptr) == SQLITE_OK;
  sqlite3_close(db);
  return ok;
}

TEST(SqliteStore, RefusesANewerSchema) {
  testing::TempDir dir;
  Options o;
  o.sqlite_path = dir.path() + "/m.db";
  ASSERT_TRUE(Open(o).has_value());
  ASSERT_TRUE(ExecSql(o.sqlite_path, "UPDATE schema_version SET version = 99"));
  o.start_unavailable = true;  // even then: waiting cannot help
  auto s = Open(o);
  ASSERT_FALSE(s.has_value());
  EXPECT_NE(s.error().message().find(o.sqlite_path), std::string::npos);
  EXPECT_NE(s.error().message().find("schema version 99, newer"), std::string::npos)
      << s.error().message();
}

TEST(SqliteStore, CorruptFileIsAClearError) {
  testing::TempDir dir;
  Options o;
  o.sqlite_path = dir.path() + "/m.db";
  {
    std::ofstream f(o.sqlite_path);
    for (int i = 0; i < 1000; ++i) {
      f << "this is not a database ";
    }
  }
  auto s = Open(o);
  ASSERT_FALSE(s.has_value());
  EXPECT_NE(s.error().message().find(o.sqlite_path), std::string::npos);
  EXPECT_NE(s.error().message().find("corrupt or not a modelwatch database"), std::string::npos)
      << s.error().message();
}

TEST(SqliteStore, LockedDatabaseIsAClearError) {
  testing::TempDir dir;
  Options o;
  o.sqlite_path = dir.path() + "/m.db";
  auto first = Open(o);
  ASSERT_TRUE(first.has_value());
  (*first)->Append(MakeResult("m", Now()));
  ASSERT_TRUE((*first)->Flush().ok());
  // Another process holding the write lock.
  sqlite3* other = nullptr;
  ASSERT_EQ(sqlite3_open(o.sqlite_path.c_str(), &other), SQLITE_OK);
  sqlite3_busy_timeout(other, 5000);
  ASSERT_EQ(sqlite3_exec(other, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
  (*first)->Append(MakeResult("m", Now()));
  Status st = (*first)->Flush();  // waits out the 5 s busy timeout
  sqlite3_exec(other, "ROLLBACK", nullptr, nullptr, nullptr);
  sqlite3_close(other);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("another process holds a lock"), std::string::npos) << st.message();
  // The result was kept and goes in once the lock is gone.
  EXPECT_TRUE((*first)->Flush().ok());
  EXPECT_EQ((*first)->Results("m", WallTime{})->size(), 2u);
}

// A real full disk: a 1 MiB tmpfs filled to the last byte. Mounting needs
// root (CI runs as root); elsewhere the test is skipped, saying why.
TEST(SqliteStore, FullDiskIsAClearErrorAndNothingIsLostOnceSpaceIsBack) {
  testing::TempDir dir;
  std::string small = dir.path() + "/small";
  std::filesystem::create_directory(small);
  if (mount("tmpfs", small.c_str(), "tmpfs", 0, "size=1m") != 0) {
    GTEST_SKIP() << "cannot mount a small tmpfs (needs root): " << std::strerror(errno);
  }
  struct Unmount {
    std::string path;
    ~Unmount() { umount2(path.c_str(), MNT_DETACH); }
  } unmount{small};

  Options o;
  o.sqlite_path = small + "/m.db";
  o.retry_min = std::chrono::milliseconds(10);
  o.retry_max = std::chrono::milliseconds(50);
  auto s = Open(o);
  ASSERT_TRUE(s.has_value()) << s.error().message();
  for (int i = 0; i < 10; ++i) {
    (*s)->Append(MakeResult("m", Now()));
  }
  ASSERT_TRUE((*s)->Flush().ok());

  std::string filler = small + "/filler";
  {
    std::ofstream f(filler, std::ios::binary);
    std::string chunk(4096, 'x');
    while (f.write(chunk.data(), static_cast<std::streamsize>(chunk.size())) && f.flush()) {
    }
  }
  for (int i = 0; i < 2000; ++i) {
    CheckResult r = MakeResult("m", Now());
    r.error = std::string(200, 'e');
    (*s)->Append(std::move(r));
  }
  Status full = (*s)->Flush();
  ASSERT_FALSE(full.ok());
  EXPECT_NE(full.message().find(o.sqlite_path), std::string::npos) << full.message();
  EXPECT_NE(full.message().find("disk is full"), std::string::npos) << full.message();

  std::filesystem::remove(filler);
  EXPECT_TRUE((*s)->Flush().ok());
  EXPECT_EQ((*s)->dropped(), 0u);
  EXPECT_EQ((*s)->Results("m", WallTime{})->size(), 2010u);
  s->reset();  // closes the files before the tmpfs goes
}

TEST(SqliteStore, RecoversWhenTheDatabaseBecomesWritable) {
  testing::TempDir dir;
  Options o;
  o.sqlite_path = dir.path() + "/later/m.db";
  o.start_unavailable = true;
  o.retry_min = std::chrono::milliseconds(10);
  auto s = Open(o);
  ASSERT_TRUE(s.has_value());
  (*s)->Append(MakeResult("m", Now()));
  EXPECT_FALSE((*s)->Flush().ok());
  std::filesystem::create_directory(dir.path() + "/later");
  EXPECT_TRUE((*s)->Flush().ok());
  EXPECT_TRUE((*s)->last_error().ok());
  EXPECT_EQ((*s)->Results("m", WallTime{})->size(), 1u);
}

}  // namespace
}  // namespace modelwatch::store

namespace modelwatch::store {
namespace {

// Two writers on one file (two processes, say) must not lose each other's
// rollup counts: each notices the other's commits (PRAGMA data_version).
TEST(SqliteStore, TwoWritersOnOneFileKeepEveryCount) {
  testing::TempDir dir;
  Options o;
  o.sqlite_path = dir.path() + "/m.db";
  auto a = Open(o);
  auto b = Open(o);
  ASSERT_TRUE(a.has_value() && b.has_value());
  WallTime t =
      FromUnixMillis(BucketStart(Resolution::kHour, ToUnixMillis(SystemClock().WallNow())));
  for (int i = 0; i < 20; ++i) {
    Store& s = i % 2 ? **a : **b;
    s.Append(testing::MakeResult("m", t + std::chrono::seconds(i)));
    ASSERT_TRUE(s.Flush().ok());
  }
  uint64_t minute = 0;
  uint64_t hour = 0;
  ASSERT_TRUE((*a)->ScanRollups(
                      Resolution::kMinute, {"m"}, t, t + std::chrono::hours(1),
                      [&](const std::string&, WallTime, const Rollup& r) { minute += r.checks(); })
                  .ok());
  ASSERT_TRUE(
      (*a)->ScanRollups(Resolution::kHour, {"m"}, t, t + std::chrono::hours(1),
                        [&](const std::string&, WallTime, const Rollup& r) { hour += r.checks(); })
          .ok());
  EXPECT_EQ(minute, 20u);
  EXPECT_EQ(hour, 20u);
}

}  // namespace
}  // namespace modelwatch::store
