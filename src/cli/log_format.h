#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "core/check_result.h"  // FormatIso8601
#include "core/clock.h"

namespace modelwatch::cli {

// `run --log-format`: JSON lines (one object per event, for journald
// readers, Loki, jq) or text for a person at a terminal. Both carry the same
// fields, already redacted by whoever built the event (no secret reaches a
// log line either way).
enum class LogFormat { kText, kJson };

// The event as one JSON line, without the newline.
std::string JsonLogLine(const nlohmann::ordered_json& event);

// "17:30:05 result monitor=nano status=success latency_ms=812 error=\"The
// engine is overloaded\"": the time (UTC, HH:MM:SS), the "event" value, then
// every other key=value in order. Strings with spaces, quotes or '=' are
// quoted; null values and empty objects are left out; objects and arrays are
// compact JSON. No trailing newline.
std::string TextLogLine(const nlohmann::ordered_json& event, WallTime now);

}  // namespace modelwatch::cli
