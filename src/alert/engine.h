#pragma once

// The alert engine (src/alert/). The wiring in engine/instance.* calls
// these; docs/alerts.md tells the semantics.

#include <algorithm>
#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "alert/state.h"
#include "config/config.h"
#include "core/check_result.h"
#include "core/clock.h"
#include "core/notification.h"
#include "source/source.h"
#include "store/store.h"
#include "store/windows.h"

namespace modelwatch::alert {

struct RateCount;

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

// What the engine knows of a monitor's failing alert when it asks for the
// alert's diagnosis.
struct FailureFacts {
  std::optional<CheckStatus> status;  // the status the alert fired on (latest failure)
  int http_status = 0;
  std::string error;                      // redacted
  std::string failing_phase;              // "dns", "connect", "tls" or empty (network_error)
  std::optional<WallTime> failing_since;  // when the current run of failures began
};

// Returns the diagnosis of `monitor`'s alert as one line in `language`
// ("en" / "zh"), or empty when there is none. Called on the loop thread
// while a message is built: it must be quick and must not call the engine.
using DiagnosisHook = std::function<std::string(
    const std::string& monitor, const FailureFacts& facts, std::string_view language)>;

// The rule names of the notices that are not alerts.
inline constexpr std::string_view kModelLifecycle = "model_lifecycle";
inline constexpr std::string_view kDetectionLead = "detection_lead";
inline constexpr std::string_view kBudgetRule = "budget";

// A change of the budget keeper's plan (engine/budget_keeper.h, docs/cost.md).
struct BudgetNotice {
  // The budget acts now: intervals stretched (action: stretch), or the
  // projection passes the budget (action: warn).
  bool constrained = false;
  bool stretch = true;                                        // action: stretch; false: warn
  double monthly = 0, spent = 0, projected = 0, planned = 0;  // USD
  std::string detail;  // the keeper's description of the change (English), or empty
};

// How long the wiring's tick timer waits: until `next` (Engine::NextTick),
// but at least 1 ms and at most `at_most` (also when nothing is pending), so a
// group goes out when its group_wait ends rather than on a coarse tick grid.
inline std::chrono::milliseconds UntilNextTick(std::optional<WallTime> next, WallTime now,
                                               std::chrono::milliseconds at_most) {
  if (!next) {
    return at_most;
  }
  auto wait = std::chrono::ceil<std::chrono::milliseconds>(*next - now);
  return std::clamp(wait, std::chrono::milliseconds(1), at_most);
}

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
  // O(monitors).
  std::optional<WallTime> NextTick() const;
  // At most NextTick, in O(1): lowered at once when a result opens a group
  // (or makes a notice due), so the wiring can move its tick timer earlier
  // after each call instead of finding out at its next tick. May be earlier
  // than NextTick (a Tick then does nothing and this is recomputed);
  // nullopt when nothing is pending.
  std::optional<WallTime> NextDue() const { return next_due_; }

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

  // The budget keeper changed its plan. When the budget starts (or stops)
  // acting, one level-warning notice, rule kBudgetRule, event kBudget (or
  // kBudgetOk), goes to the warning level's channels; every change is
  // recorded in the history (monitor ""), but a re-plan while the budget
  // already acts, or the same plan made again after a restart, is not sent
  // again. Held, not sent, in an `alerts.maintenance` window or a silence of
  // rule "budget". The state is kept in states[kBudgetState] ("@budget").
  store::AlertChange OnBudget(const BudgetNotice& notice, States& states, WallTime now);

  std::vector<FiringAlert> Firing() const;

  // Fills AlertItem::diagnosis of every firing, repeat and follow-up notice
  // from now on (docs/lifecycle.md). Empty: no diagnosis.
  void SetDiagnosisHook(DiagnosisHook hook) { diagnosis_ = std::move(hook); }

  // A poll of one of `monitor`'s sources (`source`, its config name) shows
  // `incident` active (no `ended`). When the monitor's own probes were
  // already failing, a kDetectionLead event records how many minutes before
  // `incident.started` they began to fail. When one of its result alerts
  // (consecutive_failures, failure_rate) is firing and was announced, that
  // alert gets one kFollowUp message (at its level, through its channels)
  // naming the incident, instead of a duplicate firing; an alert still in
  // group_wait carries the incident in its diagnosis instead. Each incident
  // is followed up once per firing; calling again with the same incident
  // (every poll) changes nothing.
  store::AlertChange OnOfficialIncident(const std::string& monitor, const std::string& source,
                                        const source::Incident& incident, States& states,
                                        WallTime now);

