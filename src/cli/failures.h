#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/check_status.h"
#include "store/stats.h"

namespace modelwatch::cli {

// Whose side a failing status points at, for the tables' "failures by
// status": "provider" (server_error, timeout, invalid_response), "yours"
// (auth_error, client_error, quota_exhausted, model_not_found: a key, a
// request, a bill or a model ID to fix), "network" (either side).
std::string_view SideOf(CheckStatus s);

// "server_error 5 (provider), auth_error 1 (yours)", or "none": the
// failures of one window, most frequent first.
std::string FailuresByStatus(const std::array<uint64_t, kCheckStatusCount>& by_status);

}  // namespace modelwatch::cli
