// `modelwatch diagnose -c FILE MONITOR`: runs the monitor's probe once,
// polls its status sources (and every models source) at the same time, and
// prints the "is it me or them?" verdict with its evidence.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "alert/actions.h"
#include "cli/args.h"
#include "cli/commands.h"
#include "cli/config_loading.h"
#include "core/check_result_json.h"
#include "diagnose/diagnosis.h"
#include "engine/check_runner.h"
#include "engine/source_poller.h"
#include "net/loop.h"
#include "probe/probe.h"

namespace modelwatch::cli {

int RunDiagnose(int argc, char** argv) {
  CLI::App app("Run one monitor once, poll its status sources, and say whose fault a failure is",
               "modelwatch diagnose");
  std::string path = "modelwatch.yaml";
  std::string name;
  std::string language = "en";
  app.add_option("-c,--config", path, "config file")->capture_default_str();
  app.add_option("monitor", name, "the monitor to diagnose")->required();
  bool json = false;
  app.add_flag("--json", json,
               "one JSON object: monitor, check (the result), sources, verdict, headline, "
               "evidence, advice");
  app.add_option("--language", language, "en or zh")
      ->check(CLI::IsMember({"en", "zh"}))
      ->capture_default_str();
  if (auto code = ParseArgs(app, argc, argv)) {
    return *code;
  }
  std::optional<config::Config> cfg = LoadConfigOrExplain(path);
  if (!cfg) {
    return 2;
  }
  std::vector<const config::Monitor*> selected = SelectMonitors(*cfg, {name});
  if (selected.size() != 1) {
    return 2;  // SelectMonitors said which name is unknown
  }
  const config::Monitor& monitor = *selected[0];
  if (monitor.kind == "push") {
    std::fprintf(stderr,
                 "modelwatch diagnose: %s is a push monitor: it has no probe to run; its "
                 "application reports its own calls\n",
                 monitor.name.c_str());
    return 2;
  }
  auto probe = probe::MakeProbe(monitor);
  if (!probe) {
    std::fprintf(stderr, "%s\n", probe.error().message().c_str());
    return 2;
  }
  // The monitor's listed sources, and every models source (is the model still listed?).
  std::vector<config::StatusSource> entries;
  for (const config::StatusSource& s : cfg->sources) {
    if (s.kind == "models" || std::find(monitor.status_sources.begin(),
                                        monitor.status_sources.end(),
                                        s.name) != monitor.status_sources.end()) {
      entries.push_back(s);
    }
  }

  SystemClock clock;
  net::Loop loop(clock);
  std::unique_ptr<engine::SourcePoller> poller;
  if (!entries.empty()) {
    auto made = engine::SourcePoller::Create(loop, entries, nullptr);
    if (!made) {
      std::fprintf(stderr, "modelwatch diagnose: %s\n", made.error().message().c_str());
      return 2;
    }
    poller = std::move(made).value();
  }
  int pending = poller ? 2 : 1;
  std::optional<CheckResult> result;
  engine::CheckRunner runner(loop);
  runner.Start(monitor, **probe, [&](std::optional<CheckResult>&& r) {
    result = std::move(r);
    if (--pending == 0) {
      loop.Stop();
    }
  });
  if (poller) {
    poller->PollOnce([&] {
      if (--pending == 0) {
        loop.Stop();
      }
    });
  }
  loop.Run();
  if (!result) {
    std::fprintf(stderr, "modelwatch diagnose: the check did not finish\n");
    return 2;
  }
  const std::vector<source::Snapshot> snapshots =
      poller ? poller->Snapshots() : std::vector<source::Snapshot>{};
  poller.reset();

  const CheckResult& r = *result;
  std::optional<diagnose::Diagnosis> d;
  if (IsFailure(r.status)) {
    diagnose::Failure f{monitor.model, r.status, alert::FailingPhase(r), r.http_status, r.error};
    d = diagnose::Diagnose(f, snapshots, clock.WallNow(), language);
  }
  if (json) {
    nlohmann::ordered_json out;
    out["monitor"] = monitor.name;
    out["kind"] = monitor.kind;
    out["model"] = monitor.model;
    out["check"] = ToJson(r);
    out["sources"] = nlohmann::ordered_json::array();
    for (const source::Snapshot& s : snapshots) {
      out["sources"].push_back({{"source", s.source},
                                {"kind", s.kind},
                                {"health", std::string(source::ToString(s.health))},
                                {"why", s.why}});
    }
    // Null when the check did not fail: nothing to diagnose.
    out["verdict"] = d ? nlohmann::ordered_json(std::string(diagnose::ToString(d->verdict)))
                       : nlohmann::ordered_json(nullptr);
    out["headline"] = d ? d->headline : "";
    out["evidence"] = d ? d->evidence : std::vector<std::string>{};
    out["advice"] = d ? d->advice : "";
    std::printf("%s\n",
                out.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace).c_str());
    return d ? 1 : 0;
  }
  std::printf("monitor  %s (%s, %s)\n", monitor.name.c_str(), monitor.kind.c_str(),
              monitor.model.empty() ? "-" : monitor.model.c_str());
  std::printf("check    %s%s in %.1fs%s%s\n", std::string(ToString(r.status)).c_str(),
              r.http_status ? fmt::format(" (HTTP {})", r.http_status).c_str() : "",
              r.latency.count() / 1000.0, r.error.empty() ? "" : ": ", r.error.c_str());
  for (const source::Snapshot& s : snapshots) {
    std::printf("source   %s (%s): %s%s%s\n", s.source.c_str(), s.kind.c_str(),
                std::string(source::ToString(s.health)).c_str(), s.why.empty() ? "" : ": ",
                s.why.c_str());
  }
  if (monitor.status_sources.empty()) {
    std::printf("source   none listed: add `status_sources:` to the monitor (docs/sources.md) so "
                "an official incident can be told apart from your side\n");
  }
  if (!IsFailure(r.status)) {
    std::printf("verdict  %s: nothing to diagnose right now\n",
                std::string(ToString(r.status)).c_str());
    return 0;
  }
  for (const std::string& line : diagnose::Lines(*d, language)) {
    std::printf("%s\n", line.c_str());
  }
  return 1;
}

}  // namespace modelwatch::cli
