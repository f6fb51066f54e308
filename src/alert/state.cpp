#include "alert/state.h"

#include <nlohmann/json.hpp>

#include "core/check_result.h"

namespace modelwatch::alert {

namespace {

using nlohmann::json;

json Ms(WallTime t) { return ToUnixMillis(t); }
WallTime At(const json& j, const char* key) { return FromUnixMillis(j.value(key, int64_t{0})); }

json RuleJson(const RuleState& r) {
  json j = {
      {"firing", r.firing},         {"since", Ms(r.since)},     {"seq", r.seq},
      {"repeats", r.repeats},       {"announced", r.announced}, {"folded", r.folded},
      {"level", ToString(r.level)}, {"summary", r.summary},     {"pending_at", Ms(r.pending_at)}};
  if (r.last_sent) {
    j["last_sent"] = Ms(*r.last_sent);
  }
  if (r.pending) {
    j["pending"] = ToString(*r.pending);
  }
  if (r.status) {
    j["status"] = ToString(*r.status);
  }
  if (r.down_for) {
    j["down_for"] = r.down_for->count();
  }
  return j;
}

RuleState RuleFromJson(const json& j) {
  RuleState r;
  r.firing = j.value("firing", false);
  r.since = At(j, "since");
  r.seq = j.value("seq", 0);
  r.repeats = j.value("repeats", 0);
  r.announced = j.value("announced", false);
  r.folded = j.value("folded", false);
  r.level = ParseAlertLevel(j.value("level", "critical")).value_or(AlertLevel::kCritical);
  r.summary = j.value("summary", "");
  r.pending_at = At(j, "pending_at");
  if (j.contains("last_sent")) {
    r.last_sent = At(j, "last_sent");
  }
  if (j.contains("pending")) {
    r.pending = ParseAlertEventKind(j["pending"].get<std::string>());
  }
  if (j.contains("status")) {
    r.status = ParseCheckStatus(j["status"].get<std::string>());
  }
  if (j.contains("down_for")) {
    r.down_for = std::chrono::milliseconds(j["down_for"].get<int64_t>());
  }
  return r;
}

template <typename T, typename F>
Result<T> Parse(const std::string& text, const char* what, F&& body) {
  if (text.empty()) {
    return T{};
  }
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) {
    return Status::InvalidArgument(std::string(what) + ": not a JSON object");
  }
  try {
    return body(j);
  } catch (const json::exception& e) {
    return Status::InvalidArgument(std::string(what) + ": " + e.what());
  }
}

}  // namespace

std::string ToJson(const MonitorAlertState& s) {
  json recent = json::array();
  for (const auto& [at, failed] : s.recent) {
    recent.push_back({Ms(at), failed});
  }
  json rules = json::object();
  for (const auto& [name, r] : s.rules) {
    rules[name] = RuleJson(r);
  }
  json j = {{"fails", s.fails},
            {"oks", s.oks},
            {"recent", std::move(recent)},
            {"history", s.history},
            {"flapping", s.flapping},
            {"http_status", s.http_status},
            {"error", s.error},
            {"phase", s.failing_phase},
            {"rules", std::move(rules)}};
  if (s.last_failure) {
    j["last_failure"] = ToString(*s.last_failure);
  }
  if (s.failing_since) {
    j["failing_since"] = Ms(*s.failing_since);
  }
  if (!s.incidents.empty()) {
    j["incidents"] = s.incidents;
  }
  if (!s.lifecycle.empty()) {
    j["lifecycle"] = s.lifecycle;
  }
  return j.dump();
}

Result<MonitorAlertState> MonitorAlertStateFromJson(const std::string& text) {
  return Parse<MonitorAlertState>(text, "alert state", [](const json& j) {
    MonitorAlertState s;
    s.fails = j.value("fails", 0);
    s.oks = j.value("oks", 0);
    for (const json& e : j.value("recent", json::array())) {
      s.recent.emplace_back(FromUnixMillis(e.at(0).get<int64_t>()), e.at(1).get<bool>());
    }
    s.history = j.value("history", "");
    s.flapping = j.value("flapping", false);
    s.http_status = j.value("http_status", 0);
    s.error = j.value("error", "");
    s.failing_phase = j.value("phase", "");
    if (j.contains("last_failure")) {
      s.last_failure = ParseCheckStatus(j["last_failure"].get<std::string>());
    }
    if (j.contains("failing_since")) {
      s.failing_since = At(j, "failing_since");
    }
    s.incidents = j.value("incidents", std::vector<std::string>{});
    s.lifecycle = j.value("lifecycle", std::map<std::string, std::string>{});
    const json rules = j.value("rules", json::object());
    for (const auto& [name, r] : rules.items()) {
      s.rules[name] = RuleFromJson(r);
    }
    return s;
  });
}

std::string ToJson(const HostState& s) {
  return json{{"down", s.down}, {"since", Ms(s.since)}, {"seq", s.seq}, {"canaries", s.canaries}}
      .dump();
}

Result<HostState> HostStateFromJson(const std::string& text) {
  return Parse<HostState>(text, "host state", [](const json& j) {
    HostState s;
    s.down = j.value("down", false);
    s.since = At(j, "since");
    s.seq = j.value("seq", 0);
    s.canaries = j.value("canaries", std::map<std::string, bool>{});
    return s;
  });
}

std::string ToJson(const BudgetState& s) {
  return json{{"constrained", s.constrained}, {"since", Ms(s.since)}, {"seq", s.seq}}.dump();
}

Result<BudgetState> BudgetStateFromJson(const std::string& text) {
  return Parse<BudgetState>(text, "budget state", [](const json& j) {
    BudgetState s;
    s.constrained = j.value("constrained", false);
    s.since = At(j, "since");
    s.seq = j.value("seq", 0);
    return s;
  });
}

}  // namespace modelwatch::alert
