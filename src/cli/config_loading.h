#pragma once

#include <optional>
#include <string>
#include <vector>

#include "config/config.h"

namespace modelwatch::cli {

// Loads `path`; on failure prints every problem to stderr (one per line,
// FILE:LINE:COL: message) and returns nullopt. Commands exit 2 then.
// Warnings are printed too; with `strict` (--strict) any warning is a
// failure.
std::optional<config::Config> LoadConfigOrExplain(const std::string& path, bool strict = false);

// The line that ends a --strict run refused for its warnings.
std::string StrictRefusal(size_t warnings);

// The monitors named (all when `names` is empty), in config order. Unknown
// names are printed to stderr and left out.
std::vector<const config::Monitor*> SelectMonitors(const config::Config& cfg,
                                                   const std::vector<std::string>& names);

// `FILE: no monitor named "nan" (did you mean "nano"?)`: the text for a name
// that matches none of `known`.
std::string NoMonitorNamed(const std::string& config_path, const std::string& name,
                           const std::vector<std::string>& known);

}  // namespace modelwatch::cli
