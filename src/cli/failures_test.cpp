#include "cli/failures.h"

#include <gtest/gtest.h>

namespace modelwatch::cli {
namespace {

TEST(FailuresByStatus, MostFrequentFirstWithWhoseSideItIs) {
  std::array<uint64_t, kCheckStatusCount> by{};
  by[static_cast<int>(CheckStatus::kSuccess)] = 90;
  by[static_cast<int>(CheckStatus::kRateLimited)] = 7;  // not a failure
  by[static_cast<int>(CheckStatus::kAuthError)] = 1;
  by[static_cast<int>(CheckStatus::kServerError)] = 5;
  EXPECT_EQ(FailuresByStatus(by), "server_error 5 (provider), auth_error 1 (yours)");
}

TEST(FailuresByStatus, NoFailuresSaysNone) {
  std::array<uint64_t, kCheckStatusCount> by{};
  by[0] = 3;
  EXPECT_EQ(FailuresByStatus(by), "none");
}

}  // namespace
}  // namespace modelwatch::cli
