#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/check_status.h"
#include "core/clock.h"
#include "core/status.h"

namespace modelwatch {

// How loud an alert is; levels route to channels (alerts.levels in config).
enum class AlertLevel { kInfo, kWarning, kCritical };
std::string_view ToString(AlertLevel l);  // "info", "warning", "critical"
std::optional<AlertLevel> ParseAlertLevel(std::string_view s);

// What happened to an alert, as told in a message and kept in its history.
enum class AlertEventKind {
  kFiring,      // first notice of an alert
  kRepeat,      // still firing, cooldown passed
  kResolved,    // back to normal; the notice says how long it was down
  kFlapping,    // one notice instead of a storm of fire/resolve pairs
  kStable,      // flapping ended
  kHostNetwork,    // every canary failed: this host lost its network
  kHostNetworkOk,  // canaries answer again
  kFollowUp,    // new evidence for a firing alert (e.g. an official incident opened)
  kTest,        // `modelwatch notify test`
  kBudget,      // the monthly budget slows monitors (or, action: warn, would be passed)
  kBudgetOk,    // back within the budget: configured intervals again
};
std::string_view ToString(AlertEventKind k);  // "firing", "repeat", "resolved", ...
std::optional<AlertEventKind> ParseAlertEventKind(std::string_view s);

// Figures of one window, as shown in a message ("1h: 3/12 failed, p95 41 s").
struct WindowFigures {
  std::string window;       // "1h", "24h"
  int64_t checks = 0;
  int64_t failures = 0;
  int64_t rate_limited = 0;
  std::optional<double> availability;  // percent; nullopt with no countable check
  std::optional<std::chrono::milliseconds> p95;
};

// One alert inside a message. Plain data; nothing here is a secret (errors
// were redacted when the CheckResult was made).
struct AlertItem {
  std::string monitor;
  std::string model;
  std::string provider;  // the monitor's provider label, or empty
  std::string rule;      // "consecutive_failures", "failure_rate", "latency_p95", ...
  AlertLevel level = AlertLevel::kCritical;
  AlertEventKind event = AlertEventKind::kFiring;
  std::optional<CheckStatus> status;  // the status that made it fire (last status)
  int http_status = 0;
  std::string error;         // the provider's error, redacted
  std::string summary;       // one line: "3 failures in a row (server_error)"
  int consecutive_failures = 0;
  WallTime since{};          // when the alert started firing
  std::optional<std::chrono::milliseconds> down_for;  // resolved notices
  std::vector<WindowFigures> figures;                 // 1h and 24h
  std::vector<std::string> status_pages;              // links from the monitor's config
  std::vector<std::string> actions;                   // suggested actions, in `language`
  std::string diagnosis;     // "provider incident confirmed: ..." when known; else empty
  std::vector<std::string> folded;  // children folded into this one (depends_on)
};

// One message to deliver to one channel: a group of alerts that fired
// together (group_wait), rendered by the channel. Stored in the outbox as
// JSON, so it must hold everything a channel needs except the channel's own
// secrets, which come from config when the message is sent.
struct Notification {
  std::string group;             // group key, e.g. "provider=google"
  AlertLevel level = AlertLevel::kCritical;  // the highest level of its items
  std::string language = "en";   // "en" or "zh"
  std::string title;             // one line, already in `language`
  WallTime created{};
  std::vector<AlertItem> items;
  std::string dashboard_url;     // link to the dashboard, or empty
  // A stable key for channels with their own deduplication (PagerDuty's
  // dedup_key, Alertmanager's labels): monitor + rule for one-item messages.
  std::string dedup_key;
  // Message templates by notice kind ("firing", "resolved", ...), from
  // alerts.templates and the channel's own `templates:` (docs/alerts.md):
  // an item whose kind has one is rendered from it. Empty: built-in text.
  std::map<std::string, std::string> templates;
};

nlohmann::json ToJson(const Notification& n);
Result<Notification> NotificationFromJson(std::string_view text);

}  // namespace modelwatch
