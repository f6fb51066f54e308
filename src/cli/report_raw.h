#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/status.h"
#include "store/store.h"

namespace modelwatch::cli {

// What `report` shows from raw results, beside the rollup tables: the phases
// of asynchronous checks (flux, http with poll:) and the light checks of
// `full_every` monitors (docs/cost.md), which the rollups leave out.
struct RawSummary {
  struct Phase {
    std::chrono::milliseconds p50{0};
    std::chrono::milliseconds p95{0};
  };
  struct Monitor {
    uint64_t jobs = 0;  // full checks that polled a job
    Phase accept, queue, fetch;
    double polls = 0;  // average polls a job
    uint64_t light = 0;
    uint64_t light_failed = 0;
  };
  std::map<std::string, Monitor> monitors;  // only monitors with jobs or light checks
};

// Reads the raw results of `monitors` (all when empty) with since <= t < until.
Result<RawSummary> SummarizeRaw(store::Store& store, const std::vector<std::string>& monitors,
                                WallTime since, WallTime until);

// The report's two sections as text ("" when neither has anything to show).
std::string FormatRawSummary(const RawSummary& s);

// The two sections of `monitor` for `report --format json`, added to `out`:
//   "light_checks": {"checks", "failed", "reachable" (percent)} or null;
//   "async_jobs": {"jobs", "accept_ms", "queue_ms", "fetch_ms" (each
//                 {"p50", "p95"}), "polls" (average a job)} or null.
void AddRawSummaryJson(const RawSummary& s, const std::string& monitor, nlohmann::json& out);

// `report --format csv --rows light` / `--rows async`: header, then a row a
// monitor that has such checks.
std::string LightChecksCsv(const RawSummary& s);
std::string AsyncJobsCsv(const RawSummary& s);

}  // namespace modelwatch::cli
