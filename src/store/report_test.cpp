#include "store/report.h"

#include <gtest/gtest.h>

#include "store/store_test_util.h"

namespace modelwatch::store {
namespace {

using std::chrono::hours;
using std::chrono::minutes;

TEST(Report, MergesAdjacentBadHoursIntoOnePeriod) {
  testing::TempDir dir;
  FakeClock clock;
  Options o;
  o.sqlite_path = dir.path() + "/r.db";
  o.clock = &clock;
  auto store = Open(o);
  ASSERT_TRUE(store.has_value());
  WallTime now = clock.WallNow();
  WallTime h0 = FromUnixMillis(BucketStart(Resolution::kHour, ToUnixMillis(now)));
  // 10 hours, a check a minute; hours 3 and 4 back lose half; hour 7 back loses one.
  for (int h = 1; h <= 10; ++h) {
    for (int m = 0; m < 60; ++m) {
      bool fail = ((h == 3 || h == 4) && m % 2 == 0) || (h == 7 && m == 0);
      (*store)->Append(testing::MakeResult("m", h0 - hours(h) + minutes(m),
                                           fail ? CheckStatus::kServerError : CheckStatus::kSuccess,
                                           std::chrono::milliseconds(1000 + h * 100)));
    }
  }
  ASSERT_TRUE((*store)->Flush().ok());
  auto r = BuildReport(**store, {"m"}, now - hours(24), now, nullptr);
  ASSERT_TRUE(r.has_value()) << r.error().message();
  const MonitorReport& mr = r->monitors[0];
  EXPECT_EQ(mr.hours.size(), 10u);
  ASSERT_EQ(mr.anomalies.size(), 2u);
  EXPECT_EQ(mr.anomalies[0].start, h0 - hours(7));
  EXPECT_EQ(mr.anomalies[0].end, h0 - hours(6));
  EXPECT_EQ(mr.anomalies[1].start, h0 - hours(4));
  EXPECT_EQ(mr.anomalies[1].end, h0 - hours(2));
  EXPECT_EQ(mr.anomalies[1].failures, 60u);
  EXPECT_DOUBLE_EQ(mr.anomalies[1].availability, 50.0);
  EXPECT_EQ(mr.overall.checks, 600u);
  EXPECT_FALSE(mr.days.empty());
}

}  // namespace
}  // namespace modelwatch::store