  // A poll of a models source listed `monitor`'s model as `listing`. A
  // lifecycle warning (alert/lifecycle.h: 30, 7, 1 day before a shutdown
  // date, or gone from the list) not yet sent for this model goes out as a
  // level-warning notice, rule kModelLifecycle, event kFiring (recorded in
  // the history; held, not sent, in maintenance or a silence). A model back
  // in its list may be warned of again when it goes.
  store::AlertChange OnModelLifecycle(const std::string& monitor,
                                      const source::ModelListing& listing, States& states,
                                      WallTime now);

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
  // Keeps s.told: opens a span when a result rule fires, grows it with each
  // failure while one fires (`count`: failure_rate's count of this result).
  void NoteTold(MonitorAlertState& s, const RateCount& count, std::chrono::milliseconds fr_window,
                WallTime at, bool failure);
  bool ParentFailing(const config::Monitor& m) const;
  void Record(Batch& b, const std::string& monitor, const std::string& rule, AlertLevel level,
              AlertEventKind kind, WallTime at, const std::string& message, bool silenced);
  void Fire(Batch& b, const config::Monitor& m, const std::string& rule, Rule kind,
            AlertLevel level, std::optional<CheckStatus> status, std::string summary, WallTime now);
  void Resolve(Batch& b, const config::Monitor& m, const std::string& rule, Rule kind,
               WallTime now);
  void UpdateFlapping(Batch& b, const config::Monitor& m, WallTime now);
  // Every monitor: wakes held and repeating alerts, flushes the groups whose
  // group_wait ended, and sets next_due_. O(monitors).
  void Dispatch(Batch& b, WallTime now);
  // After one result of `m`: what Dispatch would do, in O(m's rules) while
  // nothing of another monitor is due (now < next_due_), else Dispatch.
  // Only `m` changed, so only its notices can have become due: a due one
  // (group_wait 0) is alone in its group, since any other pending notice
  // would be due too and next_due_ would have passed.
  void DispatchOne(Batch& b, const config::Monitor& m, WallTime now);
  // Dispatch's first part for one monitor: held alerts no longer held and
  // repeats whose cooldown passed become pending.
  void Wake(Batch& b, const std::string& name, MonitorAlertState& s, const config::Monitor& m,
            WallTime now);
  // The group a pending notice of `m` goes out in (its failing parent's when
  // it folds into it).
  std::string GroupOf(const config::Monitor& m, const RuleState& rs) const;
  // When Tick next has something to do for this monitor (NextTick's part).
  std::optional<WallTime> NextFor(const std::string& name, const MonitorAlertState& s,
                                  const config::Monitor& m) const;
  void FlushGroup(Batch& b, const std::string& group,
                  const std::vector<std::pair<std::string, std::string>>& members, WallTime now);
  AlertItem Item(const config::Monitor& m, const std::string& rule, const RuleState& rs,
                 AlertEventKind event) const;
  void Emit(Batch& b, const std::string& group, AlertLevel level, std::vector<AlertItem> items,
            const std::vector<std::string>& notice_ids, WallTime now);
  store::AlertChange Finish(Batch& b, States& states);
  static FailureFacts Facts(const MonitorAlertState& s, const RuleState& rs);

  const config::Config& cfg_;
  std::map<std::string, const config::Monitor*> monitors_;
  std::map<std::string, MonitorAlertState> st_;
  std::map<std::string, store::MonitorWindows> windows_;  // the latest OnWindows figures
  std::vector<store::Silence> silences_;
  HostState host_;
  BudgetState budget_;
  WallTime last_now_{};
  // No monitor has anything due before this (a lower bound of NextTick, set
  // by Dispatch, lowered by DispatchOne); nullopt: nothing pending. rescan_:
  // the next result dispatches every monitor whatever the time (after a
  // restore or new silences).
  std::optional<WallTime> next_due_;
  bool rescan_ = true;
  DiagnosisHook diagnosis_;
};

}  // namespace modelwatch::alert
