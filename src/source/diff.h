#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "source/source.h"

namespace modelwatch::source {

enum class EventKind {
  kIncidentOpened,    // an incident or maintenance appeared
  kIncidentUpdated,   // its status, latest update text or update time changed
  kIncidentResolved,  // it left the active list
  kComponentChanged,  // a chosen component's status changed
  kUptimeDropped,     // an OpenRouter provider went under uptime_below
  kUptimeRecovered,   // ... and came back to it or above
  kSourceUnknown,     // the source could no longer be read
  kSourceReadable,    // ... and can be read again
};
// "incident_opened", "incident_updated", "incident_resolved",
// "component_changed", "uptime_dropped", "uptime_recovered",
// "source_unknown", "source_readable".
std::string_view ToString(EventKind k);

// One change between two snapshots of a source.
struct SourceEvent {
  EventKind kind = EventKind::kIncidentOpened;
  std::string source;    // the config name
  WallTime at{};         // the later snapshot's poll time
  std::string subject;   // incident id, component name or provider; empty for the source
  std::string title;     // incident title; component or provider name
  std::string severity;  // incidents: as the source gives it
  std::string from;      // status before (components, incidents; uptime as "99.8%")
  std::string to;        // status after; for kSourceUnknown: why
  std::string link;      // the incident's page, else the source's
};

// What changed from `before` to `after`, two snapshots of one source. Pure.
// - `before` never polled (polled == {}): nothing (the first poll of a run
//   is the baseline, not news).
// - Either unknown: only kSourceUnknown (known -> unknown) or
//   kSourceReadable (unknown -> known); the poller diffs the contents
//   against the last readable snapshot itself.
// - Both readable: incidents by id (opened, updated, resolved), components by
//   id (status changed), endpoints by provider (degraded flag changed; a new
//   provider that is degraded counts as dropped).
std::vector<SourceEvent> DiffSnapshots(const Snapshot& before, const Snapshot& after);

// One line for logs and messages: `gcp-vertex: incident opened: Elevated
// error rates ... (medium) https://...`.
std::string Describe(const SourceEvent& e);

}  // namespace modelwatch::source
