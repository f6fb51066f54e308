#include "web/connection_pool.h"

#include <algorithm>
#include <utility>

namespace modelwatch::web {

ConnectionPool::ConnectionPool(size_t min_threads, size_t max_threads,
                               std::function<void()> on_thread_start)
    : max_threads_(std::max({min_threads, max_threads, size_t{1}})),
      on_thread_start_(std::move(on_thread_start)) {
  std::lock_guard lock(mu_);
  for (size_t i = 0; i < std::max(min_threads, size_t{1}); ++i) {
    StartThreadLocked();
  }
}

ConnectionPool::~ConnectionPool() { Shutdown(); }

void ConnectionPool::StartThreadLocked() {
  ++idle_;  // free for a task from now on, though it may not wait yet
  threads_.emplace_back([this] { Work(); });
}

void ConnectionPool::Enqueue(std::function<void()> task) {
  std::lock_guard lock(mu_);
  if (stopping_) {
    return;
  }
  tasks_.push_back(std::move(task));
  // Every idle thread may already be spoken for by the tasks queued before.
  if (tasks_.size() > idle_ && threads_.size() < max_threads_) {
    StartThreadLocked();
  }
  wake_.notify_one();
}

void ConnectionPool::Shutdown() {
  std::vector<std::thread> threads;
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    threads.swap(threads_);
  }
  wake_.notify_all();
  for (std::thread& t : threads) {
    t.join();
  }
}

size_t ConnectionPool::threads() const {
  std::lock_guard lock(mu_);
  return threads_.size();
}

void ConnectionPool::Work() {
  if (on_thread_start_) {
    on_thread_start_();
  }
  std::unique_lock lock(mu_);
  for (;;) {
    wake_.wait(lock, [this] { return stopping_ || !tasks_.empty(); });
    if (tasks_.empty()) {
      --idle_;
      return;  // stopping, nothing left to run
    }
    std::function<void()> task = std::move(tasks_.front());
    tasks_.pop_front();
    --idle_;
    lock.unlock();
    task();
    lock.lock();
    ++idle_;
  }
}

}  // namespace modelwatch::web
