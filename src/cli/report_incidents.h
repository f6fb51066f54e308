#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/status.h"
#include "store/store.h"
#include "store/windows.h"

namespace modelwatch::cli {

// One incident of `report`: consecutive buckets whose availability fell below
// the monitor's own availability threshold (thresholds.availability_alert, the
// bound the availability alert uses).
struct Incident {
  WallTime start;
  WallTime end;  // exclusive: the end of the last bad bucket
  uint64_t checks = 0;
  uint64_t failures = 0;
  uint64_t rate_limited = 0;
  double availability = 0;  // percent, over the incident
  // kMinute when every bucket of the incident came from minute rollups;
  // kHour when part of it is only known by the hour (minute rollups expired).
  store::Resolution resolution = store::Resolution::kMinute;

  std::chrono::milliseconds duration() const {
    return std::chrono::duration_cast<std::chrono::milliseconds>(end - start);
  }
};

struct MonitorIncidents {
  double threshold = 99.0;          // percent; below is an incident
  std::vector<Incident> incidents;  // oldest first
  // The first moment covered by minute rollups in the window (nullopt when
  // none is): before it the incidents come from hour rollups.
  std::optional<WallTime> minutes_from;
  bool hours_used = false;  // some hour had no (or incomplete) minute rollups
};

// Incidents of `monitors` with since <= bucket start < until, from minute
// rollups, each hour whose minute rollups are gone (or do not add up to its
// hour rollup) judged as one hour bucket instead. Buckets without judged
// checks (none, or only rate limited) neither open nor break an incident.
Result<std::map<std::string, MonitorIncidents>> FindIncidents(
    store::Store& store, const std::vector<std::string>& monitors, WallTime since, WallTime until,
    const store::ThresholdsFor& thresholds);

// "12s", "4m 05s", "2h 10m", "3d 4h".
std::string IncidentDuration(std::chrono::milliseconds d);

// How the incidents were found, for the report's heading: "by minute", or
// "by minute from 2026-11-01T10:00Z, by hour before (minute rollups expired)",
// or "by hour (minute rollups expired)".
std::string IncidentResolution(const MonitorIncidents& m);

// The table report's incident section, one line an incident.
std::string FormatIncidents(const MonitorIncidents& m);

// {"start", "end", "duration_s", "checks", "failures", "rate_limited",
//  "availability", "resolution": "minute"|"hour"} an incident.
nlohmann::json IncidentsJson(const MonitorIncidents& m);

// CSV rows "monitor,start,end,duration_s,checks,failures,rate_limited,
// availability,threshold,resolution", header first.
std::string IncidentsCsv(const std::map<std::string, MonitorIncidents>& all);

}  // namespace modelwatch::cli
