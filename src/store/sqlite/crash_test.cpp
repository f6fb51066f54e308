// kill -9 at random moments: the database must stay intact, keep everything
// a Flush confirmed, and its rollups must match its raw rows exactly.

#include <fcntl.h>
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <map>
#include <random>
#include <set>
#include <tuple>

#include "store/store.h"
#include "store/store_test_util.h"

namespace modelwatch::store {
namespace {

using std::chrono::milliseconds;

// Appends as fast as it can, flushing every 100 ms and then writing to `fd`
// how many results are known to be committed. Never returns.
[[noreturn]] void RunWriter(const std::string& path, int fd, int round) {
  Options o;
  o.sqlite_path = path;
  o.retention = o.rollup_retention = std::chrono::hours(24 * 365 * 100);  // no pruning
  auto store = Open(o);
  if (!store) {
    _exit(3);
  }
  SystemClock clock;
  WallTime base = FromUnixMillis(1'700'000'000'000) + std::chrono::hours(round);
  int64_t appended = 0;
  MonoTime last_flush = clock.Now();
  while (true) {
    for (int i = 0; i < 100; ++i, ++appended) {
      auto status = appended % 13 == 0 ? CheckStatus::kTimeout : CheckStatus::kSuccess;
      (*store)->Append(testing::MakeResult("m" + std::to_string(appended % 5),
                                           base + milliseconds(appended * 7), status,
                                           milliseconds(100 + appended % 5000)));
    }
    if (clock.Now() - last_flush >= milliseconds(100)) {
      if ((*store)->Flush().ok()) {
        int64_t committed = appended - static_cast<int64_t>((*store)->dropped());
        if (write(fd, &committed, sizeof committed) != sizeof committed) {
          _exit(4);
        }
      }
      last_flush = clock.Now();
    }
  }
}

int64_t QueryInt(sqlite3* db, const char* sql) {
  sqlite3_stmt* s = nullptr;
  sqlite3_prepare_v2(db, sql, -1, &s, nullptr);
  int64_t v = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : -1;
  sqlite3_finalize(s);
  return v;
}

TEST(SqliteCrash, KillNineNeverCorruptsLosesConfirmedOrDoubleCounts) {
  testing::TempDir dir;
  std::string path = dir.path() + "/crash.db";
  std::mt19937 rng(2024);
  int64_t confirmed_total = 0;
  for (int round = 0; round < 5; ++round) {
    int fds[2];
    ASSERT_EQ(pipe(fds), 0);
    pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      close(fds[0]);
      RunWriter(path, fds[1], round);
    }
    close(fds[1]);
    // Kill at a random moment once something is confirmed: on a loaded
    // machine opening the database alone can take longer than a fixed wait.
    int64_t committed = 0;
    int64_t v = 0;
    if (read(fds[0], &v, sizeof v) == sizeof v) {
      committed = v;
    }
    SleepFor(milliseconds(rng() % 700));
    ASSERT_EQ(kill(pid, SIGKILL), 0);
    int wstatus = 0;
    waitpid(pid, &wstatus, 0);
    ASSERT_TRUE(WIFSIGNALED(wstatus)) << "writer exited early with " << WEXITSTATUS(wstatus);
    while (read(fds[0], &v, sizeof v) == sizeof v) {
      committed = v;
    }
    close(fds[0]);
    confirmed_total += committed;

    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    sqlite3_stmt* s = nullptr;
    sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &s, nullptr);
    ASSERT_EQ(sqlite3_step(s), SQLITE_ROW);
    EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(s, 0)), "ok");
    sqlite3_finalize(s);
    int64_t raw_total = QueryInt(db, "SELECT count(*) FROM results");
    EXPECT_GE(raw_total, confirmed_total) << "round " << round;
    confirmed_total = raw_total;  // the next round starts from what is there

    // Raw counts per (monitor, minute) against the minute rollups.
    std::map<std::pair<std::string, int64_t>, uint64_t> raw;
    sqlite3_prepare_v2(db,
                       "SELECT m.name, r.ts_ms / 60000 * 60000, count(*) FROM results r "
                       "JOIN monitors m ON m.id = r.monitor_id GROUP BY 1, 2",
                       -1, &s, nullptr);
    while (sqlite3_step(s) == SQLITE_ROW) {
      raw[{reinterpret_cast<const char*>(sqlite3_column_text(s, 0)), sqlite3_column_int64(s, 1)}] =
          static_cast<uint64_t>(sqlite3_column_int64(s, 2));
    }
    sqlite3_finalize(s);
    sqlite3_close(db);

    Options o;
    o.sqlite_path = path;
    o.retention = o.rollup_retention = std::chrono::hours(24 * 365 * 100);  // no pruning
    auto store = Open(o);
    ASSERT_TRUE(store.has_value()) << store.error().message();
    std::map<std::pair<std::string, int64_t>, uint64_t> rolled;
    uint64_t hour_total = 0;
    uint64_t day_total = 0;
    ASSERT_TRUE((*store)
                    ->ScanRollups(Resolution::kMinute, {}, WallTime{}, WallTime::max(),
                                  [&](const std::string& m, WallTime b, const Rollup& r) {
                                    rolled[{m, ToUnixMillis(b)}] = r.checks();
                                  })
                    .ok());
    ASSERT_TRUE((*store)
                    ->ScanRollups(Resolution::kHour, {}, WallTime{}, WallTime::max(),
                                  [&](const std::string&, WallTime, const Rollup& r) {
                                    hour_total += r.checks();
                                  })
                    .ok());
    ASSERT_TRUE((*store)
                    ->ScanRollups(Resolution::kDay, {}, WallTime{}, WallTime::max(),
                                  [&](const std::string&, WallTime, const Rollup& r) {
                                    day_total += r.checks();
                                  })
                    .ok());
    EXPECT_EQ(rolled, raw) << "round " << round;
    EXPECT_EQ(hour_total, static_cast<uint64_t>(raw_total));
    EXPECT_EQ(day_total, static_cast<uint64_t>(raw_total));
    EXPECT_GT(raw_total, 0);
  }
}

