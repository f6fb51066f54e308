#include "store/windows.h"

#include <unordered_map>

namespace modelwatch::store {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::minutes;

constexpr int k1h = 0;
constexpr int k6h = 1;
constexpr int k24h = 2;
constexpr int k7d = 3;
constexpr int k30d = 4;

int64_t CeilDay(int64_t ms) {
  int64_t day = Length(Resolution::kDay).count();
  return BucketStart(Resolution::kDay, ms + day - 1);
}

}  // namespace

const std::array<milliseconds, kWindowCount> kWindows = {hours(1), hours(6), hours(24),
                                                         hours(24 * 7), hours(24 * 30)};

std::string_view WindowName(int i) {
  static constexpr std::string_view kNames[kWindowCount] = {"1h", "6h", "24h", "7d", "30d"};
  return kNames[i];
}

Result<std::vector<std::string>> MonitorsOrAll(Store& store,
                                               const std::vector<std::string>& monitors) {
  if (!monitors.empty()) {
    return monitors;
  }
  return store.Monitors();
}

Result<std::vector<MonitorWindows>> ComputeWindows(Store& store,
                                                   const std::vector<std::string>& monitors,
                                                   WallTime now, const ThresholdsFor& thresholds) {
  auto named = MonitorsOrAll(store, monitors);
  if (!named) {
    return named.error();
  }
  std::vector<std::string> names = std::move(*named);
  std::unordered_map<std::string, size_t> index;
  for (size_t i = 0; i < names.size(); ++i) {
    index.emplace(names[i], i);
  }
  std::vector<std::array<Rollup, kWindowCount>> acc(names.size());

  // Rows arrive grouped by monitor: remember the last lookup.
  const std::string* last_name = nullptr;
  size_t last_idx = 0;
  auto find = [&](const std::string& name) -> size_t {
    if (last_name == nullptr || *last_name != name) {
      auto it = index.find(name);
      last_idx = it == index.end() ? names.size() : it->second;
      last_name = it == index.end() ? nullptr : &it->first;
    }
    return last_idx;
  };

  int64_t now_ms = ToUnixMillis(now);
  int64_t m0 = BucketStart(Resolution::kMinute, now_ms);
  int64_t h0 = BucketStart(Resolution::kHour, now_ms);
  int64_t d0 = BucketStart(Resolution::kDay, now_ms);
  const int64_t hour = milliseconds(hours(1)).count();
  const int64_t day = milliseconds(hours(24)).count();
  int64_t s7 = h0 - 167 * hour;
  int64_t s30 = h0 - 719 * hour;
  int64_t s7_day = CeilDay(s7);
  int64_t s30_day = CeilDay(s30);

  struct Read {
    Resolution res;
    int64_t from;
    int64_t to;
    std::function<void(size_t, int64_t, const Rollup&)> add;
  };
  const Read reads[] = {
      {Resolution::kMinute, m0 - milliseconds(minutes(59)).count(), h0,
       [&](size_t i, int64_t, const Rollup& r) { acc[i][k1h].Merge(r); }},
      {Resolution::kHour, h0 - 23 * hour, h0 + hour,
       [&](size_t i, int64_t b, const Rollup& r) {
         acc[i][k24h].Merge(r);
         if (b >= h0 - 5 * hour) {
           acc[i][k6h].Merge(r);
         }
         if (b == h0) {
           acc[i][k1h].Merge(r);
         }
       }},
      {Resolution::kHour, s7, s7_day,
       [&](size_t i, int64_t, const Rollup& r) { acc[i][k7d].Merge(r); }},
      {Resolution::kHour, s30, s30_day,
       [&](size_t i, int64_t, const Rollup& r) { acc[i][k30d].Merge(r); }},
      {Resolution::kDay, s30_day, d0 + day,
       [&](size_t i, int64_t b, const Rollup& r) {
         acc[i][k30d].Merge(r);
         if (b >= s7_day) {
           acc[i][k7d].Merge(r);
         }
       }},
  };
  for (const Read& read : reads) {
    if (read.from >= read.to) {
      continue;
    }
    Status st =
        store.ScanRollups(read.res, names, FromUnixMillis(read.from), FromUnixMillis(read.to),
                          [&](const std::string& monitor, WallTime bucket, const Rollup& r) {
                            size_t i = find(monitor);
                            if (i < names.size()) {
                              read.add(i, ToUnixMillis(bucket), r);
                            }
                          });
    if (!st.ok()) {
      return st;
    }
  }

  std::vector<MonitorWindows> out(names.size());
  for (size_t i = 0; i < names.size(); ++i) {
    out[i].monitor = names[i];
    Thresholds t = thresholds ? thresholds(names[i]) : Thresholds{};
    for (int w = 0; w < kWindowCount; ++w) {
      out[i].windows[w] = ComputeStats(acc[i][w], kWindows[w], t);
    }
  }
  return out;
}

}  // namespace modelwatch::store
