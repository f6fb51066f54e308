#include "cli/report_incidents.h"

#include <fmt/format.h>

#include <optional>
#include <unordered_map>

#include "cli/csv.h"
#include "store/stats.h"

namespace modelwatch::cli {
namespace {

using store::Resolution;
using store::Rollup;

struct Bucket {
  int64_t length_ms = 0;
  Rollup rollup;
  Resolution resolution = Resolution::kMinute;
};

// Successes / (checks - rate limited), percent; nullopt without such checks.
std::optional<double> Availability(const Rollup& r) {
  return store::AvailabilityPercent(r.successes(), r.checks(), r.rate_limited());
}

// The buckets of one monitor, by start: its minute rollups, except in hours
// whose minute rollups do not add up to the hour rollup (expired), which are
// one hour bucket.
std::map<int64_t, Bucket> Buckets(const std::map<int64_t, Rollup>& minutes,
                                  const std::map<int64_t, Rollup>& hours, MonitorIncidents& out) {
  std::map<int64_t, Bucket> buckets;
  const int64_t minute = store::Length(Resolution::kMinute).count();
  const int64_t hour = store::Length(Resolution::kHour).count();
  for (const auto& [start, r] : minutes) {
    buckets[start] = Bucket{minute, r, Resolution::kMinute};
  }
  for (const auto& [start, r] : hours) {
    auto first = buckets.lower_bound(start);
    auto last = buckets.lower_bound(start + hour);
    uint64_t in_minutes = 0;
    for (auto it = first; it != last; ++it) {
      in_minutes += it->second.rollup.checks();
    }
    if (in_minutes != r.checks()) {
      buckets.erase(first, last);
      buckets[start] = Bucket{hour, r, Resolution::kHour};
      out.hours_used = true;
    }
  }
  for (const auto& [start, b] : buckets) {
    if (b.resolution == Resolution::kMinute) {
      out.minutes_from = FromUnixMillis(start);
      break;
    }
  }
  return buckets;
}

void Judge(const std::map<int64_t, Bucket>& buckets, MonitorIncidents& out) {
  std::optional<Incident> open;
  Rollup period;
  auto close = [&] {
    if (open) {
      open->checks = period.checks();
      open->failures = period.failures();
      open->rate_limited = period.rate_limited();
      open->availability = Availability(period).value_or(0);
      out.incidents.push_back(*open);
      open.reset();
      period = Rollup();
    }
  };
  for (const auto& [start, b] : buckets) {
    std::optional<double> a = Availability(b.rollup);
    if (!a) {
      continue;
    }
    if (*a >= out.threshold) {
      close();
      continue;
    }
    if (!open) {
      open = Incident{};
      open->start = FromUnixMillis(start);
    }
    open->end = FromUnixMillis(start + b.length_ms);
    if (b.resolution == Resolution::kHour) {
      open->resolution = Resolution::kHour;
    }
    period.Merge(b.rollup);
  }
  close();
}

}  // namespace

Result<std::map<std::string, MonitorIncidents>> FindIncidents(
    store::Store& store, const std::vector<std::string>& monitors, WallTime since, WallTime until,
    const store::ThresholdsFor& thresholds) {
  auto named = store::MonitorsOrAll(store, monitors);
  if (!named) {
    return named.error();
  }
  WallTime from = FromUnixMillis(store::BucketStart(Resolution::kHour, ToUnixMillis(since)));
  using ByStart = std::map<int64_t, Rollup>;
  std::unordered_map<std::string, ByStart> minutes, hours;
  for (auto [res, into] : {std::pair{Resolution::kMinute, &minutes}, {Resolution::kHour, &hours}}) {
    Status st = store.ScanRollups(res, *named, from, until,
                                  [target = into](const std::string& m, WallTime b, const Rollup& r) {
                                    (*target)[m][ToUnixMillis(b)] = r;
                                  });
    if (!st.ok()) {
      return st;
    }
  }
  std::map<std::string, MonitorIncidents> out;
  for (const std::string& name : *named) {
    MonitorIncidents& mi = out[name];
    mi.threshold = (thresholds ? thresholds(name) : store::Thresholds{}).availability_alert;
    Judge(Buckets(minutes[name], hours[name], mi), mi);
  }
  return out;
}

std::string IncidentDuration(std::chrono::milliseconds d) {
  int64_t s = std::max<int64_t>(0, d.count() / 1000);
  if (s < 60) {
    return fmt::format("{}s", s);
  }
  if (s < 3600) {
    return fmt::format("{}m {:02}s", s / 60, s % 60);
  }
  if (s < 86'400) {
    return fmt::format("{}h {:02}m", s / 3600, s % 3600 / 60);
  }
  return fmt::format("{}d {}h", s / 86'400, s % 86'400 / 3600);
}

namespace {
std::string Minute(WallTime t) { return FormatIso8601(t).substr(0, 16) + "Z"; }
std::string_view ResolutionName(Resolution r) { return r == Resolution::kHour ? "hour" : "minute"; }
double Seconds(std::chrono::milliseconds d) { return static_cast<double>(d.count()) / 1000.0; }
}  // namespace

std::string IncidentResolution(const MonitorIncidents& m) {
  if (!m.hours_used) {
    return "by minute";
  }
  if (!m.minutes_from) {
    return "by hour (minute rollups expired)";
  }
  return "by minute from " + Minute(*m.minutes_from) + ", by hour before (minute rollups expired)";
}

std::string FormatIncidents(const MonitorIncidents& m) {
  // 80 columns: a long resolution ("by minute from ..., by hour before ...")
  // gets a line of its own.
  std::string resolution = IncidentResolution(m);
  std::string out = m.hours_used && m.minutes_from
                        ? fmt::format("\nincidents below {:.2f}% available: {}\n  ({})\n",
                                      m.threshold, m.incidents.empty() ? "none" : "", resolution)
                        : fmt::format("\nincidents (below {:.2f}% available, {}): {}\n",
                                      m.threshold, resolution, m.incidents.empty() ? "none" : "");
  for (const Incident& i : m.incidents) {
    // 80 columns: the end without its date when it is the start's day.
    std::string end = Minute(i.end);
    if (end.compare(0, 10, Minute(i.start), 0, 10) == 0) {
      end.erase(0, 11);
    }
    out += fmt::format("  {} .. {:<6}  {:>8}  {:6.2f}%  {} of {} failed{}\n", Minute(i.start), end,
                       IncidentDuration(i.duration()), i.availability, i.failures, i.checks,
                       i.resolution == Resolution::kHour ? " (by hour)" : "");
  }
  return out;
}

nlohmann::json IncidentsJson(const MonitorIncidents& m) {
  nlohmann::json out = nlohmann::json::array();
  for (const Incident& i : m.incidents) {
    out.push_back({{"start", FormatIso8601(i.start)},
                   {"end", FormatIso8601(i.end)},
                   {"duration_s", Seconds(i.duration())},
                   {"checks", i.checks},
                   {"failures", i.failures},
                   {"rate_limited", i.rate_limited},
                   {"availability", i.availability},
                   {"resolution", ResolutionName(i.resolution)}});
  }
  return out;
}

std::string IncidentsCsv(const std::map<std::string, MonitorIncidents>& all) {
  std::string out =
      "monitor,start,end,duration_s,checks,failures,rate_limited,availability,threshold,"
      "resolution\n";
  for (const auto& [name, m] : all) {
    for (const Incident& i : m.incidents) {
      out += fmt::format("{},{},{},{:.0f},{},{},{},{:.4f},{},{}\n", CsvField(name),
                         FormatIso8601(i.start), FormatIso8601(i.end), Seconds(i.duration()),
                         i.checks, i.failures, i.rate_limited, i.availability, m.threshold,
                         ResolutionName(i.resolution));
    }
  }
  return out;
}

}  // namespace modelwatch::cli
