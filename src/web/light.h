#pragma once

// The light checks of `full_every` monitors (CheckMode::kLight, docs/cost.md)
// counted from raw results: how many ran and how many reached the provider
// (key, network and the model's presence answered). This is reachability,
// never generation availability: the rollups, the windows and the alerts
// count full checks only. Shared by `modelwatch stats`, the monitor page
// and /api/v1/monitors/{name}/stats.

#include <array>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "config/config.h"
#include "core/clock.h"
#include "core/status.h"
#include "store/store.h"
#include "store/windows.h"

namespace modelwatch::web {

// The label every place showing these figures uses.
inline constexpr const char* kLightNote =
    "reachability (key, network, model listed) from free light checks, not generation "
    "availability";

struct LightCounts {
  uint64_t checks = 0;
  uint64_t reachable = 0;  // not a failure (IsFailure)
  // 100 * reachable / checks; nullopt without checks.
  std::optional<double> reachable_percent() const;
};

// One monitor's light checks in each of store::kWindows, ending at `now`
// (exactly [now - window, now], from raw rows; windows past `windows` stay 0).
using LightWindows = std::array<LightCounts, store::kWindowCount>;

// The configured monitors among `names` (all configured ones when empty)
// with full_every > 1, config order: those with light checks.
std::vector<std::string> LightMonitors(const config::Config& cfg,
                                       const std::vector<std::string>& names);

// Counts the light checks of `monitors` in the first `windows` of
// store::kWindows (1 to kWindowCount), counted by the database (one
// Store::CountResults per monitor; no raw row is read here). Every monitor
// asked for is in the answer, with zero counts when it had none. Monitors not asked for are not read: pass LightMonitors().
Result<std::map<std::string, LightWindows>> CountLightChecks(
    store::Store& store, const std::vector<std::string>& monitors, WallTime now,
    int windows = store::kWindowCount);

// CountLightChecks for one monitor at a time, kept while the dashboard's
// data generation (DataCache, one every 5 s) is the same: the monitor page and
// /api/v1/monitors/{name}/stats read the raw rows once per generation, not
// once per view. One entry per monitor asked for (at most the configured
// light monitors). Thread-safe; two misses at once may both read.
class LightCache {
 public:
  // The counts of `monitor` in the first `windows` windows ending at
  // `generation` (the generation's time, DashboardData::now).
  Result<LightWindows> Get(store::Store& store, const std::string& monitor, WallTime generation,
                           int windows);

 private:
  struct Entry {
    WallTime generation;
    int windows = 0;
    LightWindows counts;
  };
  std::mutex mu_;
  std::map<std::string, Entry> entries_;
};

}  // namespace modelwatch::web
