#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/check_status.h"
#include "core/clock.h"
#include "core/notification.h"
#include "core/status.h"

namespace modelwatch::alert {

// The life of one alert (monitor + rule). Kept in MonitorState::extra.
//
//   quiet --fire--> firing --resolve--> quiet
// A fire or resolve that is to be told waits in `pending` until its group is
// sent (group_wait); `announced` says a firing notice went out (or was folded
// into the parent's), so later notices (repeat, resolved) are worth sending.
struct RuleState {
  bool firing = false;
  WallTime since{};  // when it fired
  int seq = 0;       // how many times it has fired: part of every message key
  int repeats = 0;   // repeats sent in this firing
  bool announced = false;
  bool folded = false;  // told as part of the parent's alert (depends_on)
  std::optional<WallTime> last_sent;
  std::optional<AlertEventKind> pending;
  WallTime pending_at{};
  // What it fired on, for the messages.
  AlertLevel level = AlertLevel::kCritical;
  std::optional<CheckStatus> status;
  std::string summary;
  std::optional<std::chrono::milliseconds> down_for;  // set when resolved
};

// A run of failures a result rule (consecutive_failures, failure_rate) told:
// from the first failure it fired on to the last while it fired. The window
// rules leave these failures out, so an outage is told once, not again by
// error_rate or availability once it is over.
struct ToldSpan {
  WallTime first{};
  WallTime last{};
  int failures = 0;
};

// One monitor's part of the engine's state.
struct MonitorAlertState {
  // Streaks of the engine's own: rate_limited and results blamed on the host
  // count for neither.
  int fails = 0;
  int oks = 0;
  // Recent countable checks (start time, failed), for failure_rate.
  std::vector<std::pair<WallTime, bool>> recent;
  std::string history;  // flapping: 'u' / 'd', newest last
  bool flapping = false;
  // The last failure, for messages.
  std::optional<CheckStatus> last_failure;
  int http_status = 0;
  std::string error;                       // redacted by the probe
  std::string failing_phase;               // "dns", "connect", "tls" or empty (network_error)
  std::map<std::string, RuleState> rules;  // by rule name
  // When the current run of failures began (detection lead); unset while up.
  std::optional<WallTime> failing_since;
  // Official incidents already followed up, as "SEQ/SOURCE/ID" (SEQ: the
  // firing rule's seq), so one incident gets one follow-up per firing.
  std::vector<std::string> incidents;
  // Model lifecycle: model -> LifecycleWarning::Key() of the last warning sent.
  std::map<std::string, std::string> lifecycle;
  // Told outages, oldest first, kept as long as the longest window; the last
  // one grows while `told_open` (a result rule still fires).
  std::vector<ToldSpan> told;
  bool told_open = false;
};

// The host's connectivity, from the canaries; kept in the state of the
// pseudo-monitor kHostState.
struct HostState {
  bool down = false;
  WallTime since{};
  int seq = 0;
  std::map<std::string, bool> canaries;  // url -> last answer was ok
};
inline constexpr std::string_view kHostState = "@host";

// Whether the monthly budget is acting (Engine::OnBudget), kept in the
// pseudo-monitor kBudgetState so a restart does not announce it again.
struct BudgetState {
  bool constrained = false;
  WallTime since{};
  int seq = 0;
};
inline constexpr std::string_view kBudgetState = "@budget";

std::string ToJson(const MonitorAlertState& s);
// An empty text gives the empty state.
Result<MonitorAlertState> MonitorAlertStateFromJson(const std::string& text);
std::string ToJson(const HostState& s);
Result<HostState> HostStateFromJson(const std::string& text);
std::string ToJson(const BudgetState& s);
Result<BudgetState> BudgetStateFromJson(const std::string& text);

}  // namespace modelwatch::alert
