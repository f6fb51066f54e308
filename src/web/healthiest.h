#pragma once

#include <string>
#include <vector>

#include "web/data.h"

namespace modelwatch::web {

struct Ranked {
  const MonitorView* monitor = nullptr;
  int rank = 0;                        // 1 is healthiest
  std::string state;                   // "up", "unknown", "rate_limited", "down"
  std::optional<double> availability;  // the 1h window's, else 24h's
  std::string availability_window;     // "1h" or "24h"
  std::optional<double> p95_ms;
  std::string reason;  // one line: why it is placed there
};

// Ranks `monitors` by health right now: current status (up, then unknown or
// rate limited, then down), then recent availability (1h, or 24h when the
// last hour has no checks), then p95 latency over the same window; ties keep
// the given order. `live` may be null.
std::vector<Ranked> RankHealthiest(const std::vector<const MonitorView*>& monitors,
                                   const LiveSnapshot* live);

// The monitors of `data` selected by "LABEL:VALUE" (`group`) or by a comma
// list of names (`names`); `error` explains an unusable selection.
std::vector<const MonitorView*> SelectMonitors(const DashboardData& data, const std::string& group,
                                               const std::string& names, std::string* error);

}  // namespace modelwatch::web
