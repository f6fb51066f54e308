// `modelwatch report`: hourly history, incidents, daily latency trend,
// overall availability and a side-by-side comparison of monitors.
#include "store/report.h"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "alert/detection_lead.h"
#include "cli/args.h"
#include "cli/commands.h"
#include "cli/csv.h"
#include "cli/failures.h"
#include "cli/history.h"
#include "cli/monitor_meta.h"
#include "cli/report_incidents.h"
#include "cli/report_raw.h"
#include "cli/text_width.h"
#include "cost/projection.h"

namespace modelwatch::cli {
namespace {

using nlohmann::json;

std::string Percent(const std::optional<double>& v) { return v ? fmt::format("{:.2f}%", *v) : "-"; }
// "2.00s", "12.3s", "123s": at most 6 columns.
std::string Secs(double ms) {
  double sec = ms / 1000.0;
  return sec < 10    ? fmt::format("{:.2f}s", sec)
         : sec < 100 ? fmt::format("{:.1f}s", sec)
                     : fmt::format("{:.0f}s", sec);
}
std::string Latency(const std::optional<store::LatencyStats>& l, double store::LatencyStats::*f) {
  return l ? Secs((*l).*f) : "-";
}
// "2026-11-28T04:00Z": hour precision is all a report needs.
std::string Hour(WallTime t) { return FormatIso8601(t).substr(0, 13) + ":00Z"; }
std::string Day(WallTime t) { return FormatIso8601(t).substr(0, 10); }

json Num(const std::optional<double>& v) { return v ? json(*v) : json(nullptr); }

json LatencyJson(const std::optional<store::LatencyStats>& l) {
  if (!l) {
    return nullptr;
  }
  return {{"avg", l->avg}, {"p50", l->p50}, {"p95", l->p95}, {"p99", l->p99}, {"max", l->max}};
}

// What the report shows beside the hour rollups: incidents from minute
// rollups and the raw-result sections.
struct Extra {
  std::map<std::string, MonitorIncidents> incidents;
  RawSummary raw;

