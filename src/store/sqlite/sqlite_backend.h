#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>

#include "store/backend.h"
#include "store/sqlite/checkpointer.h"
#include "store/sqlite/db.h"

namespace modelwatch::store::sqlite {

// SQLite engine: WAL journal, synchronous=NORMAL (a commit reaches the disk
// at the next checkpoint, so a power cut loses at most the last commits, a
// fraction of a second of results; a killed process loses nothing
// committed), one write connection used by the writer thread and one read
// connection shared by readers under a mutex. Checkpoints run on a
// Checkpointer's own connection and thread, never inside a commit.
class SqliteBackend final : public Backend {
 public:
  explicit SqliteBackend(std::string path, CheckpointOptions checkpoints = {});

  // Backend
  Status Connect() override;
  Status Write(WriteBatch& batch) override;
  Result<int64_t> Prune(const PruneCutoffs& cutoffs, int limit) override;
  // Claims and silences run on the write connection under its mutex: a
  // second write connection in this process would only wait for the same
  // database lock, in SQLite's busy-handler sleeps instead of at once.
  Result<std::vector<OutboxMessage>> ClaimOutbox(const std::string& owner, int64_t now_ms,
                                                 int64_t until_ms, size_t limit) override;
  Result<int64_t> AddSilence(const Silence& silence) override;
  Status RemoveSilence(int64_t id) override;
  Status ScanResults(const ResultQuery& q, const ResultVisitor& fn) override;
  Result<std::vector<ResultCount>> CountResults(const std::string& monitor, CheckMode mode,
                                                const std::vector<int64_t>& since_ms,
                                                int64_t until_ms) override;
  Status ScanRollups(Resolution res, const std::vector<std::string>& monitors, int64_t from_ms,
                     int64_t to_ms, const RollupVisitor& fn) override;
  Result<std::vector<std::string>> Monitors() override;
  Result<std::vector<MonitorState>> States() override;
  Result<std::vector<OutboxMessage>> Outbox(bool undelivered_only, size_t limit) override;
  Result<std::vector<AlertEvent>> AlertEvents(const std::string& monitor, int64_t since_ms,
                                              size_t limit) override;
  Result<std::vector<Silence>> Silences(int64_t now_ms) override;
  Result<std::vector<SourceEvent>> SourceEvents(int64_t since_ms, size_t limit) override;
  // Instance locks (sqlite_lock.cpp / postgres_lock.cpp).
  Result<LockRow> ClaimLock(const LockRow& mine, int64_t now_ms,
                            const MayTakeLock& may_take) override;
  Status ReleaseLock(const std::string& name, const std::string& owner) override;
  std::string Describe() const override;

  const Checkpointer& checkpointer() const { return checkpointer_; }

 private:
  Status WriteLocked(std::span<const CheckResult> results, std::span<const MonitorState> states);
  // Events, messages and outbox updates of a batch (sqlite_alerts.cpp).
  Status WriteAlertsLocked(WriteBatch& batch);
  // The batch's source events (sqlite_source_events.cpp).
  Status WriteSourceEventsLocked(WriteBatch& batch);
  // Delivered messages, events and ended silences older than `cutoff_ms`.
  Result<int64_t> PruneAlertsLocked(int64_t cutoff_ms, int limit);
  Result<int64_t> MonitorId(const std::string& name);  // writer connection; interns
  // Reader connection: name -> id of every monitor, refreshed on demand.
  Status RefreshReaderIds();
  Status ConnectReader();
  // The file at path_ is the one this backend opened first (not deleted,
  // moved away or replaced since). REQUIRES: write_mu_ held.
  Status CheckSameFileLocked() const;
  // Closes the write connection after a failed write, so the next attempt
  // reopens the file (a permission fixed since is then seen).
  // REQUIRES: write_mu_ held.
  void CloseWriterLocked();

  const std::string path_;
  // Device and inode of the file first opened at path_ (0, 0: none yet).
  struct FileId {
    uint64_t dev = 0;
    uint64_t ino = 0;
  };
  FileId file_id_;  // GUARDED_BY(write_mu_)
  std::mutex write_mu_;  // Write/Prune/Connect: one thread in practice, guarded anyway
  // Declared before the connections, so it outlives them (they hold its hook).
  Checkpointer checkpointer_;
  Db writer_;
  std::unordered_map<std::string, int64_t> writer_ids_;
  int64_t prune_cursor_ = 0;  // next raw row id a pruning pass looks at
  // The newest rollup row of each (resolution, monitor id) as written by this
  // connection, so the common write (the current bucket, or a new later one)
  // needs no read. Updated inside the transaction and dropped whole when a
  // transaction fails or another connection commits (PRAGMA data_version).
  struct Latest {
    int64_t start = 0;
    Rollup rollup;
  };
  struct LatestKeyHash {
    size_t operator()(const std::pair<int, int64_t>& k) const {
      return std::hash<int64_t>()(k.second * 4 + k.first);
    }
  };
  std::unordered_map<std::pair<int, int64_t>, Latest, LatestKeyHash> latest_;
  int64_t data_version_ = -1;
  std::mutex read_mu_;
  Db reader_;
  std::unordered_map<std::string, int64_t> reader_ids_;
  // CountResultsSql by window count, GUARDED_BY(read_mu_): reader_ caches
  // statements by the text's address, which a map entry keeps.
  std::map<size_t, std::string> count_sql_;
};

}  // namespace modelwatch::store::sqlite
