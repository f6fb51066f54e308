#include "alert/state.h"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>
#include <nlohmann/json.hpp>

#include "core/check_result.h"

namespace modelwatch::alert {

namespace {

using nlohmann::json;

json Ms(WallTime t) { return ToUnixMillis(t); }
WallTime At(const json& j, const char* key) { return FromUnixMillis(j.value(key, int64_t{0})); }

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

// A monitor's state is written on every one of its results and, in a
// provider-wide outage, for every monitor of the flushed groups at once
// (10,000 in one tick), so it is written straight into one string rather
// than built as a JSON tree first (a tree of some hundred nodes per state,
// most of the tick's time). Strings go through nlohmann's escaping, invalid
// UTF-8 replaced, so the text always parses back.
namespace {

class JsonWriter {
 public:
  explicit JsonWriter(size_t reserve) { out_.reserve(reserve); }
  void Open(char c) {
    Separate();
    out_ += c;
    first_ = true;
  }
  void Close(char c) {
    out_ += c;
    first_ = false;
  }
  void Key(std::string_view k) {
    String(k);
    out_ += ':';
    first_ = true;  // the value follows without a comma
  }
  void String(std::string_view v) {
    Separate();
    // Most strings here are plain ASCII (rule names, levels, summaries):
    // written as they are. Anything else goes through nlohmann.
    bool plain = std::all_of(v.begin(), v.end(), [](char c) {
      auto u = static_cast<unsigned char>(c);
      return u >= 0x20 && u < 0x80 && c != '"' && c != '\\';
    });
    if (plain) {
      out_ += '"';
      out_ += v;
      out_ += '"';
    } else {
      out_ += json(std::string(v)).dump(-1, ' ', false, json::error_handler_t::replace);
    }
  }
  void Int(int64_t v) {
    Separate();
    fmt::format_to(std::back_inserter(out_), "{}", v);
  }
  void Bool(bool v) {
    Separate();
    out_ += v ? "true" : "false";
  }
  std::string Take() { return std::move(out_); }

 private:
  void Separate() {
    if (!first_) {
      out_ += ',';
    }
    first_ = false;
  }
  std::string out_;
  bool first_ = true;
};

void WriteRule(JsonWriter& w, const RuleState& r) {
  w.Open('{');
  w.Key("firing"), w.Bool(r.firing);
  w.Key("since"), w.Int(ToUnixMillis(r.since));
  w.Key("seq"), w.Int(r.seq);
  w.Key("repeats"), w.Int(r.repeats);
  w.Key("announced"), w.Bool(r.announced);
  w.Key("folded"), w.Bool(r.folded);
  w.Key("level"), w.String(ToString(r.level));
  w.Key("summary"), w.String(r.summary);
  w.Key("pending_at"), w.Int(ToUnixMillis(r.pending_at));
  if (r.last_sent) {
    w.Key("last_sent"), w.Int(ToUnixMillis(*r.last_sent));
  }
  if (r.pending) {
    w.Key("pending"), w.String(ToString(*r.pending));
  }
  if (r.status) {
    w.Key("status"), w.String(ToString(*r.status));
  }
  if (r.down_for) {
    w.Key("down_for"), w.Int(r.down_for->count());
  }
  w.Close('}');
}

}  // namespace

std::string ToJson(const MonitorAlertState& s) {
  JsonWriter w(256 + 24 * s.recent.size() + 200 * s.rules.size());
  w.Open('{');
  w.Key("fails"), w.Int(s.fails);
  w.Key("oks"), w.Int(s.oks);
  w.Key("recent"), w.Open('[');
  for (const auto& [at, failed] : s.recent) {
    w.Open('['), w.Int(ToUnixMillis(at)), w.Bool(failed), w.Close(']');
  }
  w.Close(']');
  w.Key("history"), w.String(s.history);
  w.Key("flapping"), w.Bool(s.flapping);
  w.Key("http_status"), w.Int(s.http_status);
  w.Key("error"), w.String(s.error);
  w.Key("phase"), w.String(s.failing_phase);
  w.Key("rules"), w.Open('{');
  for (const auto& [name, r] : s.rules) {
    w.Key(name);
    WriteRule(w, r);
  }
  w.Close('}');
  if (s.last_failure) {
    w.Key("last_failure"), w.String(ToString(*s.last_failure));
  }
  if (s.failing_since) {
    w.Key("failing_since"), w.Int(ToUnixMillis(*s.failing_since));
  }
  if (!s.incidents.empty()) {
    w.Key("incidents"), w.Open('[');
    for (const std::string& i : s.incidents) {
      w.String(i);
    }
    w.Close(']');
  }
  if (!s.lifecycle.empty()) {
    w.Key("lifecycle"), w.Open('{');
    for (const auto& [model, key] : s.lifecycle) {
      w.Key(model), w.String(key);
    }
    w.Close('}');
  }
  if (!s.told.empty()) {
    w.Key("told"), w.Open('[');
    for (const ToldSpan& t : s.told) {
      w.Open('['), w.Int(ToUnixMillis(t.first)), w.Int(ToUnixMillis(t.last)), w.Int(t.failures);
      w.Close(']');
    }
    w.Close(']');
    w.Key("told_open"), w.Bool(s.told_open);
  }
  w.Close('}');
  return w.Take();
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
    for (const json& e : j.value("told", json::array())) {
      s.told.push_back({FromUnixMillis(e.at(0).get<int64_t>()),
                        FromUnixMillis(e.at(1).get<int64_t>()), e.at(2).get<int>()});
    }
    s.told_open = !s.told.empty() && j.value("told_open", false);
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
