#include "probe/degraded.h"

#include <gtest/gtest.h>

namespace modelwatch::probe {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

CheckResult Success(milliseconds latency) {
  CheckResult r;
  r.status = CheckStatus::kSuccess;
  r.latency = latency;
  return r;
}

TEST(DegradeIfSlow, ASlowSuccessIsDegradedAndSaysWhy) {
  CheckResult r = Success(milliseconds(41'200));
  EXPECT_TRUE(DegradeIfSlow(r, seconds(30)));
  EXPECT_EQ(r.status, CheckStatus::kDegraded);
  EXPECT_EQ(r.error, "slow: 41.2s is over the latency_alert threshold of 30s");
}

TEST(DegradeIfSlow, AFastSuccessIsUnchanged) {
  CheckResult r = Success(seconds(30));
  EXPECT_FALSE(DegradeIfSlow(r, seconds(30)));
  EXPECT_EQ(r.status, CheckStatus::kSuccess);
  EXPECT_TRUE(r.error.empty());
}

TEST(DegradeIfSlow, FailuresAndLightChecksAreUnchanged) {
  CheckResult failed = Success(seconds(50));
  failed.status = CheckStatus::kServerError;
  failed.error = "overloaded";
  EXPECT_FALSE(DegradeIfSlow(failed, seconds(30)));
  EXPECT_EQ(failed.error, "overloaded");
  CheckResult light = Success(seconds(50));
  light.mode = CheckMode::kLight;
  EXPECT_FALSE(DegradeIfSlow(light, seconds(30)));
  EXPECT_EQ(light.status, CheckStatus::kSuccess);
}

}  // namespace
}  // namespace modelwatch::probe
