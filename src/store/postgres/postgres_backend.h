#pragma once

#include <mutex>
#include <string>
#include <unordered_map>

#include "store/backend.h"
#include "store/postgres/pg_conn.h"

namespace modelwatch::store::postgres {

// PostgreSQL engine, for several instances sharing one server. Results go in
// with COPY; rollups are read, merged and upserted in the same transaction
// under a per-monitor advisory lock, so concurrent writers never lose counts.
// One write connection (writer thread) and one read connection (mutex).
class PostgresBackend final : public Backend {
 public:
  // `schema` empty: the server's default search_path.
  PostgresBackend(std::string url, std::string schema);

  // Backend
  Status Connect() override;
  Status Write(WriteBatch& batch) override;
  Result<int64_t> Prune(const PruneCutoffs& cutoffs, int limit) override;
  // Claims (FOR UPDATE SKIP LOCKED: concurrent claimers, in this process or
  // another instance, never get one row twice) and silences, on a third
  // connection so they never wait for the writer's batch.
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

 private:
  Status ConnectLocked();
  Status Migrate();
  Status WriteLocked(std::span<const CheckResult> results, std::span<const MonitorState> states);
  // Events, messages and outbox updates of a batch (postgres_alerts.cpp).
  Status WriteAlertsLocked(WriteBatch& batch);
  // The batch's source events (postgres_source_events.cpp).
  Status WriteSourceEventsLocked(WriteBatch& batch);
  // Delivered messages, events and ended silences older than `cutoff_ms`.
  Result<int64_t> PruneAlertsLocked(int64_t cutoff_ms, int limit);
  // The side connection, connected and migrated. REQUIRES: side_mu_ held.
  Status OpenSide();
  Result<int64_t> MonitorId(const std::string& name);  // writer; interns

  std::mutex write_mu_;
  Conn writer_;
  std::unordered_map<std::string, int64_t> writer_ids_;
  int64_t prune_cursor_ = 0;  // next raw row id a pruning pass looks at
  std::mutex read_mu_;
  Conn reader_;
  std::mutex side_mu_;
  Conn side_;  // claims and silences
};

}  // namespace modelwatch::store::postgres
