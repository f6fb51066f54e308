// `modelwatch report`: hourly history, anomaly periods, daily latency trend,
// overall availability and a side-by-side comparison of monitors.
#include "store/report.h"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "alert/detection_lead.h"
#include "cli/report_raw.h"
#include "cli/args.h"
#include "cost/projection.h"
#include "cli/commands.h"
#include "cli/history.h"

namespace modelwatch::cli {
namespace {

using nlohmann::json;

std::string Percent(const std::optional<double>& v) { return v ? fmt::format("{:.2f}%", *v) : "-"; }
std::string Secs(double ms) { return fmt::format("{:.2f}s", ms / 1000.0); }
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

json ToJson(const store::Report& r) {
  json out;
  out["since"] = FormatIso8601(r.since);
  out["until"] = FormatIso8601(r.until);
  out["monitors"] = json::array();
  for (const store::MonitorReport& m : r.monitors) {
    json jm;
    jm["monitor"] = m.monitor;
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

void PrintCsv(const store::Report& r) {
  std::printf("monitor,hour,checks,successes,failures,rate_limited,availability,avg_latency_ms\n");
  for (const store::MonitorReport& m : r.monitors) {
    for (const store::HourStats& h : m.hours) {
      std::printf("%s,%s,%llu,%llu,%llu,%llu,%s,%s\n", m.monitor.c_str(),
                  FormatIso8601(h.start).c_str(), static_cast<unsigned long long>(h.stats.checks),
                  static_cast<unsigned long long>(h.stats.successes),
                  static_cast<unsigned long long>(h.stats.failures),
                  static_cast<unsigned long long>(h.stats.rate_limited),
                  h.stats.availability ? fmt::format("{:.4f}", *h.stats.availability).c_str() : "",
                  h.stats.latency ? fmt::format("{:.1f}", h.stats.latency->avg).c_str() : "");
    }
  }
}

void PrintTable(const store::Report& r) {
  std::printf("modelwatch report  %s .. %s\n", FormatIso8601(r.since).c_str(),
              FormatIso8601(r.until).c_str());
  for (const store::MonitorReport& m : r.monitors) {
    const store::WindowStats& o = m.overall;
    std::printf("\n== %s ==\n", m.monitor.c_str());
    std::printf("overall: %s available, %llu checks, %llu failures, %llu rate-limited",
                Percent(o.availability).c_str(), static_cast<unsigned long long>(o.checks),
                static_cast<unsigned long long>(o.failures),
                static_cast<unsigned long long>(o.rate_limited));
    if (o.latency) {
      std::printf("; latency avg %s p50 %s p95 %s p99 %s", Secs(o.latency->avg).c_str(),
                  Secs(o.latency->p50).c_str(), Secs(o.latency->p95).c_str(),
                  Secs(o.latency->p99).c_str());
    }
    std::printf("\n");
    if (m.hours.empty()) {
      std::printf("no checks in this period\n");
      continue;
    }
    std::printf("\nanomalies (hours below 99%% available): %s\n",
                m.anomalies.empty() ? "none" : "");
    for (const store::AnomalyPeriod& a : m.anomalies) {
      std::printf("  %s .. %s  %5.2f%% available  %llu of %llu checks failed\n",
                  Hour(a.start).c_str(), Hour(a.end).c_str(), a.availability,
                  static_cast<unsigned long long>(a.failures),
                  static_cast<unsigned long long>(a.checks));
    }
    std::printf("\ndaily latency (successes) and cost\n  %-10s %9s %8s %8s %8s %8s %10s\n",
                "day", "successes", "avg", "p50", "p95", "p99", "cost");
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
                  h.stats.availability && *h.stats.availability < 99.0 ? "  <" : "");
    }
  }
  std::printf("\n== comparison ==\n  %-28s %8s %9s %8s %6s %8s %8s %8s %9s\n", "monitor", "checks",
              "avail", "errors", "rl", "avg", "p50", "p95", "anomalies");
  for (const store::MonitorReport& m : r.monitors) {
    const store::WindowStats& o = m.overall;
    std::printf("  %-28s %8llu %9s %8s %6llu %8s %8s %8s %9zu\n", m.monitor.c_str(),
                static_cast<unsigned long long>(o.checks), Percent(o.availability).c_str(),
                Percent(o.error_rate).c_str(), static_cast<unsigned long long>(o.rate_limited),
                Latency(o.latency, &store::LatencyStats::avg).c_str(),
                Latency(o.latency, &store::LatencyStats::p50).c_str(),
                Latency(o.latency, &store::LatencyStats::p95).c_str(), m.anomalies.size());
  }
}

// Official incidents and how much earlier the monitors' probes saw them
// (alert/detection_lead.h), newest first.
void PrintDetectionLeads(store::Store& store, WallTime since) {
  auto events = store.AlertEvents("", since, 10'000);
  if (!events) {
    return;
  }
  std::vector<alert::DetectionLead> leads;
  for (const store::AlertEvent& e : *events) {
    if (auto d = alert::ParseDetectionLead(e)) {
      leads.push_back(std::move(*d));
    }
  }
  std::printf("\n== detection lead (official incidents) ==\n");
  if (leads.empty()) {
    std::printf("  none\n");
    return;
  }
  std::printf("  %-17s %-20s %-20s %9s  %s\n", "opened", "monitor", "source", "lead", "incident");
  for (const alert::DetectionLead& d : leads) {
    std::printf("  %-17s %-20s %-20s %5d min  %s\n", FormatIso8601(d.opened).substr(0, 16).c_str(),
                d.monitor.c_str(), d.source.c_str(), d.lead_minutes, d.incident.c_str());
  }
}

}  // namespace

int RunReport(int argc, char** argv) {
  CLI::App app("Hourly history, anomalies, latency trend and comparison of monitors.");
  History history(app, "monitors to report (default: all)");
  std::string since_text = "7d";
  std::string format = "table";
  app.add_option("--since", since_text, "how far back, e.g. 24h, 7d (default 7d)");
  app.add_option("--format", format, "table, json or csv (hourly rows)")
      ->check(CLI::IsMember({"table", "json", "csv"}));
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
  auto report = store::BuildReport(history.store(), history.Monitors(), now - *since, now,
                                   history.Thresholds());
  if (!report) {
    std::fprintf(stderr, "modelwatch report: %s\n", report.error().message().c_str());
    return 1;
  }
  if (format == "json") {
    std::printf("%s\n", ToJson(*report).dump(2).c_str());
  } else if (format == "csv") {
    PrintCsv(*report);
  } else {
    PrintTable(*report);
    PrintDetectionLeads(history.store(), now - *since);
    // Async phases and light checks, from raw results (cli/report_raw.h).
    auto raw = SummarizeRaw(history.store(), history.asked(), now - *since, now);
    if (!raw) {
      std::fprintf(stderr, "modelwatch report: %s\n", raw.error().message().c_str());
      return 1;
    }
    std::fputs(FormatRawSummary(*raw).c_str(), stdout);
  }
  return 0;
}

}  // namespace modelwatch::cli
