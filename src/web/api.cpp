#include <fmt/format.h>

#include <ctime>
#include <nlohmann/json.hpp>

#include "core/check_result_json.h"
#include "core/duration.h"
#include "web/api_json.h"
#include "web/healthiest.h"
#include "web/light.h"
#include "web/routes.h"
#include "web/svg.h"

namespace modelwatch::web {

namespace {

using json = nlohmann::ordered_json;

std::optional<int> WindowIndex(const std::string& name) {
  for (int i = 0; i < store::kWindowCount; ++i) {
    if (store::WindowName(i) == name) {
      return i;
    }
  }
  return std::nullopt;
}

std::shared_ptr<const LiveSnapshot> Live(const Env& env) {
  return env.live != nullptr ? env.live->Get() : nullptr;
}

Response NoMonitor(const std::string& name) {
  return JsonError(404, fmt::format("no monitor named \"{}\"", name.substr(0, 200)));
}

}  // namespace

std::optional<size_t> ParseCount(const std::string& s, size_t digits) {
  if (s.empty() || s.size() > digits) {
    return std::nullopt;
  }
  size_t n = 0;
  for (char c : s) {
    if (c < '0' || c > '9') {
      return std::nullopt;
    }
    n = n * 10 + (c - '0');
  }
  return n;
}

std::optional<Response> ParsePage(const Request& req, WallTime now, std::chrono::milliseconds back,
                                  Page* page) {
  page->since = now - back;
  page->limit = kDefaultLimit;
  if (std::string s = req.Query("since"); !s.empty()) {
    auto parsed = ParseSince(s, now);
    if (!parsed) {
      return JsonError(400,
                       "since must be ms since the epoch, ISO 8601 UTC "
                       "(2026-01-02T03:04:05Z) or a duration back from now (24h)");
    }
    page->since = *parsed;
  }
  if (std::string l = req.Query("limit"); !l.empty()) {
    auto n = ParseCount(l);
    if (!n || *n == 0 || *n > kMaxLimit) {
      return JsonError(400, fmt::format("limit must be a whole number from 1 to {}", kMaxLimit));
    }
    page->limit = *n;
  }
  return std::nullopt;
}

json WindowJson(const store::WindowStats& w) {
  json j;
  j["window_ms"] = w.window.count();
  j["checks"] = w.checks;
  j["successes"] = w.successes;
  j["failures"] = w.failures;
  j["rate_limited"] = w.rate_limited;
  json by = json::object();
  for (int s = 0; s < kCheckStatusCount; ++s) {
    if (w.by_status[s] > 0) {
      by[std::string(ToString(static_cast<CheckStatus>(s)))] = w.by_status[s];
    }
  }
  j["by_status"] = by;
  j["availability"] = w.availability ? json(*w.availability) : json(nullptr);
  j["error_rate"] = w.error_rate ? json(*w.error_rate) : json(nullptr);
  j["rate_limits_per_hour"] = w.rate_limits_per_hour;
  if (w.latency) {
    j["latency_ms"] = {{"avg", w.latency->avg}, {"p50", w.latency->p50}, {"p95", w.latency->p95},
                       {"p99", w.latency->p99}, {"min", w.latency->min}, {"max", w.latency->max}};
  } else {
    j["latency_ms"] = nullptr;
  }
  j["health"] = {{"overall", ToString(w.overall())},
                 {"availability", ToString(w.availability_health)},
                 {"latency", ToString(w.latency_health)},
                 {"error_rate", ToString(w.error_rate_health)},
                 {"rate_limits", ToString(w.rate_limit_health)}};
  return j;
}

json MonitorJson(const MonitorView& m, const LiveSnapshot* live, bool windows) {
  json j;
  j["name"] = m.name;
  j["kind"] = m.kind;
  j["model"] = m.model;
  j["provider"] = m.provider;
  j["labels"] = m.labels;
  j["interval_ms"] = m.interval.count();
  j["configured"] = m.configured;
  Current c = CurrentOf(m, live);
  j["current"] = {{"status", c.status ? json(ToString(*c.status)) : json(nullptr)},
                  {"last_check", c.last_check ? json(FormatIso8601(*c.last_check)) : json(nullptr)},
                  {"consecutive_failures", c.consecutive_failures},
                  {"error", c.error}};
  if (m.price_per_check || m.month_costed > 0) {
    j["cost"] = {{"per_check_usd", m.price_per_check ? json(*m.price_per_check) : json(nullptr)},
                 {"month_to_date_usd", m.month_cost_usd},
                 {"month_projected_usd", m.month_projected_usd},
                 {"month_checks_costed", m.month_costed}};
  }
  if (windows) {
    json w;
    for (int i = 0; i < store::kWindowCount; ++i) {
      w[std::string(store::WindowName(i))] = WindowJson(m.windows.windows[i]);
    }
    j["windows"] = w;
  }
  return j;
}

std::optional<WallTime> ParseSince(const std::string& text, WallTime now) {
  if (text.empty()) {
    return std::nullopt;
  }
  if (auto n = ParseCount(text, 15)) {
    return FromUnixMillis(static_cast<int64_t>(*n));
  }
  if (text.size() >= 20 && text[4] == '-' && text[10] == 'T') {
    std::tm tm{};
    const char* end = strptime(text.c_str(), "%Y-%m-%dT%H:%M:%S", &tm);
    if (end != nullptr) {
      int64_t ms = 0;
      if (*end == '.') {
        int digits = 0;
        for (++end; *end >= '0' && *end <= '9'; ++end) {
          if (digits++ < 3) {
            ms = ms * 10 + (*end - '0');
          }
        }
        for (; digits < 3; ++digits) {
          ms *= 10;
        }
      }
      if (std::string_view(end) == "Z") {
        return FromUnixMillis(static_cast<int64_t>(timegm(&tm)) * 1000 + ms);
      }
    }
    return std::nullopt;
  }
  if (auto d = ParseDuration(text)) {
    return now - *d;
  }
  return std::nullopt;
}

Response ApiMonitors(const Env& env, const Request& req) {
  auto data = env.cache.Get();
  auto live = Live(env);
  json list = json::array();
  for (const MonitorView& m : data->monitors) {
    list.push_back(MonitorJson(m, live.get(), false));
  }
  json j;
  j["monitors"] = std::move(list);
  return JsonOk(j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

Response ApiMonitor(const Env& env, const Request& req) {
  auto data = env.cache.Get();
  const MonitorView* m = data->Find(req.params.at(0));
  if (m == nullptr) {
    return NoMonitor(req.params[0]);
  }
  auto live = Live(env);
  return JsonOk(MonitorJson(*m, live.get(), true)
                    .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

Response ApiMonitorStats(const Env& env, const Request& req) {
  auto data = env.cache.Get();
  const MonitorView* m = data->Find(req.params.at(0));
  if (m == nullptr) {
    return NoMonitor(req.params[0]);
  }
  std::string window = req.Query("window", "24h");
  auto i = WindowIndex(window);
  if (!i) {
    return JsonError(400, "window must be one of 1h, 6h, 24h, 7d, 30d");
  }
  json j;
  j["monitor"] = m->name;
  j["window"] = window;
  j["computed_at"] = FormatIso8601(data->now);
  j["stats"] = WindowJson(m->windows.windows[*i]);
  // Light checks (full_every): counted apart from the full checks above.
  if (!LightMonitors(env.cfg, {m->name}).empty()) {
    auto light = env.light.Get(env.store, m->name, data->now, *i + 1);
    if (!light) {
      return JsonError(503, "store: " + light.error().message());
    }
    const LightCounts& c = (*light)[*i];
    auto pct = c.reachable_percent();
    j["light_checks"] = {{"full_every", FindMonitor(env.cfg, m->name)->full_every},
                         {"measures", kLightNote},
                         {"checks", c.checks},
                         {"reachable", c.reachable},
                         {"reachable_percent", pct ? json(*pct) : json(nullptr)}};
  }
  return JsonOk(j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

Response ApiMonitorResults(const Env& env, const Request& req) {
  auto data = env.cache.Get();
  const std::string& name = req.params.at(0);
  if (data->Find(name) == nullptr) {
    return NoMonitor(name);
  }
  Page page;
  if (auto bad = ParsePage(req, env.clock.WallNow(), std::chrono::hours(24), &page)) {
    return *bad;
  }
  const WallTime since = page.since;
  const size_t limit = page.limit;
  json results = json::array();
  std::optional<WallTime> next;
  store::ResultQuery q;
  q.monitors = {name};
  q.since = since;
  Status st = env.store.ScanResults(q, [&](const CheckResult& r) {
    if (results.size() == limit) {
      next = r.timestamp;
      return false;
    }
    results.push_back(ToJson(r));
    return true;
  });
  if (!st.ok()) {
    return JsonError(503, "store: " + st.message());
  }
  json j;
  j["monitor"] = name;
  j["since"] = FormatIso8601(since);
  j["results"] = std::move(results);
  // The next page starts at the first result not returned.
  j["next_since"] = next ? json(ToUnixMillis(*next)) : json(nullptr);
  return JsonOk(j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

std::string DashboardJson(const DashboardData& data, const LiveSnapshot* live) {
  json list = json::array();
  for (const MonitorView& m : data.monitors) {
    list.push_back(MonitorJson(m, live, true));
  }
  json j;
  j["computed_at"] = FormatIso8601(data.now);
  j["live"] = live != nullptr;
  if (live != nullptr) {
    j["live_taken"] = FormatIso8601(live->taken);
  }
  if (!data.error.empty()) {
    j["store_error"] = data.error;
  }
  j["monitors"] = std::move(list);
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

Response ApiDashboard(const Env& env, const Request& req) {
  auto data = env.cache.Get();
  // Serialized once per generation of the figures (every 5 s), with the
  // live state of that moment, for every client of that generation.
  auto cached = env.dashboard.Get(data, [&] { return DashboardJson(*data, Live(env).get()); });
  return CachedJson(req, std::move(cached));
}

Response ApiAlerts(const Env& env, const Request& req) {
  auto live = Live(env);
  json firing = json::array();
  if (live) {
    for (const alert::FiringAlert& a : live->firing) {
      firing.push_back({{"monitor", a.monitor},
                        {"rule", a.rule},
                        {"level", ToString(a.level)},
                        {"since", FormatIso8601(a.since)},
                        {"summary", a.summary},
                        {"silenced", a.silenced}});
    }
  }
  json j;
  j["firing"] = live ? std::move(firing) : json(nullptr);
  std::string monitor = req.Query("monitor");
  if (!monitor.empty() && env.cache.Get()->Find(monitor) == nullptr) {
    return NoMonitor(monitor);
  }
  auto events =
      env.store.AlertEvents(monitor, env.clock.WallNow() - std::chrono::hours(24 * 30), 200);
  json history = json::array();
  if (events) {
    for (const store::AlertEvent& e : *events) {
      history.push_back({{"id", e.id},
                         {"monitor", e.monitor},
                         {"rule", e.rule},
                         {"level", e.level},
                         {"kind", e.kind},
                         {"at", FormatIso8601(e.at)},
                         {"message", e.message},
                         {"silenced", e.silenced}});
    }
  } else {
    j["history_note"] = "no alert history yet: " + events.error().message();
  }
  j["history"] = std::move(history);
  return JsonOk(j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

Response ApiHealthiest(const Env& env, const Request& req) {
  auto data = env.cache.Get();
  auto live = Live(env);
  std::string error;
  auto selected = SelectMonitors(*data, req.Query("group"), req.Query("monitors"), &error);
  if (!error.empty()) {
    return JsonError(error.starts_with("unknown") || error.starts_with("no monitor") ? 404 : 400,
                     error);
  }
  json ranked = json::array();
  for (const Ranked& r : RankHealthiest(selected, live.get())) {
    ranked.push_back({{"rank", r.rank},
                      {"monitor", r.monitor->name},
                      {"state", r.state},
                      {"availability", r.availability ? json(*r.availability) : json(nullptr)},
                      {"availability_window", r.availability_window},
                      {"p95_ms", r.p95_ms ? json(*r.p95_ms) : json(nullptr)},
                      {"reason", r.reason}});
  }
  json j;
  j["computed_at"] = FormatIso8601(data->now);
  // Only an up monitor is worth failing over to.
  j["healthiest"] =
      !ranked.empty() && ranked[0]["state"] == "up" ? ranked[0]["monitor"] : json(nullptr);
  j["ranking"] = std::move(ranked);
  return JsonOk(j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

Response ApiBars(const Env& env, const Request& req) {
  auto data = env.cache.Get();
  std::string error;
  auto selected = SelectMonitors(*data, "", req.Query("monitors"), &error);
  if (!error.empty()) {
    return JsonError(400, error);
  }
  json monitors = json::object();
  for (const MonitorView* m : selected) {
    std::string days, hours;
    AppendBars(days, m->days.data(), kDayBars, data->first_day_ms, 86'400'000, m->thresholds);
    AppendBars(hours, m->hours.data(), kHourBars, data->first_hour_ms, 3'600'000, m->thresholds);
    monitors[m->name] = {{"days", days}, {"hours", hours}};
  }
  json j;
  j["monitors"] = std::move(monitors);
  return JsonOk(j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

}  // namespace modelwatch::web
