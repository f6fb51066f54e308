#include "web/official.h"

#include <algorithm>
#include <ctime>
#include <set>

#include "alert/detection_lead.h"
#include "alert/engine.h"
#include "alert/lifecycle.h"
#include "config/retired.h"

namespace modelwatch::web {

namespace {

// Official events read for one monitor's timeline before filtering by its
// sources: a month of a few sources' changes is far fewer.
constexpr size_t kSourceEventScan = 5000;

std::optional<WallTime> ParseDate(std::string_view ymd) {
  std::tm tm{};
  std::string s(ymd);
  const char* end = strptime(s.c_str(), "%Y-%m-%d", &tm);
  if (end == nullptr || *end != '\0') {
    return std::nullopt;
  }
  return FromUnixMillis(static_cast<int64_t>(timegm(&tm)) * 1000);
}

int DaysLeft(WallTime shutdown, WallTime now) {
  int64_t ms = ToUnixMillis(shutdown) - ToUnixMillis(now);
  constexpr int64_t kDay = 86'400'000;
  return ms <= 0 ? static_cast<int>(-((-ms) / kDay)) : static_cast<int>((ms + kDay - 1) / kDay);
}

}  // namespace

std::string_view SourceState(source::Health h) {
  switch (h) {
    case source::Health::kOperational:
      return "ok";
    case source::Health::kMaintenance:
    case source::Health::kDegraded:
      return "degraded";
    case source::Health::kOutage:
      return "outage";
    case source::Health::kUnknown:
      break;
  }
  return "unknown";
}

std::vector<source::Snapshot> SourcesNow(const config::Config& cfg, const LiveSnapshot* live) {
  std::vector<source::Snapshot> out;
  for (const config::StatusSource& entry : cfg.sources) {
    const source::Snapshot* found = nullptr;
    if (live != nullptr) {
      for (const source::Snapshot& s : live->sources) {
        if (s.source == entry.name) {
          found = &s;
          break;
        }
      }
    }
    if (found != nullptr) {
      out.push_back(*found);
      continue;
    }
    source::Snapshot s;
    s.source = entry.name;
    s.kind = entry.kind;
    s.why = live == nullptr ? "no live state: the dashboard is read-only or the daemon has not "
                              "published yet"
                            : "not polled yet";
    out.push_back(std::move(s));
  }
  return out;
}

std::vector<std::string> MonitorsListing(const config::Config& cfg, std::string_view source) {
  std::vector<std::string> out;
  for (const config::Monitor& m : cfg.monitors) {
    if (std::find(m.status_sources.begin(), m.status_sources.end(), source) !=
        m.status_sources.end()) {
      out.push_back(m.name);
    }
  }
  return out;
}

std::vector<LifecycleNotice> LifecycleNotices(const config::Config& cfg, const LiveSnapshot* live,
                                              WallTime now) {
  std::vector<LifecycleNotice> out;
  const std::vector<source::Snapshot> none;
  const std::vector<source::Snapshot>& snaps = live != nullptr ? live->sources : none;
  for (const config::Monitor& m : cfg.monitors) {
    if (m.model.empty() || m.kind == "http" || m.kind == "push") {
      continue;
    }
    alert::LifecycleWarning w;
    w.model = m.model;
    std::string extra;
    const source::ModelListing* listing = alert::FindListing(snaps, m.model);
    if (listing != nullptr && !listing->listed) {
      w.kind = alert::LifecycleKind::kDisappeared;
    } else if (listing != nullptr && listing->shutdown) {
      w.shutdown = *listing->shutdown;
    } else if (auto retired = config::KnownShutdown(m.model)) {
      auto date = ParseDate(retired->shutdown);
      if (!date) {
        continue;
      }
      w.shutdown = *date;
      extra = "; replacement: " + std::string(retired->replacement) + " (" +
              std::string(retired->source) + ")";
    } else {
      continue;
    }
    w.days_left = DaysLeft(w.shutdown, now);
    LifecycleNotice n;
    n.monitor = m.name;
    n.model = m.model;
    n.text = alert::LifecycleText(w, "en") + extra;
    n.urgent = w.kind == alert::LifecycleKind::kDisappeared || w.days_left <= 7;
    out.push_back(std::move(n));
  }
  return out;
}

std::vector<Lead> LeadsOf(const std::vector<store::AlertEvent>& events) {
  std::vector<Lead> out;
  for (const store::AlertEvent& e : events) {
    if (auto d = alert::ParseDetectionLead(e)) {
      out.push_back({d->monitor, d->source, d->incident, d->link, d->lead_minutes});
    }
  }
  return out;
}

bool LeadMatches(const Lead& lead, std::string_view source, std::string_view title,
                 std::string_view link) {
  if (lead.source != source) {
    return false;
  }
  if (!lead.link.empty() && !link.empty()) {
    return lead.link == link;
  }
  return lead.incident == title;
}

std::vector<TimelineEntry> MonitorTimeline(const config::Monitor* monitor, const std::string& name,
                                           const LiveSnapshot* live, store::Store& store,
                                           WallTime since, size_t limit, std::string* error) {
  std::vector<TimelineEntry> out;
  std::vector<Lead> leads;
  if (auto events = store.AlertEvents(name, since, limit)) {
    leads = LeadsOf(*events);
    for (const store::AlertEvent& e : *events) {
      TimelineEntry t;
      t.at = e.at;
      t.what = e.rule == alert::kDetectionLead ? "detection lead" : e.kind;
      t.level = e.level;
      t.text = e.rule == alert::kDetectionLead ? e.message : e.rule + ": " + e.message;
      t.silenced = e.silenced;
      out.push_back(std::move(t));
    }
  } else {
    *error = "alert history: " + events.error().message();
  }
  if (monitor == nullptr || monitor->status_sources.empty()) {
    return out;
  }
  const std::set<std::string> mine(monitor->status_sources.begin(), monitor->status_sources.end());
  auto lead_of = [&](std::string_view source, std::string_view title, std::string_view link) {
    std::optional<int> found;
    for (const Lead& l : leads) {
      if (LeadMatches(l, source, title, link)) {
        found = l.lead_minutes;
      }
    }
    return found;
  };
  std::set<std::pair<std::string, std::string>> opened;  // (source, incident id) with an event
  if (auto events = store.SourceEvents(since, kSourceEventScan)) {
    for (const store::SourceEvent& e : *events) {
      if (mine.count(e.source) == 0) {
        continue;
      }
      TimelineEntry t;
      t.at = e.at;
      t.official = true;
      t.source = e.source;
      t.what = e.kind;
      t.level = e.severity;
      t.text = e.message.empty() ? e.title : e.message;
      t.link = e.link;
      if (e.kind == "incident_opened") {
        opened.emplace(e.source, e.subject);
        t.lead_minutes = lead_of(e.source, e.title, e.link);
      }
      out.push_back(std::move(t));
    }
  } else if (error->empty()) {
    *error = "source events: " + events.error().message();
  }
  // Incidents already open when the source was first polled have no
  // opening event: the live snapshot shows them.
  if (live != nullptr) {
    for (const source::Snapshot& s : live->sources) {
      if (mine.count(s.source) == 0) {
        continue;
      }
      for (const source::Incident& i : s.incidents) {
        if (opened.count({s.source, i.id}) > 0 || i.started < since) {
          continue;
        }
        TimelineEntry t;
        t.at = i.started;
        t.official = true;
        t.source = s.source;
        t.what = i.maintenance ? "maintenance (active)" : "incident (active)";
        t.level = i.severity;
        t.text = i.latest_update.empty() ? i.title : i.title + ": " + i.latest_update;
        t.link = i.link;
        t.lead_minutes = lead_of(s.source, i.title, i.link);
        out.push_back(std::move(t));
      }
    }
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const TimelineEntry& a, const TimelineEntry& b) { return a.at > b.at; });
  if (out.size() > limit) {
    out.resize(limit);
  }
  return out;
}

}  // namespace modelwatch::web
