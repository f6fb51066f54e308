#pragma once

#include <nlohmann/json.hpp>

#include "core/clock.h"
#include "source/source.h"

namespace modelwatch::source {

// A snapshot as JSON for `modelwatch sources --json` and the web API:
// {source, kind, health, why, polled, page, incidents[{..., age_s}],
// components[], endpoints[], models[]}. Times are ISO 8601 UTC; `now`
// gives the incidents' ages. Endpoints carry `uptime_note`: OpenRouter's
// uptime excludes rate-limited requests, as modelwatch's availability does.
nlohmann::ordered_json ToJson(const Snapshot& s, WallTime now);

// The note shown wherever OpenRouter's uptime is.
inline constexpr const char* kUptimeNote =
    "OpenRouter's uptime excludes rate-limited requests, as modelwatch's availability does";

}  // namespace modelwatch::source
