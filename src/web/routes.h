#pragma once

// Every URL the server answers, as a plain function of a Request: the one
// routing table, shared by the socket server and the tests.

#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "config/config.h"
#include "core/clock.h"
#include "store/store.h"
#include "web/cached_body.h"
#include "web/data.h"
#include "web/guard.h"
#include "web/http.h"
#include "web/light.h"
#include "web/live.h"

namespace modelwatch::web {

// Extra text appended to /metrics (the integrator's notification counters);
// must be valid Prometheus text format, each family with HELP and TYPE.
using ExtraMetrics = std::function<std::string()>;

// What the handlers share. Borrowed: everything outlives the Routes.
struct Env {
  const config::Config& cfg;
  store::Store& store;
  const LiveState* live;  // null under `serve`
  Actions* actions;       // null under `serve`: run and push answer 503
  const Clock& clock;
  DataCache& cache;
  RateLimiter& limiter;  // push and admin
  BodyCache& dashboard;  // /api/v1/dashboard, per DataCache generation
  LightCache& light;     // light-check counts, per DataCache generation
  ExtraMetrics extra_metrics;
};

// Thread-safe: Handle may be called from any number of threads at once.
class Routes {
 public:
  Routes(const config::Config& cfg, store::Store& store, const LiveState* live, Actions* actions,
         const Clock& clock);

  Response Handle(const Request& req);
  void SetExtraMetrics(ExtraMetrics fn);

 private:
  DataCache cache_;
  RateLimiter limiter_;
  BodyCache dashboard_;
  LightCache light_;
  std::mutex mu_;  // guards env_.extra_metrics
  Env env_;
};

// API handlers (api.cpp, admin.cpp); `req.params` holds the captured segments.
Response ApiMonitors(const Env& env, const Request& req);
Response ApiMonitor(const Env& env, const Request& req);
Response ApiMonitorStats(const Env& env, const Request& req);
Response ApiMonitorResults(const Env& env, const Request& req);
Response ApiDashboard(const Env& env, const Request& req);
Response ApiAlerts(const Env& env, const Request& req);
Response ApiHealthiest(const Env& env, const Request& req);
Response ApiBars(const Env& env, const Request& req);
Response ApiSources(const Env& env, const Request& req);    // api_sources.cpp
Response ApiIncidents(const Env& env, const Request& req);  // api_sources.cpp
Response ApiSilencesList(const Env& env, const Request& req);
Response ApiSilencesAdd(const Env& env, const Request& req);
Response ApiSilencesRemove(const Env& env, const Request& req);
Response ApiRunNow(const Env& env, const Request& req);
Response ApiPush(const Env& env, const Request& req);
// GET /metrics
Response Metrics(const Env& env, const Request& req);
// GET /badge/{monitor}/{uptime|latency|status}
Response Badge(const Env& env, const Request& req);

// Unauthorized (401) unless the request carries the admin token, or 429
// when the client exceeded the rate limit; nullopt when it may proceed.
std::optional<Response> CheckAdmin(const Env& env, const Request& req);

}  // namespace modelwatch::web
