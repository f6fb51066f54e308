#include "store/buffered_store.h"

#include <algorithm>
#include <iterator>

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

void BufferedStore::Commit(AlertChange change, MessagesWritten written) {
  {
    std::lock_guard lock(mu_);
    // States go with the other queued states (the latest wins); the batch
    // that takes this change takes every state queued before it too.
    for (MonitorState& s : change.states) {
      std::string key = s.monitor;
      states_.insert_or_assign(std::move(key), std::move(s));
      ++state_gen_;
    }
    change.states.clear();
    changes_.push_back(Change{std::move(change), std::move(written)});
    ++alert_gen_;
    if (backing_off_) {
      return;
    }
  }
  wake_.notify_one();
}

void BufferedStore::OutboxDelivered(int64_t id, WallTime when) {
  OutboxUpdate u;
  u.id = id;
  u.delivered = when;
  {
    std::lock_guard lock(mu_);
    updates_.push_back(std::move(u));
    ++alert_gen_;
    if (backing_off_) {
      return;
    }
  }
  wake_.notify_one();
}

void BufferedStore::OutboxRenewClaims(std::vector<int64_t> ids, std::string owner, WallTime until) {
  if (ids.empty()) {
    return;
  }
  WallTime now = clock_->WallNow();
  {
    std::lock_guard lock(mu_);
    for (int64_t id : ids) {
      OutboxUpdate u;
      u.id = id;
      u.renew_until = until;
      u.renew_owner = owner;
      u.renew_now = now;
      updates_.push_back(std::move(u));
    }
    ++alert_gen_;
    if (backing_off_) {
      return;
    }
  }
  wake_.notify_one();
}

void BufferedStore::OutboxFailed(int64_t id, int attempts, WallTime next_attempt,
                                 std::string error) {
  OutboxUpdate u;
  u.id = id;
  u.attempts = attempts;
  u.next_attempt = next_attempt;
  u.error = std::move(error);
  {
    std::lock_guard lock(mu_);
    updates_.push_back(std::move(u));
    ++alert_gen_;
    if (backing_off_) {
      return;
    }
  }
  wake_.notify_one();
}

void BufferedStore::AppendSourceEvents(std::vector<SourceEvent> events) {
  if (events.empty()) {
    return;
  }
  {
    std::lock_guard lock(mu_);
    for (SourceEvent& e : events) {
      source_events_.push_back(std::move(e));
    }
    ++alert_gen_;
    if (backing_off_) {
      return;
    }
  }
  wake_.notify_one();
}

Result<std::vector<SourceEvent>> BufferedStore::SourceEvents(WallTime since, size_t limit) {
  return backend_->SourceEvents(ToUnixMillis(since), limit);
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
  uint64_t target_alert_gen = alert_gen_;
  uint64_t failures = failed_attempts_;
  flush_requested_ = true;
  wake_.notify_one();
  progress_.wait(lock, [&] {
    return (DoneSeqLocked() >= target && state_gen_written_ >= target_gen &&
            alert_gen_written_ >= target_alert_gen) ||
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
      return stop_ || flush_requested_ ||
             (!backing_off_ && (queue_.size() >= WakeAt(options_) || UrgentLocked()));
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
  while (!queue_.empty() || state_gen_written_ != state_gen_ || UrgentLocked()) {
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
    std::vector<Change> changes(std::make_move_iterator(changes_.begin()),
                                std::make_move_iterator(changes_.end()));
    changes_.clear();
    std::vector<OutboxUpdate> updates(std::make_move_iterator(updates_.begin()),
                                      std::make_move_iterator(updates_.end()));
    updates_.clear();
    std::vector<SourceEvent> source_events = std::move(source_events_);
    source_events_.clear();
    uint64_t alert_gen = alert_gen_;

    std::vector<CheckResult> results;
    results.reserve(n);
    for (const Item& item : in_flight_) {
      results.push_back(item.result);
    }
    std::vector<AlertEvent> events;
    std::vector<OutboxMessage> messages;
    for (const Change& c : changes) {
      events.insert(events.end(), c.change.events.begin(), c.change.events.end());
      messages.insert(messages.end(), c.change.messages.begin(), c.change.messages.end());
    }
    lock.unlock();
    WriteBatch batch{results, states, events, messages, updates, source_events};
    Status st = backend_->Write(batch);
    if (st.ok()) {
      // Callbacks run unlocked: they may call the store.
      size_t next = 0;
      for (Change& c : changes) {
        std::vector<OutboxMessage> written;
        for (size_t i = 0; i < c.change.messages.size(); ++i, ++next) {
          if (messages[next].id != 0) {
            written.push_back(std::move(messages[next]));
          }
        }
        if (c.written) {
          c.written(std::move(written));
        }
      }
    }
    lock.lock();

    if (st.ok()) {
      in_flight_.clear();
      state_gen_written_ = gen;
      alert_gen_written_ = alert_gen;
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
    for (auto it = changes.rbegin(); it != changes.rend(); ++it) {
      changes_.push_front(std::move(*it));
    }
    for (auto it = updates.rbegin(); it != updates.rend(); ++it) {
      updates_.push_front(std::move(*it));
    }
    source_events_.insert(source_events_.begin(), std::make_move_iterator(source_events.begin()),
                          std::make_move_iterator(source_events.end()));
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
  while (!stop_ && queue_.size() < options_.max_batch && !UrgentLocked()) {
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

Result<std::vector<ResultCount>> BufferedStore::CountResults(const std::string& monitor,
                                                             CheckMode mode,
                                                             const std::vector<WallTime>& since,
                                                             WallTime until) {
  if (since.empty()) {
    return std::vector<ResultCount>{};
  }
  std::vector<int64_t> since_ms;
  since_ms.reserve(since.size());
  for (WallTime t : since) {
    since_ms.push_back(ToUnixMillis(t));
  }
  return backend_->CountResults(monitor, mode, since_ms,
                                until == WallTime::max() ? INT64_MAX : ToUnixMillis(until));
}

Status BufferedStore::ScanRollups(Resolution res, const std::vector<std::string>& monitors,
                                  WallTime from, WallTime to, const RollupVisitor& fn) {
  return backend_->ScanRollups(res, monitors, ToUnixMillis(from), ToUnixMillis(to), fn);
}

Result<std::vector<std::string>> BufferedStore::Monitors() { return backend_->Monitors(); }

Result<std::vector<MonitorState>> BufferedStore::States() { return backend_->States(); }

Result<std::vector<OutboxMessage>> BufferedStore::ClaimOutbox(const std::string& owner,
                                                              WallTime now,
                                                              std::chrono::milliseconds lease,
                                                              size_t limit) {
  return backend_->ClaimOutbox(owner, ToUnixMillis(now), ToUnixMillis(now + lease), limit);
}

Result<std::vector<OutboxMessage>> BufferedStore::Outbox(bool undelivered_only, size_t limit) {
  return backend_->Outbox(undelivered_only, limit);
}

Result<std::vector<AlertEvent>> BufferedStore::AlertEvents(const std::string& monitor,
                                                           WallTime since, size_t limit) {
  return backend_->AlertEvents(monitor, ToUnixMillis(since), limit);
}

Result<int64_t> BufferedStore::AddSilence(const Silence& silence) {
  return backend_->AddSilence(silence);
}

Status BufferedStore::RemoveSilence(int64_t id) { return backend_->RemoveSilence(id); }

Result<std::vector<Silence>> BufferedStore::Silences(WallTime now) {
  return backend_->Silences(ToUnixMillis(now));
}

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
