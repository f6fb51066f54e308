#include "alert/engine.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "alert/actions.h"
#include "alert/engine_batch.h"
#include "alert/flapping.h"
#include "alert/grouping.h"
#include "alert/maintenance.h"
#include "alert/messages.h"
#include "alert/rules.h"
#include "alert/silences.h"

namespace modelwatch::alert {

using std::chrono::duration_cast;
using std::chrono::milliseconds;

namespace {

const std::string kCf(kConsecutiveFailures);
const std::string kFr(kFailureRate);
const std::string kFlap(kFlapping);
const std::string kHost(kHostNetwork);

bool Announces(AlertEventKind k) {
  return k == AlertEventKind::kFiring || k == AlertEventKind::kRepeat;
}

WindowFigures Figures(const store::WindowStats& w, std::string_view name) {
  WindowFigures f;
  f.window = std::string(name);
  f.checks = static_cast<int64_t>(w.checks);
  f.failures = static_cast<int64_t>(w.failures);
  f.rate_limited = static_cast<int64_t>(w.rate_limited);
  f.availability = w.availability;
  if (w.latency) {
    f.p95 = milliseconds(static_cast<int64_t>(w.latency->p95));
  }
  return f;
}

}  // namespace

Engine::Engine(const config::Config& cfg, const States& states) : cfg_(cfg) {
  for (const config::Monitor& m : cfg_.monitors) {
    monitors_[m.name] = &m;
  }
  for (const auto& [name, state] : states) {
    if (name == kHostState) {
      if (auto h = HostStateFromJson(state.extra)) {
        host_ = *h;
      }
    } else if (name == kBudgetState) {
      if (auto bs = BudgetStateFromJson(state.extra)) {
        budget_ = *bs;
      }
    } else if (monitors_.count(name) != 0) {
      // An unreadable state starts afresh: results rebuild it within N checks.
      auto s = MonitorAlertStateFromJson(state.extra);
      st_[name] = s ? *s : MonitorAlertState{};
    }
  }
}

const config::Monitor* Engine::Find(const std::string& name) const {
  auto it = monitors_.find(name);
  return it == monitors_.end() ? nullptr : it->second;
}

std::optional<WallTime> Engine::SuppressedUntil(const std::string& monitor, const std::string& rule,
                                                WallTime now) const {
  std::optional<WallTime> until = InMaintenance(cfg_.alerts.maintenance, now);
  if (const config::Monitor* m = Find(monitor)) {
    if (auto e = InMaintenance(m->alerting.maintenance, now); e && (!until || *e > *until)) {
      until = e;
    }
  }
  if (auto e = SilencedUntil(silences_, monitor, rule, now); e && (!until || *e > *until)) {
    until = e;
  }
  return until;
}

bool Engine::Suppressed(const std::string& monitor, const std::string& rule, Rule kind,
                        WallTime now) const {
  if (host_.down && rule != kHost) {
    return true;
  }
  if (kind == Rule::kResult) {
    auto it = st_.find(monitor);
    if (it != st_.end() && it->second.flapping) {
      return true;
    }
  }
  return SuppressedUntil(monitor, rule, now).has_value();
}

bool Engine::ResultFiring(const MonitorAlertState& s) const {
  for (const std::string* r : {&kCf, &kFr}) {
    auto it = s.rules.find(*r);
    if (it != s.rules.end() && it->second.firing) {
      return true;
    }
  }
  return false;
}

bool Engine::ParentFailing(const config::Monitor& m) const {
  if (m.alerting.depends_on.empty()) {
    return false;
  }
  auto it = st_.find(m.alerting.depends_on);
  return it != st_.end() && (it->second.fails > 0 || ResultFiring(it->second));
}

void Engine::Record(Batch& b, const std::string& monitor, const std::string& rule, AlertLevel level,
                    AlertEventKind kind, WallTime at, const std::string& message, bool silenced) {
  store::AlertEvent e;
  e.monitor = monitor;
  e.rule = rule;
  e.level = std::string(ToString(level));
  e.kind = std::string(ToString(kind));
  e.at = at;
  e.message = message;
  e.silenced = silenced;
  b.change.events.push_back(std::move(e));
}

void Engine::Fire(Batch& b, const config::Monitor& m, const std::string& rule, Rule kind,
                  AlertLevel level, std::optional<CheckStatus> status, std::string summary,
                  WallTime now) {
  RuleState& rs = st_[m.name].rules[rule];
  rs.firing = true;
  rs.since = now;
  ++rs.seq;
  rs.repeats = 0;
  rs.announced = false;
  rs.folded = false;
  rs.last_sent.reset();
  rs.down_for.reset();
  rs.level = level;
  rs.status = status;
  rs.summary = std::move(summary);
  bool quiet = Suppressed(m.name, rule, kind, now);
  rs.pending = quiet ? std::nullopt : std::optional(AlertEventKind::kFiring);
  rs.pending_at = now;
  Record(b, m.name, rule, level, AlertEventKind::kFiring, now, rs.summary, quiet);
  b.touched.insert(m.name);
  b.fired[m.name] = now;
}

void Engine::Resolve(Batch& b, const config::Monitor& m, const std::string& rule, Rule kind,
                     WallTime now) {
  RuleState& rs = st_[m.name].rules[rule];
  rs.firing = false;
  rs.down_for = duration_cast<milliseconds>(now - rs.since);
  std::string text = ResolvedSummary(*rs.down_for, Language());
  bool tell = rs.announced && !rs.folded && !Suppressed(m.name, rule, kind, now);
  if (rs.pending == AlertEventKind::kFiring) {
    tell = false;  // fired and resolved within group_wait: nothing worth a message
  }
  rs.pending = tell ? std::optional(AlertEventKind::kResolved) : std::nullopt;
  rs.pending_at = now;
  if (!tell) {
    rs.announced = false;
  }
  Record(b, m.name, rule, rs.level, AlertEventKind::kResolved, now, text, !tell);
  b.touched.insert(m.name);
  b.resolved[m.name] = now;
}

void Engine::UpdateFlapping(Batch& b, const config::Monitor& m, WallTime now) {
  MonitorAlertState& s = st_[m.name];
  const config::FlappingRule& rule = m.alerting.rules.flapping;
  bool flapping = IsFlapping(s.flapping, s.history, rule);
  if (flapping == s.flapping) {
    return;
  }
  s.flapping = flapping;
  RuleState& rs = s.rules[kFlap];
  b.touched.insert(m.name);
  if (flapping) {
    // The one flapping notice replaces the fire/resolve notices not yet sent.
    for (const std::string* r : {&kCf, &kFr}) {
      auto it = s.rules.find(*r);
      if (it != s.rules.end() && it->second.pending) {
        it->second.pending.reset();
        if (!it->second.firing) {
          it->second.announced = false;
        }
      }
    }
    rs.firing = true;
    rs.since = now;
    ++rs.seq;
    rs.level = AlertLevel::kWarning;
    rs.status.reset();
    rs.announced = false;
    rs.summary = FlappingSummary(StateChangePercent(s.history), rule.window, Language());
    bool quiet = Suppressed(m.name, kFlap, Rule::kOther, now);
    rs.pending = quiet ? std::nullopt : std::optional(AlertEventKind::kFlapping);
    rs.pending_at = now;
    Record(b, m.name, kFlap, rs.level, AlertEventKind::kFlapping, now, rs.summary, quiet);
    return;
  }
  rs.firing = false;
  rs.down_for = duration_cast<milliseconds>(now - rs.since);
  bool tell = rs.announced && !Suppressed(m.name, kFlap, Rule::kOther, now);
  rs.pending = tell ? std::optional(AlertEventKind::kStable) : std::nullopt;
  rs.pending_at = now;
  rs.announced = tell;
  Record(b, m.name, kFlap, rs.level, AlertEventKind::kStable, now, StableSummary(Language()),
         !tell);
}

store::AlertChange Engine::OnResult(const CheckResult& r, States& states, WallTime now) {
  last_now_ = now;
  Batch b;
  const config::Monitor* m = Find(r.monitor);
  const bool failure = IsFailure(r.status);
  const bool success = IsSuccess(r.status);
  // rate_limited is neutral; a failure while the host is offline is the host's.
  if (m == nullptr || (!failure && !success) || (failure && host_.down)) {
    if (m != nullptr) {
      DispatchOne(b, *m, now);
    } else if (rescan_ || (next_due_ && *next_due_ <= now)) {
      Dispatch(b, now);
    }
    return Finish(b, states);
  }
  const config::AlertRules& rules = m->alerting.rules;
  MonitorAlertState& s = st_[m->name];
  b.touched.insert(m->name);
  if (failure) {
    if (s.fails == 0 || !s.failing_since) {
      s.failing_since = r.timestamp;
    }
    ++s.fails;
    s.oks = 0;
    s.last_failure = r.status;
    s.http_status = r.http_status;
    s.error = r.error;
    s.failing_phase = r.status == CheckStatus::kNetworkError ? FailingPhase(r) : "";
  } else {
    ++s.oks;
    s.fails = 0;
    s.failing_since.reset();
  }
  s.recent.emplace_back(r.timestamp, failure);
  PruneRecent(s.recent, rules.failure_rate.window, now);
  PushHistory(s.history, success, rules.flapping);
  const int fired_before = s.rules[kCf].seq;

  RuleState& cf = s.rules[kCf];
  if (!cf.firing && rules.consecutive_failures > 0 && s.fails >= rules.consecutive_failures) {
    Fire(b, *m, kCf, Rule::kResult, cfg_.alerts.LevelOf(r.status), r.status,
         ConsecutiveSummary(s.fails, r.status, Language()), now);
  } else if (cf.firing && (s.oks >= rules.resolve_after || rules.consecutive_failures == 0)) {
    Resolve(b, *m, kCf, Rule::kResult, now);
    // The outage has been told: its failures must not fire failure_rate next.
    s.recent.clear();
  }

  const config::FailureRateRule& fr_rule = rules.failure_rate;
  RateCount count = CountRecent(s.recent, fr_rule.window, now);
  bool breached = FailureRateBreached(fr_rule, count);
  RuleState& fr = s.rules[kFr];
  // A brown-out detector: an outage already told by consecutive_failures
  // needs no second alert.
  if (!fr.firing && breached && !s.rules[kCf].firing) {
    CheckStatus st = s.last_failure.value_or(r.status);
    Fire(b, *m, kFr, Rule::kResult, cfg_.alerts.LevelOf(st), st,
         FailureRateSummary(count, fr_rule.window, fr_rule.above, Language()), now);
  } else if (fr.firing && ((s.oks >= rules.resolve_after && !breached) || !fr_rule.enabled)) {
    Resolve(b, *m, kFr, Rule::kResult, now);
  }
  NoteTold(s, count, fr_rule.window, r.timestamp, failure);
  // A fire/resolve storm is made of consecutive_failures alerts; a brown-out
  // (failure_rate) is told once already.
  if (s.rules[kCf].seq != fired_before && !s.history.empty()) {
    s.history.back() = 'f';
  }
  UpdateFlapping(b, *m, now);
  if (failure) {
    for (const std::string* name : {&kCf, &kFr}) {
      RuleState& rs = s.rules[*name];
      if (rs.firing) {
        rs.status = r.status;  // messages tell the latest failure
      }
    }
  }
  // Not Dispatch: over every monitor on every result, a 10,000-monitor
  // outage cost 10,000 x 10,000 steps before its first message.
  DispatchOne(b, *m, now);
  return Finish(b, states);
}

void Engine::NoteTold(MonitorAlertState& s, const RateCount& count, milliseconds fr_window,
                      WallTime at, bool failure) {
  constexpr size_t kMaxSpans = 256;
  if (!ResultFiring(s)) {
    s.told_open = false;
    return;
  }
  if (s.told_open && !s.told.empty()) {
    if (failure) {
      s.told.back().last = at;
      ++s.told.back().failures;
    }
    return;
  }
  // A result rule fired on this result: the span starts with the failures
  // it fired on (the streak, or those of failure_rate's window).
  ToldSpan span;
  span.last = at;
  if (s.rules[kCf].firing) {
    span.first = s.failing_since.value_or(at);
    span.failures = s.fails;
  } else {
    span.first = at;
    for (const auto& [t, failed] : s.recent) {
      if (failed && t < span.first && t > at - fr_window && t <= at) {
        span.first = t;
      }
    }
    span.failures = count.failures;
  }
  s.told.push_back(span);
  s.told_open = true;
  if (s.told.size() > kMaxSpans) {
    s.told.erase(s.told.begin(), s.told.end() - kMaxSpans);
  }
}

store::AlertChange Engine::OnWindows(const std::vector<store::MonitorWindows>& windows,
                                     States& states, WallTime now) {
  last_now_ = now;
  Batch b;
  for (const store::MonitorWindows& w : windows) {
    windows_[w.monitor] = w;
    const config::Monitor* m = Find(w.monitor);
    if (m == nullptr) {
      continue;
    }
    MonitorAlertState& s = st_[m->name];
    std::erase_if(s.told,
                  [&](const ToldSpan& t) { return t.last <= now - store::kWindows.back(); });
    s.told_open = s.told_open && !s.told.empty();
    for (int i = 0; i < config::kWindowRuleCount; ++i) {
      auto kind = static_cast<config::WindowRuleKind>(i);
      const config::WindowRule& rule = m->alerting.rules.window(kind);
      int index = kind == config::WindowRuleKind::kRateLimits ? 0 : rule.window_index;
      // An outage a result rule told is not told again by the windows.
      const int64_t told = ToldIn(s.told, store::kWindows[index], now);
      const store::WindowStats stats = WithoutTold(w.windows[index], told);
      std::optional<WindowVerdict> v = JudgeWindow(kind, rule, stats, m->thresholds);
      if (v) {
        v->told = static_cast<int64_t>(w.windows[index].failures - stats.failures);
      }
      const std::string name(ToString(kind));
      auto it = s.rules.find(name);
      bool firing = it != s.rules.end() && it->second.firing;
      if (!rule.enabled && firing) {
        Resolve(b, *m, name, Rule::kWindow, now);
      } else if (!v) {
        continue;
      } else if (v->breached && !firing && !ResultFiring(s)) {
        // While an outage is told by a result rule, its windows follow suit.
        Fire(b, *m, name, Rule::kWindow, rule.level, std::nullopt,
             WindowSummary(kind, *v, store::WindowName(index), Language()), now);
      } else if (!v->breached && firing) {
        Resolve(b, *m, name, Rule::kWindow, now);
      }
    }
  }
  Dispatch(b, now);
  return Finish(b, states);
}

store::AlertChange Engine::Tick(States& states, WallTime now) {
  last_now_ = now;
  Batch b;
  Dispatch(b, now);
  return Finish(b, states);
}

void Engine::SetSilences(std::vector<store::Silence> silences) {
  silences_ = std::move(silences);
  rescan_ = true;  // an alert a removed silence held is due now
}

void Engine::Wake(Batch& b, const std::string& name, MonitorAlertState& s, const config::Monitor& m,
                  WallTime now) {
  for (auto& [rule, rs] : s.rules) {
    if (!rs.firing || rs.pending || rule == kFlap) {
      continue;
    }
    Rule kind = rule == kCf || rule == kFr ? Rule::kResult : Rule::kWindow;
    if (Suppressed(name, rule, kind, now)) {
      continue;
    }
    if (!rs.announced) {
      rs.pending = AlertEventKind::kFiring;
    } else if (!rs.folded && rs.last_sent && now - *rs.last_sent >= m.alerting.rules.cooldown) {
      rs.pending = AlertEventKind::kRepeat;
      ++rs.repeats;
    } else {
      continue;
    }
    rs.pending_at = now;
    Record(b, name, rule, rs.level, *rs.pending, now, rs.summary, false);
    b.touched.insert(name);
  }
}

std::string Engine::GroupOf(const config::Monitor& m, const RuleState& rs) const {
  const config::Monitor* owner = &m;
  if (rs.pending && Announces(*rs.pending) && ParentFailing(m)) {
    if (const config::Monitor* p = Find(m.alerting.depends_on)) {
      owner = p;  // folds into the parent's message
    }
  }
  return GroupKey(*owner, cfg_.alerts.group_by);
}

void Engine::Dispatch(Batch& b, WallTime now) {
  rescan_ = false;
  // Firing alerts no one was told of (held by maintenance, a silence or
  // flapping that has ended), and repeats whose cooldown passed.
  for (auto& [name, s] : st_) {
    if (const config::Monitor* m = Find(name)) {
      Wake(b, name, s, *m, now);
    }
  }
  // Pending notices by group; a group goes out group_wait after its first.
  std::map<std::string, std::vector<std::pair<std::string, std::string>>> groups;
  std::map<std::string, WallTime> opened;
  for (const auto& [name, s] : st_) {
    const config::Monitor* m = Find(name);
    if (m == nullptr) {
      continue;
    }
    for (const auto& [rule, rs] : s.rules) {
      if (!rs.pending) {
        continue;
      }
      std::string g = GroupOf(*m, rs);
      groups[g].emplace_back(name, rule);
      auto [it, inserted] = opened.emplace(g, rs.pending_at);
      if (!inserted && rs.pending_at < it->second) {
        it->second = rs.pending_at;
      }
    }
  }
  for (const auto& [g, members] : groups) {
    if (opened[g] + cfg_.alerts.group_wait <= now) {
      FlushGroup(b, g, members, now);
    }
  }
  next_due_ = NextTick();
}

void Engine::DispatchOne(Batch& b, const config::Monitor& m, WallTime now) {
  if (rescan_ || (next_due_ && *next_due_ <= now)) {
    Dispatch(b, now);
    return;
  }
  auto it = st_.find(m.name);
  if (it == st_.end()) {
    return;  // nothing of it fires or waits
  }
  MonitorAlertState& s = it->second;
  Wake(b, m.name, s, m, now);
  std::map<std::string, std::vector<std::pair<std::string, std::string>>> groups;
  for (const auto& [rule, rs] : s.rules) {
    if (rs.pending && rs.pending_at + cfg_.alerts.group_wait <= now) {
      groups[GroupOf(m, rs)].emplace_back(m.name, rule);
    }
  }
  for (const auto& [g, members] : groups) {
    FlushGroup(b, g, members, now);
  }
  if (std::optional<WallTime> next = NextFor(m.name, s, m);
      next && (!next_due_ || *next < *next_due_)) {
    next_due_ = next;
  }
}

void Engine::FlushGroup(Batch& b, const std::string& group,
                        const std::vector<std::pair<std::string, std::string>>& members,
                        WallTime now) {
  struct Entry {
    const config::Monitor* m;
    std::string rule;
    RuleState* rs;
    AlertEventKind event;
  };
  std::vector<Entry> entries;
  for (const auto& [name, rule] : members) {
    RuleState& rs = st_[name].rules[rule];
    AlertEventKind ev = *rs.pending;
    b.touched.insert(name);
    Rule kind = rule == kCf || rule == kFr ? Rule::kResult : Rule::kOther;
    if (Suppressed(name, rule, kind, now)) {
      rs.pending.reset();  // held: told when the hold ends, if still firing
      if (!Announces(ev)) {
        rs.announced = ev == AlertEventKind::kFlapping;
      }
      continue;
    }
    entries.push_back({Find(name), rule, &rs, ev});
  }
  // Parents first, so their children fold into them.
  std::stable_partition(entries.begin(), entries.end(),
                        [](const Entry& e) { return e.m->alerting.depends_on.empty(); });
  std::map<AlertLevel, std::vector<AlertItem>> items;
  std::map<AlertLevel, std::vector<std::string>> ids;
  std::map<std::string, std::pair<AlertLevel, size_t>> announced_parents;
  for (Entry& e : entries) {
    RuleState& rs = *e.rs;
    rs.pending.reset();
    const std::string& parent = e.m->alerting.depends_on;
    if (Announces(e.event) && !parent.empty() && ParentFailing(*e.m)) {
      auto it = announced_parents.find(parent);
      bool parent_told = it != announced_parents.end();
      const MonitorAlertState& ps = st_[parent];
      for (const std::string* r : {&kCf, &kFr}) {
        auto pr = ps.rules.find(*r);
        parent_told =
            parent_told || (pr != ps.rules.end() && pr->second.firing && pr->second.announced);
      }
      if (parent_told) {
        if (it != announced_parents.end()) {
          auto& folded = items[it->second.first][it->second.second].folded;
          if (std::find(folded.begin(), folded.end(), e.m->name) == folded.end()) {
            folded.push_back(e.m->name);
          }
        }
        rs.announced = true;
        rs.folded = true;
        rs.last_sent = now;
        continue;
      }
    }
    items[rs.level].push_back(Item(*e.m, e.rule, rs, e.event));
    ids[rs.level].push_back(NoticeId(e.m->name, e.rule, rs.seq, e.event, rs.repeats));
    if (Announces(e.event)) {
      announced_parents.emplace(e.m->name, std::pair(rs.level, items[rs.level].size() - 1));
    }
    switch (e.event) {
      case AlertEventKind::kFiring:
      case AlertEventKind::kRepeat:
      case AlertEventKind::kFlapping:
        rs.announced = true;
        rs.last_sent = now;
        break;
      default:
        rs.announced = false;
        break;
    }
  }
  for (auto& [level, list] : items) {
    Emit(b, group, level, std::move(list), ids[level], now);
  }
}

AlertItem Engine::Item(const config::Monitor& m, const std::string& rule, const RuleState& rs,
                       AlertEventKind event) const {
  const MonitorAlertState& s = st_.at(m.name);
  AlertItem a;
  a.monitor = m.name;
  a.model = m.model;
  auto label = m.labels.find("provider");
  a.provider = label != m.labels.end() ? label->second : m.provider;
  a.rule = rule;
  a.level = rs.level;
  a.event = event;
  a.status = rs.status;
  if (rs.status && IsFailure(*rs.status)) {
    a.http_status = s.http_status;
    a.error = s.error;
  }
  a.consecutive_failures = s.fails;
  a.since = rs.since;
  switch (event) {
    case AlertEventKind::kResolved:
      a.down_for = rs.down_for;
      a.summary = ResolvedSummary(rs.down_for.value_or(milliseconds(0)), Language());
      break;
    case AlertEventKind::kStable:
      a.down_for = rs.down_for;
      a.summary = StableSummary(Language());
      break;
    default:
      a.summary = rs.summary;
      break;
  }
  if (auto w = windows_.find(m.name); w != windows_.end()) {
    a.figures.push_back(Figures(w->second.windows[0], store::WindowName(0)));
    a.figures.push_back(Figures(w->second.windows[2], store::WindowName(2)));
  }
  a.status_pages = m.alerting.status_pages;
  if (event != AlertEventKind::kResolved && event != AlertEventKind::kStable) {
    a.actions =
        SuggestedActions(rule, rs.status, s.failing_phase, !a.status_pages.empty(), Language());
    if (diagnosis_) {
      a.diagnosis = diagnosis_(m.name, Facts(s, rs), Language());
    }
  }
  return a;
}

void Engine::Emit(Batch& b, const std::string& group, AlertLevel level,
                  std::vector<AlertItem> items, const std::vector<std::string>& notice_ids,
                  WallTime now) {
  auto shared = std::make_shared<Notification>();
  Notification& n = *shared;
  n.group = group;
  n.level = level;
  n.language = cfg_.alerts.language;
  n.created = now;
  n.dashboard_url = cfg_.alerts.dashboard_url;
  n.templates = cfg_.alerts.templates;
  n.dedup_key = items.size() == 1 ? fmt::format("{}/{}", items[0].monitor, items[0].rule) : group;
  n.items = std::move(items);
  n.title = Title(n);
  const std::string payload = ToJson(n).dump();
  for (const std::string& channel : cfg_.alerts.level(level).channels) {
    store::OutboxMessage msg;
    msg.key = MessageKey(group, notice_ids, channel);
    msg.channel = channel;
    msg.payload = payload;
    msg.notification = shared;  // the notifier renders it without parsing the payload
    msg.created = now;
    msg.next_attempt = now;
    b.change.messages.push_back(std::move(msg));
  }
}

store::AlertChange Engine::Finish(Batch& b, States& states) {
  for (const std::string& name : b.touched) {
    store::MonitorState& ms = states[name];
    ms.monitor = name;
    ms.extra = ToJson(st_[name]);
    if (auto it = b.fired.find(name); it != b.fired.end()) {
      ms.last_alert = it->second;
    }
    if (auto it = b.resolved.find(name); it != b.resolved.end()) {
      ms.last_resolved = it->second;
    }
    b.change.states.push_back(ms);
  }
  if (b.host_touched) {
    store::MonitorState& ms = states[std::string(kHostState)];
    ms.monitor = std::string(kHostState);
    ms.extra = ToJson(host_);
    b.change.states.push_back(ms);
  }
  if (b.budget_touched) {
    store::MonitorState& ms = states[std::string(kBudgetState)];
    ms.monitor = std::string(kBudgetState);
    ms.extra = ToJson(budget_);
    b.change.states.push_back(ms);
  }
  return std::move(b.change);
}

std::optional<WallTime> Engine::NextTick() const {
  std::optional<WallTime> next;
  auto consider = [&](WallTime t) {
    if (!next || t < *next) {
      next = t;
    }
  };
  for (const auto& [name, s] : st_) {
    if (const config::Monitor* m = Find(name)) {
      if (std::optional<WallTime> t = NextFor(name, s, *m)) {
        consider(*t);
      }
    }
  }
  return next;
}

std::optional<WallTime> Engine::NextFor(const std::string& name, const MonitorAlertState& s,
                                        const config::Monitor& m) const {
  std::optional<WallTime> next;
  auto consider = [&](WallTime t) {
    if (!next || t < *next) {
      next = t;
    }
  };
  for (const auto& [rule, rs] : s.rules) {
    if (rs.pending) {
      consider(rs.pending_at + cfg_.alerts.group_wait);
    } else if (rs.firing && rule != kFlap) {
      if (!rs.announced) {
        if (auto until = SuppressedUntil(name, rule, last_now_)) {
          consider(*until);
        }
      } else if (!rs.folded && rs.last_sent) {
        consider(*rs.last_sent + m.alerting.rules.cooldown);
      }
    }
  }
  return next;
}

std::vector<FiringAlert> Engine::Firing() const {
  std::vector<FiringAlert> out;
  if (host_.down) {
    out.push_back({"", kHost, AlertLevel::kCritical, host_.since,
                   HostSummary(true, cfg_.alerts.canaries.size(), milliseconds(0), Language()),
                   false});
  }
  for (const auto& [name, s] : st_) {
    for (const auto& [rule, rs] : s.rules) {
      if (rs.firing) {
        out.push_back({name, rule, rs.level, rs.since, rs.summary, !rs.announced && !rs.pending});
      }
    }
  }
  return out;
}

}  // namespace modelwatch::alert
