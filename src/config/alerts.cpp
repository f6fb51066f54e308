#include "config/alerts.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <string_view>

#include "config/config.h"
#include "config/fields.h"
#include "config/sections.h"
#include "config/suggest.h"
#include "core/text.h"

namespace modelwatch::config {

namespace {

using std::chrono::milliseconds;

constexpr std::array<std::string_view, kWindowRuleCount> kWindowRuleNames = {
    "latency_p95", "error_rate", "availability", "rate_limits"};
constexpr std::array<std::string_view, 5> kWindowNames = {"1h", "6h", "24h", "7d", "30d"};
constexpr std::array<std::string_view, 3> kLevelNames = {"info", "warning", "critical"};
constexpr std::array<std::string_view, 2> kLanguages = {"en", "zh"};

constexpr std::array<std::string_view, 9> kRuleKeys = {
    "consecutive_failures", "resolve_after", "cooldown",    "failure_rate", "latency_p95",
    "error_rate",           "availability",  "rate_limits", "flapping"};
constexpr std::array<std::string_view, 17> kAlertsKeys = {"consecutive_failures",
                                                          "resolve_after",
                                                          "cooldown",
                                                          "failure_rate",
                                                          "latency_p95",
                                                          "error_rate",
                                                          "availability",
                                                          "rate_limits",
                                                          "flapping",
                                                          "group_wait",
                                                          "levels",
                                                          "group_by",
                                                          "language",
                                                          "maintenance",
                                                          "canaries",
                                                          "dashboard_url",
                                                          "templates"};

// `key: false` (or off/no) switches a rule off; true keeps it as it was.
// Returns true when `entry` was such a switch.
bool ReadSwitch(const Scope& scope, const Node& entry, bool& enabled) {
  if (!entry.IsScalar()) {
    return false;
  }
  if (auto b = ReadBool(scope, entry)) {
    enabled = *b;
  }
  return true;
}

void ReadFailureRate(const Scope& parent, const Node& entry, FailureRateRule& r) {
  r.mark = entry.mark;
  if (ReadSwitch(parent, entry, r.enabled) || !ExpectMap(parent, entry)) {
    return;
  }
  r.enabled = true;
  Scope scope = parent.Child(entry.key);
  static constexpr std::array<std::string_view, 3> kKeys = {"window", "above", "min_checks"};
  CheckKeys(scope, entry, kKeys);
  if (const Node* n = entry.Find("window")) {
    r.window = ReadDuration(scope, *n, std::chrono::seconds(1)).value_or(r.window);
  }
  if (const Node* n = entry.Find("above")) {
    r.above = ReadNumber(scope, *n, 0, 100, true).value_or(r.above);
  }
  if (const Node* n = entry.Find("min_checks")) {
    r.min_checks = static_cast<int>(ReadNumber(scope, *n, 1, 1e6, false).value_or(r.min_checks));
  }
}

void ReadLevel(const Scope& scope, const Node& n, AlertLevel& out) {
  if (auto v = ReadEnum(scope, n, kLevelNames)) {
    out = ParseAlertLevel(*v).value_or(out);
  }
}

void ReadWindowRule(const Scope& parent, const Node& entry, WindowRuleKind kind, WindowRule& r) {
  r.mark = entry.mark;
  if (ReadSwitch(parent, entry, r.enabled) || !ExpectMap(parent, entry)) {
    return;
  }
  r.enabled = true;
  Scope scope = parent.Child(entry.key);
  if (kind == WindowRuleKind::kRateLimits) {
    static constexpr std::array<std::string_view, 2> kKeys = {"per_hour", "level"};
    CheckKeys(scope, entry, kKeys);
    if (const Node* n = entry.Find("per_hour")) {
      if (auto v = ReadNumber(scope, *n, 0, 1e9, false)) {
        r.bound = *v;
      }
    }
  } else {
    const std::string_view bound_key = kind == WindowRuleKind::kAvailability ? "below" : "above";
    const std::array<std::string_view, 4> keys = {"window", bound_key, "min_checks", "level"};
    CheckKeys(scope, entry, keys);
    if (const Node* n = entry.Find("window")) {
      if (auto w = ReadEnum(scope, *n, kWindowNames)) {
        r.window_index = static_cast<int>(std::find(kWindowNames.begin(), kWindowNames.end(), *w) -
                                          kWindowNames.begin());
      }
    }
    if (const Node* n = entry.Find(bound_key)) {
      if (kind == WindowRuleKind::kLatencyP95) {
        if (auto d = ReadDuration(scope, *n, milliseconds(1))) {
          r.bound = static_cast<double>(d->count());
        }
      } else if (auto v = ReadNumber(scope, *n, 0, 100, true)) {
        r.bound = *v;
      }
    }
    if (const Node* n = entry.Find("min_checks")) {
      if (auto v = ReadNumber(scope, *n, 1, 1e6, false)) {
        r.min_checks = static_cast<int>(*v);
      }
    }
  }
  if (const Node* n = entry.Find("level")) {
    ReadLevel(scope, *n, r.level);
  }
}

void ReadFlapping(const Scope& parent, const Node& entry, FlappingRule& r) {
  r.mark = entry.mark;
  if (ReadSwitch(parent, entry, r.enabled) || !ExpectMap(parent, entry)) {
    return;
  }
  r.enabled = true;
  Scope scope = parent.Child(entry.key);
  static constexpr std::array<std::string_view, 3> kKeys = {"window", "above", "below"};
  CheckKeys(scope, entry, kKeys);
  if (const Node* n = entry.Find("window")) {
    r.window = static_cast<int>(ReadNumber(scope, *n, 3, 1000, false).value_or(r.window));
  }
  bool below_written = false;
  if (const Node* n = entry.Find("above")) {
    r.above = ReadNumber(scope, *n, 0, 100, true).value_or(r.above);
  }
  if (const Node* n = entry.Find("below")) {
    below_written = true;
    r.below = ReadNumber(scope, *n, 0, 100, true).value_or(r.below);
  }
  if (!below_written) {
    r.below = std::min(r.below, r.above * 2 / 3);
  }
  if (r.below > r.above) {
    scope.Error(entry.Find("below")->mark,
                fmt::format("below ({}%) must not be above above ({}%)", r.below, r.above));
  }
}

std::vector<std::string> ReadStringList(const Scope& parent, const Node& entry,
                                        std::vector<Mark>* marks, bool urls) {
  std::vector<std::string> out;
  if (entry.interpolation_failed) {
    return out;
  }
  if (!entry.IsSequence()) {
    parent.Child(entry.key).Error(entry.mark,
                                  fmt::format("must be a list, not {}", Describe(entry.type)));
    return out;
  }
  Scope scope = parent.Child(entry.key);
  for (size_t i = 0; i < entry.items.size(); ++i) {
    Node item = entry.items[i];
    item.key = fmt::format("[{}]", i);
    std::optional<std::string> v = urls ? ReadUrl(scope, item) : ReadString(scope, item);
    if (v) {
      out.push_back(*v);
      if (marks != nullptr) {
        marks->push_back(item.mark);
      }
    }
  }
  return out;
}

// Statuses a level may be triggered by: every one but success.
std::vector<std::string_view> TriggerNames() {
  std::vector<std::string_view> names;
  for (int i = 0; i < kCheckStatusCount; ++i) {
    if (static_cast<CheckStatus>(i) != CheckStatus::kSuccess) {
      names.push_back(ToString(static_cast<CheckStatus>(i)));
    }
  }
  return names;
}

void ReadLevels(const Scope& parent, const Node& entry, Alerts& a) {
  if (!ExpectMap(parent, entry)) {
    return;
  }
  Scope scope = parent.Child(entry.key);
  CheckKeys(scope, entry, kLevelNames);
  // Written levels replace the default mapping as a whole.
  for (AlertLevelRoute& route : a.levels) {
    route.triggers.clear();
  }
  const std::vector<std::string_view> trigger_names = TriggerNames();
  std::array<const Node*, kCheckStatusCount> seen{};
  for (const Node& level : entry.items) {
    std::optional<AlertLevel> l = ParseAlertLevel(level.key);
    if (!l || !ExpectMap(scope, level)) {
      continue;
    }
    Scope ls = scope.Child(level.key);
    static constexpr std::array<std::string_view, 2> kKeys = {"triggers", "channels"};
    CheckKeys(ls, level, kKeys);
    AlertLevelRoute& route = a.levels[static_cast<int>(*l)];
    route.mark = level.mark;
    if (const Node* t = level.Find("triggers")) {
      std::vector<Mark> marks;
      std::vector<std::string> names = ReadStringList(ls, *t, &marks, false);
      for (size_t i = 0; i < names.size(); ++i) {
        std::optional<CheckStatus> s = ParseCheckStatus(names[i]);
        if (!s || *s == CheckStatus::kSuccess) {
          ls.Child("triggers")
              .Error(marks[i],
                     fmt::format("\"{}\" is not a failing status (one of {}){}", names[i],
                                 OneOf(trigger_names), DidYouMean(names[i], trigger_names)));
          continue;
        }
        const Node*& first = seen[static_cast<int>(*s)];
        if (first != nullptr) {
          ls.Child("triggers")
              .Error(marks[i], fmt::format("\"{}\" is already a trigger of level {} (at {})",
                                           names[i], first->key, first->mark.ToString()));
          continue;
        }
        first = &level;
        route.triggers.push_back(*s);
      }
    }
    if (const Node* c = level.Find("channels")) {
      route.channel_marks.clear();
      route.channels = ReadStringList(ls, *c, &route.channel_marks, false);
    }
  }
}

}  // namespace

std::string_view ToString(WindowRuleKind k) { return kWindowRuleNames[static_cast<int>(k)]; }

AlertRules::AlertRules() {
  const AlertLevel levels[kWindowRuleCount] = {AlertLevel::kWarning, AlertLevel::kCritical,
                                               AlertLevel::kCritical, AlertLevel::kInfo};
  for (int i = 0; i < kWindowRuleCount; ++i) {
    windows[i].level = levels[i];
  }
  windows[static_cast<int>(WindowRuleKind::kAvailability)].window_index = 2;  // 24h
}

Alerts::Alerts() {
  using S = CheckStatus;
  levels[0].triggers = {S::kRateLimited};
  levels[1].triggers = {S::kTimeout, S::kDegraded};
  levels[2].triggers = {S::kServerError,    S::kNetworkError, S::kAuthError,
                        S::kQuotaExhausted, S::kClientError,  S::kInvalidResponse,
                        S::kModelNotFound};
  for (AlertLevelRoute& l : levels) {
    l.channels = {"log"};
    l.channel_marks = {Mark{}};
  }
}

AlertLevel Alerts::LevelOf(CheckStatus s) const {
  for (int i = 2; i >= 0; --i) {
    const auto& t = levels[i].triggers;
    if (std::find(t.begin(), t.end(), s) != t.end()) {
      return static_cast<AlertLevel>(i);
    }
  }
  return AlertLevel::kCritical;
}

std::vector<ChannelUse> Alerts::ChannelUses() const {
  std::vector<ChannelUse> out;
  for (int i = 0; i < 3; ++i) {
    for (size_t c = 0; c < levels[i].channels.size(); ++c) {
      Mark m = c < levels[i].channel_marks.size() ? levels[i].channel_marks[c] : Mark{};
      out.push_back({static_cast<AlertLevel>(i), levels[i].channels[c], m});
    }
  }
  return out;
}

void ParseRuleKeys(const Scope& scope, const Node& map, AlertRules& r) {
  if (const Node* n = map.Find("consecutive_failures")) {
    r.consecutive_failures_mark = n->mark;
    if (n->IsScalar() && (AsciiLower(n->value) == "false" || AsciiLower(n->value) == "off")) {
      r.consecutive_failures = 0;
    } else if (auto v = ReadNumber(scope, *n, 1, 1e6, false)) {
      r.consecutive_failures = static_cast<int>(*v);
    }
  }
  if (const Node* n = map.Find("resolve_after")) {
    r.resolve_after =
        static_cast<int>(ReadNumber(scope, *n, 1, 1e6, false).value_or(r.resolve_after));
  }
  if (const Node* n = map.Find("cooldown")) {
    r.cooldown = ReadDuration(scope, *n, std::chrono::seconds(1)).value_or(r.cooldown);
  }
  if (const Node* n = map.Find("failure_rate")) {
    ReadFailureRate(scope, *n, r.failure_rate);
  }
  for (int i = 0; i < kWindowRuleCount; ++i) {
    if (const Node* n = map.Find(kWindowRuleNames[i])) {
      ReadWindowRule(scope, *n, static_cast<WindowRuleKind>(i), r.windows[i]);
    }
  }
  if (const Node* n = map.Find("flapping")) {
    ReadFlapping(scope, *n, r.flapping);
  }
}

Alerts ParseAlerts(const Scope& parent, const Node& entry) {
  Alerts a;
  a.mark = entry.mark;
  if (!ExpectMap(parent, entry)) {
    return a;
  }
  Scope scope = parent.Child(entry.key);
  CheckKeys(scope, entry, kAlertsKeys);
  ParseRuleKeys(scope, entry, a.rules);
  if (const Node* n = entry.Find("group_wait")) {
    a.group_wait = ReadDuration(scope, *n, milliseconds(0)).value_or(a.group_wait);
  }
  if (const Node* n = entry.Find("levels")) {
    ReadLevels(scope, *n, a);
  }
  if (const Node* n = entry.Find("group_by")) {
    a.group_by = ReadString(scope, *n).value_or(a.group_by);
  }
  if (const Node* n = entry.Find("language")) {
    a.language = ReadEnum(scope, *n, kLanguages).value_or(a.language);
  }
  if (const Node* n = entry.Find("maintenance")) {
    a.maintenance = ParseMaintenance(scope, *n);
  }
  if (const Node* n = entry.Find("canaries")) {
    a.canaries = ReadStringList(scope, *n, nullptr, true);
  }
  if (const Node* n = entry.Find("dashboard_url")) {
    a.dashboard_url = ReadUrl(scope, *n).value_or("");
  }
  if (const Node* n = entry.Find("templates")) {
    a.templates = ParseTemplates(scope, *n);
  }
  return a;
}

MonitorAlerts ParseMonitorAlerts(const Scope& scope, const Node& monitor, const Alerts& alerts) {
  MonitorAlerts m;
  m.rules = alerts.rules;
  if (const Node* n = monitor.Find("alerts"); n != nullptr && ExpectMap(scope, *n)) {
    Scope s = scope.Child("alerts");
    CheckKeys(s, *n, kRuleKeys);
    ParseRuleKeys(s, *n, m.rules);
  }
  if (const Node* n = monitor.Find("maintenance")) {
    m.maintenance = ParseMaintenance(scope, *n);
  }
  if (const Node* n = monitor.Find("depends_on")) {
    m.depends_on = ReadString(scope, *n).value_or("");
    m.depends_on_mark = n->mark;
  }
  if (const Node* n = monitor.Find("status_pages")) {
    m.status_pages = ReadStringList(scope, *n, nullptr, true);
  }
  return m;
}

void CheckAlertReferences(Diagnostics& diag, const std::vector<Monitor>& monitors) {
  std::vector<std::string_view> names;
  for (const Monitor& m : monitors) {
    names.push_back(m.name);
  }
  auto find = [&](const std::string& name) -> const Monitor* {
    for (const Monitor& m : monitors) {
      if (m.name == name) {
        return &m;
      }
    }
    return nullptr;
  };
  for (const Monitor& m : monitors) {
    const std::string& parent = m.alerting.depends_on;
    if (parent.empty()) {
      continue;
    }
    Scope scope(diag, fmt::format("monitor \"{}\": depends_on", m.name));
    if (parent == m.name) {
      scope.Error(m.alerting.depends_on_mark, "a monitor cannot depend on itself");
      continue;
    }
    const Monitor* p = find(parent);
    if (p == nullptr) {
      scope.Error(m.alerting.depends_on_mark,
                  fmt::format("\"{}\" is not a monitor{}", parent, DidYouMean(parent, names)));
      continue;
    }
    // One level only: a parent's own parent would fold twice.
    if (!p->alerting.depends_on.empty()) {
      scope.Error(m.alerting.depends_on_mark,
                  fmt::format("\"{}\" itself depends on \"{}\" (only one level is allowed)", parent,
                              p->alerting.depends_on));
    }
  }
}

}  // namespace modelwatch::config
