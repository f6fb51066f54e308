// `modelwatch check`: runs monitors once, concurrently, on one loop.
#include <fmt/format.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <set>
#include <string>
#include <vector>

#include "alert/lifecycle.h"
#include "cli/args.h"
#include "cli/commands.h"
#include "cli/config_loading.h"
#include "cli/result_table.h"
#include "core/check_result_json.h"
#include "cost/estimate.h"
#include "cost/projection.h"
#include "engine/check_runner.h"
#include "engine/source_poller.h"
#include "net/loop.h"
#include "probe/probe.h"

namespace modelwatch::cli {
namespace {

struct Row {
  const config::Monitor* monitor;
  probe::ProbePtr probe;
  std::optional<CheckResult> result;
};

// Redraws one line per monitor in place: a spinner and elapsed time while it
// runs, its status once done.
void DrawProgress(const std::vector<Row>& rows, MonoTime started, MonoTime now, bool redraw) {
  static constexpr const char* kSpin[] = {"|", "/", "-", "\\"};
  if (redraw) {
    std::printf("\x1b[%zuA", rows.size());
  }
  auto tick = std::chrono::duration_cast<std::chrono::milliseconds>(now - started).count();
  for (const Row& row : rows) {
    if (row.result) {
      std::printf("\x1b[2K  %-28s %s %.1fs\n", row.monitor->name.c_str(),
                  std::string(ToString(row.result->status)).c_str(),
                  row.result->latency.count() / 1000.0);
    } else {
      std::printf("\x1b[2K%s %-28s running %.1fs\n", kSpin[(tick / 100) % 4],
                  row.monitor->name.c_str(), tick / 1000.0);
    }
  }
  std::fflush(stdout);
}

}  // namespace

int RunCheck(int argc, char** argv) {
  CLI::App app("Runs the named monitors (default: all) once, concurrently.");
  std::string config_path = "modelwatch.yaml";
  std::vector<std::string> names;
  bool json = false;
  app.add_option("-c,--config", config_path, "config file");
  app.add_option("monitors", names, "monitors to run (default: all)");
  app.add_flag("--json", json, "one JSON object per line instead of a table");
  if (auto code = ParseArgs(app, argc, argv)) {
    return *code;
  }

  auto cfg = LoadConfigOrExplain(config_path);
  if (!cfg) {
    return 2;
  }
  std::vector<Row> rows;
  for (const config::Monitor* m : SelectMonitors(*cfg, names)) {
    auto probe = probe::MakeProbe(*m);
    if (!probe) {
      std::fprintf(stderr, "%s\n", probe.error().message().c_str());
      return 2;
    }
    rows.push_back(Row{m, std::move(probe).value(), std::nullopt});
  }
  if (rows.size() != (names.empty() ? cfg->monitors.size() : names.size())) {
    return 2;  // SelectMonitors named the unknown ones
  }

  // What these monitors cost on their schedules, before the first call;
  // on stderr with --json so stdout stays one result per line.
  {
    config::Config selected = *cfg;
    selected.monitors.clear();
    for (const Row& row : rows) {
      selected.monitors.push_back(*row.monitor);
    }
    std::fprintf(json ? stderr : stdout, "%s\n",
                 cost::FormatCostTable(cost::BuildCostTable(selected)).c_str());
  }
  SystemClock clock;
  net::Loop loop(clock);
  engine::CheckRunner runner(loop);
  size_t pending = rows.size();
  // The `models` sources, polled alongside: is each model still listed, and
  // does it have a shutdown date?
  std::vector<config::StatusSource> model_lists;
  for (const config::StatusSource& s : cfg->sources) {
    if (s.kind == "models") {
      model_lists.push_back(s);
    }
  }
  std::unique_ptr<engine::SourcePoller> lists;
  if (!model_lists.empty()) {
    auto made = engine::SourcePoller::Create(loop, model_lists, nullptr);
    if (!made) {
      std::fprintf(stderr, "%s\n", made.error().message().c_str());
      return 2;
    }
    lists = std::move(made).value();
    ++pending;
    lists->PollOnce([&] {
      if (--pending == 0) {
        loop.Stop();
      }
    });
  }
  const bool live = !json && isatty(STDOUT_FILENO);
  MonoTime started = clock.Now();

  for (Row& row : rows) {
    runner.Start(*row.monitor, *row.probe, [&](std::optional<CheckResult>&& r) {
      row.result = std::move(r);
      if (json && row.result) {
        std::printf("%s\n", ToJsonLine(*row.result).c_str());
        std::fflush(stdout);
      }
      if (--pending == 0) {
        loop.Stop();
      }
    });
  }
  // Lives as long as the loop runs: each timer re-arms it by reference.
  std::function<void()> tick = [&] {
    DrawProgress(rows, started, clock.Now(), true);
    loop.RunAt(clock.Now() + std::chrono::milliseconds(100), tick);
  };
  if (live) {
    DrawProgress(rows, started, clock.Now(), false);
    loop.RunAt(clock.Now() + std::chrono::milliseconds(100), tick);
  }
  if (pending > 0) {
    loop.Run();
  }
  if (live) {
    std::printf("\x1b[%zuA\x1b[J", rows.size());  // the table replaces the progress lines
  }

  bool any_failed = false;
  std::vector<CheckResult> results;
  for (const Row& row : rows) {
    if (row.result) {
      any_failed |= IsFailure(row.result->status);
      results.push_back(*row.result);
    }
  }
  if (!json) {
    std::set<std::string> unpriced;  // image monitors without a price: "no price"
    for (const Row& row : rows) {
      if (row.monitor->kind != "http" && !cost::PricePerCheck(*row.monitor)) {
        unpriced.insert(row.monitor->name);
      }
    }
    std::fputs(FormatResultTable(results, unpriced).c_str(), stdout);
  }
  if (lists) {
    std::vector<alert::MonitoredModel> watched;
    for (const Row& row : rows) {
      watched.push_back({row.monitor->name, row.monitor->model});
    }
    // Lifecycle lines go to stderr with --json, so stdout stays JSON lines.
    for (const std::string& line :
         alert::LifecycleLines(watched, lists->Snapshots(), clock.WallNow())) {
      std::fprintf(json ? stderr : stdout, "%s\n", line.c_str());
    }
    lists.reset();
  }
  return any_failed ? 1 : 0;
}

}  // namespace modelwatch::cli
