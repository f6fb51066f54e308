#include "web/light.h"

#include <algorithm>

namespace modelwatch::web {

std::optional<double> LightCounts::reachable_percent() const {
  if (checks == 0) {
    return std::nullopt;
  }
  return 100.0 * static_cast<double>(reachable) / static_cast<double>(checks);
}

std::vector<std::string> LightMonitors(const config::Config& cfg,
                                       const std::vector<std::string>& names) {
  std::vector<std::string> out;
  for (const config::Monitor& m : cfg.monitors) {
    if (m.full_every > 1 &&
        (names.empty() || std::find(names.begin(), names.end(), m.name) != names.end())) {
      out.push_back(m.name);
    }
  }
  return out;
}

Result<std::map<std::string, LightWindows>> CountLightChecks(
    store::Store& store, const std::vector<std::string>& monitors, WallTime now, int windows) {
  std::map<std::string, LightWindows> out;
  windows = std::clamp(windows, 1, store::kWindowCount);
  std::vector<WallTime> since;
  for (int w = 0; w < windows; ++w) {
    since.push_back(now - store::kWindows[w]);
  }
  // [now - window, now]: until is exclusive.
  WallTime until = now + std::chrono::milliseconds(1);
  for (const std::string& m : monitors) {
    auto counted = store.CountResults(m, CheckMode::kLight, since, until);
    if (!counted) {
      return counted.error();
    }
    LightWindows& lw = out[m];
    for (size_t w = 0; w < counted->size() && w < lw.size(); ++w) {
      lw[w].checks = (*counted)[w].checks;
      lw[w].reachable = (*counted)[w].not_failed;
    }
  }
  return out;
}

Result<LightWindows> LightCache::Get(store::Store& store, const std::string& monitor,
                                     WallTime generation, int windows) {
  {
    std::lock_guard lock(mu_);
    auto it = entries_.find(monitor);
    if (it != entries_.end() && it->second.generation == generation &&
        it->second.windows >= windows) {
      return it->second.counts;
    }
  }
  auto counted = CountLightChecks(store, {monitor}, generation, windows);
  if (!counted) {
    return counted.error();
  }
  LightWindows counts = counted->at(monitor);
  std::lock_guard lock(mu_);
  Entry& e = entries_[monitor];
  if (e.generation != generation || e.windows < windows) {
    e = {generation, windows, counts};
  }
  return counts;
}

}  // namespace modelwatch::web
