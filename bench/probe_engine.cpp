// Probe engine benchmark: N monitors on short intervals against the simulator
// (a separate `modelwatch simulate` process, so this process's CPU time is the
// engine's alone: loop, probes, scheduler, store writer).
//
//   build/bench_probe_engine --monitors 10000 --interval 10s --latency 20ms --seconds 60
//   build/bench_probe_engine --monitors 4000 --interval 4s --latency 2s --seconds 60
//
// Prints probes/s held, CPU us per probe, scheduling lag p50/p99/max, peak RSS,
// peak checks in flight, and the status counts (all should be success).
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <curl/curl.h>

#include "bench_util.h"
#include "core/duration.h"
#include "engine/recorder.h"
#include "engine/scheduler.h"
#include "net/descriptor_limit.h"
#include "net/loop.h"
#include "store/store.h"

int main(int argc, char** argv) {
  using namespace modelwatch;
  CLI::App app("probe engine benchmark");
  int monitors = 10000;
  std::string interval_text = "10s", latency_text = "20ms", store_kind = "sqlite";
  int seconds = 60;
  std::string binary = std::filesystem::path(argv[0]).parent_path() / "modelwatch";
  app.add_option("--monitors", monitors);
  app.add_option("--interval", interval_text);
  app.add_option("--latency", latency_text, "simulated generation time");
  app.add_option("--seconds", seconds, "measured time, after one warm-up interval");
  app.add_option("--store", store_kind, "sqlite or none");
  int image_side = 64;
  app.add_option("--image", image_side, "side of the square PNG the simulator returns (pixels)");
  app.add_option("--binary", binary, "the modelwatch binary (runs the simulator)");
  CLI11_PARSE(app, argc, argv);
  auto interval = ParseDuration(interval_text);
  auto latency = ParseDuration(latency_text);
  if (!interval || !latency) {
    std::fprintf(stderr, "bad --interval or --latency\n");
    return 2;
  }

  curl_global_init(CURL_GLOBAL_DEFAULT);
  net::RaiseDescriptorLimit();
  bench::TempDir tmp("mwbench");
  const std::string& dir = tmp.path();
  bench::Simulator sim(binary, dir, latency_text, image_side);
  int port = sim.port();
  if (port == 0) {
    std::fprintf(stderr, "simulator did not start (binary %s)\n", binary.c_str());
    return 1;
  }

  std::vector<config::Monitor> mons(monitors);
  for (int i = 0; i < monitors; ++i) {
    auto& m = mons[i];
    m.name = "m" + std::to_string(i);
    m.kind = "openai_images";
    m.base_url = "http://127.0.0.1:" + std::to_string(port) + "/v1";
    m.api_key = Secret("sk-bench");
    m.model = "gpt-image-1";
    m.prompt = "bench";
    m.size = "1024x1024";
    m.interval = *interval;
    m.timeout = std::chrono::seconds(30);
  }

  store::StorePtr st;
  if (store_kind == "sqlite") {
    store::Options o;
    o.sqlite_path = dir + "/bench.db";
    auto s = store::Open(o);
    if (!s) {
      std::fprintf(stderr, "%s\n", s.error().message().c_str());
      return 1;
    }
    st = std::move(s).value();
  }

  std::unique_ptr<engine::Recorder> recorder;
  if (st) {
    recorder = std::make_unique<engine::Recorder>(*st);
  }

  SystemClock clock;
  net::Loop loop(clock);
  uint64_t by_status[kCheckStatusCount] = {};
  bool measuring = false;
  uint64_t measured = 0;
  size_t peak_in_flight = 0;
  engine::Scheduler* sp = nullptr;
  auto sched = engine::Scheduler::Create(loop, mons, [&](CheckResult&& r) {
    if (measuring) {
      ++measured;
      ++by_status[static_cast<int>(r.status)];
    }
    peak_in_flight = std::max(peak_in_flight, sp->in_flight() + 1);
    if (recorder) {
      recorder->Record(std::move(r));  // as `run` does: result and monitor state
    }
  });
  if (!sched) {
    std::fprintf(stderr, "%s\n", sched.error().message().c_str());
    return 1;
  }
  sp = sched->get();
  (*sched)->Start();

  // Warm up for one interval (first runs are spread across it), then measure.
  double cpu0 = 0;
  double loop_cpu0 = 0;
  size_t lag_from = 0;
  MonoTime t0;
  loop.RunAt(clock.Now() + *interval, [&] {
    measuring = true;
    cpu0 = bench::CpuSeconds();
    loop_cpu0 = bench::ThreadCpuSeconds();
    t0 = clock.Now();
    lag_from = (*sched)->lag_samples_us().size();
  });
  loop.RunAt(clock.Now() + *interval + std::chrono::seconds(seconds), [&] { loop.Stop(); });
  loop.Run();
  double wall = std::chrono::duration<double>(clock.Now() - t0).count();
  double cpu = bench::CpuSeconds() - cpu0;
  double loop_cpu = bench::ThreadCpuSeconds() - loop_cpu0;
  std::vector<int64_t> lags((*sched)->lag_samples_us().begin() + lag_from,
                            (*sched)->lag_samples_us().end());
  (*sched)->StopScheduling();

  std::printf("monitors %d, interval %s, simulated latency %s, image %dx%d PNG, store %s, "
              "%d s measured\n",
              monitors, interval_text.c_str(), latency_text.c_str(), image_side, image_side,
              store_kind.c_str(), seconds);
  std::printf("probes/s held        %.0f\n", measured / wall);
  std::printf("CPU us per probe     %.1f (network thread %.1f, rest: store writer)\n",
              measured ? cpu * 1e6 / measured : 0.0, measured ? loop_cpu * 1e6 / measured : 0.0);
  std::printf("lag p50 / p99 / max  %.2f / %.2f / %.2f ms\n", bench::Percentile(lags, 0.5) / 1e3,
              bench::Percentile(lags, 0.99) / 1e3, bench::Percentile(lags, 1.0) / 1e3);
  std::printf("peak in flight       %zu\n", peak_in_flight);
  std::printf("peak RSS             %.1f MB\n", bench::PeakRssMb());
  std::printf("skipped slots        %llu\n",
              static_cast<unsigned long long>((*sched)->counters().skipped));
  for (int i = 0; i < kCheckStatusCount; ++i) {
    if (by_status[i] != 0) {
      std::printf("  %-16s %llu\n", std::string(ToString(static_cast<CheckStatus>(i))).c_str(),
                  static_cast<unsigned long long>(by_status[i]));
    }
  }
  std::fflush(stdout);
  sched->reset();  // cancels the checks in flight
  if (st) {
    (void)st->Flush();
  }
  curl_global_cleanup();
  return 0;
}
