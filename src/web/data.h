#pragma once

// What the pages, the API and /metrics show, computed from the store's read
// side and the config, and cached for a few seconds so that a thousand
// monitors' windows are read once for all concurrent requests.

#include <array>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "config/config.h"
#include "core/check_status.h"
#include "core/clock.h"
#include "store/rollup.h"
#include "store/store.h"
#include "store/windows.h"
#include "web/live.h"

namespace modelwatch::web {

inline constexpr int kDayBars = 90;
inline constexpr int kHourBars = 24;

// One uptime bar: a day or an hour.
struct Bar {
  uint64_t checks = 0;
  uint64_t failures = 0;
  std::optional<double> availability;  // percent; nullopt without up/down checks
};

struct MonitorView {
  std::string name;
  std::string kind;  // empty for a stored monitor no longer configured
  std::string model;
  std::string provider;
  std::map<std::string, std::string> labels;
  store::Thresholds thresholds;
  std::chrono::milliseconds interval{0};
  bool configured = false;

  store::MonitorWindows windows;
  // Current state: the live snapshot's when running, else the stored state.
  std::optional<CheckStatus> last_status;
  std::optional<WallTime> last_check;
  int consecutive_failures = 0;

  std::array<Bar, kDayBars> days{};    // oldest first, the last is today (UTC)
  std::array<Bar, kHourBars> hours{};  // oldest first, the last is the current hour
  // Every retained day rollup merged (counters and the histogram of /metrics).
  store::Rollup total;

  // Cost (docs/cost.md): spent since the start of the UTC month (day
  // rollups), over how many checks, and the expected price of one check
  // (nullopt: no price known, or a push / http monitor).
  double month_cost_usd = 0;
  double month_projected_usd = 0;  // month_cost_usd carried to the month's end
  uint64_t month_costed = 0;
  std::optional<double> price_per_check;
};

struct DashboardData {
  WallTime now{};                     // when computed
  int64_t first_day_ms = 0;           // start of days[0]
  int64_t first_hour_ms = 0;          // start of hours[0]
  WallTime month_start{};             // start of the UTC month holding `now`
  std::vector<MonitorView> monitors;  // configured order, then stored-only ones
  std::map<std::string, size_t> index;
  std::string error;  // non-empty when the store could not be read (redacted)

  const MonitorView* Find(const std::string& name) const {
    auto it = index.find(name);
    return it == index.end() ? nullptr : &monitors[it->second];
  }
};

store::Thresholds ToStoreThresholds(const config::Thresholds& t);
// The configured monitor `name`, or nullptr.
const config::Monitor* FindMonitor(const config::Config& cfg, const std::string& name);

// Computes DashboardData at most once per `ttl`; concurrent callers of a
// stale cache wait for the one computation. Thread-safe. `cfg`, `store`,
// `live` (nullable) and `clock` must outlive it.
class DataCache {
 public:
  DataCache(const config::Config& cfg, store::Store& store, const LiveState* live,
            const Clock& clock, std::chrono::milliseconds ttl);

  std::shared_ptr<const DashboardData> Get();

 private:
  std::shared_ptr<const DashboardData> Compute();

  const config::Config& cfg_;
  store::Store& store_;
  const LiveState* live_;
  const Clock& clock_;
  std::chrono::milliseconds ttl_;

  std::mutex compute_mu_;  // held while computing
  std::mutex mu_;          // guards data_ and computed_
  std::shared_ptr<const DashboardData> data_;
  MonoTime computed_{};
};

// The current status of `m`, taking the live snapshot (if any) over the
// cached data: status, time, consecutive failures.
struct Current {
  std::optional<CheckStatus> status;
  std::optional<WallTime> last_check;
  int consecutive_failures = 0;
  std::string error;  // the last result's error text (live only)
};
Current CurrentOf(const MonitorView& m, const LiveSnapshot* live);

// `to_date` (spent since data.month_start) carried at the same rate to the
// end of the month, as `modelwatch stats` projects it.
double ProjectedMonth(const DashboardData& data, double to_date);

}  // namespace modelwatch::web
