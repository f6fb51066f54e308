#include "sim/timeline.h"

#include <gtest/gtest.h>

namespace modelwatch::sim {
namespace {

using std::chrono::milliseconds;

Step Make(Behaviour b, std::optional<int64_t> count, std::optional<Millis> length = {}) {
  Step s;
  s.behaviour = b;
  s.count = count;
  s.length = length;
  return s;
}

TEST(TimelineCursor, FollowsCountsInOrderThenStaysOnTheLastStep) {
  RouteTimeline tl;
  tl.steps = {Make(Behaviour::kOk, 2), Make(Behaviour::kRateLimit, 1),
              Make(Behaviour::kUnavailable, std::nullopt)};
  FakeClock clock;
  TimelineCursor c(tl, 1.0, clock.Now());
  std::vector<Behaviour> got;
  for (int i = 0; i < 6; ++i) {
    got.push_back(c.Next(clock.Now()).behaviour);
  }
  EXPECT_EQ(got, (std::vector<Behaviour>{Behaviour::kOk, Behaviour::kOk, Behaviour::kRateLimit,
                                         Behaviour::kUnavailable, Behaviour::kUnavailable,
                                         Behaviour::kUnavailable}));
}

TEST(TimelineCursor, LastCountedStepStaysWithoutRepeat) {
  RouteTimeline tl;
  tl.steps = {Make(Behaviour::kOk, 1), Make(Behaviour::kQuota, 1)};
  FakeClock clock;
  TimelineCursor c(tl, 1.0, clock.Now());
  c.Next(clock.Now());
  EXPECT_EQ(c.Next(clock.Now()).behaviour, Behaviour::kQuota);
  EXPECT_EQ(c.Next(clock.Now()).behaviour, Behaviour::kQuota);
}

TEST(TimelineCursor, RepeatCycles) {
  RouteTimeline tl;
  tl.repeat = true;
  tl.steps = {Make(Behaviour::kOk, 2), Make(Behaviour::kServerError, 1)};
  FakeClock clock;
  TimelineCursor c(tl, 1.0, clock.Now());
  std::string seq;
  for (int i = 0; i < 7; ++i) {
    seq += c.Next(clock.Now()).behaviour == Behaviour::kOk ? 'o' : 'E';
  }
  EXPECT_EQ(seq, "ooEooEo");
}

TEST(TimelineCursor, TimedStepsAreScaledAndLaidEndToEnd) {
  RouteTimeline tl;
  tl.steps = {Make(Behaviour::kOk, std::nullopt, milliseconds(10'000)),
              Make(Behaviour::kUnavailable, std::nullopt, milliseconds(5'000)),
              Make(Behaviour::kOk, std::nullopt)};
  FakeClock clock;
  TimelineCursor c(tl, 0.001, clock.Now());  // 10 s -> 10 ms
  EXPECT_EQ(c.Next(clock.Now()).behaviour, Behaviour::kOk);
  clock.Advance(milliseconds(9));
  EXPECT_EQ(c.Next(clock.Now()).behaviour, Behaviour::kOk);
  clock.Advance(milliseconds(2));  // 11 ms: in the 5 ms outage
  EXPECT_EQ(c.Next(clock.Now()).behaviour, Behaviour::kUnavailable);
  clock.Advance(milliseconds(4));  // 15 ms: outage over, even with no request at 10 ms
  EXPECT_EQ(c.Next(clock.Now()).behaviour, Behaviour::kOk);
  EXPECT_EQ(c.step_index(), 2u);
}

TEST(TimelineCursor, RepeatingTimedStepsFollowTheClockAfterIdleTime) {
  RouteTimeline tl;
  tl.repeat = true;
  tl.steps = {Make(Behaviour::kOk, std::nullopt, milliseconds(3)),
              Make(Behaviour::kHang, std::nullopt, milliseconds(1))};
  FakeClock clock;
  TimelineCursor c(tl, 1.0, clock.Now());
  clock.Advance(milliseconds(4 * 1000 + 3));  // 1000 cycles, then 3 ms in: the hang step
  EXPECT_EQ(c.Next(clock.Now()).behaviour, Behaviour::kHang);
}

}  // namespace
}  // namespace modelwatch::sim
