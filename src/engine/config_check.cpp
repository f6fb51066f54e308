#include "engine/config_check.h"

#include <fmt/format.h>

#include <string_view>

#include "alert/warnings.h"
#include "config/diagnostics.h"
#include "config/retired.h"
#include "config/suggest.h"
#include "core/check_result.h"
#include "core/clock.h"
#include "core/duration.h"
#include "notify/registry.h"

namespace modelwatch::engine {

Result<CheckedConfig> CheckConfig(const config::Config& cfg) {
  config::Diagnostics diag;
  CheckedConfig out;
  out.channels = notify::BuildChannels(cfg.channels, diag);
  std::vector<std::string_view> names = {notify::kLogChannelName};
  for (const auto& [name, channel] : out.channels) {
    names.push_back(name);
  }
  for (const config::ChannelUse& use : cfg.alerts.ChannelUses()) {
    if (use.channel == notify::kLogChannelName || out.channels.contains(use.channel)) {
      continue;
    }
    // A channel that failed to build was reported already.
    if (const config::Node* entry = cfg.channels.Find(use.channel); entry != nullptr) {
      continue;
    }
    diag.Add(use.mark,
             fmt::format("alerts: levels: {}: channel \"{}\" is not defined in `channels:`{}",
                         ToString(use.level), use.channel, config::DidYouMean(use.channel, names)));
  }
  if (!diag.empty()) {
    return Status::InvalidArgument(diag.ToString());
  }
  out.warnings = alert::AlertWarnings(cfg);
  const std::string today = FormatIso8601(SystemClock().WallNow()).substr(0, 10);
  for (const config::Monitor& m : cfg.monitors) {
    if (auto retired = config::KnownShutdown(m.model); retired && m.kind != "http") {
      const bool past = retired->shutdown <= today;
      out.warnings.push_back(fmt::format(
          "{}: warning: monitor \"{}\": model {} {} on {} ({}): move it to {}", m.mark.ToString(),
          m.name, m.model, past ? "was shut down" : "shuts down", retired->shutdown,
          retired->source, retired->replacement));
    }
    if (m.timeout_shrunk_from) {
      out.warnings.push_back(fmt::format(
          "{}: warning: monitor \"{}\": the inherited timeout {} is longer than its {} interval, "
          "so checks time out after {}; set `timeout:` on the monitor to choose",
          m.mark.ToString(), m.name, FormatDuration(*m.timeout_shrunk_from),
          FormatDuration(m.interval), FormatDuration(m.timeout)));
    }
  }
  return out;
}

}  // namespace modelwatch::engine