// Commits alert changes (one event and one message each) among results as
// fast as it can; the commit callback writes to `fd` the number of the last
// message known to be committed. Never returns.
[[noreturn]] void RunAlertWriter(const std::string& path, int fd, int round) {
  Options o;
  o.sqlite_path = path;
  o.retention = o.rollup_retention = std::chrono::hours(24 * 365 * 100);  // no pruning
  auto store = Open(o);
  if (!store) {
    _exit(3);
  }
  WallTime base = FromUnixMillis(1'700'000'000'000) + std::chrono::hours(round);
  for (int64_t n = 1;; ++n) {
    (*store)->Append(testing::MakeResult("m", base + milliseconds(n)));
    AlertChange c;
    AlertEvent e;
    e.monitor = "m";
    e.kind = "firing";
    e.at = base + milliseconds(n);
    c.events.push_back(e);
    OutboxMessage m;
    m.key = fmt::format("r{}-{}", round, n);
    m.channel = "ops";
    m.payload = "{}";
    m.created = m.next_attempt = e.at;
    c.messages.push_back(m);
    (*store)->Commit(std::move(c), [fd, n](std::vector<OutboxMessage>&& written) {
      if (written.size() != 1 || write(fd, &n, sizeof n) != sizeof n) {
        _exit(4);
      }
    });
    if (n % 50 == 0) {
      SleepFor(milliseconds(1));  // let the writer batch a few
    }
  }
}

TEST(SqliteCrash, KillNineKeepsEveryCommittedMessageExactlyOnceWithItsEvent) {
  testing::TempDir dir;
  std::string path = dir.path() + "/crash.db";
  std::mt19937 rng(7);
  for (int round = 0; round < 4; ++round) {
    int fds[2];
    ASSERT_EQ(pipe(fds), 0);
    pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      close(fds[0]);
      RunAlertWriter(path, fds[1], round);
    }
    close(fds[1]);
    int64_t confirmed = 0;
    int64_t v = 0;
    if (read(fds[0], &v, sizeof v) == sizeof v) {
      confirmed = v;
    }
    SleepFor(milliseconds(rng() % 500));
    ASSERT_EQ(kill(pid, SIGKILL), 0);
    int wstatus = 0;
    waitpid(pid, &wstatus, 0);
    ASSERT_TRUE(WIFSIGNALED(wstatus)) << "writer exited early with " << WEXITSTATUS(wstatus);
    while (read(fds[0], &v, sizeof v) == sizeof v) {
      confirmed = v;
    }
    close(fds[0]);
    ASSERT_GT(confirmed, 0);

    Options o;
    o.sqlite_path = path;
    // As the writer: the rows are dated 2023, and the default retention's
    // pass (on the store's own thread) could prune the events between the
    // two reads below, as it did once under ASan.
    o.retention = o.rollup_retention = std::chrono::hours(24 * 365 * 100);
    auto store = Open(o);
    ASSERT_TRUE(store.has_value()) << store.error().message();
    auto outbox = (*store)->Outbox(false, 10'000'000);
    ASSERT_TRUE(outbox.has_value()) << outbox.error().message();
    std::set<std::string> keys;
    for (const OutboxMessage& m : *outbox) {
      EXPECT_TRUE(keys.insert(m.key).second) << "twice: " << m.key;
    }
    for (int64_t n = 1; n <= confirmed; ++n) {
      ASSERT_TRUE(keys.count(fmt::format("r{}-{}", round, n))) << "lost r" << round << "-" << n;
    }
    // Each change's event and message were committed together or not at all.
    auto events = (*store)->AlertEvents("m", WallTime{}, 10'000'000);
    ASSERT_TRUE(events.has_value());
    EXPECT_EQ(events->size(), outbox->size()) << "round " << round;
  }
}

}  // namespace
}  // namespace modelwatch::store
