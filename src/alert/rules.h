#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "alert/state.h"
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
  int64_t told = 0;  // failures of told outages left out (set by the engine)
};
// The checks a window must hold before `rule` judges it: the written
// min_checks, or by default enough that one failure alone cannot cross the
// bound (availability below 99 %: 100 checks; error rate above 5 %: 20;
// p95 latency: 20 successes, so one slow answer is not the p95), and never
// fewer than 10. `bound` as JudgeWindow compares with.
int MinChecks(config::WindowRuleKind kind, const config::WindowRule& rule, double bound);
// The bound `rule` compares with: its own, or the monitor's threshold.
double BoundOf(config::WindowRuleKind kind, const config::WindowRule& rule,
               const config::Thresholds& thresholds);

// nullopt: no verdict (too few checks in the window, or nothing measured);
// a firing alert then stays as it is.
std::optional<WindowVerdict> JudgeWindow(config::WindowRuleKind kind,
                                         const config::WindowRule& rule,
                                         const store::WindowStats& stats,
                                         const config::Thresholds& thresholds);

// Whether a result rule (failure_rate) can fire at all at `interval`: the
// window must hold min_checks checks.
bool CanFire(const config::FailureRateRule& rule, std::chrono::milliseconds interval);
// Whether a window rule can gather MinChecks checks in its window.
bool CanFire(const config::WindowRule& rule, config::WindowRuleKind kind,
             std::chrono::milliseconds interval, const config::Thresholds& thresholds);

// How many of the told failures fell in (now - window, now]; a span that the
// window's start cuts counts in proportion to the part inside.
int64_t ToldIn(const std::vector<ToldSpan>& told, std::chrono::milliseconds window, WallTime now);
// `s` as if `told` of its failed checks had not been made: fewer checks and
// failures, availability and error rate computed again.
store::WindowStats WithoutTold(const store::WindowStats& s, int64_t told);

}  // namespace modelwatch::alert
