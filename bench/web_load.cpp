// The dashboard under load beside a running probe engine: N monitors (with
// 30 days of history, as bench/web_dashboard.cpp generates it) probing the
// simulator (a separate `modelwatch simulate` process) on the network loop,
// the web server on its own threads reading the live snapshot published
// every second and the store, and C client threads each fetching the
// dashboard back to back (no pause: the worst case of browsers refreshing).
//
//   build/bench_web_load --monitors 1000 --clients 50 --seconds 60
//
// Prints the probe engine's schedule lag p50 / p99 / max over the measured
// time, RSS after the warm-up and at the end, the requests served and their
// latency, and the status counts of the checks (all should be success).
#include <curl/curl.h>
#include <httplib.h>
#include <sys/resource.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "bench_util.h"
#include "config/config.h"
#include "core/duration.h"
#include "engine/recorder.h"
#include "engine/scheduler.h"
#include "net/descriptor_limit.h"
#include "net/loop.h"
#include "store/store.h"
#include "web/live.h"
#include "web/server.h"
#include "web_history.h"

namespace {

// Resident set size now (VmRSS), in MB.
double RssMb() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmRSS:", 0) == 0) {
      return std::stod(line.substr(6)) / 1024.0;
    }
  }
  return 0;
}

// The kernel's count of connections dropped because a listening socket's
// accept queue was full (TcpExt ListenOverflows in /proc/net/netstat). It
// counts every listener of this network namespace, not only ours.
uint64_t ListenOverflows() {
  std::ifstream in("/proc/net/netstat");
  std::string keys, values;
  while (std::getline(in, keys) && std::getline(in, values)) {
    if (keys.rfind("TcpExt:", 0) != 0) {
      continue;
    }
    std::istringstream k(keys), v(values);
    std::string key, value;
    while (k >> key && v >> value) {
      if (key == "ListenOverflows") {
        return std::stoull(value);
      }
    }
  }
  return 0;
}

