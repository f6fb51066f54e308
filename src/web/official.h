#pragma once

// What the dashboard and the API show of the official status sources
// (source/), the model lifecycle and the detection lead: plain functions of
// the config, the live snapshot and the store's history, shared by
// /api/v1/sources, /api/v1/incidents, the overview and the monitor page.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "core/clock.h"
#include "source/source.h"
#include "store/store.h"
#include "web/live.h"

namespace modelwatch::web {

// The four-step scale the dashboard shows: "ok" (operational), "degraded"
// (degraded or in maintenance), "outage", "unknown" (the source itself could
// not be read, or has not been yet: never "provider down").
std::string_view SourceState(source::Health h);

// Every configured source's latest snapshot, config order: the live one when
// the instance published it, else kUnknown with why ("no live state: ..." under
// `serve`, "not polled yet" before the first poll).
std::vector<source::Snapshot> SourcesNow(const config::Config& cfg, const LiveSnapshot* live);

// The names of the monitors whose `status_sources` list `source`, config order.
std::vector<std::string> MonitorsListing(const config::Config& cfg, std::string_view source);

// A warning about a monitored model: shut down, going away, or gone from
// its provider's list (models sources, live), else a shutdown the built-in
// table of retired models knows (config/retired.h).
struct LifecycleNotice {
  std::string monitor;
  std::string model;
  std::string text;     // one line, as `validate` and `check` say it
  bool urgent = false;  // gone, shut down, or within 7 days
};
std::vector<LifecycleNotice> LifecycleNotices(const config::Config& cfg, const LiveSnapshot* live,
                                              WallTime now);

// A detection lead found in the alert history (alert/detection_lead.h).
struct Lead {
  std::string monitor;
  std::string source;
  std::string incident;  // title
  std::string link;
  int lead_minutes = 0;  // > 0: the probes failed first
};
// The detection leads among `events` (any order; others are skipped).
std::vector<Lead> LeadsOf(const std::vector<store::AlertEvent>& events);
// Whether `lead` is about the incident titled `title` with page `link` on
// `source` (the link decides when both have one).
bool LeadMatches(const Lead& lead, std::string_view source, std::string_view title,
                 std::string_view link);

// One line of a monitor's timeline: its own alert events and the official
// events (and still-active incidents) of the sources it lists, newest first.
struct TimelineEntry {
  WallTime at{};
  bool official = false;  // from a status source, else an own alert event
  std::string source;     // official: the source's name
  std::string what;       // "firing", "resolved", "incident_opened", "active incident", ...
  std::string level;      // own: info / warning / critical; official: severity
  std::string text;       // message or title (and latest update)
  std::string link;       // official: the incident's page
  bool silenced = false;
  std::optional<int> lead_minutes;  // official incident openings with a known lead
};
// At most `limit` entries from `since` for `monitor` (configured, or
// nullptr for a stored-only one: then only own events). Store errors leave
// their part out and are named in *error.
std::vector<TimelineEntry> MonitorTimeline(const config::Monitor* monitor, const std::string& name,
                                           const LiveSnapshot* live, store::Store& store,
                                           WallTime since, size_t limit, std::string* error);

}  // namespace modelwatch::web
