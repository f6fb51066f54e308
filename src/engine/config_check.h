#pragma once

#include <map>
#include <string>
#include <vector>

#include "config/config.h"
#include "core/status.h"
#include "notify/channel.h"

namespace modelwatch::engine {

// What a loaded config needs beyond its own sections: the channels built
// from `channels:` (a channel kind knows its keys), every channel name the
// alert levels use checked against them, and the warnings `validate` and
// `run` print (alert rules that can never fire at their monitor's interval,
// sections this version does not implement).
struct CheckedConfig {
  std::map<std::string, notify::ChannelPtr> channels;
  std::vector<std::string> warnings;  // "FILE:LINE:COL: warning: ..."
};

// Errors as in config::Load: one "FILE:LINE:COL: message" per line.
Result<CheckedConfig> CheckConfig(const config::Config& cfg);

}  // namespace modelwatch::engine
