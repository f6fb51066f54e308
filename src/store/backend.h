#pragma once

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <tuple>
#include <vector>

#include "core/check_result.h"
#include "core/status.h"
#include "store/rollup.h"
#include "store/store.h"

namespace modelwatch::store {

// Rows older than these (ms since epoch) may be deleted.
struct PruneCutoffs {
  int64_t raw_ms = 0;
  int64_t minute_ms = 0;
  int64_t rollup_ms = 0;  // hour and day rollups
};

// One database engine. BufferedStore owns it, calls the write methods from
// its writer thread only, and the read methods from any thread: each engine
// keeps a separate read connection and serializes reads on it.
class Backend {
 public:
  virtual ~Backend() = default;

  // Opens the connections and brings the schema up to date; a no-op when
  // already connected. Write and the reads call it again after a failure.
  virtual Status Connect() = 0;

  // In one transaction: inserts `results`, adds them to their minute, hour
  // and day rollups, and upserts `states`. On failure nothing is written.
  virtual Status Write(std::span<const CheckResult> results,
                       std::span<const MonitorState> states) = 0;

  // Deletes at most about `limit` rows older than the cutoffs, in one short
  // transaction, and returns how many it deleted (0: nothing left to prune).
  virtual Result<int64_t> Prune(const PruneCutoffs& cutoffs, int limit) = 0;

  virtual Status ScanResults(const ResultQuery& q, const ResultVisitor& fn) = 0;
  virtual Status ScanRollups(Resolution res, const std::vector<std::string>& monitors,
                             int64_t from_ms, int64_t to_ms, const RollupVisitor& fn) = 0;
  virtual Result<std::vector<std::string>> Monitors() = 0;
  virtual Result<std::vector<MonitorState>> States() = 0;

  // "sqlite PATH" or "postgres URL" with the password removed.
  virtual std::string Describe() const = 0;
};

// The rollup deltas of one batch, keyed (resolution, monitor, bucket start).
using RollupKey = std::tuple<Resolution, std::string, int64_t>;
std::map<RollupKey, Rollup> AggregateRollups(std::span<const CheckResult> results);

// The schema version this binary writes; a database with a newer one is
// refused (an older binary must not write a layout it does not know).
inline constexpr int kSchemaVersion = 1;

}  // namespace modelwatch::store
