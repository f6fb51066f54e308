#pragma once

// The web server's threads. cpp-httplib runs a whole connection as one task:
// a kept-alive connection holds its thread until it closes (the client
// leaves, its keep-alive timeout passes, or its request bound is reached).
// So the pool needs a thread for every connection open at once, not one per
// core, or a connection waits in the queue until another one ends (the 1 s
// tails of bench/README.md, "50 dashboard clients"). It starts small and
// adds a thread whenever a task arrives while none is idle, up to a bound;
// past the bound tasks wait their turn in arrival order.

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace modelwatch::web {

class ConnectionPool {
 public:
  // Starts `min_threads` threads (at least 1); grows up to `max_threads`
  // (at least min_threads). Each new thread calls `on_thread_start` once
  // before its first task (nullable), e.g. to lower its priority.
  ConnectionPool(size_t min_threads, size_t max_threads, std::function<void()> on_thread_start);
  // Shutdown().
  ~ConnectionPool();
  ConnectionPool(const ConnectionPool&) = delete;
  ConnectionPool& operator=(const ConnectionPool&) = delete;

  // Runs `task` on an idle thread, on a new one while fewer than
  // max_threads run, or else after the tasks queued before it. Thread-safe.
  // Ignored after Shutdown.
  void Enqueue(std::function<void()> task);
  // Lets the tasks queued so far run to their end, then joins every thread.
  // Idempotent; the destructor calls it.
  void Shutdown();
  // Threads running (started so far and kept until Shutdown; 0 after it).
  // Thread-safe.
  size_t threads() const;

 private:
  void StartThreadLocked();  // mu_ held
  void Work();

  const size_t max_threads_;
  const std::function<void()> on_thread_start_;
  mutable std::mutex mu_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> tasks_;  // guarded by mu_
  std::vector<std::thread> threads_;         // guarded by mu_
  size_t idle_ = 0;                          // threads not running a task; guarded by mu_
  bool stopping_ = false;                    // guarded by mu_
};

}  // namespace modelwatch::web
