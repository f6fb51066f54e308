// `modelwatch run`: the daemon. Schedules every monitor, stores every result,
// logs one JSON line per result, stops cleanly on SIGINT/SIGTERM, and
// re-reads the config's budget: section on SIGHUP.
#include <signal.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>

#include "cli/args.h"
#include "cli/commands.h"
#include "cli/config_loading.h"
#include "cli/store_options.h"
#include "engine/instance.h"

namespace modelwatch::cli {
namespace {

void Log(const nlohmann::ordered_json& j) {
  std::string line = j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
  std::fprintf(stdout, "%s\n", line.c_str());
  std::fflush(stdout);
}

}  // namespace

int RunDaemon(int argc, char** argv) {
  CLI::App app("Runs every monitor on its schedule and stores the results.");
  std::string config_path = "modelwatch.yaml";
  std::string grace_text = "10s";
  bool quiet = false;
  app.add_option("-c,--config", config_path, "config file");
  app.add_option("--grace", grace_text,
                 "on SIGINT/SIGTERM, how long checks in flight may finish before they are "
                 "cancelled");
  app.add_flag("-q,--quiet", quiet, "no log line per result");
  if (auto code = ParseArgs(app, argc, argv)) {
    return *code;
  }
  auto grace = ParseDurationFlag("run", "--grace", grace_text);
  if (!grace) {
    return 2;
  }
  auto cfg = LoadConfigOrExplain(config_path);
  if (!cfg) {
    return 2;
  }
  // Signals arrive as readable data on the loop, not in a handler. Blocked
  // before any thread starts (the store's writer), so every thread inherits
  // the mask and none is killed by the default action.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGHUP);  // reloads the budget: section (docs/cost.md)
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  int sig_fd = signalfd(-1, &signals, SFD_CLOEXEC | SFD_NONBLOCK);

  store::Options store_options = StoreOptions(cfg->storage);
  // The daemon keeps probing while the database is away, holding results.
  store_options.start_unavailable = true;
  engine::InstanceOptions options;
  options.grace = *grace;
  options.log_results = !quiet;
  options.log = Log;
  auto instance = engine::Instance::Create(*cfg, store_options, std::move(options));
  if (!instance) {
    std::fprintf(stderr, "%s\n", instance.error().message().c_str());
    return 2;
  }
  int code = (*instance)->Run(sig_fd);
  close(sig_fd);
  return code;
}

}  // namespace modelwatch::cli
