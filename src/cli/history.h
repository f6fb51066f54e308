#pragma once

#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "config/config.h"
#include "store/store.h"
#include "store/windows.h"

namespace modelwatch::cli {

// What the commands that read history (stats, report, export) share: the
// -c/--config and --monitor flags, the config, and its store opened for
// reading.
class History {
 public:
  // Adds -c/--config and --monitor to `app`, which must not outlive this.
  History(CLI::App& app, const char* monitor_help);

  // After the flags are parsed: loads the config and opens its store. On
  // failure prints why to stderr and returns the exit code (2 for a bad
  // config or a --monitor that names no configured or stored monitor, with
  // did-you-mean; 1 for a store that cannot be read, monitor list included).
  std::optional<int> Open();

  // After Open():
  store::Store& store() { return *store_; }
  // The monitors asked for with --monitor (empty: all).
  const std::vector<std::string>& asked() const { return asked_; }
  // The monitors to cover: those asked for, else the configured ones, then
  // stored ones no longer configured.
  std::vector<std::string> Monitors();
  store::ThresholdsFor Thresholds() const;
  const config::Config& config() const { return *cfg_; }

 private:
  std::string config_path_ = "modelwatch.yaml";
  std::vector<std::string> asked_;
  std::optional<config::Config> cfg_;
  store::StorePtr store_;
  std::vector<std::string> names_;  // Monitors(), read by Open
};

}  // namespace modelwatch::cli
