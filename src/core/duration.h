#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "core/status.h"

namespace modelwatch {

// Parses "250ms", "90s", "5m", "1h", "7d", or a sum such as "1m30s".
// A bare number is an error: the unit must be said.
Result<std::chrono::milliseconds> ParseDuration(std::string_view text);

// The shortest exact form: 90000ms -> "1m30s", 1500ms -> "1500ms".
std::string FormatDuration(std::chrono::milliseconds d);

}  // namespace modelwatch
