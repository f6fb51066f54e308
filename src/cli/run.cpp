// `modelwatch run`: the daemon. Schedules every monitor, stores every result,
// logs one JSON line per result, stops cleanly on SIGINT/SIGTERM.
#include <signal.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <cstdio>
#include <functional>
#include <string>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "cli/args.h"
#include "cli/commands.h"
#include "cli/config_loading.h"
#include "cli/store_options.h"
#include "core/check_result_json.h"
#include "engine/recorder.h"
#include "engine/scheduler.h"
#include "net/descriptor_limit.h"
#include "net/loop.h"
#include "store/store.h"

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
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  int sig_fd = signalfd(-1, &signals, SFD_CLOEXEC | SFD_NONBLOCK);

  store::Options store_options = StoreOptions(cfg->storage);
  // The daemon keeps probing while the database is away, holding results.
  store_options.start_unavailable = true;
  auto store = store::Open(store_options);
  if (!store) {
    std::fprintf(stderr, "%s\n", store.error().message().c_str());
    return 1;
  }
  engine::Recorder recorder(**store);

  net::RaiseDescriptorLimit();
  SystemClock clock;
  net::Loop loop(clock);
  bool stopping = false;
  engine::Scheduler* sched_ptr = nullptr;
  auto scheduler = engine::Scheduler::Create(loop, cfg->monitors, [&](CheckResult&& r) {
    if (!quiet) {
      nlohmann::ordered_json j = {{"event", "result"}};
      j.update(ToJson(r));
      Log(std::move(j));
    }
    recorder.Record(std::move(r));
    if (stopping && sched_ptr->in_flight() == 0) {
      loop.Stop();
    }
  });
  if (!scheduler) {
    std::fprintf(stderr, "%s\n", scheduler.error().message().c_str());
    return 2;
  }
  engine::Scheduler& sched = **scheduler;
  sched_ptr = &sched;

  loop.WatchFd(sig_fd, [&] {
    signalfd_siginfo info;
    while (read(sig_fd, &info, sizeof info) == sizeof info) {
    }
    if (stopping) {  // a second signal: do not wait
      sched.CancelInFlight();
      loop.Stop();
      return;
    }
    stopping = true;
    sched.StopScheduling();
    Log({{"event", "stopping"}, {"in_flight", sched.in_flight()}, {"grace_ms", grace->count()}});
    if (sched.in_flight() == 0) {
      loop.Stop();
      return;
    }
    loop.RunAt(clock.Now() + *grace, [&] {
      sched.CancelInFlight();
      loop.Stop();
    });
  });

  Log({{"event", "start"},
       {"monitors", cfg->monitors.size()},
       {"store", (*store)->Describe()},
       {"config", config_path}});
  // Say when the store starts or stops failing and when results are dropped,
  // once per change rather than once per result.
  std::string last_store_error;
  uint64_t last_dropped = 0;
  std::function<void()> watch_store = [&] {
    Status err = (*store)->last_error();
    std::string text = err.ok() ? "" : err.message();
    uint64_t dropped = (*store)->dropped();
    if (text != last_store_error || dropped != last_dropped) {
      Log({{"event", text.empty() ? "store_ok" : "store_error"},
           {"error", text},
           {"queued", (*store)->queued()},
           {"dropped", dropped}});
      last_store_error = text;
      last_dropped = dropped;
    }
    loop.RunAt(clock.Now() + std::chrono::seconds(1), watch_store);
  };
  loop.RunAt(clock.Now() + std::chrono::seconds(1), watch_store);

  sched.Start();
  loop.Run();
  loop.RemoveFd(sig_fd);
  close(sig_fd);

  Status flushed = (*store)->Flush();
  const auto& c = sched.counters();
  Log({{"event", "stopped"},
       {"checks", c.finished},
       {"cancelled", c.cancelled},
       {"skipped", c.skipped},
       {"store_dropped", (*store)->dropped()},
       {"store_error", flushed.ok() ? "" : flushed.message()}});
  return flushed.ok() ? 0 : 1;
}

}  // namespace modelwatch::cli
