// `modelwatch sources -c FILE [--json]`: polls every status source once and
// prints what each says: health, active incidents with age and severity,
// component statuses, OpenRouter's per-provider uptime.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <string>

#include "cli/args.h"
#include "cli/commands.h"
#include "cli/config_loading.h"
#include "core/clock.h"
#include "core/duration.h"
#include "engine/source_poller.h"
#include "net/loop.h"
#include "source/snapshot_json.h"

namespace modelwatch::cli {
namespace {

std::string Age(WallTime started, WallTime now) {
  auto d = std::chrono::duration_cast<std::chrono::milliseconds>(now - started);
  if (d.count() < 0) {
    return "starts later";
  }
  auto minutes = std::chrono::duration_cast<std::chrono::minutes>(d).count();
  if (minutes < 60) {
    return fmt::format("{} min", minutes);
  }
  if (minutes < 48 * 60) {
    return fmt::format("{} h {} min", minutes / 60, minutes % 60);
  }
  return fmt::format("{} days", minutes / (24 * 60));
}

std::string Percent(const std::optional<double>& v) { return v ? fmt::format("{:.1f}%", *v) : "-"; }

void PrintText(const source::Snapshot& s, WallTime now) {
  std::printf("%s (%s): %s\n", s.source.c_str(), s.kind.c_str(),
              std::string(source::ToString(s.health)).c_str());
  if (!s.why.empty()) {
    std::printf("  %s%s\n", s.health == source::Health::kUnknown ? "cannot read it: " : "",
                s.why.c_str());
  }
  for (const source::Incident& i : s.incidents) {
    std::printf("  %s %s, %s ago%s: %s\n", i.maintenance ? "maintenance" : "incident",
                i.severity.empty() ? i.status.c_str() : i.severity.c_str(),
                Age(i.started, now).c_str(),
                i.status.empty() || i.severity.empty() ? "" : (" [" + i.status + "]").c_str(),
                i.title.c_str());
    if (!i.link.empty()) {
      std::printf("    %s\n", i.link.c_str());
    }
  }
  for (const source::Component& c : s.components) {
    std::printf("  component %s: %s\n", c.name.c_str(), c.status.c_str());
  }
  for (const source::ModelListing& m : s.models) {
    std::printf("  model %s: %s%s%s\n", m.model.c_str(), m.listed ? "listed" : "NOT listed",
                m.pricing.empty() ? "" : (", pricing " + m.pricing).c_str(),
                m.shutdown ? (", expires " + FormatIso8601(*m.shutdown)).c_str() : "");
  }
  if (!s.endpoints.empty()) {
    std::printf("  %-28s %-8s %8s %8s %8s %10s\n", "provider", "status", "up 5m", "up 30m", "up 1d",
                "p50 ms");
    for (const source::Endpoint& e : s.endpoints) {
      std::printf("  %-28s %-8s %8s %8s %8s %10s%s\n", e.provider.c_str(), e.status.c_str(),
                  Percent(e.uptime_5m).c_str(), Percent(e.uptime_30m).c_str(),
                  Percent(e.uptime_1d).c_str(),
                  e.latency_ms ? fmt::format("{:.0f}", *e.latency_ms).c_str() : "-",
                  e.degraded ? "  degraded" : "");
    }
    std::printf("  (%s)\n", source::kUptimeNote);
  }
}

}  // namespace

int RunSources(int argc, char** argv) {
  CLI::App app("Poll every status source once and print what it says", "modelwatch sources");
  std::string path = "modelwatch.yaml";
  bool json = false;
  app.add_option("-c,--config", path, "config file")->capture_default_str();
  app.add_flag("--json", json, "one JSON object per source, one per line");
  if (auto code = ParseArgs(app, argc, argv)) {
    return *code;
  }
  std::optional<config::Config> cfg = LoadConfigOrExplain(path);
  if (!cfg) {
    return 2;
  }
  if (cfg->sources.empty()) {
    std::fprintf(stderr, "modelwatch sources: %s has no sources: section (see docs/sources.md)\n",
                 path.c_str());
    return 2;
  }
  SystemClock clock;
  net::Loop loop(clock);
  auto poller = engine::SourcePoller::Create(loop, cfg->sources, nullptr);
  if (!poller) {
    std::fprintf(stderr, "modelwatch sources: %s\n", poller.error().message().c_str());
    return 2;
  }
  (*poller)->PollOnce([&loop] { loop.Stop(); });
  loop.Run();
  WallTime now = clock.WallNow();
  int unknown = 0;
  for (const source::Snapshot& s : (*poller)->Snapshots()) {
    unknown += s.health == source::Health::kUnknown ? 1 : 0;
    if (json) {
      std::printf("%s\n", source::ToJson(s, now).dump().c_str());
    } else {
      PrintText(s, now);
    }
  }
  poller->reset();
  return unknown == 0 ? 0 : 1;
}

}  // namespace modelwatch::cli
