// `modelwatch run`: the daemon. Schedules every monitor, stores every result,
// logs one line per result (text or JSON, --log-format), stops cleanly on
// SIGINT/SIGTERM, and re-reads the config's budget: section on SIGHUP.
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
#include "cli/log_format.h"
#include "cli/store_options.h"
#include "engine/instance.h"

namespace modelwatch::cli {
namespace {

void Log(LogFormat format, const nlohmann::ordered_json& j) {
  std::string line = format == LogFormat::kJson ? JsonLogLine(j)
                                                : TextLogLine(j, SystemClock().WallNow());
  std::fprintf(stdout, "%s\n", line.c_str());
  std::fflush(stdout);
}

}  // namespace

int RunDaemon(int argc, char** argv) {
  CLI::App app("Runs every monitor on its schedule and stores the results.");
  std::string config_path = "modelwatch.yaml";
  std::string grace_text = "10s";
  bool quiet = false;
  app.add_option("-c,--config", config_path, "config file")->capture_default_str();
  app.add_option("--grace", grace_text,
                 "on SIGINT/SIGTERM, how long checks in flight may finish before they are "
                 "cancelled")
      ->capture_default_str();
  bool strict = false;
  std::string log_format = "auto";
  app.add_flag("-q,--quiet", quiet, "no log line per result");
  app.add_option("--log-format", log_format,
                 "text (a line a person reads) or json (a JSON object per line); auto: text on "
                 "a terminal, json otherwise (journald, a file, a pipe)")
      ->check(CLI::IsMember({"auto", "text", "json"}))
      ->capture_default_str();
  app.add_flag("--strict", strict, "config warnings are errors: refuse to start");
  if (auto code = ParseArgs(app, argc, argv)) {
    return *code;
  }
  auto grace = ParseDurationFlag("run", "--grace", grace_text);
  if (!grace) {
    return 2;
  }
  auto cfg = LoadConfigOrExplain(config_path, strict);
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
  // A store that cannot be opened at start (no directory, no permission, a
  // read-only file, PostgreSQL unreachable) is an error now, while someone is
  // watching: starting anyway would probe for hours into a queue that is
  // lost at exit. The service manager restarts a failed run (the unit's
  // Restart=on-failure). Once open, a store that goes away is waited for:
  // the daemon keeps probing and holds results until it is back.
  store_options.start_unavailable = false;
  engine::InstanceOptions options;
  options.grace = *grace;
  options.log_results = !quiet;
  LogFormat format = log_format == "text" || (log_format == "auto" && isatty(STDOUT_FILENO))
                         ? LogFormat::kText
                         : LogFormat::kJson;
  options.log = [format](const nlohmann::ordered_json& j) { Log(format, j); };
  auto instance = engine::Instance::Create(*cfg, store_options, std::move(options));
  if (!instance) {
    // The store's texts are written for a daemon that waits for it; at start
    // nothing waits (see start_unavailable above).
    std::string why = instance.error().message();
    if (size_t held = why.find(" (results are held in memory"); held != std::string::npos) {
      why.erase(held, why.find(')', held) + 1 - held);
    }
    std::fprintf(stderr, "modelwatch run: not started: %s\n", why.c_str());
    return 2;
  }
  int code = (*instance)->Run(sig_fd);
  close(sig_fd);
  return code;
}

}  // namespace modelwatch::cli
