#include "core/check_status.h"

#include <array>

namespace modelwatch {
namespace {

constexpr std::array<std::string_view, kCheckStatusCount> kNames = {
    "success",      "degraded",     "rate_limited", "quota_exhausted", "auth_error",
    "client_error", "server_error", "timeout",      "network_error",   "invalid_response",
    "model_not_found",
};

}  // namespace

std::string_view ToString(CheckStatus s) { return kNames[static_cast<int>(s)]; }

std::optional<CheckStatus> ParseCheckStatus(std::string_view s) {
  for (int i = 0; i < kCheckStatusCount; ++i) {
    if (kNames[i] == s) {
      return static_cast<CheckStatus>(i);
    }
  }
  return std::nullopt;
}

}  // namespace modelwatch
