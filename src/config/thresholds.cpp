#include <fmt/format.h>

#include <array>
#include <string_view>

#include "config/fields.h"
#include "config/sections.h"
#include "core/duration.h"

namespace modelwatch::config {

namespace {

constexpr std::array<std::string_view, 8> kKeys = {
    "availability_warning",
    "availability_alert",
    "latency_warning",
    "latency_alert",
    "error_rate_warning",
    "error_rate_alert",
    "rate_limits_per_hour_warning",
    "rate_limits_per_hour_alert",
};

// Reports `message` at the alert key (else the warning key) when `bad`, if
// either is written in this map: otherwise the inherited pair was checked
// where it was written.
void CheckOrder(const Scope& scope, const Node& map, std::string_view warning_key,
                std::string_view alert_key, bool bad, const std::string& message) {
  const Node* alert = map.Find(alert_key);
  const Node* at = alert != nullptr ? alert : map.Find(warning_key);
  if (bad && at != nullptr) {
    scope.Error(at->mark, message);
  }
}

}  // namespace

Thresholds ParseThresholds(const Scope& parent, const Node& entry, const Thresholds& base) {
  Scope scope = parent.Child(entry.key);
  Thresholds t = base;
  if (!ExpectMap(parent, entry)) {
    return t;
  }
  CheckKeys(scope, entry, kKeys);
  using std::chrono::milliseconds;
  auto percent = [&](std::string_view key, double& out) {
    if (const Node* n = entry.Find(key)) {
      out = ReadNumber(scope, *n, 0, 100, true).value_or(out);
    }
  };
  auto duration = [&](std::string_view key, milliseconds& out) {
    if (const Node* n = entry.Find(key)) {
      out = ReadDuration(scope, *n, milliseconds(1)).value_or(out);
    }
  };
  auto count = [&](std::string_view key, double& out) {
    if (const Node* n = entry.Find(key)) {
      out = ReadNumber(scope, *n, 0, 1e9, false).value_or(out);
    }
  };
  percent("availability_warning", t.availability_warning);
  percent("availability_alert", t.availability_alert);
  duration("latency_warning", t.latency_warning);
  duration("latency_alert", t.latency_alert);
  percent("error_rate_warning", t.error_rate_warning);
  percent("error_rate_alert", t.error_rate_alert);
  count("rate_limits_per_hour_warning", t.rate_limits_per_hour_warning);
  count("rate_limits_per_hour_alert", t.rate_limits_per_hour_alert);

  // An alert level milder than its warning level would alert before warning.
  CheckOrder(scope, entry, "availability_warning", "availability_alert",
             t.availability_alert > t.availability_warning,
             fmt::format("availability_alert ({}%) must not be above availability_warning ({}%)",
                         t.availability_alert, t.availability_warning));
  CheckOrder(scope, entry, "latency_warning", "latency_alert", t.latency_alert < t.latency_warning,
             fmt::format("latency_alert ({}) must not be below latency_warning ({})",
                         FormatDuration(t.latency_alert), FormatDuration(t.latency_warning)));
  CheckOrder(scope, entry, "error_rate_warning", "error_rate_alert",
             t.error_rate_alert < t.error_rate_warning,
             fmt::format("error_rate_alert ({}%) must not be below error_rate_warning ({}%)",
                         t.error_rate_alert, t.error_rate_warning));
  CheckOrder(scope, entry, "rate_limits_per_hour_warning", "rate_limits_per_hour_alert",
             t.rate_limits_per_hour_alert < t.rate_limits_per_hour_warning,
             fmt::format("rate_limits_per_hour_alert ({}) must not be below "
                         "rate_limits_per_hour_warning ({})",
                         t.rate_limits_per_hour_alert, t.rate_limits_per_hour_warning));
  return t;
}

}  // namespace modelwatch::config
