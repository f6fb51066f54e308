#pragma once

#include <optional>
#include <string>
#include <vector>

#include "config/config.h"

namespace modelwatch::cli {

// Loads `path`; on failure prints every problem to stderr (one per line,
// FILE:LINE:COL: message) and returns nullopt. Commands exit 2 then.
std::optional<config::Config> LoadConfigOrExplain(const std::string& path);

// The monitors named (all when `names` is empty), in config order. Unknown
// names are printed to stderr and left out.
std::vector<const config::Monitor*> SelectMonitors(const config::Config& cfg,
                                                   const std::vector<std::string>& names);

}  // namespace modelwatch::cli
