#include "store/buffered_store.h"

#include <algorithm>

namespace modelwatch::store {
namespace {

size_t WakeAt(const Options& o) { return std::max<size_t>(1, std::min(o.wake_batch, o.max_batch)); }

}  // namespace

BufferedStore::BufferedStore(std::unique_ptr<Backend> backend, const Options& options)
    : backend_(std::move(backend)),
      options_(options),
      clock_(options.clock != nullptr ? options.clock : &system_clock_) {
  next_prune_ = clock_->Now();
  writer_ = std::thread([this] { WriterLoop(); });
}

BufferedStore::~BufferedStore() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  wake_.notify_all();
  writer_.join();
}

void BufferedStore::Append(CheckResult result) {
  bool wake = false;
  {
    std::lock_guard lock(mu_);
    size_t capacity = std::max<size_t>(options_.queue_capacity, 1);
    if (queue_.size() + in_flight_.size() >= capacity) {
      ++dropped_;
      if (queue_.empty()) {
        return;  // everything held is in flight: the newest result is the one to go
      }
      queue_.pop_front();
      progress_.notify_all();
    }
    queue_.push_back(Item{next_seq_++, std::move(result)});
    wake = !backing_off_ && queue_.size() == WakeAt(options_);
  }
  if (wake) {
    wake_.notify_one();
  }
}

void BufferedStore::PutState(MonitorState state) {
  std::lock_guard lock(mu_);
  std::string key = state.monitor;
  states_.insert_or_assign(std::move(key), std::move(state));
  ++state_gen_;
}

uint64_t BufferedStore::DoneSeqLocked() const {
  if (!in_flight_.empty()) {
    return in_flight_.front().seq - 1;
  }
  if (!queue_.empty()) {
    return queue_.front().seq - 1;
  }
  return next_seq_ - 1;
}

Status BufferedStore::Flush() {
  std::unique_lock lock(mu_);
  uint64_t target = next_seq_ - 1;
  uint64_t target_gen = state_gen_;
  uint64_t failures = failed_attempts_;
  flush_requested_ = true;
  wake_.notify_one();
  progress_.wait(lock, [&] {
    return (DoneSeqLocked() >= target && state_gen_written_ >= target_gen) ||
           failed_attempts_ != failures || stop_;
  });
  if (failed_attempts_ != failures) {
    return last_error_;
  }
  return Status::Ok();
}

void BufferedStore::WriterLoop() {
  std::unique_lock lock(mu_);
  auto backoff = std::chrono::milliseconds(0);
  while (true) {
    auto wait = backoff.count() > 0 ? backoff : options_.flush_interval;
    wake_.wait_for(lock, wait, [&] {
      return stop_ || flush_requested_ || (!backing_off_ && queue_.size() >= WakeAt(options_));
    });
    bool stopping = stop_;
    flush_requested_ = false;
    if (DrainLocked(lock)) {
      backoff = std::chrono::milliseconds(0);
    } else {
      backoff =
          backoff.count() == 0 ? options_.retry_min : std::min(backoff * 2, options_.retry_max);
    }
    backing_off_ = backoff.count() > 0;
    if (stopping) {
      break;
    }
    if (!backing_off_) {
      PruneIfDue(lock);
    }
  }
}

bool BufferedStore::DrainLocked(std::unique_lock<std::mutex>& lock) {
  while (!queue_.empty() || state_gen_written_ != state_gen_) {
    size_t n = std::min(queue_.size(), std::max<size_t>(options_.max_batch, 1));
    in_flight_.clear();
    in_flight_.reserve(n);
    for (size_t i = 0; i < n; ++i) {
      in_flight_.push_back(std::move(queue_.front()));
      queue_.pop_front();
    }
    std::vector<MonitorState> states;
    for (auto& [name, s] : states_) {
      states.push_back(std::move(s));
    }
    states_.clear();
    uint64_t gen = state_gen_;

    std::vector<CheckResult> batch;
    batch.reserve(n);
    for (const Item& item : in_flight_) {
      batch.push_back(item.result);
    }
    lock.unlock();
    Status st = backend_->Write(batch, states);
    lock.lock();

    if (st.ok()) {
      in_flight_.clear();
      state_gen_written_ = gen;
      last_error_ = Status::Ok();
      progress_.notify_all();
      continue;
    }
    // Put the batch back in front, in order; newer states win over these.
    for (auto it = in_flight_.rbegin(); it != in_flight_.rend(); ++it) {
      queue_.push_front(std::move(*it));
    }
    in_flight_.clear();
    for (MonitorState& s : states) {
      std::string key = s.monitor;
      states_.try_emplace(std::move(key), std::move(s));
    }
    last_error_ = st;
    ++failed_attempts_;
    progress_.notify_all();
    return false;
  }
  return true;
}

void BufferedStore::PruneIfDue(std::unique_lock<std::mutex>& lock) {
  MonoTime now = clock_->Now();
  if (!options_.prune || now < next_prune_) {
    return;
  }
  next_prune_ = now + options_.prune_interval;
  int64_t wall = ToUnixMillis(clock_->WallNow());
  PruneCutoffs c;
  c.raw_ms = wall - options_.retention.count();
  c.minute_ms = wall - std::max(options_.retention, options_.minute_rollup_retention).count();
  c.rollup_ms = wall - options_.rollup_retention.count();
  // Small transactions, yielding to queued results between them.
  while (!stop_ && queue_.size() < options_.max_batch) {
    lock.unlock();
    auto deleted = backend_->Prune(c, options_.prune_batch);
    lock.lock();
    if (!deleted) {
      last_error_ = deleted.error();
      return;
    }
    if (*deleted == 0) {
      return;
    }
  }
}

Result<std::vector<CheckResult>> BufferedStore::Results(const std::string& monitor,
                                                        WallTime since) {
  ResultQuery q;
  if (!monitor.empty()) {
    q.monitors.push_back(monitor);
  }
  q.since = since;
  std::vector<CheckResult> out;
  Status st = backend_->ScanResults(q, [&](const CheckResult& r) {
    out.push_back(r);
    return true;
  });
  if (!st.ok()) {
    return st;
  }
  std::stable_sort(out.begin(), out.end(), [](const CheckResult& a, const CheckResult& b) {
    return a.timestamp < b.timestamp;
  });
  return out;
}

Status BufferedStore::ScanResults(const ResultQuery& q, const ResultVisitor& fn) {
  return backend_->ScanResults(q, fn);
}

Status BufferedStore::ScanRollups(Resolution res, const std::vector<std::string>& monitors,
                                  WallTime from, WallTime to, const RollupVisitor& fn) {
  return backend_->ScanRollups(res, monitors, ToUnixMillis(from), ToUnixMillis(to), fn);
}

Result<std::vector<std::string>> BufferedStore::Monitors() { return backend_->Monitors(); }

Result<std::vector<MonitorState>> BufferedStore::States() { return backend_->States(); }

uint64_t BufferedStore::dropped() const {
  std::lock_guard lock(mu_);
  return dropped_;
}

size_t BufferedStore::queued() const {
  std::lock_guard lock(mu_);
  return queue_.size() + in_flight_.size();
}

Status BufferedStore::last_error() const {
  std::lock_guard lock(mu_);
  return last_error_;
}

std::string BufferedStore::Describe() const { return backend_->Describe(); }

}  // namespace modelwatch::store
