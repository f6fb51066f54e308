// `modelwatch check`: runs monitors once, concurrently, on one loop.
#include <fmt/format.h>
#include <signal.h>
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
#include "cli/monitor_meta.h"
#include "cli/result_table.h"
#include "cli/text_width.h"
#include "core/duration.h"
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

// Set by SIGINT/SIGTERM; the loop's 100 ms tick reads it and stops.
volatile sig_atomic_t g_interrupted = 0;
void OnInterrupt(int) { g_interrupted = 1; }

// How many progress lines the last draw wrote (what the next one moves up over).
size_t DrawnLines(const std::vector<Row>& rows, int height) {
  // A terminal that does not say its height (0) is taken to be tall enough.
  return height <= 0 || rows.size() + 1 < static_cast<size_t>(height) ? rows.size() : 1;
}

// Redraws the progress in place: one line per monitor (a spinner and the
// elapsed time while it runs, its status once done) when they fit in the
// terminal, else one summary line, so a long list never floods the
// scrollback.
void DrawProgress(const std::vector<Row>& rows, MonoTime started, MonoTime now, bool redraw,
                  int height, int width) {
  static constexpr const char* kSpin[] = {"|", "/", "-", "\\"};
  const size_t lines = DrawnLines(rows, height);
  if (redraw) {
    std::printf("\x1b[%zuA", lines);
  }
  auto tick = std::chrono::duration_cast<std::chrono::milliseconds>(now - started).count();
  if (lines < rows.size() || rows.empty()) {
    size_t done = 0;
    size_t failed = 0;
    for (const Row& row : rows) {
      done += row.result ? 1 : 0;
      failed += row.result && IsFailure(row.result->status) ? 1 : 0;
    }
    std::printf("\x1b[2K%s %zu of %zu checks done (%zu failed), %.1fs\n", kSpin[(tick / 100) % 4],
                done, rows.size(), failed, tick / 1000.0);
  } else {
    const size_t name_w = static_cast<size_t>(std::max(10, std::min(28, width - 30)));
    for (const Row& row : rows) {
      std::string name = Ellipsize(row.monitor->name, name_w);
      name += std::string(name_w - Columns(name), ' ');
      if (row.result) {
        std::printf("\x1b[2K  %s %s %.1fs\n", name.c_str(),
                    std::string(ToString(row.result->status)).c_str(),
                    row.result->latency.count() / 1000.0);
      } else {
        std::printf("\x1b[2K%s %s running %.1fs\n", kSpin[(tick / 100) % 4], name.c_str(),
                    tick / 1000.0);
      }
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
  bool strict = false;
  app.add_option("-c,--config", config_path, "config file")->capture_default_str();
  app.add_option("monitors", names, "monitors to run (default: all)");
  app.add_flag("--json", json, "one JSON object per line instead of a table");
  app.add_flag("--strict", strict,
               "config warnings are errors, and a rate-limited check fails the run (exit 1), "
               "for cron jobs");
  if (auto code = ParseArgs(app, argc, argv)) {
    return *code;
  }

  auto cfg = LoadConfigOrExplain(config_path, strict);
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
  const int height = TerminalHeight();
  const int width = TerminalWidth();
  MonoTime started = clock.Now();
  // Ctrl-C stops the loop at the next tick; what finished is still shown.
  struct sigaction on_interrupt {};
  on_interrupt.sa_handler = OnInterrupt;
  sigemptyset(&on_interrupt.sa_mask);
  sigaction(SIGINT, &on_interrupt, nullptr);
  sigaction(SIGTERM, &on_interrupt, nullptr);

  for (Row& row : rows) {
    runner.Start(*row.monitor, *row.probe, [&](std::optional<CheckResult>&& r) {
      row.result = std::move(r);
      if (json && row.result) {
        nlohmann::ordered_json line = ToJson(*row.result);
        AddMetaJson(line, MetaOf(*row.monitor));
        std::printf("%s\n",
                    line.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace)
                        .c_str());
        std::fflush(stdout);
      }
      if (--pending == 0) {
        loop.Stop();
      }
    });
  }
  // Lives as long as the loop runs: each timer re-arms it by reference.
  std::function<void()> tick = [&] {
    if (g_interrupted) {
      loop.Stop();
      return;
    }
    if (live) {
      DrawProgress(rows, started, clock.Now(), true, height, width);
    }
    loop.RunAt(clock.Now() + std::chrono::milliseconds(100), tick);
  };
  if (live) {
    DrawProgress(rows, started, clock.Now(), false, height, width);
  }
  loop.RunAt(clock.Now() + std::chrono::milliseconds(100), tick);
  if (pending > 0) {
    loop.Run();
  }
  if (live) {
    // The table replaces the progress lines.
    std::printf("\x1b[%zuA\x1b[J", DrawnLines(rows, height));
  }
  runner.CancelAll();  // after Ctrl-C: the checks still running end without a result

  bool any_failed = false;
  std::vector<CheckResult> results;
  std::vector<std::string> unfinished;
  for (const Row& row : rows) {
    if (row.result) {
      any_failed |= IsFailure(row.result->status) ||
                    (strict && row.result->status == CheckStatus::kRateLimited);
      results.push_back(*row.result);
    } else {
      unfinished.push_back(row.monitor->name);
    }
  }
  if (!json) {
    std::set<std::string> unpriced;  // image monitors without a price: "no price"
    for (const Row& row : rows) {
      if (row.monitor->kind != "http" && !cost::PricePerCheck(*row.monitor)) {
        unpriced.insert(row.monitor->name);
      }
    }
    std::fputs(FormatResultTable(results, width, unpriced).c_str(), stdout);
  }
  if (g_interrupted) {
    std::string list;
    for (const std::string& n : unfinished) {
      list += (list.empty() ? "" : ", ") + n;
    }
    std::fprintf(stderr, "modelwatch check: interrupted: %zu of %zu checks finished%s%s\n",
                 results.size(), rows.size(), unfinished.empty() ? "" : "; not finished: ",
                 Ellipsize(list, 400).c_str());
    return 130;
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
