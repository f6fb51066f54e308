#include "store/report.h"

#include <map>
#include <unordered_map>

namespace modelwatch::store {

Result<Report> BuildReport(Store& store, const std::vector<std::string>& monitors, WallTime since,
                           WallTime now, const ThresholdsFor& thresholds, double anomaly_below) {
  auto named = MonitorsOrAll(store, monitors);
  if (!named) {
    return named.error();
  }
  std::vector<std::string> names = std::move(*named);
  Report report;
  report.since = FromUnixMillis(BucketStart(Resolution::kHour, ToUnixMillis(since)));
  report.until = now;
  std::unordered_map<std::string, std::map<int64_t, Rollup>> hours;
  Status st = store.ScanRollups(
      Resolution::kHour, names, report.since, now + std::chrono::hours(1),
      [&](const std::string& m, WallTime b, const Rollup& r) { hours[m][ToUnixMillis(b)] = r; });
  if (!st.ok()) {
    return st;
  }
  const auto one_hour = std::chrono::milliseconds(std::chrono::hours(1));
  for (const std::string& name : names) {
    MonitorReport mr;
    mr.monitor = name;
    Thresholds t = thresholds ? thresholds(name) : Thresholds{};
    Rollup total;
    std::map<int64_t, Rollup> days;
    std::optional<AnomalyPeriod> open;
    int64_t last_hour = 0;
    Rollup period;
    auto close = [&] {
      if (open) {
        open->availability =
            AvailabilityPercent(period.successes(), period.checks(), period.rate_limited())
                .value_or(0);
        open->checks = period.checks();
        open->failures = period.failures();
        open->rate_limited = period.rate_limited();
        mr.anomalies.push_back(*open);
        open.reset();
        period = Rollup();
      }
    };
    for (const auto& [start, r] : hours[name]) {
      total.Merge(r);
      days[BucketStart(Resolution::kDay, start)].Merge(r);
      HourStats h{FromUnixMillis(start), ComputeStats(r, one_hour, t)};
      bool bad = h.stats.availability && *h.stats.availability < anomaly_below;
      if (!bad || (open && start != last_hour + one_hour.count())) {
        close();
      }
      if (bad) {
        if (!open) {
          open = AnomalyPeriod{};
          open->start = h.start;
        }
        open->end = h.start + one_hour;
        period.Merge(r);
        last_hour = start;
      }
      mr.hours.push_back(std::move(h));
    }
    close();
    for (const auto& [day, r] : days) {
      DayLatency d;
      d.day = FromUnixMillis(day);
      d.successes = r.successes();
      d.latency = ComputeStats(r, std::chrono::hours(24), t).latency;
      d.cost_usd = r.cost_usd();
      mr.days.push_back(d);
    }
    mr.overall = ComputeStats(
        total, std::chrono::duration_cast<std::chrono::milliseconds>(now - report.since), t);
    report.monitors.push_back(std::move(mr));
  }
  return report;
}

}  // namespace modelwatch::store
