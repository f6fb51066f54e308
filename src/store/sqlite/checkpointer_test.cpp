#include "store/sqlite/checkpointer.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "store/sqlite/sqlite_backend.h"
#include "store/store_test_util.h"

namespace modelwatch::store {
namespace {

using sqlite::CheckpointOptions;
using sqlite::SqliteBackend;

constexpr int64_t kPage = 4096;  // SQLite's default page size

// One commit of one outbox message with a payload of `bytes` bytes.
Status CommitMessage(SqliteBackend& b, int i, size_t bytes) {
  std::vector<OutboxMessage> messages(1);
  messages[0].key = "k" + std::to_string(i);
  messages[0].channel = "hook";
  messages[0].payload = std::string(bytes, static_cast<char>('a' + i % 26));
  messages[0].created = SystemClock().WallNow();
  messages[0].next_attempt = messages[0].created;
  WriteBatch batch;
  batch.messages = messages;
  return b.Write(batch);
}

int64_t WalBytes(const std::string& db) {
  std::error_code ec;
  auto n = std::filesystem::file_size(db + "-wal", ec);
  return ec ? 0 : static_cast<int64_t>(n);
}

// SQLite's automatic checkpoint (every 1000 pages) would run inside the
// commit that crosses it and keep the WAL near 1000 pages; with the
// checkpointer asked to wait for far more, the commits leave the WAL alone.
TEST(SqliteCheckpointer, CommitsBelowTheBoundDoNotCheckpoint) {
  testing::TempDir dir;
  const std::string path = dir.path() + "/m.db";
  CheckpointOptions o;
  o.wake_pages = 1'000'000;
  o.truncate_pages = 2'000'000;
  o.wal_size_limit_bytes = 64 << 20;
  SqliteBackend b(path, o);
  ASSERT_TRUE(b.Connect().ok());
  for (int i = 0; i < 600; ++i) {  // about 2,500 pages
    ASSERT_TRUE(CommitMessage(b, i, 16'000).ok());
  }
  EXPECT_GT(WalBytes(path), 2000 * kPage);
  EXPECT_EQ(b.checkpointer().checkpoints(), 0u);
  EXPECT_EQ(b.checkpointer().truncations(), 0u);
}

// Many commits in a row with the checkpointer running: it checkpoints, and
// the WAL stays within a bound instead of growing with every commit.
TEST(SqliteCheckpointer, KeepsTheWalBoundedUnderManyCommits) {
  testing::TempDir dir;
  const std::string path = dir.path() + "/m.db";
  CheckpointOptions o;
  o.wake_pages = 64;
  o.truncate_pages = 256;  // about 60 commits
  o.wal_size_limit_bytes = 256 * kPage;
  SqliteBackend b(path, o);
  ASSERT_TRUE(b.Connect().ok());
  int64_t largest = 0;
  for (int i = 0; i < 600; ++i) {  // about 2,500 pages written
    ASSERT_TRUE(CommitMessage(b, i, 16'000).ok());
    largest = std::max(largest, WalBytes(path));
  }
  EXPECT_GT(b.checkpointer().checkpoints() + b.checkpointer().truncations(), 0u);
  EXPECT_EQ(b.checkpointer().failures(), 0u);
  // The bound plus one commit (a frame is a page and its 24-byte header).
  EXPECT_LT(largest, 300 * (kPage + 24));
}

// What was committed is in the database whichever connection checkpointed.
TEST(SqliteCheckpointer, CheckpointedCommitsAreReadBack) {
  testing::TempDir dir;
  const std::string path = dir.path() + "/m.db";
  CheckpointOptions o;
  o.wake_pages = 16;
  {
    SqliteBackend b(path, o);
    ASSERT_TRUE(b.Connect().ok());
    for (int i = 0; i < 100; ++i) {
      ASSERT_TRUE(CommitMessage(b, i, 8'000).ok());
    }
  }
  SqliteBackend again(path);
  auto rows = again.Outbox(/*undelivered_only=*/true, 1000);
  ASSERT_TRUE(rows.has_value()) << rows.error().message();
  EXPECT_EQ(rows->size(), 100u);
}

}  // namespace
}  // namespace modelwatch::store
