// The web server's pages and API over 1,000 monitors x 30 days of history
// (rollups generated as bench/store_query.cpp does), timed inside the
// server (web::Routes::Handle, no sockets): the overview page, the
// /api/v1/dashboard JSON, a monitor page with its 30-day chart, and a
// /metrics scrape; p50 / p99 and bytes. Also the cost of one cache refresh
// (every window, bar and total of every monitor), paid once every 5 s.
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
#include "web/routes.h"

namespace mw = modelwatch;
namespace store = modelwatch::store;

namespace {

void Check(int rc, sqlite3* db) {
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
    std::fprintf(stderr, "sqlite: %s\n", sqlite3_errmsg(db));
    std::exit(1);
  }
}

// Hour and day rollups for 30 days (each hour from 60 simulated checks) and
// minute rollups for the last 2 hours, written straight into the tables.
void Generate(const std::string& path, int monitors, mw::WallTime now) {
  sqlite3* db = nullptr;
  Check(sqlite3_open(path.c_str(), &db), db);
  Check(sqlite3_exec(db, "PRAGMA synchronous=OFF; BEGIN", nullptr, nullptr, nullptr), db);
  sqlite3_stmt* mon = nullptr;
  sqlite3_prepare_v2(db, "INSERT INTO monitors (id, name) VALUES (?1, ?2)", -1, &mon, nullptr);
  const char* tables[] = {"rollup_minute", "rollup_hour", "rollup_day"};
  sqlite3_stmt* ins[3];
  for (int i = 0; i < 3; ++i) {
    std::string sql = std::string("INSERT INTO ") + tables[i] +
                      " (monitor_id, start_ms, data) VALUES (?1, ?2, ?3)";
    sqlite3_prepare_v2(db, sql.c_str(), -1, &ins[i], nullptr);
  }
  auto put = [&](int level, int id, int64_t start, const store::Rollup& r) {
    std::string blob = store::EncodeRollup(r);
    sqlite3_reset(ins[level]);
    sqlite3_bind_int(ins[level], 1, id);
    sqlite3_bind_int64(ins[level], 2, start);
    sqlite3_bind_blob(ins[level], 3, blob.data(), static_cast<int>(blob.size()), SQLITE_TRANSIENT);
    Check(sqlite3_step(ins[level]), db);
  };
  std::mt19937 rng(7);
  int64_t now_ms = mw::ToUnixMillis(now);
  int64_t h0 = store::BucketStart(store::Resolution::kHour, now_ms);
  int64_t first_hour = h0 - 30LL * 24 * 3'600'000;
  for (int id = 1; id <= monitors; ++id) {
    std::string name = "monitor-" + std::to_string(id);
    sqlite3_reset(mon);
    sqlite3_bind_int(mon, 1, id);
    sqlite3_bind_text(mon, 2, name.c_str(), -1, SQLITE_TRANSIENT);
    Check(sqlite3_step(mon), db);
    store::Rollup day;
    int64_t day_start = store::BucketStart(store::Resolution::kDay, first_hour);
    for (int64_t h = first_hour; h <= h0; h += 3'600'000) {
      int64_t d = store::BucketStart(store::Resolution::kDay, h);
      if (d != day_start) {
        put(2, id, day_start, day);
        day = store::Rollup();
        day_start = d;
      }
      store::Rollup hour;
      for (int m = 0; m < 60; ++m) {
        int64_t ts = h + m * 60'000;
        if (ts > now_ms) {
          break;
        }
        mw::CheckResult c;
        uint32_t x = rng() % 1000;
        c.status = x < 5   ? mw::CheckStatus::kServerError
                   : x < 8 ? mw::CheckStatus::kRateLimited
                           : mw::CheckStatus::kSuccess;
        c.latency = std::chrono::milliseconds(4000 + rng() % 16000);
        c.timestamp = mw::FromUnixMillis(ts);
        hour.Add(c);
        if (ts >= h0 - 3'600'000) {
          store::Rollup minute;
          minute.Add(c);
          put(0, id, ts, minute);
        }
      }
      put(1, id, h, hour);
      day.Merge(hour);
    }
    put(2, id, day_start, day);
  }
  Check(sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr), db);
  sqlite3_finalize(mon);
  for (auto* s : ins) {
    sqlite3_finalize(s);
  }
  sqlite3_close(db);
}

std::string ConfigYaml(int monitors) {
  std::string y = "monitors:\n";
  for (int i = 1; i <= monitors; ++i) {
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

void Time(mw::web::Routes& routes, const char* label, const std::string& path, int runs) {
  mw::web::Request req;
  req.method = "GET";
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
  Generate(path, monitors, now);
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
  Time(routes, "/api/v1/dashboard", "/api/v1/dashboard", runs / 2);
  routes.Handle(warm);
  Time(routes, "monitor page, 30-day chart", "/monitor/monitor-7?range=30d", runs);
  Time(routes, "/metrics", "/metrics", runs / 2);
  s->reset();
  std::filesystem::remove(path);
  std::filesystem::remove(path + "-wal");
  std::filesystem::remove(path + "-shm");
  return 0;
}
