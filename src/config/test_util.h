#pragma once

// Helpers shared by the config tests (header-only: not part of mw_config).

#include <sstream>
#include <string>
#include <vector>

#include "config/config.h"

namespace modelwatch::config::testing {

// The problems LoadFromString reports for `yaml` (as file "cfg.yaml"), one
// per element; empty when it loads.
inline std::vector<std::string> Problems(const std::string& yaml) {
  Result<Config> cfg = LoadFromString(yaml, "cfg.yaml");
  std::vector<std::string> out;
  if (cfg) {
    return out;
  }
  std::istringstream in(cfg.error().message());
  for (std::string line; std::getline(in, line);) {
    out.push_back(line);
  }
  return out;
}

}  // namespace modelwatch::config::testing
