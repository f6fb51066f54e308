#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "core/clock.h"
#include "store/backend.h"
#include "store/store.h"

namespace modelwatch::store {

// The Store both engines share: a bounded queue in front of one writer
// thread that writes batches through a Backend, retries with exponential
// backoff while the database fails, and prunes old rows between batches.
// Alert changes and outbox updates have their own unbounded queues (they are
// few, and never dropped); they wake the writer at once and go into the next
// transaction together with whatever results are queued.
class BufferedStore final : public Store {
 public:
  // Starts the writer thread. `backend` may still be disconnected: the
  // writer connects before its first write.
  BufferedStore(std::unique_ptr<Backend> backend, const Options& options);
  // Writes what is queued (one attempt), then stops the writer.
  ~BufferedStore() override;
  BufferedStore(const BufferedStore&) = delete;
  BufferedStore& operator=(const BufferedStore&) = delete;

  // Store
  void Append(CheckResult result) override;
  void PutState(MonitorState state) override;
  Status Flush() override;
  Result<std::vector<CheckResult>> Results(const std::string& monitor, WallTime since) override;
  Status ScanResults(const ResultQuery& q, const ResultVisitor& fn) override;
  Result<std::vector<ResultCount>> CountResults(const std::string& monitor, CheckMode mode,
                                                const std::vector<WallTime>& since,
                                                WallTime until) override;
  Status ScanRollups(Resolution res, const std::vector<std::string>& monitors, WallTime from,
                     WallTime to, const RollupVisitor& fn) override;
  Result<std::vector<std::string>> Monitors() override;
  Result<std::vector<MonitorState>> States() override;
  void Commit(AlertChange change, MessagesWritten written) override;
  Result<std::vector<OutboxMessage>> ClaimOutbox(const std::string& owner, WallTime now,
                                                 std::chrono::milliseconds lease,
                                                 size_t limit) override;
  void OutboxDelivered(int64_t id, WallTime when) override;
  void OutboxFailed(int64_t id, int attempts, WallTime next_attempt, std::string error) override;
  void OutboxRenewClaims(std::vector<int64_t> ids, std::string owner, WallTime until) override;
  Result<std::vector<OutboxMessage>> Outbox(bool undelivered_only, size_t limit) override;
  Result<std::vector<AlertEvent>> AlertEvents(const std::string& monitor, WallTime since,
                                              size_t limit) override;
  Result<int64_t> AddSilence(const Silence& silence) override;
  Status RemoveSilence(int64_t id) override;
  Result<std::vector<Silence>> Silences(WallTime now) override;
  void AppendSourceEvents(std::vector<SourceEvent> events) override;
  Result<std::vector<SourceEvent>> SourceEvents(WallTime since, size_t limit) override;
  uint64_t dropped() const override;
  size_t queued() const override;
  Status last_error() const override;
  std::string Describe() const override;

 private:
  struct Item {
    uint64_t seq;
    CheckResult result;
  };
  struct Change {
    AlertChange change;
    MessagesWritten written;
  };

  void WriterLoop();
  // Writes everything queued in batches; stops at the first failure.
  // REQUIRES: mu_ held (released during I/O).
  bool DrainLocked(std::unique_lock<std::mutex>& lock);
  void PruneIfDue(std::unique_lock<std::mutex>& lock);
  // Every result with seq <= this is written or dropped. REQUIRES: mu_ held.
  uint64_t DoneSeqLocked() const;
  // Something the writer must write now, not at the next interval.
  // REQUIRES: mu_ held.
  bool UrgentLocked() const { return alert_gen_ != alert_gen_written_; }

  std::unique_ptr<Backend> backend_;
  const Options options_;
  SystemClock system_clock_;
  const Clock* clock_;

  mutable std::mutex mu_;
  std::condition_variable wake_;                // the writer waits here
  std::condition_variable progress_;            // Flush waits here
  std::deque<Item> queue_;                      // GUARDED_BY(mu_)
  std::vector<Item> in_flight_;                 // the batch being written; GUARDED_BY(mu_)
  std::map<std::string, MonitorState> states_;  // GUARDED_BY(mu_)
  std::deque<Change> changes_;                  // GUARDED_BY(mu_)
  std::deque<OutboxUpdate> updates_;            // GUARDED_BY(mu_)
  std::vector<SourceEvent> source_events_;      // GUARDED_BY(mu_)
  uint64_t next_seq_ = 1;
  uint64_t state_gen_ = 0;          // bumped by PutState
  uint64_t state_gen_written_ = 0;  // states up to this generation are written
  uint64_t alert_gen_ = 0;          // bumped by Commit, OutboxDelivered, OutboxFailed
  uint64_t alert_gen_written_ = 0;  // those up to this generation are written
  uint64_t failed_attempts_ = 0;
  uint64_t dropped_ = 0;
  bool flush_requested_ = false;
  bool stop_ = false;
  bool backing_off_ = false;
  Status last_error_;
  MonoTime next_prune_{};

  std::thread writer_;  // last member: starts once everything above exists
};

}  // namespace modelwatch::store
