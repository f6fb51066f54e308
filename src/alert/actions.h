#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/check_result.h"

namespace modelwatch::alert {

// The phase a network_error failed in: "dns", "connect", "tls", or "" when
// it cannot be told. From the error text first (libcurl names the phase),
// else from which phase times are missing.
std::string FailingPhase(const CheckResult& r);

// What to do about an alert, in `language` ("en" or "zh"): fitted to the
// status it fired on (auth_error: the key; quota_exhausted: billing and
// quota; network_error: the failing `phase`; client_error: the request;
// model_not_found: update the model; server_error, timeout: the
// provider's status page; rate_limited: slow
// down) or, for window rules, to the rule.
std::vector<std::string> SuggestedActions(std::string_view rule, std::optional<CheckStatus> status,
                                          std::string_view phase, bool has_status_pages,
                                          std::string_view language);

}  // namespace modelwatch::alert
