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
  Status Write(std::span<const CheckResult> results, std::span<const MonitorState> states) override;
  Result<int64_t> Prune(const PruneCutoffs& cutoffs, int limit) override;
  Status ScanResults(const ResultQuery& q, const ResultVisitor& fn) override;
  Status ScanRollups(Resolution res, const std::vector<std::string>& monitors, int64_t from_ms,
                     int64_t to_ms, const RollupVisitor& fn) override;
  Result<std::vector<std::string>> Monitors() override;
  Result<std::vector<MonitorState>> States() override;
  std::string Describe() const override;

 private:
  Status ConnectLocked();
  Status Migrate();
  Status WriteLocked(std::span<const CheckResult> results, std::span<const MonitorState> states);
  Result<int64_t> MonitorId(const std::string& name);  // writer; interns

  std::mutex write_mu_;
  Conn writer_;
  std::unordered_map<std::string, int64_t> writer_ids_;
  int64_t prune_cursor_ = 0;  // next raw row id a pruning pass looks at
  std::mutex read_mu_;
  Conn reader_;
};

}  // namespace modelwatch::store::postgres
