#include "engine/schedule.h"

#include <gtest/gtest.h>

namespace modelwatch::engine {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

TEST(Schedule, FirstRunsSpreadEvenlyAcrossTheInterval) {
  FakeClock clock;
  MonoTime t0 = clock.Now();
  EXPECT_EQ(FirstDue(t0, seconds(60), 0, 4), t0);
  EXPECT_EQ(FirstDue(t0, seconds(60), 1, 4), t0 + seconds(15));
  EXPECT_EQ(FirstDue(t0, seconds(60), 3, 4), t0 + seconds(45));
  EXPECT_EQ(FirstDue(t0, seconds(60), 0, 0), t0);
}

TEST(Schedule, NextDueStaysOnTheGrid) {
  FakeClock clock;
  MonoTime due = clock.Now();
  int64_t skipped = -1;
  // The check ran late (at due + 3s): the next one is still due + interval.
  EXPECT_EQ(NextDue(due, seconds(60), due + seconds(3), &skipped), due + seconds(60));
  EXPECT_EQ(skipped, 0);
}

TEST(Schedule, NextDueSkipsSlotsAlreadyPast) {
  FakeClock clock;
  MonoTime due = clock.Now();
  int64_t skipped = -1;
  EXPECT_EQ(NextDue(due, seconds(10), due + milliseconds(35'000), &skipped), due + seconds(40));
  EXPECT_EQ(skipped, 3);
}

}  // namespace
}  // namespace modelwatch::engine

namespace modelwatch::engine {
namespace {

TEST(Schedule, NextDueSaturatesInsteadOfWrapping) {
  MonoTime near_end = MonoTime::max() - std::chrono::hours(1);
  MonoTime next = NextDue(near_end, std::chrono::hours(24 * 365), near_end);
  EXPECT_EQ(next, MonoTime::max());
  EXPECT_GT(next, near_end);
}

}  // namespace
}  // namespace modelwatch::engine
