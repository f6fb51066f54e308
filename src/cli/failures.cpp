#include "cli/failures.h"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

namespace modelwatch::cli {

std::string_view SideOf(CheckStatus s) {
  switch (s) {
    case CheckStatus::kAuthError:
    case CheckStatus::kClientError:
    case CheckStatus::kQuotaExhausted:
    case CheckStatus::kModelNotFound:
      return "yours";
    case CheckStatus::kNetworkError:
      return "network";
    default:
      return "provider";
  }
}

std::string FailuresByStatus(const std::array<uint64_t, kCheckStatusCount>& by_status) {
  std::vector<std::pair<uint64_t, CheckStatus>> failing;
  for (int i = 0; i < kCheckStatusCount; ++i) {
    auto s = static_cast<CheckStatus>(i);
    if (IsFailure(s) && by_status[i] > 0) {
      failing.push_back({by_status[i], s});
    }
  }
  std::stable_sort(failing.begin(), failing.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  std::string out;
  for (const auto& [n, s] : failing) {
    out += fmt::format("{}{} {} ({})", out.empty() ? "" : ", ", ToString(s), n, SideOf(s));
  }
  return out.empty() ? "none" : out;
}

}  // namespace modelwatch::cli
