#pragma once

#include <array>
#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/status.h"
#include "store/stats.h"
#include "store/store.h"

namespace modelwatch::store {

inline constexpr int kWindowCount = 5;
// 1h, 6h, 24h, 7d, 30d.
extern const std::array<std::chrono::milliseconds, kWindowCount> kWindows;
// "1h", "6h", "24h", "7d", "30d".
std::string_view WindowName(int i);

struct MonitorWindows {
  std::string monitor;
  std::array<WindowStats, kWindowCount> windows;  // in kWindows order
};

using ThresholdsFor = std::function<Thresholds(const std::string& monitor)>;

// `monitors`, or every monitor the store holds when it is empty.
Result<std::vector<std::string>> MonitorsOrAll(Store& store,
                                               const std::vector<std::string>& monitors);

// The stats of every window for `monitors` (all stored monitors when empty)
// at `now`. Reads rollups only, a bounded number of rows per monitor:
//   1h  = the last 60 minute buckets, the newest being the current one
//         (minute rollups of the previous hour + the current hour's rollup);
//   6h, 24h = the last 6 / 24 hour buckets including the current one;
//   7d, 30d = the last 168 / 720 hour buckets including the current one
//         (hour rollups up to the first midnight, then day rollups).
// So each window covers between (length - one bucket) and its full length.
Result<std::vector<MonitorWindows>> ComputeWindows(Store& store,
                                                   const std::vector<std::string>& monitors,
                                                   WallTime now, const ThresholdsFor& thresholds);

}  // namespace modelwatch::store
