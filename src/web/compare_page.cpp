#include <fmt/format.h>

#include "web/healthiest.h"
#include "web/html.h"
#include "web/pages.h"

namespace modelwatch::web {

namespace {

// The compare page shows at most this many monitors when none are chosen.
constexpr size_t kDefaultCompare = 12;

void AppendMetricTable(std::string& out, const char* title,
                       const std::vector<const MonitorView*>& monitors,
                       std::string (*cell)(const store::WindowStats&),
                       store::Health store::WindowStats::*health) {
  out += "<h2>";
  out += title;
  out += "</h2><div class=card><table><tr><th>Monitor</th>";
  for (int i = 0; i < store::kWindowCount; ++i) {
    fmt::format_to(std::back_inserter(out), "<th class=num>{}</th>", store::WindowName(i));
  }
  out += "</tr>";
  for (const MonitorView* m : monitors) {
    out += "<tr><td><a href=\"/monitor/";
    AppendEscaped(out, PercentEncode(m->name));
    out += "\">";
    AppendEscaped(out, m->name);
    out += "</a></td>";
    for (int i = 0; i < store::kWindowCount; ++i) {
      const store::WindowStats& w = m->windows.windows[i];
      fmt::format_to(std::back_inserter(out), "<td class=\"num {}\">{}</td>",
                     HealthClass(w.*health), cell(w));
    }
    out += "</tr>";
  }
  out += "</table></div>";
}

}  // namespace

Response ComparePage(const PageContext& ctx, const Request& req) {
  std::string group = req.Query("group");
  std::string names = req.Query("monitors");
  std::vector<const MonitorView*> monitors;
  std::string error;
  if (group.empty() && names.empty()) {
    for (const MonitorView& m : ctx.data.monitors) {
      if (monitors.size() < kDefaultCompare) {
        monitors.push_back(&m);
      }
    }
  } else {
    monitors = SelectMonitors(ctx.data, group, names, &error);
  }
  std::string body =
      "<h2>Compare</h2><div class=card><form class=toolbar method=get "
      "action=\"/compare\"><input name=monitors placeholder=\"a,b,c\" value=\"";
  AppendEscaped(body, names);
  body += "\"><input name=group placeholder=\"LABEL:VALUE\" value=\"";
  AppendEscaped(body, group);
  body += "\"><button>Compare</button></form>";
  if (!error.empty()) {
    body += "<div class=err>";
    AppendEscaped(body, error);
    body += "</div>";
  }
  body += "</div>";
  Response r;
  if (!error.empty()) {
    r.status = 400;
  }
  if (!monitors.empty()) {
    std::vector<Ranked> ranked = RankHealthiest(monitors, ctx.live);
    body +=
        "<h2>Healthiest right now</h2><div class=card><table><tr><th class=num>#</th>"
        "<th>Monitor</th><th>State</th><th>Why</th></tr>";
    for (const Ranked& rk : ranked) {
      fmt::format_to(std::back_inserter(body), "<tr><td class=num>{}</td><td><a href=\"/monitor/",
                     rk.rank);
      AppendEscaped(body, PercentEncode(rk.monitor->name));
      body += "\">";
      AppendEscaped(body, rk.monitor->name);
      body += rk.rank == 1 && rk.state == "up"
                  ? "</a> <span class=\"pill h-normal\">healthiest</span>"
                  : "</a>";
      body += "</td><td class=\"";
      body += rk.state == "up" ? "h-normal" : rk.state == "down" ? "h-alert" : "h-unknown";
      body += "\">" + rk.state + "</td><td class=muted>";
      AppendEscaped(body, rk.reason);
      body += "</td></tr>";
    }
    body += "</table></div>";
    AppendMetricTable(
        body, "Availability", monitors,
        [](const store::WindowStats& w) { return FormatPercent(w.availability); },
        &store::WindowStats::availability_health);
    AppendMetricTable(
        body, "Latency p95", monitors,
        [](const store::WindowStats& w) {
          return FormatMillis(w.latency ? std::optional<double>(w.latency->p95) : std::nullopt);
        },
        &store::WindowStats::latency_health);
    AppendMetricTable(
        body, "Error rate", monitors,
        [](const store::WindowStats& w) { return FormatPercent(w.error_rate); },
        &store::WindowStats::error_rate_health);
  }
  r.body = RenderPage(ctx.cfg, "Compare", body);
  return r;
}

}  // namespace modelwatch::web
