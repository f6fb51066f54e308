#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "config/alerts.h"
#include "config/config.h"
#include "core/clock.h"
#include "store/stats.h"

namespace modelwatch::alert {

// Rule names, as in config, messages, history and silences.
inline constexpr std::string_view kConsecutiveFailures = "consecutive_failures";
inline constexpr std::string_view kFailureRate = "failure_rate";
inline constexpr std::string_view kFlapping = "flapping";
inline constexpr std::string_view kHostNetwork = "host_network";

// The failures among the countable checks of `recent` that started in
// (now - window, now].
struct RateCount {
  int checks = 0;
  int failures = 0;
  double percent() const { return checks == 0 ? 0 : 100.0 * failures / checks; }
};
RateCount CountRecent(const std::vector<std::pair<WallTime, bool>>& recent,
                      std::chrono::milliseconds window, WallTime now);

// failure_rate's verdict: above its bound with at least min_checks.
bool FailureRateBreached(const config::FailureRateRule& rule, const RateCount& c);

// Drops checks older than `keep` before `now`.
void PruneRecent(std::vector<std::pair<WallTime, bool>>& recent, std::chrono::milliseconds keep,
                 WallTime now);

// A window rule's reading of one window.
struct WindowVerdict {
  bool breached = false;
  double value = 0;  // what was measured: ms, percent or hits per hour
  double bound = 0;  // what it was compared with
};
// nullopt: no verdict (too few checks in the window, or nothing measured);
// a firing alert then stays as it is.
std::optional<WindowVerdict> JudgeWindow(config::WindowRuleKind kind,
                                         const config::WindowRule& rule,
                                         const store::WindowStats& stats,
                                         const config::Thresholds& thresholds);

// Whether a result rule (failure_rate) can fire at all at `interval`: the
// window must hold min_checks checks.
bool CanFire(const config::FailureRateRule& rule, std::chrono::milliseconds interval);
// Whether a window rule can gather min_checks checks in its window.
bool CanFire(const config::WindowRule& rule, config::WindowRuleKind kind,
             std::chrono::milliseconds interval);

}  // namespace modelwatch::alert
