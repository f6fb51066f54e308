#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "core/check_result.h"

namespace modelwatch {

// The one JSON form of a result, used by `check --json`, the daemon's log and
// the API: monitor, status, latency_ms, http_status, error, retry_after_s,
// phases {dns_ms, connect_ms, tls_ms, first_byte_ms, total_ms}, image
// {format, width, height, bytes} or null, timestamp (UTC ISO 8601).
// Keys keep this order, so a log line reads monitor, status, latency first.
nlohmann::ordered_json ToJson(const CheckResult& r);

// The same as one line of text, without a trailing newline.
std::string ToJsonLine(const CheckResult& r);

}  // namespace modelwatch
