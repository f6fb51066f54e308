#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "core/status.h"

namespace modelwatch {

// The longest duration any setting or flag takes: ten years. Longer ones
// (and ones that would overflow) are errors, so time arithmetic on parsed
// durations cannot overflow a steady_clock time point.
inline constexpr std::chrono::milliseconds kMaxDuration{3650LL * 86'400'000};

// Parses "250ms", "90s", "5m", "1h", "7d", or a sum such as "1m30s".
// A bare number is an error: the unit must be said.
Result<std::chrono::milliseconds> ParseDuration(std::string_view text);

// The shortest exact form: 90000ms -> "1m30s", 1500ms -> "1500ms".
std::string FormatDuration(std::chrono::milliseconds d);

}  // namespace modelwatch
