// `modelwatch validate -c FILE`: loads the config as `run` would, without
// starting anything, and lists every problem found.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <string>

#include "cli/args.h"
#include "cli/commands.h"
#include "config/config.h"
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
  std::printf("%s: OK (%zu monitor%s)\n", path.c_str(), n, n == 1 ? "" : "s");
  return 0;
}

}  // namespace modelwatch::cli
