#pragma once

// The dashboard's server-rendered pages. Every text that came from a config,
// a provider or a URL goes through EscapeHtml (web/html.h).

#include <string>
#include <string_view>

#include "config/config.h"
#include "core/text.h"  // PercentEncode: a URL path segment
#include "store/store.h"
#include "web/data.h"
#include "web/http.h"
#include "web/light.h"
#include "web/live.h"

namespace modelwatch::web {

// What a page is rendered from; everything borrowed for the call.
struct PageContext {
  const config::Config& cfg;
  const DashboardData& data;
  const LiveSnapshot* live;  // null under `serve` and before the first snapshot
  store::Store& store;
  LightCache& light;  // light-check counts, per data generation
};

// GET /  (query: q= filter text)
Response OverviewPage(const PageContext& ctx, const Request& req);
// GET /monitor/{name}  (query: range=24h|7d|30d)
Response MonitorPage(const PageContext& ctx, const Request& req);
// GET /compare  (query: monitors=a,b or group=LABEL:VALUE; none: every monitor)
Response ComparePage(const PageContext& ctx, const Request& req);

// The page frame: <head> with the inline CSS, the header with `title` and
// navigation, then `body`, then /static/app.js. `title` is escaped here.
std::string RenderPage(const config::Config& cfg, std::string_view page_title,
                       const std::string& body);
// The Content-Security-Policy every page is served with.
std::string_view ContentSecurityPolicy();
// The JavaScript served at /static/app.js.
std::string_view AppJs();

// The CSS class of a current status: "s-up", "s-down", "s-limited", "s-unknown".
std::string_view StatusClass(std::optional<CheckStatus> s);

}  // namespace modelwatch::web
