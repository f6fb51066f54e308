#include "alert/rules.h"

#include <algorithm>
#include <cmath>

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

double BoundOf(WindowRuleKind kind, const config::WindowRule& rule, const config::Thresholds& t) {
  switch (kind) {
    case WindowRuleKind::kLatencyP95:
      return rule.bound.value_or(static_cast<double>(t.latency_alert.count()));
    case WindowRuleKind::kErrorRate:
      return rule.bound.value_or(t.error_rate_alert);
    case WindowRuleKind::kAvailability:
      return rule.bound.value_or(t.availability_alert);
    case WindowRuleKind::kRateLimits:
      return rule.bound.value_or(t.rate_limits_per_hour_alert);
  }
  return 0;
}

int MinChecks(WindowRuleKind kind, const config::WindowRule& rule, double bound) {
  constexpr int kFloor = 10;
  if (rule.min_checks) {
    return *rule.min_checks;
  }
  // One failure in n checks is 100/n percent: it alone crosses a bound on
  // failures of `share` percent while n < 100 / share. Likewise one slow
  // answer is p95 itself while it is in the slowest 5 % of the successes.
  double share = kind == WindowRuleKind::kErrorRate      ? bound
                 : kind == WindowRuleKind::kAvailability ? 100.0 - bound
                 : kind == WindowRuleKind::kLatencyP95   ? 5.0
                                                         : 0;
  if (share <= 0 || share >= 100.0 / kFloor) {
    return kFloor;
  }
  return static_cast<int>(std::ceil(100.0 / share - 1e-9));
}

std::optional<WindowVerdict> JudgeWindow(WindowRuleKind kind, const config::WindowRule& rule,
                                         const store::WindowStats& s, const config::Thresholds& t) {
  if (!rule.enabled) {
    return std::nullopt;
  }
  const int64_t countable = static_cast<int64_t>(s.checks) - static_cast<int64_t>(s.rate_limited);
  WindowVerdict v;
  v.bound = BoundOf(kind, rule, t);
  const int64_t min_checks = MinChecks(kind, rule, v.bound);
  switch (kind) {
    case WindowRuleKind::kLatencyP95:
      if (!s.latency || static_cast<int64_t>(s.successes) < min_checks) {
        return std::nullopt;
      }
      v.value = s.latency->p95;
      v.breached = v.value > v.bound;
      return v;
    case WindowRuleKind::kErrorRate:
      if (!s.error_rate || static_cast<int64_t>(s.checks) < min_checks) {
        return std::nullopt;
      }
      v.value = *s.error_rate;
      v.breached = v.value > v.bound;
      return v;
    case WindowRuleKind::kAvailability:
      if (!s.availability || countable < min_checks) {
        return std::nullopt;
      }
      v.value = *s.availability;
      v.breached = v.value < v.bound;
      return v;
    case WindowRuleKind::kRateLimits:
      v.value = s.rate_limits_per_hour;
      v.breached = v.value > v.bound;
      return v;
  }
  return std::nullopt;
}

bool CanFire(const config::FailureRateRule& rule, std::chrono::milliseconds interval) {
  return !rule.enabled || interval.count() <= 0 || rule.window / interval >= rule.min_checks;
}

bool CanFire(const config::WindowRule& rule, WindowRuleKind kind,
             std::chrono::milliseconds interval, const config::Thresholds& thresholds) {
  if (!rule.enabled || kind == WindowRuleKind::kRateLimits || interval.count() <= 0) {
    return true;
  }
  return store::kWindows[rule.window_index] / interval >=
         MinChecks(kind, rule, BoundOf(kind, rule, thresholds));
}

int64_t ToldIn(const std::vector<ToldSpan>& told, std::chrono::milliseconds window, WallTime now) {
  const WallTime start = now - window;
  double n = 0;
  for (const ToldSpan& t : told) {
    if (t.last <= start || t.first > now) {
      continue;
    }
    if (t.first > start || t.last <= t.first) {
      n += t.failures;
    } else {
      n += t.failures * std::chrono::duration<double>(t.last - start) /
           std::chrono::duration<double>(t.last - t.first);
    }
  }
  return static_cast<int64_t>(std::llround(n));
}

store::WindowStats WithoutTold(const store::WindowStats& s, int64_t told) {
  store::WindowStats out = s;
  const uint64_t n = static_cast<uint64_t>(std::clamp<int64_t>(
      told, 0, static_cast<int64_t>(std::min(s.failures, s.checks - s.rate_limited))));
  if (n == 0) {
    return out;
  }
  out.checks -= n;
  out.failures -= n;
  out.DeriveRates();
  return out;
}

}  // namespace modelwatch::alert
