#include "web/connection_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <mutex>

namespace modelwatch::web {
namespace {

// Tasks that block until released, counting how many run at once.
struct Gate {
  std::mutex mu;
  std::condition_variable cv;
  int running = 0;
  int done = 0;
  bool open = false;

  std::function<void()> Task() {
    return [this] {
      std::unique_lock lock(mu);
      ++running;
      cv.notify_all();
      cv.wait(lock, [this] { return open; });
      ++done;
    };
  }
  // Waits (up to 5 s) until `n` tasks are running.
  bool WaitRunning(int n) {
    std::unique_lock lock(mu);
    return cv.wait_for(lock, std::chrono::seconds(5), [&] { return running >= n; });
  }
  void Open() {
    std::lock_guard lock(mu);
    open = true;
    cv.notify_all();
  }
};

TEST(ConnectionPoolTest, GrowsSoEveryBlockedTaskHasItsOwnThread) {
  Gate gate;  // outlives the pool's threads
  ConnectionPool pool(2, 16, nullptr);
  for (int i = 0; i < 10; ++i) {
    pool.Enqueue(gate.Task());
  }
  EXPECT_TRUE(gate.WaitRunning(10));
  EXPECT_EQ(pool.threads(), 10u);
  gate.Open();
}

TEST(ConnectionPoolTest, TasksPastTheBoundWaitForAThreadThenRun) {
  Gate gate;
  ConnectionPool pool(1, 3, nullptr);
  for (int i = 0; i < 5; ++i) {
    pool.Enqueue(gate.Task());
  }
  EXPECT_TRUE(gate.WaitRunning(3));
  EXPECT_EQ(pool.threads(), 3u);
  {
    std::lock_guard lock(gate.mu);
    EXPECT_EQ(gate.running, 3);
  }
  gate.Open();
  pool.Shutdown();
  EXPECT_EQ(gate.done, 5);
}

TEST(ConnectionPoolTest, EachThreadRunsItsStartHookOnce) {
  std::atomic<int> started{0};
  Gate gate;
  {
    ConnectionPool pool(3, 3, [&] { ++started; });
    for (int i = 0; i < 6; ++i) {
      pool.Enqueue(gate.Task());
    }
    gate.WaitRunning(3);
    gate.Open();
  }
  EXPECT_EQ(started.load(), 3);
}

}  // namespace
}  // namespace modelwatch::web
