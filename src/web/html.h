#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "store/stats.h"

namespace modelwatch::web {

// The one escaping function for everything placed in HTML or SVG, text or
// attribute value (quoted with " or '): & < > " ' become entities, and
// control characters other than tab and newline become U+FFFD, so no text
// from a provider, a config or a URL can open a tag or leave an attribute.
std::string EscapeHtml(std::string_view text);
// Appends EscapeHtml(text) to `out`.
void AppendEscaped(std::string& out, std::string_view text);

// "99.95 %", "100 %", "—" when absent.
std::string FormatPercent(std::optional<double> pct);
// "850 ms", "4.2 s", "1.5 min"; "—" when absent.
std::string FormatMillis(std::optional<double> ms);
// "12 s ago", "3 min ago", "2 h ago", "5 d ago"; "never" when absent.
std::string FormatAge(std::optional<WallTime> t, WallTime now);
// CSS class of a health: "h-normal", "h-warning", "h-alert", "h-unknown".
std::string_view HealthClass(store::Health h);

}  // namespace modelwatch::web
