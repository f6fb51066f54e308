#include "web/official_html.h"

#include <fmt/format.h>

#include <algorithm>

#include "cost/projection.h"
#include "source/snapshot_json.h"
#include "web/html.h"
#include "web/pages.h"

namespace modelwatch::web {

namespace {

// Monitors named in the overview's cost card.
constexpr size_t kTopCosts = 5;
// Incidents listed per source in the strip.
constexpr size_t kStripIncidents = 3;

std::string_view StateClass(std::string_view state) {
  return state == "ok"         ? "h-normal"
         : state == "degraded" ? "h-warning"
         : state == "outage"   ? "h-alert"
                               : "h-unknown";
}

std::string Uptime(const source::Endpoint& e) {
  auto u = e.uptime_5m ? e.uptime_5m : e.uptime_30m ? e.uptime_30m : e.uptime_1d;
  return FormatPercent(u);
}

}  // namespace

void AppendLink(std::string& out, std::string_view url, std::string_view text) {
  if (url.starts_with("https://") || url.starts_with("http://")) {
    out += "<a rel=\"noopener noreferrer\" href=\"";
    AppendEscaped(out, url);
    out += "\">";
    AppendEscaped(out, text);
    out += "</a>";
  } else {
    AppendEscaped(out, text);
  }
}

void AppendSourcesStrip(std::string& out, const config::Config& cfg,
                        const std::vector<source::Snapshot>& sources, WallTime now) {
  if (sources.empty()) {
    return;
  }
  bool uptime_shown = false;
  out += "<h2>Official status</h2><div class=\"card srcs\" id=sources><table>";
  for (const source::Snapshot& s : sources) {
    std::string_view state = SourceState(s.health);
    out += "<tr><td><b>";
    AppendLink(out, s.page, s.source);
    out += "</b> <span class=muted>";
    AppendEscaped(out, s.kind);
    out += "</span></td><td class=\"";
    out += StateClass(state);
    out += "\">";
    out += state;
    if (s.health == source::Health::kMaintenance) {
      out += " (maintenance)";
    }
    out += "</td><td class=muted>";
    out += s.polled == WallTime{} ? "not polled" : "polled " + FormatAge(s.polled, now);
    out += "</td><td>";
    if (!s.why.empty() && (s.health == source::Health::kUnknown || s.incidents.empty())) {
      out += s.health == source::Health::kUnknown ? "<span class=err>" : "<span class=muted>";
      AppendEscaped(out, std::string_view(s.why).substr(0, 200));
      out += "</span>";
    }
    for (size_t i = 0; i < s.incidents.size() && i < kStripIncidents; ++i) {
      const source::Incident& inc = s.incidents[i];
      out += "<div>";
      out += inc.maintenance ? "maintenance: " : "incident: ";
      AppendLink(out, inc.link, inc.title.empty() ? inc.id : inc.title);
      if (!inc.severity.empty()) {
        out += " <span class=pill>";
        AppendEscaped(out, inc.severity);
        out += "</span>";
      }
      out += " <span class=muted>since ";
      out += FormatAge(inc.started, now);
      out += "</span></div>";
    }
    if (s.incidents.size() > kStripIncidents) {
      fmt::format_to(std::back_inserter(out), "<div class=muted>and {} more</div>",
                     s.incidents.size() - kStripIncidents);
    }
    size_t degraded = 0;
    for (const source::Endpoint& e : s.endpoints) {
      degraded += e.degraded ? 1 : 0;
    }
    if (!s.endpoints.empty()) {
      uptime_shown = true;
      out += "<div class=muted>";
      for (size_t i = 0; i < s.endpoints.size() && i < 4; ++i) {
        const source::Endpoint& e = s.endpoints[i];
        out += i > 0 ? ", " : "providers: ";
        out += e.degraded ? "<span class=h-warning>" : "<span>";
        AppendEscaped(out, e.provider);
        out += " ";
        out += Uptime(e);
        out += "</span>";
      }
      if (degraded > 0) {
        fmt::format_to(std::back_inserter(out), " ({} degraded)", degraded);
      }
      out += "</div>";
    }
    out += "</td><td class=muted>";
    std::vector<std::string> listing = MonitorsListing(cfg, s.source);
    fmt::format_to(std::back_inserter(out), "{} monitor{}", listing.size(),
                   listing.size() == 1 ? "" : "s");
    out += "</td></tr>";
  }
  out += "</table>";
  if (uptime_shown) {
    out += "<div class=muted>Uptime: ";
    out += source::kUptimeNote;
    out += ".</div>";
  }
  out += "</div>";
}

void AppendLifecycle(std::string& out, const std::vector<LifecycleNotice>& notices) {
  if (notices.empty()) {
    return;
  }
  out += "<h2>Model lifecycle</h2><div class=card id=lifecycle>";
  for (const LifecycleNotice& n : notices) {
    out += n.urgent ? "<div class=h-alert>" : "<div class=h-warning>";
    out += "<a href=\"/monitor/";
    AppendEscaped(out, PercentEncode(n.monitor));
    out += "\">";
    AppendEscaped(out, n.monitor);
    out += "</a>: ";
    AppendEscaped(out, n.text);
    out += "</div>";
  }
  out += "</div>";
}

void AppendCostCard(std::string& out, const DashboardData& data) {
  double to_date = 0;
  double projected = 0;
  size_t priced = 0;
  size_t unpriced = 0;
  std::vector<const MonitorView*> costed;
  for (const MonitorView& m : data.monitors) {
    to_date += m.month_cost_usd;
    projected += m.month_projected_usd;
    if (m.price_per_check) {
      ++priced;
    } else if (m.configured && m.kind != "push" && m.kind != "http") {
      ++unpriced;
    }
    if (m.month_cost_usd > 0) {
      costed.push_back(&m);
    }
  }
  if (priced == 0 && costed.empty()) {
    return;
  }
  std::sort(costed.begin(), costed.end(), [](const MonitorView* a, const MonitorView* b) {
    return a->month_cost_usd > b->month_cost_usd;
  });
  out += "<h2>Cost this month (UTC)</h2><div class=\"card kpi\" id=cost>";
  fmt::format_to(std::back_inserter(out),
                 "<div><b>{}</b>to date</div><div><b>{}</b>projected month</div>"
                 "<div><b>{}</b>priced monitors</div>",
                 cost::FormatUsd(to_date), cost::FormatUsd(projected), priced);
  if (unpriced > 0) {
    fmt::format_to(std::back_inserter(out), "<div class=muted><b>{}</b>without a price</div>",
                   unpriced);
  }
  for (size_t i = 0; i < costed.size() && i < kTopCosts; ++i) {
    out += "<div><b>";
    out += cost::FormatUsd(costed[i]->month_cost_usd);
    out += "</b><a href=\"/monitor/";
    AppendEscaped(out, PercentEncode(costed[i]->name));
    out += "\">";
    AppendEscaped(out, costed[i]->name);
    out += "</a></div>";
  }
  out += "</div>";
}

void AppendMonitorCost(std::string& out, const MonitorView& m) {
  if (!m.price_per_check && m.month_costed == 0) {
    return;
  }
  fmt::format_to(std::back_inserter(out),
                 "<div><b>{}</b>cost this month</div><div><b>{}</b>projected month</div>",
                 cost::FormatUsd(m.month_cost_usd), cost::FormatUsd(m.month_projected_usd));
  if (m.price_per_check) {
    fmt::format_to(std::back_inserter(out), "<div><b>{}</b>per check</div>",
                   cost::FormatUsd(*m.price_per_check));
  }
}

void AppendTimeline(std::string& out, const std::vector<TimelineEntry>& entries) {
  out +=
      "<table id=timeline><tr><th>When (UTC)</th><th>From</th><th>Event</th><th>Level</th>"
      "<th>Detail</th></tr>";
  for (const TimelineEntry& e : entries) {
    out += "<tr><td>" + FormatIso8601(e.at) + "</td><td>";
    if (e.official) {
      out += "official: ";
      AppendEscaped(out, e.source);
    } else {
      out += "own alert";
    }
    out += "</td><td>";
    AppendEscaped(out, e.what);
    out += e.silenced ? " (silenced)" : "";
    out += "</td><td>";
    AppendEscaped(out, e.level);
    out += "</td><td class=err>";
    AppendLink(out, e.link, e.text);
    if (e.lead_minutes) {
      out += *e.lead_minutes > 0
                 ? fmt::format(" <span class=\"pill h-normal\">probes saw it {} min earlier</span>",
                               *e.lead_minutes)
                 : fmt::format(" <span class=pill>official {} min before the probes</span>",
                               -*e.lead_minutes);
    }
    out += "</td></tr>";
  }
  out += "</table>";
}

}  // namespace modelwatch::web
