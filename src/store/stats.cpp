#include "store/stats.h"

#include <algorithm>

namespace modelwatch::store {
namespace {

// Higher is better (availability).
Health JudgeLow(double v, double warning, double alert) {
  if (v < alert) {
    return Health::kAlert;
  }
  return v < warning ? Health::kWarning : Health::kNormal;
}

// Lower is better (latency, error rate, rate limits).
Health JudgeHigh(double v, double warning, double alert) {
  if (v > alert) {
    return Health::kAlert;
  }
  return v > warning ? Health::kWarning : Health::kNormal;
}

}  // namespace

std::string_view ToString(Health h) {
  switch (h) {
    case Health::kUnknown:
      return "unknown";
    case Health::kNormal:
      return "normal";
    case Health::kWarning:
      return "warning";
    case Health::kAlert:
      return "alert";
  }
  return "unknown";
}

Health WindowStats::overall() const {
  return std::max({availability_health, latency_health, error_rate_health, rate_limit_health});
}

std::optional<double> AvailabilityPercent(uint64_t successes, uint64_t checks,
                                          uint64_t rate_limited) {
  const uint64_t judged = checks > rate_limited ? checks - rate_limited : 0;
  if (judged == 0) {
    return std::nullopt;
  }
  return 100.0 * static_cast<double>(successes) / static_cast<double>(judged);
}

std::optional<double> ErrorRatePercent(uint64_t failures, uint64_t checks) {
  if (checks == 0) {
    return std::nullopt;
  }
  return 100.0 * static_cast<double>(failures) / static_cast<double>(checks);
}

void WindowStats::DeriveRates() {
  availability = AvailabilityPercent(successes, checks, rate_limited);
  error_rate = ErrorRatePercent(failures, checks);
}

WindowStats ComputeStats(const Rollup& r, std::chrono::milliseconds window, const Thresholds& t) {
  WindowStats s;
  s.window = window;
  s.checks = r.checks();
  s.successes = r.successes();
  s.failures = r.failures();
  s.rate_limited = r.rate_limited();
  s.by_status = r.counts;
  s.cost_usd = r.cost_usd();
  s.costed = r.costed;
  double hours = std::chrono::duration<double, std::ratio<3600>>(window).count();
  s.rate_limits_per_hour = hours > 0 ? static_cast<double>(s.rate_limited) / hours : 0;
  s.DeriveRates();
  if (s.availability) {
    s.availability_health = JudgeLow(*s.availability, t.availability_warning, t.availability_alert);
  }
  if (s.error_rate) {
    s.error_rate_health = JudgeHigh(*s.error_rate, t.error_rate_warning, t.error_rate_alert);
    s.rate_limit_health = JudgeHigh(s.rate_limits_per_hour, t.rate_limits_per_hour_warning,
                                    t.rate_limits_per_hour_alert);
  }
  if (s.successes > 0) {
    LatencyStats l;
    l.avg = static_cast<double>(r.latency_sum_ms) / static_cast<double>(s.successes);
    l.p50 = r.histogram.Percentile(0.50, r.latency_min_ms, r.latency_max_ms);
    l.p95 = r.histogram.Percentile(0.95, r.latency_min_ms, r.latency_max_ms);
    l.p99 = r.histogram.Percentile(0.99, r.latency_min_ms, r.latency_max_ms);
    l.min = r.latency_min_ms;
    l.max = r.latency_max_ms;
    s.latency = l;
    s.latency_health = JudgeHigh(l.p95, static_cast<double>(t.latency_warning.count()),
                                 static_cast<double>(t.latency_alert.count()));
  }
  return s;
}

}  // namespace modelwatch::store
