// The web server's pages and API over 1,000 monitors x 30 days of history
// (rollups generated as bench/store_query.cpp does), timed inside the
// server (web::Routes::Handle, no sockets): the overview page, the
// /api/v1/dashboard JSON, a monitor page with its 30-day chart, and a
// /metrics scrape; p50 / p99 and bytes. Also the cost of one cache refresh
// (every window, bar and total of every monitor), paid once every 5 s, and
// of building the dashboard JSON and its gzip form, once per refresh.
// monitor-1 is a `full_every: 10` monitor with a light check every minute
// of the 30 days in its raw rows (43,200 rows), so its page counts them
// (web::LightCache, once per data generation).
//
//   bench_web_dashboard [--monitors N] [--runs R] [--dir DIR]
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "config/config.h"
#include "store/rollup.h"
#include "store/store.h"
#include "web/api_json.h"
#include "web/cached_body.h"
#include "web/routes.h"
#include "web_history.h"

namespace mw = modelwatch;
namespace store = modelwatch::store;

namespace {

// monitor-1 has light checks (full_every); the others are plain http.
std::string ConfigYaml(int monitors) {
  std::string y =
      "monitors:\n  - {name: monitor-1, kind: openai_images, base_url: \"http://127.0.0.1:9/v1\", "
      "api_key: sk-bench, model: gpt-image-1, prompt: bench, full_every: 10, labels: {provider: "
      "p1}}\n";
  for (int i = 2; i <= monitors; ++i) {
    y += "  - name: monitor-" + std::to_string(i) +
         "\n    kind: http\n    url: http://127.0.0.1:9/\n    labels: {provider: p" +
         std::to_string(i % 10) + "}\n";
  }
  return y;
}

double Percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * v.size()))];
}

