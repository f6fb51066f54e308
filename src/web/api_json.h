#pragma once

#include <nlohmann/json.hpp>

#include "web/data.h"
#include "web/http.h"

namespace modelwatch::web {

// The JSON forms the API shares.
nlohmann::ordered_json WindowJson(const store::WindowStats& w);
// name, kind, model, provider, labels, interval_ms, configured, current
// {status, last_check, consecutive_failures}; with `windows`, every window.
nlohmann::ordered_json MonitorJson(const MonitorView& m, const LiveSnapshot* live, bool windows);

// The /api/v1/dashboard body: computed_at, live, live_taken (the live
// snapshot's time), store_error when the store could not be read, and every
// monitor's MonitorJson with its windows.
std::string DashboardJson(const DashboardData& data, const LiveSnapshot* live);

// A `since` parameter: ms since the epoch, ISO 8601 ("2026-01-02T03:04:05Z"),
// or a duration back from `now` ("24h"); nullopt when none of those.
std::optional<WallTime> ParseSince(const std::string& text, WallTime now);

// A whole number of at most `digits` digits, or nullopt.
std::optional<size_t> ParseCount(const std::string& s, size_t digits = 9);

// The `since` and `limit` of a paged request (results, incidents).
inline constexpr size_t kDefaultLimit = 100;
inline constexpr size_t kMaxLimit = 1000;
struct Page {
  WallTime since{};
  size_t limit = kDefaultLimit;
};
// Fills *page from the request (no `since`: `back` from now); a 400 answer
// naming the bad parameter when one is malformed.
std::optional<Response> ParsePage(const Request& req, WallTime now, std::chrono::milliseconds back,
                                  Page* page);

}  // namespace modelwatch::web
