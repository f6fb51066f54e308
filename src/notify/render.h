#pragma once

#include <chrono>
#include <cstddef>
#include <limits>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/notification.h"
#include "notify/markup.h"

namespace modelwatch::notify {

// How a notification reads, written once for every channel. Pure functions
// of the Notification: no clock, no I/O. Text is in the notification's
// language ("en" or "zh"; anything else reads as English).
//
// A message starts with its headline: what is wrong, whose side it most
// likely is, and what to do. Then one block per alert: model, provider,
// rule and since; the provider's error (one line, clipped, escaped); the 1h
// and 24h figures; the diagnosis; suggested actions; status pages; the
// monitors folded into it. A resolved notice says how long it was down.

struct RenderOptions {
  Markup markup = Markup::kPlain;
  // The limit of the whole text; blocks that do not fit are left out whole
  // and counted ("… and 3 more alerts"), and what still does not fit is cut
  // at a character boundary with "…".
  size_t max_size = std::numeric_limits<size_t>::max();
  // Count max_size in UTF-16 code units (Discord, Telegram) instead of bytes.
  // For kHtml bytes are counted anyway: they are never fewer.
  bool utf16 = false;
  // Start with the headline (bold). Channels that show the headline in a
  // field of its own (card header, embed title) leave it out here.
  bool with_headline = true;
};

// The headline: Notification::title when the alert engine set one, else
// made from the alerts, e.g. "[CRITICAL] nano-banana-pro: server error
// (HTTP 503), 3 in a row — provider side: wait; fail over if it lasts".
// Plain text, one line, valid UTF-8.
std::string Headline(const Notification& n);

// The whole message (headline unless left out, then the blocks) in one dialect.
std::string RenderText(const Notification& n, const RenderOptions& options);

// True when every alert in it is a recovery (resolved, stable, network back).
bool IsRecovery(const Notification& n);

// Colours by level, green for recoveries.
std::string_view ColorHex(const Notification& n);  // "#E01E5A", "#ECB22E", "#36C5F0", "#2EB67D"
int ColorInt(const Notification& n);               // the same as 0xRRGGBB (Discord)
std::string_view FeishuTemplate(const Notification& n);  // "red", "orange", "blue", "green"
std::string_view WeComColor(const Notification& n);      // "warning", "comment", "info"
std::string_view TeamsColor(const Notification& n);      // "Attention", "Warning", "Accent", "Good"

// "CRITICAL" / "严重", or "RESOLVED" / "已恢复" for a recovery.
std::string LevelLabel(const Notification& n);

// Labelled facts of one alert (Teams FactSet, Discord embed fields): plain,
// unescaped, one line each; empty facts left out.
std::vector<std::pair<std::string, std::string>> Facts(const AlertItem& item,
                                                       std::string_view language);

// "45 s", "12 min", "1 h 5 min", "2 d 3 h"; Chinese "12 分钟", "1 小时 5 分钟".
std::string FormatDuration(std::chrono::milliseconds d, std::string_view language);

// The provider's error as shown: valid UTF-8, one line, at most 300 bytes.
std::string ShownError(std::string_view error);

}  // namespace modelwatch::notify