  const MonitorIncidents& Of(const std::string& monitor) const {
    static const MonitorIncidents kNone;
    auto it = incidents.find(monitor);
    return it == incidents.end() ? kNone : it->second;
  }
};

json ToJson(const store::Report& r, const config::Config& cfg, const Extra& extra) {
  json out;
  out["since"] = FormatIso8601(r.since);
  out["until"] = FormatIso8601(r.until);
  out["monitors"] = json::array();
  for (const store::MonitorReport& m : r.monitors) {
    json jm;
    jm["monitor"] = m.monitor;
    AddMetaJson(jm, MetaOf(cfg, m.monitor));
    jm["overall"] = {{"checks", m.overall.checks},
                     {"successes", m.overall.successes},
                     {"failures", m.overall.failures},
                     {"rate_limited", m.overall.rate_limited},
                     {"availability", Num(m.overall.availability)},
                     {"error_rate", Num(m.overall.error_rate)},
                     {"latency_ms", LatencyJson(m.overall.latency)}};
    jm["hourly"] = json::array();
    for (const store::HourStats& h : m.hours) {
      jm["hourly"].push_back(
          {{"hour", FormatIso8601(h.start)},
           {"checks", h.stats.checks},
           {"failures", h.stats.failures},
           {"rate_limited", h.stats.rate_limited},
           {"availability", Num(h.stats.availability)},
           {"avg_latency_ms", h.stats.latency ? json(h.stats.latency->avg) : json(nullptr)}});
    }
    const MonitorIncidents& inc = extra.Of(m.monitor);
    jm["anomaly_threshold"] = inc.threshold;
    jm["incidents"] = IncidentsJson(inc);
    jm["incidents_resolution"] = IncidentResolution(inc);
    AddRawSummaryJson(extra.raw, m.monitor, jm);
    jm["anomalies"] = json::array();
    for (const store::AnomalyPeriod& a : m.anomalies) {
      jm["anomalies"].push_back({{"start", FormatIso8601(a.start)},
                                 {"end", FormatIso8601(a.end)},
                                 {"checks", a.checks},
                                 {"failures", a.failures},
                                 {"rate_limited", a.rate_limited},
                                 {"availability", a.availability}});
    }
    jm["daily_latency"] = json::array();
    for (const store::DayLatency& d : m.days) {
      jm["daily_latency"].push_back({{"day", Day(d.day)},
                                     {"successes", d.successes},
                                     {"latency_ms", LatencyJson(d.latency)},
                                     {"cost_usd", d.cost_usd}});
    }
    out["monitors"].push_back(jm);
  }
  return out;
}

void PrintCsv(const store::Report& r, const config::Config& cfg) {
  std::printf(
      "monitor,hour,checks,successes,failures,rate_limited,availability,avg_latency_ms,tier,"
      "labels\n");
  for (const store::MonitorReport& m : r.monitors) {
    MonitorMeta meta = MetaOf(cfg, m.monitor);
    for (const store::HourStats& h : m.hours) {
      std::printf("%s,%s,%llu,%llu,%llu,%llu,%s,%s,%s,%s\n", CsvField(m.monitor).c_str(),
                  FormatIso8601(h.start).c_str(), static_cast<unsigned long long>(h.stats.checks),
                  static_cast<unsigned long long>(h.stats.successes),
                  static_cast<unsigned long long>(h.stats.failures),
                  static_cast<unsigned long long>(h.stats.rate_limited),
                  h.stats.availability ? fmt::format("{:.4f}", *h.stats.availability).c_str() : "",
                  h.stats.latency ? fmt::format("{:.1f}", h.stats.latency->avg).c_str() : "",
                  TierText(meta).c_str(), CsvField(LabelsText(meta)).c_str());
    }
  }
}

void PrintTable(const store::Report& r, const config::Config& cfg, const std::string& since_text,
                const Extra& extra) {
  // The report reads rollups: it starts at the top of the hour.
  std::printf(
      "modelwatch report  %s .. %s UTC\n(--since %s, from the start of that hour: the "
      "figures read\nhourly rollups, the incidents minute ones)\n",
      FormatIso8601(r.since).substr(0, 16).c_str(), FormatIso8601(r.until).substr(0, 16).c_str(),
      since_text.c_str());
  for (const store::MonitorReport& m : r.monitors) {
    const store::WindowStats& o = m.overall;
    std::string meta = MetaHeading(MetaOf(cfg, m.monitor));
    std::printf("\n== %s%s ==\n", m.monitor.c_str(),
                meta.empty() ? "" : (" (" + meta + ")").c_str());
    std::printf("overall: %s available, %llu checks, %llu failures, %llu rate-limited\n",
                Percent(o.availability).c_str(), static_cast<unsigned long long>(o.checks),
                static_cast<unsigned long long>(o.failures),
                static_cast<unsigned long long>(o.rate_limited));
    std::printf("%s\n", Ellipsize("failures: " + FailuresByStatus(o.by_status), 80).c_str());
    if (o.latency) {
      std::printf("latency (histogram estimates): avg %s, p50 %s, p95 %s, p99 %s\n",
                  Secs(o.latency->avg).c_str(), Secs(o.latency->p50).c_str(),
                  Secs(o.latency->p95).c_str(), Secs(o.latency->p99).c_str());
    }
    if (m.hours.empty()) {
      std::printf("no checks in this period\n");
      continue;
    }
    const MonitorIncidents& inc = extra.Of(m.monitor);
    std::fputs(FormatIncidents(inc).c_str(), stdout);
    std::printf("\ndaily latency (successes) and cost\n  %-10s %9s %8s %8s %8s %8s %10s\n", "day",
                "successes", "avg", "p50", "p95", "p99", "cost");
    for (const store::DayLatency& d : m.days) {
      std::printf("  %-10s %9llu %8s %8s %8s %8s %10s\n", Day(d.day).c_str(),
                  static_cast<unsigned long long>(d.successes),
                  Latency(d.latency, &store::LatencyStats::avg).c_str(),
                  Latency(d.latency, &store::LatencyStats::p50).c_str(),
                  Latency(d.latency, &store::LatencyStats::p95).c_str(),
                  Latency(d.latency, &store::LatencyStats::p99).c_str(),
                  cost::FormatUsd(d.cost_usd).c_str());
    }
    std::printf("\nhourly\n  %-17s %7s %9s %8s %6s\n", "hour", "checks", "avail", "avg", "rl");
    for (const store::HourStats& h : m.hours) {
      std::printf("  %-17s %7llu %9s %8s %6llu%s\n", Hour(h.start).c_str(),
                  static_cast<unsigned long long>(h.stats.checks),
                  Percent(h.stats.availability).c_str(),
                  Latency(h.stats.latency, &store::LatencyStats::avg).c_str(),
                  static_cast<unsigned long long>(h.stats.rate_limited),
                  h.stats.availability && *h.stats.availability < inc.threshold ? "  <" : "");
    }
  }
  std::printf("\n== comparison ==\n  %-20s %6s %8s %7s %4s %6s %6s %6s %4s\n", "monitor", "checks",
              "avail", "errors", "rl", "avg", "p50", "p95", "inc");
  for (const store::MonitorReport& m : r.monitors) {
    const store::WindowStats& o = m.overall;
    std::string name = Ellipsize(m.monitor, 20);
    name += std::string(20 - Columns(name), ' ');
    std::printf("  %s %6llu %8s %7s %4llu %6s %6s %6s %4zu\n", name.c_str(),
                static_cast<unsigned long long>(o.checks), Percent(o.availability).c_str(),
                Percent(o.error_rate).c_str(), static_cast<unsigned long long>(o.rate_limited),
                Latency(o.latency, &store::LatencyStats::avg).c_str(),
                Latency(o.latency, &store::LatencyStats::p50).c_str(),
                Latency(o.latency, &store::LatencyStats::p95).c_str(),
                extra.Of(m.monitor).incidents.size());
  }
}

// Official incidents and how much earlier the monitors' probes saw them
// (alert/detection_lead.h), newest first, for the monitors reported.
Result<std::vector<alert::DetectionLead>> DetectionLeads(store::Store& store, WallTime since,
                                                         const std::vector<std::string>& monitors) {
  auto events = store.AlertEvents("", since, 10'000);
  if (!events) {
    return events.error();
  }
  std::vector<alert::DetectionLead> leads;
  for (const store::AlertEvent& e : *events) {
    if (auto d = alert::ParseDetectionLead(e)) {
      if (std::find(monitors.begin(), monitors.end(), d->monitor) != monitors.end()) {
        leads.push_back(std::move(*d));
      }
    }
  }
  return leads;
}

json LeadsJson(const std::vector<alert::DetectionLead>& leads) {
  json out = json::array();
  for (const alert::DetectionLead& d : leads) {
    out.push_back({{"monitor", d.monitor},
                   {"source", d.source},
                   {"incident", d.incident},
                   {"link", d.link},
                   {"opened", FormatIso8601(d.opened)},
                   {"lead_minutes", d.lead_minutes}});
  }
  return out;
}

void PrintLeadsCsv(const std::vector<alert::DetectionLead>& leads) {
  std::printf("opened,monitor,source,lead_minutes,incident,link\n");
  for (const alert::DetectionLead& d : leads) {
    std::printf("%s,%s,%s,%d,%s,%s\n", FormatIso8601(d.opened).c_str(), CsvField(d.monitor).c_str(),
                CsvField(d.source).c_str(), d.lead_minutes, CsvField(d.incident).c_str(),
                CsvField(d.link).c_str());
  }
}

void PrintDetectionLeads(const std::vector<alert::DetectionLead>& leads) {
  std::printf("\n== detection lead (official incidents) ==\n");
  if (leads.empty()) {
    std::printf("  none\n");
    return;
  }
  std::printf("  %-16s %-16s %-14s %7s  %s\n", "opened", "monitor", "source", "lead", "incident");
  for (const alert::DetectionLead& d : leads) {
    std::printf("  %-16s %-16s %-14s %3d min  %s\n", FormatIso8601(d.opened).substr(0, 16).c_str(),
                Ellipsize(d.monitor, 16).c_str(), Ellipsize(d.source, 14).c_str(), d.lead_minutes,
                Ellipsize(d.incident, 19).c_str());
  }
}

// BuildReport with each monitor's own availability threshold as the bound of
// its anomalous hours (the bound its availability alert uses).
Result<store::Report> BuildEach(store::Store& store, const std::vector<std::string>& monitors,
                                WallTime since, WallTime now, const store::ThresholdsFor& t) {
  store::Report all;
  all.since = FromUnixMillis(store::BucketStart(store::Resolution::kHour, ToUnixMillis(since)));
  all.until = now;
  for (const std::string& name : monitors) {
    auto one = store::BuildReport(store, {name}, since, now, t, t(name).availability_alert);
    if (!one) {
      return one.error();
    }
    for (store::MonitorReport& m : one->monitors) {
      all.monitors.push_back(std::move(m));
    }
  }
  return all;
}

}  // namespace

int RunReport(int argc, char** argv) {
  CLI::App app("Hourly history, anomalies, latency trend and comparison of monitors.");
  History history(app, "monitors to report (default: all)");
  std::string since_text = "7d";
  std::string format = "table";
  app.add_option("--since", since_text,
                 "how far back, e.g. 24h, 7d; the report starts at the top of the hour that was "
                 "that long ago (it reads hourly rollups)")
      ->capture_default_str();
  std::string rows = "hourly";
  app.add_option("--format", format, "table, json or csv")
      ->check(CLI::IsMember({"table", "json", "csv"}))
      ->capture_default_str();
  app.add_option("--rows", rows,
                 "with --format csv, which table: hourly (a row per monitor and hour), "
                 "incidents (a row per incident, from minute rollups), light (light checks a "
                 "monitor), async (asynchronous job phases a monitor) or leads (a row per "
                 "official incident, with the detection lead)")
      ->check(CLI::IsMember({"hourly", "incidents", "light", "async", "leads"}))
      ->capture_default_str();
  if (auto code = ParseArgs(app, argc, argv)) {
    return *code;
  }
  auto since = ParseDurationFlag("report", "--since", since_text);
  if (!since) {
    return 2;
  }
  if (auto code = history.Open()) {
    return *code;
  }
  WallTime now = SystemClock().WallNow();
  store::ThresholdsFor thresholds = history.Thresholds();
  auto report = BuildEach(history.store(), history.Monitors(), now - *since, now, thresholds);
  if (!report) {
    std::fprintf(stderr, "modelwatch report: %s\n", report.error().message().c_str());
    return 1;
  }
  auto leads = DetectionLeads(history.store(), now - *since, history.Monitors());
  if (!leads) {
    std::fprintf(stderr, "modelwatch report: %s\n", leads.error().message().c_str());
    return 1;
  }
  Extra extra;
  auto incidents =
      FindIncidents(history.store(), history.Monitors(), report->since, now, thresholds);
  if (!incidents) {
    std::fprintf(stderr, "modelwatch report: %s\n", incidents.error().message().c_str());
    return 1;
  }
  // Async phases and light checks, from raw results (cli/report_raw.h).
  auto raw = SummarizeRaw(history.store(), history.asked(), now - *since, now);
  if (!raw) {
    std::fprintf(stderr, "modelwatch report: %s\n", raw.error().message().c_str());
    return 1;
  }
  extra.incidents = std::move(*incidents);
  extra.raw = std::move(*raw);
  if (format == "json") {
    json out = ToJson(*report, history.config(), extra);
    out["detection_leads"] = LeadsJson(*leads);
    std::printf("%s\n", out.dump(2).c_str());
  } else if (format == "csv") {
    if (rows == "leads") {
      PrintLeadsCsv(*leads);
    } else if (rows == "incidents") {
      std::fputs(IncidentsCsv(extra.incidents).c_str(), stdout);
    } else if (rows == "light") {
      std::fputs(LightChecksCsv(extra.raw).c_str(), stdout);
    } else if (rows == "async") {
      std::fputs(AsyncJobsCsv(extra.raw).c_str(), stdout);
    } else {
      PrintCsv(*report, history.config());
    }
  } else {
    PrintTable(*report, history.config(), since_text, extra);
    PrintDetectionLeads(*leads);
    std::fputs(FormatRawSummary(extra.raw).c_str(), stdout);
  }
  return 0;
}

}  // namespace modelwatch::cli
