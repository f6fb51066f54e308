#include "source/diff.h"

#include <fmt/format.h>

#include <algorithm>

namespace modelwatch::source {

std::string_view ToString(EventKind k) {
  switch (k) {
    case EventKind::kIncidentOpened:
      return "incident_opened";
    case EventKind::kIncidentUpdated:
      return "incident_updated";
    case EventKind::kIncidentResolved:
      return "incident_resolved";
    case EventKind::kComponentChanged:
      return "component_changed";
    case EventKind::kUptimeDropped:
      return "uptime_dropped";
    case EventKind::kUptimeRecovered:
      return "uptime_recovered";
    case EventKind::kSourceUnknown:
      return "source_unknown";
    case EventKind::kSourceReadable:
      return "source_readable";
  }
  return "incident_opened";
}

namespace {

SourceEvent Base(EventKind kind, const Snapshot& after) {
  SourceEvent e;
  e.kind = kind;
  e.source = after.source;
  e.at = after.polled;
  e.link = after.page;
  return e;
}

SourceEvent OfIncident(EventKind kind, const Snapshot& after, const Incident& i) {
  SourceEvent e = Base(kind, after);
  e.subject = i.id;
  e.title = i.title;
  e.severity = i.severity;
  e.to = i.status;
  if (!i.link.empty()) {
    e.link = i.link;
  }
  return e;
}

std::string Uptime(const Endpoint& ep) {
  std::optional<double> v = ep.uptime_5m    ? ep.uptime_5m
                            : ep.uptime_30m ? ep.uptime_30m
                                            : ep.uptime_1d;
  return v ? fmt::format("{:.1f}%", *v) : "no figure";
}

template <typename T, typename Key>
const T* FindBy(const std::vector<T>& items, const Key& key) {
  auto it = std::find_if(items.begin(), items.end(), key);
  return it == items.end() ? nullptr : &*it;
}

}  // namespace

std::vector<SourceEvent> DiffSnapshots(const Snapshot& before, const Snapshot& after) {
  std::vector<SourceEvent> out;
  if (before.polled == WallTime{}) {
    return out;
  }
  bool was_known = before.health != Health::kUnknown;
  bool is_known = after.health != Health::kUnknown;
  if (!is_known || !was_known) {
    if (was_known && !is_known) {
      SourceEvent e = Base(EventKind::kSourceUnknown, after);
      e.from = ToString(before.health);
      e.to = after.why;
      out.push_back(std::move(e));
    } else if (!was_known && is_known) {
      SourceEvent e = Base(EventKind::kSourceReadable, after);
      e.from = "unknown";
      e.to = ToString(after.health);
      out.push_back(std::move(e));
    }
    return out;
  }
  // Oldest first reads best in a log: the lists are newest first.
  for (auto it = after.incidents.rbegin(); it != after.incidents.rend(); ++it) {
    const Incident& now = *it;
    const Incident* was =
        FindBy(before.incidents, [&](const Incident& i) { return i.id == now.id; });
    if (was == nullptr) {
      out.push_back(OfIncident(EventKind::kIncidentOpened, after, now));
    } else if (was->status != now.status || was->latest_update != now.latest_update ||
               was->updated != now.updated || was->severity != now.severity) {
      SourceEvent e = OfIncident(EventKind::kIncidentUpdated, after, now);
      e.from = was->status;
      out.push_back(std::move(e));
    }
  }
  for (const Incident& was : before.incidents) {
    if (FindBy(after.incidents, [&](const Incident& i) { return i.id == was.id; }) == nullptr) {
      SourceEvent e = OfIncident(EventKind::kIncidentResolved, after, was);
      e.from = was.status;
      e.to = "resolved";
      out.push_back(std::move(e));
    }
  }
  for (const Component& now : after.components) {
    const Component* was = FindBy(before.components, [&](const Component& c) {
      return !c.id.empty() ? c.id == now.id : c.name == now.name;
    });
    if (was != nullptr && was->status != now.status) {
      SourceEvent e = Base(EventKind::kComponentChanged, after);
      e.subject = now.id.empty() ? now.name : now.id;
      e.title = now.name;
      e.from = was->status;
      e.to = now.status;
      out.push_back(std::move(e));
    }
  }
  for (const Endpoint& now : after.endpoints) {
    const Endpoint* was =
        FindBy(before.endpoints, [&](const Endpoint& p) { return p.provider == now.provider; });
    bool was_degraded = was != nullptr && was->degraded;
    if (was_degraded == now.degraded) {
      continue;
    }
    SourceEvent e =
        Base(now.degraded ? EventKind::kUptimeDropped : EventKind::kUptimeRecovered, after);
    e.subject = now.provider;
    e.title = now.provider;
    e.from = was != nullptr ? Uptime(*was) : "not listed";
    e.to = Uptime(now);
    out.push_back(std::move(e));
  }
  return out;
}

std::string Describe(const SourceEvent& e) {
  switch (e.kind) {
    case EventKind::kIncidentOpened:
      return fmt::format("{}: incident opened: {}{} {}", e.source, e.title,
                         e.severity.empty() ? "" : fmt::format(" ({})", e.severity), e.link);
    case EventKind::kIncidentUpdated:
      return fmt::format("{}: incident updated: {} [{} -> {}] {}", e.source, e.title, e.from, e.to,
                         e.link);
    case EventKind::kIncidentResolved:
      return fmt::format("{}: incident resolved: {} {}", e.source, e.title, e.link);
    case EventKind::kComponentChanged:
      return fmt::format("{}: component {}: {} -> {}", e.source, e.title, e.from, e.to);
    case EventKind::kUptimeDropped:
      return fmt::format(
          "{}: {} uptime dropped: {} -> {} (OpenRouter's uptime excludes rate-limited requests)",
          e.source, e.title, e.from, e.to);
    case EventKind::kUptimeRecovered:
      return fmt::format("{}: {} uptime recovered: {} -> {}", e.source, e.title, e.from, e.to);
    case EventKind::kSourceUnknown:
      return fmt::format("{}: cannot read the source: {}", e.source, e.to);
    case EventKind::kSourceReadable:
      return fmt::format("{}: the source can be read again ({})", e.source, e.to);
  }
  return e.source;
}

}  // namespace modelwatch::source
