#include "web/routes.h"

#include <nlohmann/json.hpp>

#include "web/pages.h"

namespace modelwatch::web {

namespace {

constexpr std::chrono::milliseconds kCacheTtl{5000};

// "/api/v1/monitors/a/b/stats" with prefix "/api/v1/monitors/" and suffix
// "/stats" captures "a/b" (names may hold slashes). False when it does not
// match or the capture is empty.
bool Match(const std::string& path, std::string_view prefix, std::string_view suffix,
           std::string* capture) {
  if (path.size() <= prefix.size() + suffix.size() || !path.starts_with(prefix) ||
      !path.ends_with(suffix)) {
    return false;
  }
  *capture = path.substr(prefix.size(), path.size() - prefix.size() - suffix.size());
  return !capture->empty();
}

Response Html(Response r) {
  r.headers.emplace_back("Content-Security-Policy", std::string(ContentSecurityPolicy()));
  return r;
}

Response Readyz(const Env& env) {
  nlohmann::json j;
  bool ready = true;
  Status st = env.store.last_error();
  j["store"] = st.ok() ? "ok" : st.message();
  ready = ready && st.ok();
  if (env.live != nullptr) {
    auto snap = env.live->Get();
    if (!snap) {
      j["loop"] = "no snapshot yet";
      ready = false;
    } else {
      auto age =
          std::chrono::duration_cast<std::chrono::milliseconds>(env.clock.WallNow() - snap->taken);
      j["loop_iterations"] = snap->loop_iterations;
      j["snapshot_age_ms"] = age.count();
      if (age > std::chrono::seconds(30)) {
        j["loop"] = "stalled: no snapshot for " + std::to_string(age.count() / 1000) + " s";
        ready = false;
      } else {
        j["loop"] = "ticking";
      }
      if (!snap->store_ok) {
        j["store"] = snap->store_error;
        ready = false;
      }
    }
  } else {
    j["loop"] = "none (read-only)";
  }
  j["ready"] = ready;
  return JsonOk(j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
                ready ? 200 : 503);
}

}  // namespace

Response JsonError(int status, std::string_view message) {
  nlohmann::json j;
  j["error"]["code"] = status;
  j["error"]["message"] = std::string(message);
  Response r;
  r.status = status;
  r.content_type = "application/json";
  r.body = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return r;
}

Response JsonOk(std::string json_text, int status) {
  Response r;
  r.status = status;
  r.content_type = "application/json";
  r.body = std::move(json_text);
  return r;
}

Routes::Routes(const config::Config& cfg, store::Store& store, const LiveState* live,
               Actions* actions, const Clock& clock)
    : cache_(cfg, store, live, clock, kCacheTtl),
      limiter_(clock, 10, 30),
      env_{cfg, store, live, actions, clock, cache_, limiter_, dashboard_, light_, nullptr} {}

void Routes::SetExtraMetrics(ExtraMetrics fn) {
  std::lock_guard lock(mu_);
  env_.extra_metrics = std::move(fn);
}

Response Routes::Handle(const Request& in) {
  Env env = [&] {
    std::lock_guard lock(mu_);
    return env_;
  }();
  Request req = in;
  const std::string& p = req.path;
  std::string cap;
  auto with = [&](Response (*fn)(const Env&, const Request&)) {
    req.params = {cap};
    return fn(env, req);
  };
  if (req.method == "GET" || req.method == "HEAD") {
    if (p == "/healthz") {
      return JsonOk(R"({"status":"ok"})");
    }
    if (p == "/readyz") {
      return Readyz(env);
    }
    if (p == "/static/app.js") {
      Response r;
      r.content_type = "text/javascript; charset=utf-8";
      r.body = std::string(AppJs());
      r.headers.emplace_back("Cache-Control", "max-age=300");
      return r;
    }
    if (p == "/metrics") {
      return Metrics(env, req);
    }
    if (p == "/" || p == "/compare" || Match(p, "/monitor/", "", &cap)) {
      auto data = env.cache.Get();
      auto live = env.live != nullptr ? env.live->Get() : nullptr;
      PageContext ctx{env.cfg, *data, live.get(), env.store, env.light};
      req.params = {cap};
      Response r = p == "/"          ? OverviewPage(ctx, req)
                   : p == "/compare" ? ComparePage(ctx, req)
                                     : MonitorPage(ctx, req);
      return Html(std::move(r));
    }
    if (p.starts_with("/badge/")) {
      for (std::string_view kind : {"/uptime", "/latency", "/status"}) {
        if (Match(p, "/badge/", kind, &cap)) {
          req.params = {cap, std::string(kind.substr(1))};
          return Badge(env, req);
        }
      }
      return JsonError(404, "badges are /badge/{monitor}/uptime, /latency or /status");
    }
    if (p == "/api/v1/monitors") {
      return ApiMonitors(env, req);
    }
    if (p == "/api/v1/dashboard") {
      return ApiDashboard(env, req);
    }
    if (p == "/api/v1/alerts") {
      return ApiAlerts(env, req);
    }
    if (p == "/api/v1/healthiest") {
      return ApiHealthiest(env, req);
    }
    if (p == "/api/v1/bars") {
      return ApiBars(env, req);
    }
    if (p == "/api/v1/sources") {
      return ApiSources(env, req);
    }
    if (p == "/api/v1/incidents") {
      return ApiIncidents(env, req);
    }
    if (p == "/api/v1/silences") {
      return ApiSilencesList(env, req);
    }
    if (Match(p, "/api/v1/monitors/", "/stats", &cap)) {
      return with(ApiMonitorStats);
    }
    if (Match(p, "/api/v1/monitors/", "/results", &cap)) {
      return with(ApiMonitorResults);
    }
    if (Match(p, "/api/v1/monitors/", "", &cap)) {
      return with(ApiMonitor);
    }
  } else if (req.method == "POST") {
    if (p == "/api/v1/silences") {
      return ApiSilencesAdd(env, req);
    }
    if (Match(p, "/api/v1/monitors/", "/run", &cap)) {
      return with(ApiRunNow);
    }
    if (Match(p, "/api/v1/push/", "", &cap)) {
      return with(ApiPush);
    }
  } else if (req.method == "DELETE") {
    if (Match(p, "/api/v1/silences/", "", &cap)) {
      return with(ApiSilencesRemove);
    }
  }
  if (p.starts_with("/api/")) {
    return JsonError(
        404, "no such API endpoint: " + req.method + " " + p.substr(0, 200) + " (see docs/web.md)");
  }
  Response r;
  r.status = 404;
  r.body = RenderPage(env.cfg, "Not found", "<div class=card>No such page.</div>");
  return Html(std::move(r));
}

}  // namespace modelwatch::web
