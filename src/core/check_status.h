#pragma once

#include <optional>
#include <string_view>

namespace modelwatch {

// The outcome of one check, as in DESIGN.md's status table.
enum class CheckStatus {
  kSuccess,
  kDegraded,
  kRateLimited,
  kQuotaExhausted,
  kAuthError,
  kClientError,
  kServerError,
  kTimeout,
  kNetworkError,
  kInvalidResponse,
  kModelNotFound,  // the model ID is unknown to the provider: retired or renamed
};

inline constexpr int kCheckStatusCount = 11;

// "success", "rate_limited", ... The one text form, used in JSON, SQL and logs.
std::string_view ToString(CheckStatus s);
std::optional<CheckStatus> ParseCheckStatus(std::string_view s);

// Success and degraded are up; rate_limited is neither up nor a failure.
inline bool IsSuccess(CheckStatus s) {
  return s == CheckStatus::kSuccess || s == CheckStatus::kDegraded;
}
inline bool IsFailure(CheckStatus s) {
  return !IsSuccess(s) && s != CheckStatus::kRateLimited;
}

}  // namespace modelwatch