std::string ConfigYaml(int monitors, int port, const std::string& interval) {
  std::string y = "monitors:\n";
  for (int i = 1; i <= monitors; ++i) {
    y += "  - {name: monitor-" + std::to_string(i) +
         ", kind: openai_images, base_url: \"http://127.0.0.1:" + std::to_string(port) +
         "/v1\", api_key: sk-bench, model: gpt-image-1, prompt: bench, size: 1024x1024, "
         "interval: " +
         interval + ", timeout: 5s, labels: {provider: p" + std::to_string(i % 10) + "}}\n";
  }
  return y;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace modelwatch;
  CLI::App app("dashboard load beside the probe engine");
  int monitors = 1000;
  int clients = 50;
  int seconds = 60;
  int warmup = 15;
  std::string interval_text = "10s", latency_text = "20ms", path = "/api/v1/dashboard";
  bool gzip = true;
  bool keep_alive = false;
  std::string binary = std::filesystem::path(argv[0]).parent_path() / "modelwatch";
  app.add_option("--monitors", monitors);
  app.add_option("--clients", clients, "concurrent dashboard clients");
  app.add_option("--seconds", seconds, "measured time, after the warm-up");
  app.add_option("--warmup", warmup, "seconds of warm-up (clients already running)");
  app.add_option("--interval", interval_text, "each monitor's interval");
  app.add_option("--latency", latency_text, "simulated generation time");
  app.add_option("--path", path, "what each client fetches");
  app.add_option("--gzip", gzip, "clients send Accept-Encoding: gzip (as browsers do)");
  app.add_option("--keep-alive", keep_alive,
                 "clients keep their connection open between requests (as browsers do)");
  app.add_option("--binary", binary, "the modelwatch binary (runs the simulator)");
  CLI11_PARSE(app, argc, argv);
  auto interval = ParseDuration(interval_text);
  if (!interval || !ParseDuration(latency_text)) {
    std::fprintf(stderr, "bad --interval or --latency\n");
    return 2;
  }

  curl_global_init(CURL_GLOBAL_DEFAULT);
  net::RaiseDescriptorLimit();
  bench::TempDir tmp("mwwebload");
  const std::string& dir = tmp.path();
  bench::Simulator sim(binary, dir, latency_text, 64);
  if (sim.port() == 0) {
    std::fprintf(stderr, "simulator did not start (binary %s)\n", binary.c_str());
    return 1;
  }
  SystemClock clock;
  store::Options o;
  o.sqlite_path = dir + "/load.db";
  {
    auto s = store::Open(o);
    if (!s) {
      std::fprintf(stderr, "%s\n", s.error().message().c_str());
      return 1;
    }
  }
  bench::Generate(o.sqlite_path, monitors, clock.WallNow());
  auto cfg = config::LoadFromString(ConfigYaml(monitors, sim.port(), interval_text), "load.yaml");
  if (!cfg) {
    std::fprintf(stderr, "%s\n", cfg.error().message().c_str());
    return 1;
  }
  auto st = store::Open(o);
  if (!st) {
    std::fprintf(stderr, "%s\n", st.error().message().c_str());
    return 1;
  }
  store::Store& store = **st;
  engine::Recorder recorder(store);

  net::Loop loop(clock);
  uint64_t by_status[kCheckStatusCount] = {};
  std::map<std::string, CheckResult> last_results;
  auto sched = engine::Scheduler::Create(loop, cfg->monitors, [&](CheckResult&& r) {
    ++by_status[static_cast<int>(r.status)];
    last_results[r.monitor] = r;
    recorder.Record(std::move(r));
  });
  if (!sched) {
    std::fprintf(stderr, "%s\n", sched.error().message().c_str());
    return 1;
  }

  // As the instance does: an immutable copy of live state every second.
  web::LiveState live;
  uint64_t iterations = 0;
  std::function<void()> publish = [&] {
    auto snap = std::make_shared<web::LiveSnapshot>();
    snap->taken = clock.WallNow();
    snap->last_results = last_results;
    snap->states = recorder.states();
    snap->loop_iterations = ++iterations;
    live.Publish(std::move(snap));
    loop.RunAt(clock.Now() + std::chrono::seconds(1), publish);
  };
  publish();
  auto server = web::Server::StartOn(*cfg, store, &live, nullptr, clock, "127.0.0.1", 0);
  if (!server) {
    std::fprintf(stderr, "%s\n", server.error().message().c_str());
    return 1;
  }
  const int port = (*server)->port();

  std::atomic<bool> stop{false};
  std::atomic<bool> measuring{false};
  std::mutex mu;
  std::vector<int64_t> request_us;  // GUARDED_BY(mu), measured requests
  std::atomic<uint64_t> failed{0};
  std::atomic<uint64_t> bytes{0};
  std::vector<std::thread> threads;
  for (int c = 0; c < clients; ++c) {
    threads.emplace_back([&] {
      // The clients stand for browsers on other machines: they take the
      // CPU this process's own threads leave.
      (void)setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), 10);
      httplib::Client cli("127.0.0.1", port);
      cli.set_decompress(false);  // the server's work is measured, not the client's inflate
      cli.set_read_timeout(30, 0);
      cli.set_keep_alive(keep_alive);
      httplib::Headers h;
      if (gzip) {
        h.emplace("Accept-Encoding", "gzip");
      }
      std::vector<int64_t> mine;
      while (!stop.load()) {
        auto t0 = std::chrono::steady_clock::now();
        auto r = cli.Get(path.c_str(), h);
        auto t1 = std::chrono::steady_clock::now();
        if (!r || r->status != 200) {
          ++failed;
          continue;
        }
        if (measuring.load()) {
          mine.push_back(std::chrono::duration_cast<std::chrono::microseconds>(t1 - t0).count());
          bytes += r->body.size();
        }
      }
      std::lock_guard lock(mu);
      request_us.insert(request_us.end(), mine.begin(), mine.end());
    });
  }

  (*sched)->Start();
  size_t lag_from = 0;
  double rss_warm = 0;
  double cpu0 = 0;
  uint64_t overflows0 = 0;
  MonoTime t0;
  loop.RunAt(clock.Now() + std::chrono::seconds(warmup), [&] {
    lag_from = (*sched)->lag_samples_us().size();
    rss_warm = RssMb();
    cpu0 = bench::CpuSeconds();
    overflows0 = ListenOverflows();
    t0 = clock.Now();
    measuring = true;
  });
  // RSS every 15 s of the measured time, to tell growth from a plateau.
  std::vector<double> rss_samples;
  for (int at = 15; at < seconds; at += 15) {
    loop.RunAt(clock.Now() + std::chrono::seconds(warmup + at),
               [&] { rss_samples.push_back(RssMb()); });
  }
  loop.RunAt(clock.Now() + std::chrono::seconds(warmup + seconds), [&] {
    measuring = false;
    loop.Stop();
  });
  loop.Run();
  double wall = std::chrono::duration<double>(clock.Now() - t0).count();
  double cpu = bench::CpuSeconds() - cpu0;
  double rss_end = RssMb();
  uint64_t overflows = ListenOverflows() - overflows0;
  std::vector<int64_t> lags((*sched)->lag_samples_us().begin() + lag_from,
                            (*sched)->lag_samples_us().end());
  (*sched)->StopScheduling();
  stop = true;
  for (auto& t : threads) {
    t.join();
  }
  (*server)->Stop();

  std::printf(
      "monitors %d (30 days of history), interval %s, %d clients%s on %s%s, %d s measured "
      "after %d s warm-up\n",
      monitors, interval_text.c_str(), clients, keep_alive ? " (keep-alive)" : "", path.c_str(),
      gzip ? " (gzip)" : "", seconds, warmup);
  std::printf("schedule lag p50 / p99 / max  %.2f / %.2f / %.2f ms (%zu checks)\n",
              bench::Percentile(lags, 0.5) / 1e3, bench::Percentile(lags, 0.99) / 1e3,
              bench::Percentile(lags, 1.0) / 1e3, lags.size());
  std::printf("RSS after warm-up / end       %.1f / %.1f MB (peak %.1f)\n", rss_warm, rss_end,
              bench::PeakRssMb());
  std::printf("RSS every 15 s               ");
  for (double r : rss_samples) {
    std::printf(" %.1f", r);
  }
  std::printf(" MB\n");
  std::printf("requests                      %zu (%.0f/s), failed %llu, %.1f KB each\n",
              request_us.size(), request_us.size() / wall,
              static_cast<unsigned long long>(failed.load()),
              request_us.empty() ? 0.0 : bytes.load() / 1024.0 / request_us.size());
  std::printf("request latency p50 / p99     %.2f / %.2f ms\n",
              bench::Percentile(request_us, 0.5) / 1e3, bench::Percentile(request_us, 0.99) / 1e3);
  size_t over_500ms =
      std::count_if(request_us.begin(), request_us.end(), [](int64_t us) { return us >= 500'000; });
  std::printf("requests over 500 ms          %zu; accept queue overflows %llu (ListenOverflows)\n",
              over_500ms, static_cast<unsigned long long>(overflows));
  std::printf("process CPU                   %.0f %% of one core\n", 100 * cpu / wall);
  for (int i = 0; i < kCheckStatusCount; ++i) {
    if (by_status[i] != 0) {
      std::printf("  %-16s %llu\n", std::string(ToString(static_cast<CheckStatus>(i))).c_str(),
                  static_cast<unsigned long long>(by_status[i]));
    }
  }
  std::fflush(stdout);
  sched->reset();
  (void)store.Flush();
  curl_global_cleanup();
  return 0;
}
