#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "alert/rules.h"
#include "config/alerts.h"
#include "core/check_status.h"
#include "core/notification.h"

namespace modelwatch::alert {

// The one-line texts of alerts, in `language` ("en" or "zh"). Pure.

std::string ConsecutiveSummary(int failures, CheckStatus status, std::string_view language);
std::string FailureRateSummary(const RateCount& c, std::chrono::milliseconds window, double above,
                               std::string_view language);
std::string WindowSummary(config::WindowRuleKind kind, const WindowVerdict& v,
                          std::string_view window, std::string_view language);
std::string FlappingSummary(double percent, int checks, std::string_view language);
std::string StableSummary(std::string_view language);
std::string ResolvedSummary(std::chrono::milliseconds down_for, std::string_view language);
std::string HostSummary(bool down, size_t canaries, std::chrono::milliseconds down_for,
                        std::string_view language);

// "[CRITICAL] gemini-pro: 3 failures in a row (server_error)" for one item,
// "[CRITICAL] 5 alerts firing (provider=google)" for several.
std::string Title(const Notification& n);

}  // namespace modelwatch::alert
