#pragma once

// The `alerts:` section and a monitor's own alert keys (docs/alerts.md).
// Plain data; parsed by config/alerts.cpp, used by src/alert/.

#include <array>
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "config/alerts_templates.h"
#include "config/mark.h"
#include "core/check_status.h"
#include "core/notification.h"

namespace modelwatch::config {

// failure_rate: fires when more than `above` percent of the countable checks
// (rate_limited excluded) in the last `window` failed, given at least
// `min_checks` of them.
struct FailureRateRule {
  bool enabled = true;
  std::chrono::milliseconds window{30 * 60'000};
  double above = 50.0;  // percent
  int min_checks = 5;
  Mark mark;  // where it was written (empty file when defaulted)
};

// A rule on the store's window figures. `window` is one of store::kWindows
// (1h, 6h, 24h, 7d, 30d); its index there is `window_index`.
enum class WindowRuleKind { kLatencyP95, kErrorRate, kAvailability, kRateLimits };
inline constexpr int kWindowRuleCount = 4;
std::string_view ToString(WindowRuleKind k);  // "latency_p95", "error_rate", ...

struct WindowRule {
  bool enabled = true;
  int window_index = 0;  // 0: 1h, 2: 24h
  // The bound; nullopt: the monitor's thresholds (latency_alert,
  // error_rate_alert, availability_alert, rate_limits_per_hour_alert).
  // Latency in milliseconds, rates in percent, rate limits per hour.
  std::optional<double> bound;
  // Fewer countable checks in the window: no verdict. nullopt: enough for
  // one failure alone not to cross the bound (alert::MinChecks).
  std::optional<int> min_checks;
  AlertLevel level = AlertLevel::kCritical;
  Mark mark;
};

// Nagios-style flap detection over the last `window` checks.
struct FlappingRule {
  bool enabled = true;
  int window = 21;
  double above = 30.0;  // percent of weighted state changes: starts flapping
  double below = 20.0;  // ... ends it
  Mark mark;
};

// Every rule key, as resolved for one monitor (alerts: then monitor overrides).
struct AlertRules {
  int consecutive_failures = 3;  // 0: off
  int resolve_after = 2;
  std::chrono::milliseconds cooldown{30 * 60'000};
  FailureRateRule failure_rate;
  std::array<WindowRule, kWindowRuleCount> windows;  // in WindowRuleKind order
  FlappingRule flapping;
  Mark consecutive_failures_mark;

  AlertRules();
  const WindowRule& window(WindowRuleKind k) const { return windows[static_cast<int>(k)]; }
};

// A maintenance window: alerts are recorded, not sent, while it is open.
struct Maintenance {
  enum class Every { kOnce, kDaily, kDays };
  Every every = Every::kOnce;
  std::array<bool, 7> days{};  // kDays: by weekday, 0 = Monday
  int hour = 0;
  int minute = 0;
  // kOnce (and weekly): the date written with `start`.
  std::optional<std::array<int, 3>> date;  // year, month, day
  // An offset written with an ISO 8601 start ("+08:00", "Z"); then the
  // start is that instant and `timezone` only matters for daily/days.
  std::optional<int> utc_offset_minutes;
  std::chrono::milliseconds duration{0};
  std::string timezone = "UTC";  // a name under /usr/share/zoneinfo
  std::string text;              // as written, for messages
  Mark mark;
};

struct AlertLevelRoute {
  std::vector<CheckStatus> triggers;
  std::vector<std::string> channels;  // names of `channels` entries, or "log"
  std::vector<Mark> channel_marks;    // where each channel name is written
  Mark mark;
};

// A channel name used by a level, for the integrator's check against
// `channels:` ("log" needs no entry).
struct ChannelUse {
  AlertLevel level;
  std::string channel;
  Mark mark;
};

struct Alerts {
  AlertRules rules;
  std::chrono::milliseconds group_wait{30'000};
  std::array<AlertLevelRoute, 3> levels;  // by AlertLevel
  std::string group_by = "provider";      // a label name
  std::string language = "en";            // "en" | "zh"
  std::vector<Maintenance> maintenance;
  std::vector<std::string> canaries;
  std::string dashboard_url;
  Templates templates;  // alerts.templates (config/alerts_templates.h)
  Mark mark;

  Alerts();  // the default levels (DESIGN.md), each routed to "log"
  const AlertLevelRoute& level(AlertLevel l) const { return levels[static_cast<int>(l)]; }
  // The level whose triggers hold `s`; critical when none does.
  AlertLevel LevelOf(CheckStatus s) const;
  // Every channel name the levels use, in file order.
  std::vector<ChannelUse> ChannelUses() const;
};

// A monitor's own keys.
struct MonitorAlerts {
  AlertRules rules;  // alerts.rules with the monitor's `alerts:` overrides
  std::vector<Maintenance> maintenance;
  std::string depends_on;  // a monitor's name, or empty
  Mark depends_on_mark;
  std::vector<std::string> status_pages;
};

}  // namespace modelwatch::config
