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
  auto names = MonitorNames(*cfg_, *store_, asked_);
  if (!names) {
    std::fprintf(stderr, "modelwatch: %s\n", names.error().message().c_str());
    return 1;
  }
  names_ = std::move(names).value();
  return std::nullopt;
}

std::vector<std::string> History::Monitors() { return names_; }

store::ThresholdsFor History::Thresholds() const { return ThresholdsOf(*cfg_); }

}  // namespace modelwatch::cli
