#pragma once

#include <map>
#include <span>
#include <string>
#include <string_view>

#include "config/diagnostics.h"
#include "config/node.h"
#include "notify/channel.h"

namespace modelwatch::notify {

struct ChannelKind {
  std::string_view kind;
  ChannelFactory make;
};

// Every channel kind, in the order docs/channels.md lists them.
std::span<const ChannelKind> ChannelKinds();

// The factory of `kind`, or nullptr.
ChannelFactory FindChannelFactory(std::string_view kind);

// The name of the built-in log channel; no config entry may take it.
inline constexpr std::string_view kLogChannelName = "log";

// Builds every channel of the config's `channels:` section, a map of
// name -> {kind: ..., <the kind's keys>}. Every problem (not a map, missing
// or unknown kind with a suggestion, unknown keys, missing url, the reserved
// name "log", a channel's own checks) is added to `diag` with FILE:LINE:COL;
// the map then holds only the channels that built. A kNull section (absent)
// gives an empty map. Secrets come already interpolated (${VAR}).
std::map<std::string, ChannelPtr> BuildChannels(const config::Node& channels_section,
                                                config::Diagnostics& diag);

}  // namespace modelwatch::notify
