#pragma once

#include <string>
#include <vector>

#include "core/clock.h"
#include "core/status.h"
#include "store/stats.h"
#include "store/store.h"
#include "store/windows.h"

namespace modelwatch::store {

struct HourStats {
  WallTime start;
  WindowStats stats;  // over that hour
};

// Consecutive hours whose availability fell below the report's bound.
struct AnomalyPeriod {
  WallTime start;
  WallTime end;  // exclusive
  uint64_t checks = 0;
  uint64_t failures = 0;
  uint64_t rate_limited = 0;
  double availability = 0;  // percent, over the whole period
};

struct DayLatency {
  WallTime day;  // UTC midnight
  uint64_t successes = 0;
  std::optional<LatencyStats> latency;
  double cost_usd = 0;  // what that day's checks cost (those with a cost)
};

struct MonitorReport {
  std::string monitor;
  std::vector<HourStats> hours;  // only hours with checks, oldest first
  std::vector<AnomalyPeriod> anomalies;
  std::vector<DayLatency> days;  // only days with checks
  WindowStats overall;           // the whole period
};

struct Report {
  WallTime since;  // rounded down to the hour
  WallTime until;
  std::vector<MonitorReport> monitors;  // in the order asked
};

// Builds the report of `monitors` (all stored when empty) from hour rollups
// in [since, now]. Hours with availability below `anomaly_below` percent
// are anomalies; adjacent ones merge into one period.
Result<Report> BuildReport(Store& store, const std::vector<std::string>& monitors, WallTime since,
                           WallTime now, const ThresholdsFor& thresholds,
                           double anomaly_below = 99.0);

}  // namespace modelwatch::store
