#pragma once

// The alert engine (src/alert/). The wiring in engine/instance.* calls
// these; docs/alerts.md tells the semantics.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "alert/state.h"
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
  store::AlertChange OnWindows(const std::vector<store::MonitorWindows>& windows, States& states,
                               WallTime now);

  // Time passed: groups whose group_wait ended, repeats whose cooldown
  // passed, maintenance windows that began or ended.
  store::AlertChange Tick(States& states, WallTime now);
  // When Tick next has something to do; nullopt when nothing is pending.
  std::optional<WallTime> NextTick() const;

  // The silences currently in the store (re-read every few seconds).
  void SetSilences(std::vector<store::Silence> silences);

  // One answer (ok) or failure of the canary `url` (one of alerts.canaries).
  // When every canary's last answer failed, the host lost its network: one
  // kHostNetwork notice goes out, alerts are held (recorded, not sent) and
  // failing results are not counted; when one answers again, kHostNetworkOk,
  // and the alerts held meanwhile are dropped (fresh results decide again).
  // The host's part of the state is kept in states[kHostState] ("@host").
  store::AlertChange OnCanary(const std::string& url, bool ok, States& states, WallTime now);
  // Whether every canary fails now: the wiring may mark results as the
  // host's fault meanwhile.
  bool HostNetworkDown() const { return host_.down; }

  std::vector<FiringAlert> Firing() const;

 private:
  struct Batch;
  enum class Rule { kResult, kWindow, kOther };

  const config::Monitor* Find(const std::string& name) const;
  std::string_view Language() const { return cfg_.alerts.language; }
  bool Suppressed(const std::string& monitor, const std::string& rule, Rule kind,
                  WallTime now) const;
  std::optional<WallTime> SuppressedUntil(const std::string& monitor, const std::string& rule,
                                          WallTime now) const;
  bool ResultFiring(const MonitorAlertState& s) const;
  bool ParentFailing(const config::Monitor& m) const;
  void Record(Batch& b, const std::string& monitor, const std::string& rule, AlertLevel level,
              AlertEventKind kind, WallTime at, const std::string& message, bool silenced);
  void Fire(Batch& b, const config::Monitor& m, const std::string& rule, Rule kind,
            AlertLevel level, std::optional<CheckStatus> status, std::string summary, WallTime now);
  void Resolve(Batch& b, const config::Monitor& m, const std::string& rule, Rule kind,
               WallTime now);
  void UpdateFlapping(Batch& b, const config::Monitor& m, WallTime now);
  void Dispatch(Batch& b, WallTime now);
  void FlushGroup(Batch& b, const std::string& group,
                  const std::vector<std::pair<std::string, std::string>>& members, WallTime now);
  AlertItem Item(const config::Monitor& m, const std::string& rule, const RuleState& rs,
                 AlertEventKind event) const;
  void Emit(Batch& b, const std::string& group, AlertLevel level, std::vector<AlertItem> items,
            const std::vector<std::string>& notice_ids, WallTime now);
  store::AlertChange Finish(Batch& b, States& states);

  const config::Config& cfg_;
  std::map<std::string, const config::Monitor*> monitors_;
  std::map<std::string, MonitorAlertState> st_;
  std::map<std::string, store::MonitorWindows> windows_;  // the latest OnWindows figures
  std::vector<store::Silence> silences_;
  HostState host_;
  WallTime last_now_{};
};

}  // namespace modelwatch::alert
