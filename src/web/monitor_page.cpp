#include <fmt/format.h>

#include <deque>

#include "web/html.h"
#include "web/light.h"
#include "web/official.h"
#include "web/official_html.h"
#include "web/pages.h"
#include "web/svg.h"

namespace modelwatch::web {

namespace {

constexpr int64_t kHourMs = 3'600'000;
constexpr size_t kRecentFailures = 20;
constexpr size_t kTimelineEntries = 50;

void AppendWindowTable(std::string& out, const MonitorView& m) {
  out +=
      "<table><tr><th>Window</th><th class=num>Checks</th><th class=num>Failures</th>"
      "<th class=num>Rate limited</th><th class=num>Availability</th>"
      "<th class=num>Error rate</th><th class=num>avg</th><th class=num>p50</th>"
      "<th class=num>p95</th><th class=num>p99</th><th class=num>max</th></tr>";
  for (int i = 0; i < store::kWindowCount; ++i) {
    const store::WindowStats& w = m.windows.windows[i];
    auto lat = [&](double store::LatencyStats::*f) {
      return w.latency ? FormatMillis((*w.latency).*f) : std::string("—");
    };
    fmt::format_to(
        std::back_inserter(out),
        "<tr><td>{}</td><td class=num>{}</td><td class=num>{}</td><td class=\"num {}\">{}</td>"
        "<td class=\"num {}\">{}</td><td class=\"num {}\">{}</td><td class=num>{}</td>"
        "<td class=num>{}</td><td class=\"num {}\">{}</td><td class=num>{}</td>"
        "<td class=num>{}</td></tr>",
        store::WindowName(i), w.checks, w.failures, HealthClass(w.rate_limit_health),
        w.rate_limited, HealthClass(w.availability_health), FormatPercent(w.availability),
        HealthClass(w.error_rate_health), FormatPercent(w.error_rate),
        lat(&store::LatencyStats::avg), lat(&store::LatencyStats::p50),
        HealthClass(w.latency_health), lat(&store::LatencyStats::p95),
        lat(&store::LatencyStats::p99),
        w.latency ? FormatMillis(static_cast<double>(w.latency->max)) : "—");
  }
  out += "</table>";
}

void AppendStatusBreakdown(std::string& out, const store::WindowStats& w) {
  static constexpr const char* kColour[kCheckStatusCount] = {
      "var(--ok)",  "#7cc48f", "var(--warn)", "#b7791f", "#9f7aea", "#ed8936",
      "var(--bad)", "#c53030", "#805ad5",     "#e53e3e", "#d53f8c"};
  out += "<div class=sbar>";
  for (int s = 0; s < kCheckStatusCount; ++s) {
    if (w.by_status[s] > 0) {
      fmt::format_to(
          std::back_inserter(out), "<span style=\"flex:{};background:{}\" title=\"{}: {}\"></span>",
          w.by_status[s], kColour[s], ToString(static_cast<CheckStatus>(s)), w.by_status[s]);
    }
  }
  out += "</div><table>";
  for (int s = 0; s < kCheckStatusCount; ++s) {
    if (w.by_status[s] > 0) {
      fmt::format_to(std::back_inserter(out),
                     "<tr><td><span class=dot style=\"background:{}\"></span>{}</td>"
                     "<td class=num>{}</td><td class=num>{}</td></tr>",
                     kColour[s], ToString(static_cast<CheckStatus>(s)), w.by_status[s],
                     FormatPercent(100.0 * w.by_status[s] / std::max<uint64_t>(w.checks, 1)));
    }
  }
  out += "</table>";
}

// The windows the page shows light checks for (one raw scan of the longest).
constexpr int kLightWindows = 4;  // 1h, 6h, 24h, 7d

// A full_every monitor's light checks per window, labelled as what they
// are: reachability, apart from the generation figures.
void AppendLight(std::string& out, const config::Monitor& cm, LightCache& cache,
                 store::Store& store, WallTime now) {
  auto light = cache.Get(store, cm.name, now, kLightWindows);
  fmt::format_to(std::back_inserter(out),
                 "<h2>Light checks: reachability</h2><div class=card id=light><div class=muted>"
                 "One check in {} is a real generation (full_every); the others are free "
                 "metadata calls. Their figures are {}; the windows, bars and alerts above "
                 "count full checks only.</div>",
                 cm.full_every, kLightNote);
  if (!light) {
    out += "<div class=err>";
    AppendEscaped(out, light.error().message());
    out += "</div></div>";
    return;
  }
  out +=
      "<table><tr><th>Window</th><th class=num>Light checks</th>"
      "<th class=num>Reachable</th></tr>";
  const LightWindows& w = *light;
  for (int i = 0; i < kLightWindows; ++i) {
    fmt::format_to(std::back_inserter(out),
                   "<tr><td>{}</td><td class=num>{}</td><td class=num>{}</td></tr>",
                   store::WindowName(i), w[i].checks, FormatPercent(w[i].reachable_percent()));
  }
  out += "</table></div>";
}

}  // namespace

Response MonitorPage(const PageContext& ctx, const Request& req) {
  const std::string& name = req.params.at(0);
  const MonitorView* m = ctx.data.Find(name);
  Response r;
  if (m == nullptr) {
    r.status = 404;
    std::string body = "<div class=card>No monitor named <b>";
    AppendEscaped(body, name);
    body += "</b>. <a href=\"/\">Back to the overview</a>.</div>";
    r.body = RenderPage(ctx.cfg, "Not found", body);
    return r;
  }
  std::string range = req.Query("range", "24h");
  int hours = range == "30d" ? 720 : range == "7d" ? 168 : 24;
  if (range != "30d" && range != "7d") {
    range = "24h";
  }
  WallTime now = ctx.data.now;
  int64_t this_hour = store::BucketStart(store::Resolution::kHour, ToUnixMillis(now));
  int64_t first = this_hour - (hours - 1) * kHourMs;
  std::vector<ChartPoint> points(hours);
  for (int i = 0; i < hours; ++i) {
    points[i].start_ms = first + i * kHourMs;
  }
  Status scan = ctx.store.ScanRollups(
      store::Resolution::kHour, {name}, FromUnixMillis(first), FromUnixMillis(this_hour + kHourMs),
      [&](const std::string&, WallTime start, const store::Rollup& roll) {
        int64_t i = (ToUnixMillis(start) - first) / kHourMs;
        if (i < 0 || i >= hours || roll.successes() == 0) {
          return;
        }
        points[i].avg_ms = static_cast<double>(roll.latency_sum_ms) / roll.successes();
        points[i].p95_ms =
            roll.histogram.Percentile(0.95, roll.latency_min_ms, roll.latency_max_ms);
      });

  Current c = CurrentOf(*m, ctx.live);
  std::string body;
  body.reserve(32 * 1024);
  body += "<h2 class=\"";
  body += StatusClass(c.status);
  body += "\"><span class=dot></span>";
  AppendEscaped(body, name);
  body += "</h2><div class=\"card kpi\"><div><b>";
  body += c.status ? ToString(*c.status) : "no data";
  body += "</b>status</div><div><b>";
  body += FormatAge(c.last_check, now);
  fmt::format_to(std::back_inserter(body),
                 "</b>last check</div><div><b>{}</b>consecutive "
                 "failures</div><div><b>",
                 c.consecutive_failures);
  AppendEscaped(body, m->kind.empty() ? "—" : m->kind);
  body += "</b>kind</div><div><b>";
  AppendEscaped(body, m->model.empty() ? "—" : m->model);
  body += "</b>model</div>";
  AppendMonitorCost(body, *m);
  for (const auto& [k, v] : m->labels) {
    body += "<div><b>";
    AppendEscaped(body, v);
    body += "</b>";
    AppendEscaped(body, k);
    body += "</div>";
  }
  body += "</div>";
  if (!c.error.empty()) {
    body += "<div class=card><b>Last error:</b> <span class=err>";
    AppendEscaped(body, c.error);
    body += "</span></div>";
  }

  body += "<h2>Latency per hour</h2><div class=card><div class=toolbar>";
  for (const char* opt : {"24h", "7d", "30d"}) {
    body += range == opt ? fmt::format("<b class=pill>{}</b>", opt)
                         : fmt::format("<a class=pill href=\"/monitor/{}?range={}\">{}</a>",
                                       EscapeHtml(PercentEncode(name)), opt, opt);
  }
  body +=
      "<span class=legend><span><i style=\"background:var(--avg)\"></i>avg</span>"
      "<span><i style=\"background:var(--p95)\"></i>p95</span><span><i "
      "style=\"background:var(--warn)\"></i>alert threshold</span></span></div>";
  if (!scan.ok()) {
    body += "<div class=err>";
    AppendEscaped(body, scan.message());
    body += "</div>";
  }
  body += LatencyChart(points, static_cast<double>(m->thresholds.latency_alert.count()), kHourMs);
  body += "</div><h2>Uptime</h2><div class=card>90 days";
  AppendBars(body, m->days.data(), kDayBars, ctx.data.first_day_ms, 86'400'000, m->thresholds);
  body += "24 hours";
  AppendBars(body, m->hours.data(), kHourBars, ctx.data.first_hour_ms, kHourMs, m->thresholds);
  body += "</div><div class=grid2><div><h2>Windows</h2><div class=card>";
  AppendWindowTable(body, *m);
  body += "</div></div><div><h2>Statuses, last 24 hours</h2><div class=card>";
  AppendStatusBreakdown(body, m->windows.windows[2]);
  body += "</div></div></div>";
  const config::Monitor* cm = FindMonitor(ctx.cfg, name);
  if (cm != nullptr && cm->full_every > 1) {
    AppendLight(body, *cm, ctx.light, ctx.store, now);
  }

  // Recent failures: the last 24 h of raw rows of this one monitor.
  std::deque<CheckResult> failures;
  store::ResultQuery q;
  q.monitors = {name};
  q.since = now - std::chrono::hours(24);
  Status rs = ctx.store.ScanResults(q, [&](const CheckResult& res) {
    if (IsFailure(res.status)) {
      failures.push_back(res);
      if (failures.size() > kRecentFailures) {
        failures.pop_front();
      }
    }
    return true;
  });
  body += "<h2>Recent failures (24 hours)</h2><div class=card>";
  if (!rs.ok()) {
    body += "<span class=err>";
    AppendEscaped(body, rs.message());
    body += "</span>";
  } else if (failures.empty()) {
    body += "<span class=h-normal>No failures in the last 24 hours.</span>";
  } else {
    body +=
        "<table><tr><th>When (UTC)</th><th>Status</th><th class=num>HTTP</th>"
        "<th class=num>Latency</th><th>Error</th></tr>";
    for (auto it = failures.rbegin(); it != failures.rend(); ++it) {
      fmt::format_to(std::back_inserter(body),
                     "<tr><td>{}</td><td class=h-alert>{}</td><td class=num>{}</td>"
                     "<td class=num>{}</td><td class=err>",
                     FormatIso8601(it->timestamp), ToString(it->status), it->http_status,
                     FormatMillis(static_cast<double>(it->latency.count())));
      AppendEscaped(body, it->error);
      body += "</td></tr>";
    }
    body += "</table>";
  }
  // One timeline: the monitor's own alerts and the official events of the
  // sources it lists, with the detection lead where one was recorded.
  body += "</div><h2>Timeline (30 days): alerts";
  body += cm != nullptr && !cm->status_sources.empty() ? " and official incidents" : "";
  body += "</h2><div class=card>";
  std::string timeline_error;
  auto timeline = MonitorTimeline(cm, name, ctx.live, ctx.store, now - std::chrono::hours(24 * 30),
                                  kTimelineEntries, &timeline_error);
  if (!timeline_error.empty()) {
    body += "<div class=err>";
    AppendEscaped(body, timeline_error);
    body += "</div>";
  }
  if (timeline.empty()) {
    body += "<span class=muted>No alert history yet";
    body += cm != nullptr && !cm->status_sources.empty() ? " and no official incidents" : "";
    body += " (30 days).</span>";
  } else {
    AppendTimeline(body, timeline);
  }
  body += "</div>";
  r.body = RenderPage(ctx.cfg, name, body);
  return r;
}

}  // namespace modelwatch::web
