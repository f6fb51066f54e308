#include "core/notification.h"

#include <array>
#include <utility>

#include "core/check_result.h"

namespace modelwatch {
namespace {

constexpr std::array<std::pair<AlertLevel, std::string_view>, 3> kLevels = {{
    {AlertLevel::kInfo, "info"},
    {AlertLevel::kWarning, "warning"},
    {AlertLevel::kCritical, "critical"},
}};

constexpr std::array<std::pair<AlertEventKind, std::string_view>, 11> kEvents = {{
    {AlertEventKind::kFiring, "firing"},
    {AlertEventKind::kRepeat, "repeat"},
    {AlertEventKind::kResolved, "resolved"},
    {AlertEventKind::kFlapping, "flapping"},
    {AlertEventKind::kStable, "stable"},
    {AlertEventKind::kHostNetwork, "host_network"},
    {AlertEventKind::kHostNetworkOk, "host_network_ok"},
    {AlertEventKind::kFollowUp, "follow_up"},
    {AlertEventKind::kTest, "test"},
    {AlertEventKind::kBudget, "budget"},
    {AlertEventKind::kBudgetOk, "budget_ok"},
}};

template <typename E, size_t N>
std::string_view Name(const std::array<std::pair<E, std::string_view>, N>& table, E e) {
  for (const auto& [value, name] : table) {
    if (value == e) {
      return name;
    }
  }
  return "unknown";
}

template <typename E, size_t N>
std::optional<E> Parse(const std::array<std::pair<E, std::string_view>, N>& table,
                       std::string_view s) {
  for (const auto& [value, name] : table) {
    if (name == s) {
      return value;
    }
  }
  return std::nullopt;
}

nlohmann::json FiguresJson(const WindowFigures& f) {
  nlohmann::json j = {{"window", f.window},
                      {"checks", f.checks},
                      {"failures", f.failures},
                      {"rate_limited", f.rate_limited}};
  j["availability"] = f.availability ? nlohmann::json(*f.availability) : nlohmann::json();
  j["p95_ms"] = f.p95 ? nlohmann::json(f.p95->count()) : nlohmann::json();
  return j;
}

WindowFigures FiguresFromJson(const nlohmann::json& j) {
  WindowFigures f;
  f.window = j.value("window", "");
  f.checks = j.value("checks", int64_t{0});
  f.failures = j.value("failures", int64_t{0});
  f.rate_limited = j.value("rate_limited", int64_t{0});
  if (j.contains("availability") && j["availability"].is_number()) {
    f.availability = j["availability"].get<double>();
  }
  if (j.contains("p95_ms") && j["p95_ms"].is_number()) {
    f.p95 = std::chrono::milliseconds(j["p95_ms"].get<int64_t>());
  }
  return f;
}

nlohmann::json ItemJson(const AlertItem& a) {
  nlohmann::json figures = nlohmann::json::array();
  for (const WindowFigures& f : a.figures) {
    figures.push_back(FiguresJson(f));
  }
  nlohmann::json j = {{"monitor", a.monitor},
                      {"model", a.model},
                      {"provider", a.provider},
                      {"rule", a.rule},
                      {"level", ToString(a.level)},
                      {"event", ToString(a.event)},
                      {"http_status", a.http_status},
                      {"error", a.error},
                      {"summary", a.summary},
                      {"consecutive_failures", a.consecutive_failures},
                      {"since_ms", ToUnixMillis(a.since)},
                      {"figures", std::move(figures)},
                      {"status_pages", a.status_pages},
                      {"actions", a.actions},
                      {"diagnosis", a.diagnosis},
                      {"folded", a.folded}};
  j["status"] = a.status ? nlohmann::json(ToString(*a.status)) : nlohmann::json();
  j["down_for_ms"] = a.down_for ? nlohmann::json(a.down_for->count()) : nlohmann::json();
  return j;
}

}  // namespace

std::string_view ToString(AlertLevel l) { return Name(kLevels, l); }
std::optional<AlertLevel> ParseAlertLevel(std::string_view s) { return Parse(kLevels, s); }
std::string_view ToString(AlertEventKind k) { return Name(kEvents, k); }
std::optional<AlertEventKind> ParseAlertEventKind(std::string_view s) { return Parse(kEvents, s); }

nlohmann::json ToJson(const Notification& n) {
  nlohmann::json items = nlohmann::json::array();
  for (const AlertItem& a : n.items) {
    items.push_back(ItemJson(a));
  }
  nlohmann::json j = {{"group", n.group},
                      {"level", ToString(n.level)},
                      {"language", n.language},
                      {"title", n.title},
                      {"created_ms", ToUnixMillis(n.created)},
                      {"items", std::move(items)},
                      {"dashboard_url", n.dashboard_url},
                      {"dedup_key", n.dedup_key}};
  if (!n.templates.empty()) {
    j["templates"] = n.templates;
  }
  return j;
}

Result<Notification> NotificationFromJson(std::string_view text) {
  nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) {
    return Status::InvalidArgument("notification: not a JSON object");
  }
  auto wall = [](int64_t ms) { return WallTime(std::chrono::milliseconds(ms)); };
  try {
    Notification n;
    n.group = j.value("group", "");
    n.level = ParseAlertLevel(j.value("level", "critical")).value_or(AlertLevel::kCritical);
    n.language = j.value("language", "en");
    n.title = j.value("title", "");
    n.created = wall(j.value("created_ms", int64_t{0}));
    n.dashboard_url = j.value("dashboard_url", "");
    n.dedup_key = j.value("dedup_key", "");
    n.templates = j.value("templates", std::map<std::string, std::string>{});
    for (const nlohmann::json& ji : j.value("items", nlohmann::json::array())) {
      AlertItem a;
      a.monitor = ji.value("monitor", "");
      a.model = ji.value("model", "");
      a.provider = ji.value("provider", "");
      a.rule = ji.value("rule", "");
      a.level = ParseAlertLevel(ji.value("level", "critical")).value_or(AlertLevel::kCritical);
      a.event = ParseAlertEventKind(ji.value("event", "firing")).value_or(AlertEventKind::kFiring);
      if (ji.contains("status") && ji["status"].is_string()) {
        a.status = ParseCheckStatus(ji["status"].get<std::string>());
      }
      a.http_status = ji.value("http_status", 0);
      a.error = ji.value("error", "");
      a.summary = ji.value("summary", "");
      a.consecutive_failures = ji.value("consecutive_failures", 0);
      a.since = wall(ji.value("since_ms", int64_t{0}));
      if (ji.contains("down_for_ms") && ji["down_for_ms"].is_number()) {
        a.down_for = std::chrono::milliseconds(ji["down_for_ms"].get<int64_t>());
      }
      for (const nlohmann::json& jf : ji.value("figures", nlohmann::json::array())) {
        a.figures.push_back(FiguresFromJson(jf));
      }
      a.status_pages = ji.value("status_pages", std::vector<std::string>{});
      a.actions = ji.value("actions", std::vector<std::string>{});
      a.diagnosis = ji.value("diagnosis", "");
      a.folded = ji.value("folded", std::vector<std::string>{});
      n.items.push_back(std::move(a));
    }
    return n;
  } catch (const nlohmann::json::exception& e) {
    return Status::InvalidArgument(std::string("notification: ") + e.what());
  }
}

}  // namespace modelwatch
