#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>

#include "store/rollup.h"

namespace modelwatch::store {

// Thresholds of the window indicators (DESIGN.md "Thresholds"). A plain copy
// of config::Thresholds so the store does not depend on config; the CLI and
// the engine convert.
struct Thresholds {
  double availability_warning = 99.5;                 // percent; below is warning
  double availability_alert = 99.0;                   // below is alert
  std::chrono::milliseconds latency_warning{15'000};  // p95 above is warning
  std::chrono::milliseconds latency_alert{30'000};    // p95 above is alert
  double error_rate_warning = 1.0;                    // percent; above is warning
  double error_rate_alert = 5.0;
  double rate_limits_per_hour_warning = 0.0;  // above is warning
  double rate_limits_per_hour_alert = 10.0;
};

enum class Health { kUnknown, kNormal, kWarning, kAlert };  // kUnknown: no data
std::string_view ToString(Health h);  // "unknown", "normal", "warning", "alert"

struct LatencyStats {  // successes only, milliseconds
  double avg = 0;
  double p50 = 0;
  double p95 = 0;
  double p99 = 0;
  int64_t min = 0;
  int64_t max = 0;
};

// successes / (checks - rate_limited), percent: a rate-limited check says
// nothing of the model; nullopt without any other check.
std::optional<double> AvailabilityPercent(uint64_t successes, uint64_t checks,
                                          uint64_t rate_limited);
// failures / checks, percent; nullopt without checks.
std::optional<double> ErrorRatePercent(uint64_t failures, uint64_t checks);

// The indicators of one monitor over one window.
struct WindowStats {
  std::chrono::milliseconds window{0};
  uint64_t checks = 0;
  uint64_t successes = 0;  // incl. degraded
  uint64_t failures = 0;   // every status that IsFailure
  uint64_t rate_limited = 0;
  std::array<uint64_t, kCheckStatusCount> by_status{};
  // successes / (checks - rate_limited), percent; nullopt without such checks.
  std::optional<double> availability;
  std::optional<double> error_rate;     // failures / checks, percent
  double rate_limits_per_hour = 0;      // rate_limited / window hours
  std::optional<LatencyStats> latency;  // nullopt without successes
  double cost_usd = 0;                  // summed over the checks that had a cost
  uint64_t costed = 0;                  // how many checks had one
  Health availability_health = Health::kUnknown;
  Health latency_health = Health::kUnknown;  // judged on p95
  Health error_rate_health = Health::kUnknown;
  Health rate_limit_health = Health::kUnknown;

  Health overall() const;  // the worst of the four

  // Sets availability and error_rate from the counts above (the health
  // fields are left as they are).
  void DeriveRates();
};

// Derives the indicators from the merged rollup of a window `window` long.
WindowStats ComputeStats(const Rollup& r, std::chrono::milliseconds window, const Thresholds& t);

}  // namespace modelwatch::store
