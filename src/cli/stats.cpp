// `modelwatch stats`: availability, errors, rate limits and latency of every
// monitor over 1h, 6h, 24h, 7d and 30d, with the health of each indicator.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli/args.h"
#include "cli/commands.h"
#include "cli/failures.h"
#include "cli/history.h"
#include "cli/monitor_meta.h"
#include "cli/text_width.h"
#include "cost/budget.h"
#include "cost/projection.h"
#include "store/windows.h"
#include "web/data.h"  // FindMonitor
#include "web/light.h"

namespace modelwatch::cli {
namespace {

std::string Percent(const std::optional<double>& v) { return v ? fmt::format("{:.2f}%", *v) : "-"; }

// "2.00s", "12.3s", "123s": at most 6 columns.
std::string Seconds(double ms) {
  double sec = ms / 1000.0;
  return sec < 10 ? fmt::format("{:.2f}s", sec)
         : sec < 100 ? fmt::format("{:.1f}s", sec)
                     : fmt::format("{:.0f}s", sec);
}

// One letter per indicator health, for a compact table column.
char Mark(store::Health h) {
  switch (h) {
    case store::Health::kNormal:
      return '.';
    case store::Health::kWarning:
      return 'W';
    case store::Health::kAlert:
      return 'A';
    case store::Health::kUnknown:
      return '?';
  }
  return '?';
}

nlohmann::json ToJson(const store::WindowStats& s, int window) {
  nlohmann::json j;
  j["window"] = std::string(store::WindowName(window));
  j["checks"] = s.checks;
  j["successes"] = s.successes;
  j["failures"] = s.failures;
  j["rate_limited"] = s.rate_limited;
  nlohmann::json by = nlohmann::json::object();
  for (int i = 0; i < kCheckStatusCount; ++i) {
    if (s.by_status[i] > 0) {
      by[std::string(ToString(static_cast<CheckStatus>(i)))] = s.by_status[i];
    }
  }
  j["by_status"] = by;
  j["availability"] = s.availability ? nlohmann::json(*s.availability) : nullptr;
  j["error_rate"] = s.error_rate ? nlohmann::json(*s.error_rate) : nullptr;
  j["rate_limits_per_hour"] = s.rate_limits_per_hour;
  if (s.latency) {
    j["latency_ms"] = {{"avg", s.latency->avg},
                       {"p50", s.latency->p50},
                       {"p95", s.latency->p95},
                       {"p99", s.latency->p99},
                       {"max", s.latency->max}};
  } else {
    j["latency_ms"] = nullptr;
  }
  j["cost_usd"] = s.cost_usd;
  j["costed_checks"] = s.costed;
  j["health"] = {{"availability", ToString(s.availability_health)},
                 {"latency", ToString(s.latency_health)},
                 {"error_rate", ToString(s.error_rate_health)},
                 {"rate_limits", ToString(s.rate_limit_health)},
                 {"overall", ToString(s.overall())}};
  return j;
}

using LightByMonitor = std::map<std::string, web::LightWindows>;

int FullEvery(const config::Config& cfg, const std::string& monitor) {
  const config::Monitor* m = web::FindMonitor(cfg, monitor);
  return m != nullptr ? m->full_every : 1;
}

nlohmann::json LightJson(const web::LightWindows& light, int full_every) {
  nlohmann::json j;
  j["full_every"] = full_every;
  j["measures"] = web::kLightNote;
  j["windows"] = nlohmann::json::array();
  for (int w = 0; w < store::kWindowCount; ++w) {
    auto pct = light[w].reachable_percent();
    j["windows"].push_back({{"window", std::string(store::WindowName(w))},
                            {"checks", light[w].checks},
                            {"reachable", light[w].reachable},
                            {"reachable_percent", pct ? nlohmann::json(*pct) : nullptr}});
  }
  return j;
}

// A light monitor's three lines under its table: what they measure, the
// count and the reachable percent of each window.
void PrintLight(const web::LightWindows& light, int full_every) {
  std::printf("  light checks (full_every: %d): reachability, not generation availability\n",
              full_every);
  std::printf("  %-9s", "win");
  for (int w = 0; w < store::kWindowCount; ++w) {
    std::printf(" %8s", std::string(store::WindowName(w)).c_str());
  }
  std::printf("\n  %-9s", "checks");
  for (int w = 0; w < store::kWindowCount; ++w) {
    std::printf(" %8llu", static_cast<unsigned long long>(light[w].checks));
  }
  std::printf("\n  %-9s", "reachable");
  for (int w = 0; w < store::kWindowCount; ++w) {
    std::printf(" %8s", Percent(light[w].reachable_percent()).c_str());
  }
  std::printf("\n");
}

// One block per monitor, every line within 80 columns: avg, p99 and max
// latency are in --json.
void PrintTable(const std::vector<store::MonitorWindows>& all, const config::Config& cfg,
                const LightByMonitor& light) {
  for (const store::MonitorWindows& m : all) {
    std::string meta = MetaHeading(MetaOf(cfg, m.monitor));
    std::printf("%s\n", Ellipsize(m.monitor + (meta.empty() ? "" : "  (" + meta + ")"), 80).c_str());
    std::printf("  %-3s %7s %8s %7s %5s %6s %6s %9s  %-4s %s\n", "win", "checks", "avail", "errors",
                "rl/h", "p50", "p95", "cost", "aler", "health");
    for (int w = 0; w < store::kWindowCount; ++w) {
      const store::WindowStats& s = m.windows[w];
      std::string p50 = s.latency ? Seconds(s.latency->p50) : "-";
      std::string p95 = s.latency ? Seconds(s.latency->p95) : "-";
      std::string cost = s.costed > 0 ? cost::FormatUsd(s.cost_usd) : "-";
      std::printf("  %-3s %7llu %8s %7s %5.1f %6s %6s %9s  %c%c%c%c %s\n",
                  std::string(store::WindowName(w)).c_str(),
                  static_cast<unsigned long long>(s.checks), Percent(s.availability).c_str(),
                  Percent(s.error_rate).c_str(), s.rate_limits_per_hour, p50.c_str(), p95.c_str(),
                  cost.c_str(), Mark(s.availability_health), Mark(s.latency_health),
                  Mark(s.error_rate_health), Mark(s.rate_limit_health),
                  std::string(ToString(s.overall())).c_str());
    }
    // Which failures, and whose side they point at: now (1h) and the trend (30d).
    for (int w : {0, store::kWindowCount - 1}) {
      std::string line = fmt::format("  failures {}: {}", store::WindowName(w),
                                     FailuresByStatus(m.windows[w].by_status));
      std::printf("%s\n", Ellipsize(line, 80).c_str());
    }
    if (auto it = light.find(m.monitor); it != light.end()) {
      PrintLight(it->second, FullEvery(cfg, m.monitor));
    }
    std::printf("\n");
  }
  std::printf(
      "latency: successes only; p50/p95 are estimated from the rollups' histograms\n"
      "(avg, p99, max and every status count are in --json).\n"
      "aler: availability, latency (p95), error rate, rate limits: . normal,\n"
      "W warning, A alert, ? no data. failures: provider = their side; yours = a key,\n"
      "request, quota or model to fix; network = either side.\n");
  if (!light.empty()) {
    std::printf(
        "light checks (full_every monitors): free metadata calls, counted apart; the\n"
        "figures above are full checks only. reachable = the provider answered.\n");
  }
}

// Spend since the start of the UTC month, and that rate carried to its end.
struct MonthCost {
  double to_date = 0;
  double projected = 0;
};

Result<std::map<std::string, MonthCost>> MonthCosts(store::Store& store,
                                                   const std::vector<std::string>& monitors,
                                                   WallTime now) {
  WallTime start = cost::MonthStart(now);
  std::map<std::string, MonthCost> out;
  Status st = store.ScanRollups(store::Resolution::kDay, monitors, start, now + std::chrono::hours(24),
                                [&](const std::string& m, WallTime, const store::Rollup& r) {
                                  out[m].to_date += r.cost_usd();
                                });
  if (!st.ok()) {
    return st;
  }
  double elapsed = std::chrono::duration<double>(now - start).count();
  double month = std::chrono::duration<double>(cost::NextMonthStart(now) - start).count();
  for (auto& [m, c] : out) {
    c.projected = elapsed > 0 ? c.to_date * month / elapsed : c.to_date;
  }
  return out;
}

void PrintMonthCosts(const std::map<std::string, MonthCost>& costs, WallTime now) {
  double total = 0;
  double projected = 0;
  std::printf("cost this month (UTC, since %s):\n",
              FormatIso8601(cost::MonthStart(now)).substr(0, 10).c_str());
  for (const auto& [m, c] : costs) {
    std::printf("  %-24s %12s to date %12s projected month\n", Ellipsize(m, 24).c_str(),
                cost::FormatUsd(c.to_date).c_str(), cost::FormatUsd(c.projected).c_str());
    total += c.to_date;
    projected += c.projected;
  }
  std::printf("  %-24s %12s to date %12s projected month\n", "total",
              cost::FormatUsd(total).c_str(), cost::FormatUsd(projected).c_str());
}

}  // namespace

int RunStats(int argc, char** argv) {
  CLI::App app("Availability, errors, rate limits and latency per monitor over 1h..30d.");
  History history(app, "monitors to show (default: all)");
  bool json = false;
  app.add_flag("--json", json, "JSON instead of a table");
  if (auto code = ParseArgs(app, argc, argv)) {
    return *code;
  }
  if (auto code = history.Open()) {
    return *code;
  }
  WallTime now = SystemClock().WallNow();
  auto windows =
      store::ComputeWindows(history.store(), history.Monitors(), now, history.Thresholds());
  if (!windows) {
    std::fprintf(stderr, "modelwatch stats: %s\n", windows.error().message().c_str());
    return 1;
  }
  auto month = MonthCosts(history.store(), history.Monitors(), now);
  if (!month) {
    std::fprintf(stderr, "modelwatch stats: %s\n", month.error().message().c_str());
    return 1;
  }
  auto light = web::CountLightChecks(history.store(),
                                     web::LightMonitors(history.config(), history.Monitors()), now);
  if (!light) {
    std::fprintf(stderr, "modelwatch stats: %s\n", light.error().message().c_str());
    return 1;
  }
  if (json) {
    nlohmann::json out;
    out["generated_at"] = FormatIso8601(now);
    out["month_cost"] = nlohmann::json::object();
    for (const auto& [m, c] : *month) {
      out["month_cost"][m] = {{"to_date_usd", c.to_date}, {"projected_usd", c.projected}};
    }
    out["monitors"] = nlohmann::json::array();
    for (const store::MonitorWindows& m : *windows) {
      nlohmann::json jm;
      jm["monitor"] = m.monitor;
      AddMetaJson(jm, MetaOf(history.config(), m.monitor));
      jm["windows"] = nlohmann::json::array();
      for (int w = 0; w < store::kWindowCount; ++w) {
        jm["windows"].push_back(ToJson(m.windows[w], w));
      }
      if (auto it = light->find(m.monitor); it != light->end()) {
        jm["light_checks"] = LightJson(it->second, FullEvery(history.config(), m.monitor));
      }
      out["monitors"].push_back(jm);
    }
    std::printf("%s\n", out.dump(2).c_str());
  } else {
    PrintTable(*windows, history.config(), *light);
    PrintMonthCosts(*month, now);
  }
  return 0;
}

}  // namespace modelwatch::cli