void Time(mw::web::Routes& routes, const char* label, const std::string& path, int runs,
          const std::string& accept_encoding = "") {
  mw::web::Request req;
  req.method = "GET";
  req.accept_encoding = accept_encoding;
  size_t q = path.find('?');
  req.path = path.substr(0, q);
  if (q != std::string::npos) {
    std::string kv = path.substr(q + 1);
    size_t eq = kv.find('=');
    req.query[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  std::vector<double> ms;
  size_t bytes = 0;
  for (int i = 0; i < runs; ++i) {
    auto t0 = std::chrono::steady_clock::now();
    mw::web::Response r = routes.Handle(req);
    auto t1 = std::chrono::steady_clock::now();
    if (r.status != 200) {
      std::fprintf(stderr, "%s: status %d\n", path.c_str(), r.status);
      std::exit(1);
    }
    bytes = r.body.size();
    ms.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
  }
  std::printf("%-34s p50 %7.2f ms  p99 %7.2f ms  %8.1f KB\n", label, Percentile(ms, 0.5),
              Percentile(ms, 0.99), bytes / 1024.0);
}

}  // namespace

int main(int argc, char** argv) {
  int monitors = 1000;
  int runs = 50;
  std::string dir = std::filesystem::temp_directory_path().string();
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--monitors")) monitors = std::atoi(argv[i + 1]);
    if (!std::strcmp(argv[i], "--runs")) runs = std::atoi(argv[i + 1]);
    if (!std::strcmp(argv[i], "--dir")) dir = argv[i + 1];
  }
  std::string path = dir + "/bench_web_" + std::to_string(getpid()) + ".db";
  mw::SystemClock clock;
  mw::WallTime now = clock.WallNow();
  store::Options o;
  o.sqlite_path = path;
  o.prune = false;
  {
    auto s = store::Open(o);
    if (!s) {
      std::fprintf(stderr, "%s\n", s.error().message().c_str());
      return 1;
    }
  }
  mw::bench::Generate(path, monitors, now);
  {
    // monitor-1's light checks: one a minute, 30 s after each full one.
    auto w = store::Open(o);
    if (!w) {
      std::fprintf(stderr, "%s\n", w.error().message().c_str());
      return 1;
    }
    std::mt19937 rng(11);
    int64_t now_ms = mw::ToUnixMillis(now);
    for (int64_t ts = now_ms - 30LL * 86'400'000 + 30'000; ts <= now_ms; ts += 60'000) {
      mw::CheckResult c;
      c.monitor = "monitor-1";
      c.mode = mw::CheckMode::kLight;
      c.status = rng() % 100 == 0 ? mw::CheckStatus::kNetworkError : mw::CheckStatus::kSuccess;
      c.latency = std::chrono::milliseconds(150 + rng() % 200);
      c.timestamp = mw::FromUnixMillis(ts);
      (*w)->Append(std::move(c));
    }
    if (mw::Status st = (*w)->Flush(); !st.ok()) {
      std::fprintf(stderr, "%s\n", st.message().c_str());
      return 1;
    }
  }
  auto cfg = mw::config::LoadFromString(ConfigYaml(monitors), "bench.yaml");
  if (!cfg) {
    std::fprintf(stderr, "%s\n", cfg.error().message().c_str());
    return 1;
  }
  auto s = store::Open(o);
  if (!s) {
    std::fprintf(stderr, "%s\n", s.error().message().c_str());
    return 1;
  }
  std::printf("%d monitors x 30 days of rollups (%.0f MB)\n", monitors,
              std::filesystem::file_size(path) / 1e6);
  {
    // A fresh Routes per run: its first request pays the cache refresh.
    std::vector<double> refresh;
    for (int i = 0; i < 3; ++i) {
      mw::web::Routes cold(*cfg, **s, nullptr, nullptr, clock);
      mw::web::Request req;
      req.method = "GET";
      req.path = "/api/v1/monitors";
      auto t0 = std::chrono::steady_clock::now();
      cold.Handle(req);
      auto t1 = std::chrono::steady_clock::now();
      refresh.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
    }
    std::printf("%-34s p50 %7.2f ms  (once per 5 s, shared by all requests)\n", "cache refresh",
                Percentile(refresh, 0.5));
  }
  mw::web::Routes routes(*cfg, **s, nullptr, nullptr, clock);
  // The cache lives 5 s; warm it, then each timing run stays inside it.
  mw::web::Request warm;
  warm.method = "GET";
  warm.path = "/healthz";
  warm.path = "/api/v1/monitors";
  routes.Handle(warm);
  Time(routes, "overview /", "/", runs);
  // Its body is built by the first request of a generation (timed below).
  mw::web::Request dash;
  dash.method = "GET";
  dash.path = "/api/v1/dashboard";
  routes.Handle(dash);
  Time(routes, "/api/v1/dashboard", "/api/v1/dashboard", runs / 2);
  Time(routes, "/api/v1/dashboard, gzip", "/api/v1/dashboard", runs / 2, "gzip");
  {
    // What each new generation of the figures (every 5 s) costs once: the
    // JSON serialized, then gzipped.
    mw::web::DataCache cache(*cfg, **s, nullptr, clock, std::chrono::hours(1));
    auto data = cache.Get();
    std::vector<double> build, gzip;
    size_t plain = 0, packed = 0;
    for (int i = 0; i < 5; ++i) {
      auto t0 = std::chrono::steady_clock::now();
      std::string body = mw::web::DashboardJson(*data, nullptr);
      auto t1 = std::chrono::steady_clock::now();
      std::string z = mw::web::Gzip(body);
      auto t2 = std::chrono::steady_clock::now();
      build.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
      gzip.push_back(std::chrono::duration<double, std::milli>(t2 - t1).count());
      plain = body.size();
      packed = z.size();
    }
    std::printf("%-34s p50 %7.2f ms  %8.1f KB  (once per generation)\n", "dashboard JSON build",
                Percentile(build, 0.5), plain / 1024.0);
    std::printf("%-34s p50 %7.2f ms  %8.1f KB  (once per generation)\n", "dashboard gzip",
                Percentile(gzip, 0.5), packed / 1024.0);
  }
  routes.Handle(warm);
  Time(routes, "monitor page, 30-day chart", "/monitor/monitor-7?range=30d", runs);
  // The first view of a generation reads the raw light rows (one scan of
  // 7 days); the others reuse the counts: time both.
  {
    mw::web::Request light;
    light.method = "GET";
    light.path = "/monitor/monitor-1";
    light.query["range"] = "30d";
    std::vector<double> first;
    for (int i = 0; i < 5; ++i) {
      mw::web::Routes fresh(*cfg, **s, nullptr, nullptr, clock);
      fresh.Handle(warm);  // the figure cache, not the light counts
      auto t0 = std::chrono::steady_clock::now();
      mw::web::Response r = fresh.Handle(light);
      auto t1 = std::chrono::steady_clock::now();
      if (r.status != 200 || r.body.find("id=light") == std::string::npos) {
        std::fprintf(stderr, "light monitor page: status %d, no light table\n", r.status);
        return 1;
      }
      first.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
    }
    std::printf("%-34s p50 %7.2f ms  (first view of a generation: 7 days of raw rows read)\n",
                "light monitor page, counts read", Percentile(first, 0.5));
  }
  routes.Handle(warm);
  Time(routes, "light monitor page, 30-day chart", "/monitor/monitor-1?range=30d", runs);
  Time(routes, "/metrics", "/metrics", runs / 2);
  s->reset();
  std::filesystem::remove(path);
  std::filesystem::remove(path + "-wal");
  std::filesystem::remove(path + "-shm");
  return 0;
}
