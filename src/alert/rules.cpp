#include "alert/rules.h"

#include <algorithm>

#include "store/windows.h"

namespace modelwatch::alert {

using config::WindowRuleKind;

RateCount CountRecent(const std::vector<std::pair<WallTime, bool>>& recent,
                      std::chrono::milliseconds window, WallTime now) {
  RateCount c;
  for (const auto& [at, failed] : recent) {
    if (at > now - window && at <= now) {
      ++c.checks;
      c.failures += failed ? 1 : 0;
    }
  }
  return c;
}

bool FailureRateBreached(const config::FailureRateRule& rule, const RateCount& c) {
  return rule.enabled && c.checks >= rule.min_checks && c.percent() > rule.above;
}

void PruneRecent(std::vector<std::pair<WallTime, bool>>& recent, std::chrono::milliseconds keep,
                 WallTime now) {
  std::erase_if(recent, [&](const auto& e) { return e.first <= now - keep; });
}

std::optional<WindowVerdict> JudgeWindow(WindowRuleKind kind, const config::WindowRule& rule,
                                         const store::WindowStats& s, const config::Thresholds& t) {
  if (!rule.enabled) {
    return std::nullopt;
  }
  const int64_t countable = static_cast<int64_t>(s.checks) - static_cast<int64_t>(s.rate_limited);
  WindowVerdict v;
  switch (kind) {
    case WindowRuleKind::kLatencyP95:
      if (!s.latency || static_cast<int64_t>(s.successes) < rule.min_checks) {
        return std::nullopt;
      }
      v.value = s.latency->p95;
      v.bound = rule.bound.value_or(static_cast<double>(t.latency_alert.count()));
      v.breached = v.value > v.bound;
      return v;
    case WindowRuleKind::kErrorRate:
      if (!s.error_rate || static_cast<int64_t>(s.checks) < rule.min_checks) {
        return std::nullopt;
      }
      v.value = *s.error_rate;
      v.bound = rule.bound.value_or(t.error_rate_alert);
      v.breached = v.value > v.bound;
      return v;
    case WindowRuleKind::kAvailability:
      if (!s.availability || countable < rule.min_checks) {
        return std::nullopt;
      }
      v.value = *s.availability;
      v.bound = rule.bound.value_or(t.availability_alert);
      v.breached = v.value < v.bound;
      return v;
    case WindowRuleKind::kRateLimits:
      v.value = s.rate_limits_per_hour;
      v.bound = rule.bound.value_or(t.rate_limits_per_hour_alert);
      v.breached = v.value > v.bound;
      return v;
  }
  return std::nullopt;
}

bool CanFire(const config::FailureRateRule& rule, std::chrono::milliseconds interval) {
  return !rule.enabled || interval.count() <= 0 || rule.window / interval >= rule.min_checks;
}

bool CanFire(const config::WindowRule& rule, WindowRuleKind kind,
             std::chrono::milliseconds interval) {
  if (!rule.enabled || kind == WindowRuleKind::kRateLimits || interval.count() <= 0) {
    return true;
  }
  return store::kWindows[rule.window_index] / interval >= rule.min_checks;
}

}  // namespace modelwatch::alert
