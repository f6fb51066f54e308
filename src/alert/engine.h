#pragma once

// CONTRACT SKETCH for the alert engine (src/alert/). The wiring in
// engine/instance.* calls exactly these; the implementation may add to them.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "config/config.h"
#include "core/check_result.h"
#include "core/clock.h"
#include "core/notification.h"
#include "store/store.h"
#include "store/windows.h"

namespace modelwatch::alert {

// The Recorder's per-monitor states, keyed by monitor name. The engine keeps
// its own part of a state (firing alerts, cooldowns, flapping history, group
// membership) as JSON in MonitorState::extra and sets last_alert /
// last_resolved; it never touches the streak fields the Recorder keeps.
using States = std::map<std::string, store::MonitorState>;

// A firing alert, for the dashboard and the API.
struct FiringAlert {
  std::string monitor;
  std::string rule;
  AlertLevel level = AlertLevel::kCritical;
  WallTime since{};
  std::string summary;
  bool silenced = false;
};

// Decides when alerts fire, repeat and resolve, groups them, and turns them
// into outbox messages (one per channel of the alert's level). Pure: no I/O,
// no clock (every call gets `now`), so every rule is tested with plain data.
//
// Loop thread only (one caller at a time). `cfg` must outlive the engine.
class Engine {
 public:
  // `states` are the states restored from the store: alerts that were firing
  // go on firing, messages already committed are not made again.
  Engine(const config::Config& cfg, const States& states);

  // One finished check; `states[r.monitor]` already holds the Recorder's
  // update for it. Returns what to write in one transaction: the states the
  // engine changed (copied whole from `states`), history events and outbox
  // messages due now.
  store::AlertChange OnResult(const CheckResult& r, States& states, WallTime now);

  // Window figures recomputed from the store (about once a minute), for the
  // window rules (latency p95, error rate, availability, rate limits/hour).
  store::AlertChange OnWindows(const std::vector<store::MonitorWindows>& windows,
                               States& states, WallTime now);

  // Time passed: groups whose group_wait ended, repeats whose cooldown
  // passed, maintenance windows that began or ended.
  store::AlertChange Tick(States& states, WallTime now);
  // When Tick next has something to do; nullopt when nothing is pending.
  std::optional<WallTime> NextTick() const;

  // The silences currently in the store (re-read every few seconds).
  void SetSilences(std::vector<store::Silence> silences);

  std::vector<FiringAlert> Firing() const;
};

}  // namespace modelwatch::alert
