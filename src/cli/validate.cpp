// `modelwatch validate -c FILE`: loads the config as `run` would, without
// starting anything, and lists every problem found.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <string>

#include "cli/args.h"
#include "cli/commands.h"
#include "config/config.h"
#include "cost/projection.h"
#include "engine/config_check.h"
#include "probe/probe.h"

namespace modelwatch::cli {

int RunValidate(int argc, char** argv) {
  CLI::App app("Check a config file and list every problem in it", "modelwatch validate");
  std::string path = "modelwatch.yaml";
  app.add_option("-c,--config", path, "Config file")->capture_default_str();
  if (auto code = ParseArgs(app, argc, argv)) {
    return *code;
  }
  Result<config::Config> cfg = config::Load(path);
  if (!cfg) {
    // One problem per line, each already "FILE:LINE:COL: message".
    std::fprintf(stderr, "%s\n", cfg.error().message().c_str());
    return 2;
  }
  // What only a channel kind knows, channel names the alert levels use, and
  // the warnings: rules that can never fire, sections with no effect.
  auto checked = engine::CheckConfig(*cfg);
  if (!checked) {
    std::fprintf(stderr, "%s\n", checked.error().message().c_str());
    return 2;
  }
  for (const std::string& w : checked->warnings) {
    std::fprintf(stderr, "%s\n", w.c_str());
  }
  // What only a probe kind knows (e.g. the grammar of http conditions).
  bool ok = true;
  for (const config::Monitor& m : cfg->monitors) {
    if (auto probe = probe::MakeProbe(m); !probe) {
      std::fprintf(stderr, "%s\n", probe.error().message().c_str());
      ok = false;
    }
  }
  if (!ok) {
    return 2;
  }
  size_t n = cfg->monitors.size();
  size_t w = checked->warnings.size();
  std::printf("%s: OK (%zu monitor%s, %zu channel%s)%s\n", path.c_str(), n, n == 1 ? "" : "s",
              checked->channels.size(), checked->channels.size() == 1 ? "" : "s",
              w == 0 ? "" : fmt::format(", {} warning{} above", w, w == 1 ? "" : "s").c_str());
  // What the config will cost, before the first call (docs/cost.md).
  std::printf("\n%s", cost::FormatCostTable(cost::BuildCostTable(*cfg)).c_str());
  return 0;
}

}  // namespace modelwatch::cli
