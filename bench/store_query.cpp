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
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "store/report.h"
#include "store/store.h"
#include "store/windows.h"
#include "web_history.h"

namespace mw = modelwatch;
namespace store = modelwatch::store;
using std::chrono::hours;
using std::chrono::minutes;

namespace {

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
  mw::bench::Generate(path, monitors, now);
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
