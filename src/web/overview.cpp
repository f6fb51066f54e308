#include <fmt/format.h>

#include <map>

#include "web/healthiest.h"
#include "web/html.h"
#include "web/official.h"
#include "web/official_html.h"
#include "web/pages.h"
#include "web/svg.h"

namespace modelwatch::web {

namespace {

// Above this many monitors the bars are fetched per group when it is opened
// (/api/v1/bars), so the page stays small; groups then start collapsed.
constexpr size_t kInlineBarsLimit = 60;

std::string GroupOf(const MonitorView& m) {
  auto provider = m.labels.find("provider");
  std::string p = provider != m.labels.end() ? provider->second
                  : !m.provider.empty()      ? m.provider
                                             : "";
  auto route = m.labels.find("route");
  if (route != m.labels.end()) {
    p += p.empty() ? route->second : " / " + route->second;
  }
  return p.empty() ? "other" : p;
}

// Compact on purpose (1,000 rows must stay under 300 KB): closing td/tr
// tags are omitted as HTML allows, and the columns are styled by position
// (table.ov in layout.cpp).
void AppendRow(std::string& out, const MonitorView& m, const LiveSnapshot* live, WallTime now,
               bool bars, int64_t first_day, int64_t first_hour) {
  Current c = CurrentOf(m, live);
  const store::WindowStats& d1 = m.windows.windows[2];
  const store::WindowStats& d7 = m.windows.windows[3];
  std::string search = m.model + " " + m.kind;  // besides the row's own text
  for (const auto& [k, v] : m.labels) {
    search += " " + v;
  }
  out += "<tr data-s=\"";
  AppendEscaped(out, search);
  out += "\"><td class=";
  out += StatusClass(c.status);
  out += "><i class=dot></i><a href=\"/monitor/";
  AppendEscaped(out, PercentEncode(m.name));
  out += "\">";
  AppendEscaped(out, m.name);
  out += "</a>";
  if (c.consecutive_failures > 1) {
    fmt::format_to(std::back_inserter(out), " <span class=\"pill h-alert\">{}×</span>",
                   c.consecutive_failures);
  }
  if (c.status && IsFailure(*c.status) && !c.error.empty()) {
    out += "<div class=err>";
    AppendEscaped(out, std::string_view(c.error).substr(0, 160));
    out += "</div>";
  }
  out += "<td>";
  out += c.status ? ToString(*c.status) : "—";
  out += "<td>";
  out += FormatAge(c.last_check, now);
  fmt::format_to(std::back_inserter(out), "<td class={}>{}<td class={}>{}<td class={}>{}",
                 HealthClass(d1.availability_health), FormatPercent(d1.availability),
                 HealthClass(d7.availability_health), FormatPercent(d7.availability),
                 HealthClass(d1.latency_health),
                 FormatMillis(d1.latency ? std::optional<double>(d1.latency->p95) : std::nullopt));
  out += "<td class=b9>";
  if (bars) {
    AppendBars(out, m.days.data(), kDayBars, first_day, 86'400'000, m.thresholds);
  }
  out += "<td class=b2>";
  if (bars) {
    AppendBars(out, m.hours.data(), kHourBars, first_hour, 3'600'000, m.thresholds);
  }
  out += "</tr>";
}

void AppendFiring(std::string& out, const LiveSnapshot* live) {
  out += "<h2>Firing alerts</h2><div class=card id=firing>";
  if (live == nullptr) {
    out +=
        "<span class=muted>No live state (read-only dashboard, or the daemon has not "
        "published yet).</span>";
  } else if (live->firing.empty()) {
    out += "<span class=h-normal>None firing.</span>";
  } else {
    out +=
        "<table><tr><th>Monitor</th><th>Rule</th><th>Level</th><th>Since</th>"
        "<th>Summary</th></tr>";
    for (const alert::FiringAlert& a : live->firing) {
      out += "<tr><td><a href=\"/monitor/";
      AppendEscaped(out, PercentEncode(a.monitor));
      out += "\">";
      AppendEscaped(out, a.monitor);
      out += "</a></td><td>";
      AppendEscaped(out, a.rule);
      out += a.level == AlertLevel::kCritical ? "</td><td class=h-alert>"
                                              : "</td><td class=h-warning>";
      out += ToString(a.level);
      out += a.silenced ? " (silenced)" : "";
      out += "</td><td>";
      out += FormatIso8601(a.since);
      out += "</td><td class=err>";
      AppendEscaped(out, a.summary);
      out += "</td></tr>";
    }
    out += "</table>";
  }
  out += "</div>";
}

}  // namespace

Response OverviewPage(const PageContext& ctx, const Request& req) {
  const DashboardData& data = ctx.data;
  bool inline_bars = data.monitors.size() <= kInlineBarsLimit;
  std::map<std::string, std::vector<const MonitorView*>> groups;
  int up = 0, down = 0, unknown = 0;
  for (const MonitorView& m : data.monitors) {
    groups[GroupOf(m)].push_back(&m);
    Current c = CurrentOf(m, ctx.live);
    if (!c.status) {
      ++unknown;
    } else if (IsFailure(*c.status)) {
      ++down;
    } else {
      ++up;
    }
  }
  std::string body;
  body.reserve(data.monitors.size() * 300 + 4096);
  if (!data.error.empty()) {
    body += "<div class=\"card err\">Store: ";
    AppendEscaped(body, data.error);
    body += "</div>";
  }
  if (ctx.live != nullptr && !ctx.live->store_ok) {
    body += "<div class=\"card err\">Store writes failing: ";
    AppendEscaped(body, ctx.live->store_error);
    body += "</div>";
  }
  fmt::format_to(std::back_inserter(body),
                 "<div class=\"card kpi\"><div><b>{}</b>monitors</div><div class=h-normal><b>{}"
                 "</b>up</div><div class=h-alert><b>{}</b>down</div><div class=muted><b>{}</b>"
                 "no data / rate limited</div></div>",
                 data.monitors.size(), up, down, unknown);
  AppendSourcesStrip(body, ctx.cfg, SourcesNow(ctx.cfg, ctx.live), data.now);
  AppendFiring(body, ctx.live);
  AppendLifecycle(body, LifecycleNotices(ctx.cfg, ctx.live, data.now));
  AppendCostCard(body, data);
  body +=
      "<h2>Monitors</h2><div class=toolbar><input id=filter type=search "
      "placeholder=\"Filter by name, model, label…\" value=\"";
  AppendEscaped(body, req.Query("q"));
  body +=
      "\"><span class=muted>Bars: 90 days by day, 24 hours by hour (UTC); hover for "
      "figures.</span></div>";
  for (const auto& [group, members] : groups) {
    int group_down = 0;
    for (const MonitorView* m : members) {
      Current c = CurrentOf(*m, ctx.live);
      group_down += c.status && IsFailure(*c.status) ? 1 : 0;
    }
    body += inline_bars ? "<details class=group open>" : "<details class=group>";
    body += "<summary>";
    AppendEscaped(body, group);
    fmt::format_to(std::back_inserter(body), " <span class=muted>{} monitors{}</span></summary>",
                   members.size(), group_down > 0 ? fmt::format(", {} down", group_down) : "");
    body +=
        "<div class=card><table class=ov><thead><tr><th>Monitor</th><th>Status</th>"
        "<th>Last check</th><th>Avail. 24h</th><th>Avail. 7d</th><th>p95 24h</th>"
        "<th>90 days</th><th>24 hours</th></tr></thead><tbody>";
    for (const MonitorView* m : members) {
      AppendRow(body, *m, ctx.live, data.now, inline_bars, data.first_day_ms, data.first_hour_ms);
    }
    body += "</tbody></table></div></details>";
  }
  if (data.monitors.empty()) {
    body += "<div class=card>No monitors configured and none stored yet.</div>";
  }
  Response r;
  r.body = RenderPage(ctx.cfg, "Overview", body);
  return r;
}

}  // namespace modelwatch::web
