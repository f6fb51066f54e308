#include "cli/history.h"

#include <algorithm>
#include <cstdio>

#include "cli/config_loading.h"
#include "cli/store_options.h"

namespace modelwatch::cli {

History::History(CLI::App& app, const char* monitor_help) {
  app.add_option("-c,--config", config_path_, "config file");
  app.add_option("--monitor", asked_, monitor_help);
}

std::optional<int> History::Open() {
  // A monitor named twice is covered once.
  std::vector<std::string> unique;
  for (std::string& name : asked_) {
    if (std::find(unique.begin(), unique.end(), name) == unique.end()) {
      unique.push_back(std::move(name));
    }
  }
  asked_ = std::move(unique);
  cfg_ = LoadConfigOrExplain(config_path_);
  if (!cfg_) {
    return 2;
  }
  store_ = OpenStoreForReading(*cfg_);
  if (!store_) {
    return 1;
  }
  // Every monitor there is: the configured ones, then those only stored.
  auto all = MonitorNames(*cfg_, *store_, {});
  if (!all) {
    std::fprintf(stderr, "modelwatch: %s\n", all.error().message().c_str());
    return 1;
  }
  // A --monitor that matches nothing is a typo, not an empty history.
  bool unknown = false;
  for (const std::string& name : asked_) {
    if (std::find(all->begin(), all->end(), name) == all->end()) {
      std::fprintf(stderr, "%s\n", NoMonitorNamed(cfg_->path, name, *all).c_str());
      unknown = true;
    }
  }
  if (unknown) {
    return 2;
  }
  names_ = asked_.empty() ? std::move(all).value() : asked_;
  return std::nullopt;
}

std::vector<std::string> History::Monitors() { return names_; }

store::ThresholdsFor History::Thresholds() const { return ThresholdsOf(*cfg_); }

}  // namespace modelwatch::cli
