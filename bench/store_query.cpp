// Query speed on a synthetic history of 1,000 monitors x 30 days at one
// check a minute (43.2 million results), in SQLite.
//
// Raw rows are not generated (at ~130k results/s that alone takes 6 minutes
// and ~3.5 GB); the rollups those results would produce are written directly:
// hour and day rollups for the 30 days, each hour built from 60 simulated
// checks, and minute rollups for the last 2 hours (no query reads older
// minutes). Then it times:
//   - all five windows (1h..30d) for all 1,000 monitors (ComputeWindows);
//   - one monitor's 30-day hourly report (BuildReport).
//
//   bench_store_query [--monitors N] [--runs R] [--dir DIR]
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "store/report.h"
#include "store/store.h"
#include "store/windows.h"

namespace mw = modelwatch;
namespace store = modelwatch::store;
using std::chrono::hours;
using std::chrono::minutes;

namespace {

void Check(int rc, sqlite3* db) {
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
    std::fprintf(stderr, "sqlite: %s\n", sqlite3_errmsg(db));
    std::exit(1);
  }
}

mw::CheckResult Check(std::mt19937& rng, mw::WallTime ts) {
  mw::CheckResult r;
  uint32_t x = rng() % 1000;
  r.status = x < 5   ? mw::CheckStatus::kServerError
             : x < 8 ? mw::CheckStatus::kRateLimited
                     : mw::CheckStatus::kSuccess;
  r.latency = std::chrono::milliseconds(4000 + rng() % 16000);
  r.timestamp = ts;
  return r;
}

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
        mw::CheckResult c = Check(rng, mw::FromUnixMillis(ts));
        hour.Add(c);
        if (ts >= h0 - 3'600'000) {  // minute rollups for the last two hours
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

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  int monitors = 1000;
  int runs = 15;
  std::string dir = std::filesystem::temp_directory_path().string();
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--monitors")) monitors = std::atoi(argv[i + 1]);
    if (!std::strcmp(argv[i], "--runs")) runs = std::atoi(argv[i + 1]);
    if (!std::strcmp(argv[i], "--dir")) dir = argv[i + 1];
  }
  std::string path = dir + "/bench_query_" + std::to_string(getpid()) + ".db";
  mw::WallTime now = mw::SystemClock().WallNow();
  store::Options o;
  o.sqlite_path = path;
  o.prune = false;
  {
    auto s = store::Open(o);  // creates the schema
    if (!s) {
      std::fprintf(stderr, "%s\n", s.error().message().c_str());
      return 1;
    }
  }
  auto g0 = std::chrono::steady_clock::now();
  Generate(path, monitors, now);
  auto g1 = std::chrono::steady_clock::now();
  std::printf("generated rollups of %d monitors x 30 days (%.1f M results) in %.1f s, %.0f MB\n",
              monitors, monitors * 30.0 * 1440 / 1e6,
              std::chrono::duration<double>(g1 - g0).count(),
              std::filesystem::file_size(path) / 1e6);

  auto s = store::Open(o);
  if (!s) {
    std::fprintf(stderr, "%s\n", s.error().message().c_str());
    return 1;
  }
  std::vector<double> windows_ms;
  uint64_t checks = 0;
  for (int i = 0; i < runs; ++i) {
    auto t0 = std::chrono::steady_clock::now();
    auto w = store::ComputeWindows(**s, {}, now, nullptr);
    auto t1 = std::chrono::steady_clock::now();
    if (!w || w->size() != static_cast<size_t>(monitors)) {
      std::fprintf(stderr, "windows failed\n");
      return 1;
    }
    checks = (*w)[0].windows[4].checks;
    windows_ms.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
  }
  std::printf(
      "all 5 windows x %d monitors: median %.1f ms (min %.1f, max %.1f; 30d checks of "
      "one monitor: %llu)\n",
      monitors, Median(windows_ms), *std::min_element(windows_ms.begin(), windows_ms.end()),
      *std::max_element(windows_ms.begin(), windows_ms.end()),
      static_cast<unsigned long long>(checks));

  std::vector<double> report_ms;
  size_t hours_in_report = 0;
  for (int i = 0; i < runs * 4; ++i) {
    std::string name = "monitor-" + std::to_string(1 + i % monitors);
    auto t0 = std::chrono::steady_clock::now();
    auto r = store::BuildReport(**s, {name}, now - hours(24 * 30), now, nullptr);
    auto t1 = std::chrono::steady_clock::now();
    if (!r) {
      std::fprintf(stderr, "report failed\n");
      return 1;
    }
    hours_in_report = r->monitors[0].hours.size();
    report_ms.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
  }
  std::printf("one monitor's 30-day hourly report (%zu hours): median %.2f ms (max %.2f)\n",
              hours_in_report, Median(report_ms),
              *std::max_element(report_ms.begin(), report_ms.end()));
  s->reset();
  std::filesystem::remove(path);
  std::filesystem::remove(path + "-wal");
  std::filesystem::remove(path + "-shm");
  return 0;
}
