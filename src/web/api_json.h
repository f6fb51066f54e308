#pragma once

#include <nlohmann/json.hpp>

#include "web/data.h"

namespace modelwatch::web {

// The JSON forms the API shares.
nlohmann::ordered_json WindowJson(const store::WindowStats& w);
// name, kind, model, provider, labels, interval_ms, configured, current
// {status, last_check, consecutive_failures}; with `windows`, every window.
nlohmann::ordered_json MonitorJson(const MonitorView& m, const LiveSnapshot* live, bool windows);

// A `since` parameter: ms since the epoch, ISO 8601 ("2026-01-02T03:04:05Z"),
// or a duration back from `now` ("24h"); nullopt when none of those.
std::optional<WallTime> ParseSince(const std::string& text, WallTime now);

}  // namespace modelwatch::web
