// Cost through the store, against SQLite and PostgreSQL: stored with each
// result, summed in the rollups, and old (version 1) rollup blobs still read.
#include <gtest/gtest.h>

#include "store/report.h"
#include "store/rollup.h"
#include "store/store_contract_fixture.h"
#include "store/windows.h"

namespace modelwatch::store::testing {
namespace {

using std::chrono::hours;
using std::chrono::minutes;

class CostContract : public StoreContract {};

// A known history: three Nano Banana Pro checks a day for two days at
// $0.134, a failure without cost, and one with a usage-priced $0.0388694.
std::vector<CheckResult> History(WallTime day0) {
  std::vector<CheckResult> out;
  for (int day = 0; day < 2; ++day) {
    for (int i = 0; i < 3; ++i) {
      CheckResult r = MakeResult("nbp", day0 + hours(24 * day) + minutes(10 * i));
      r.cost = 0.134;
      out.push_back(r);
    }
  }
  CheckResult failed = MakeResult("nbp", day0 + hours(1), CheckStatus::kServerError);
  out.push_back(failed);
  CheckResult flash = MakeResult("flash", day0 + hours(2));
  flash.cost = 0.0388694;
  out.push_back(flash);
  return out;
}

WallTime Day0(const StoreContract& t, const FakeClock& clock) {
  int64_t ms = ToUnixMillis(clock.WallNow() - hours(72));
  return FromUnixMillis(BucketStart(Resolution::kDay, ms));
}

TEST_P(CostContract, ResultsKeepTheirCost) {
  auto store = OpenStore();
  ASSERT_TRUE(store);
  for (CheckResult& r : History(Day0(*this, clock_))) {
    store->Append(r);
  }
  ASSERT_TRUE(store->Flush().ok());
  auto flash = store->Results("flash", WallTime{});
  ASSERT_TRUE(flash);
  ASSERT_EQ(flash->size(), 1u);
  ASSERT_TRUE((*flash)[0].cost);
  EXPECT_DOUBLE_EQ(*(*flash)[0].cost, 0.0388694);
  auto nbp = store->Results("nbp", WallTime{});
  ASSERT_EQ(nbp->size(), 7u);
  EXPECT_FALSE((*nbp)[3].cost);  // the failure, at day0 + 1h
}

TEST_P(CostContract, RollupsSumCostPerDay) {
  auto store = OpenStore();
  ASSERT_TRUE(store);
  WallTime day0 = Day0(*this, clock_);
  for (CheckResult& r : History(day0)) {
    store->Append(r);
  }
  ASSERT_TRUE(store->Flush().ok());
  std::map<std::string, std::vector<std::pair<WallTime, Rollup>>> days;
  ASSERT_TRUE(store
                  ->ScanRollups(Resolution::kDay, {}, day0, day0 + hours(72),
                                [&](const std::string& m, WallTime start, const Rollup& r) {
                                  days[m].emplace_back(start, r);
                                })
                  .ok());
  ASSERT_EQ(days["nbp"].size(), 2u);
  EXPECT_EQ(days["nbp"][0].second.cost_micros, 402'000u);
  EXPECT_EQ(days["nbp"][0].second.costed, 3u);
  EXPECT_EQ(days["nbp"][0].second.checks(), 4u);
  EXPECT_DOUBLE_EQ(days["nbp"][1].second.cost_usd(), 0.402);
  EXPECT_EQ(days["flash"][0].second.cost_micros, 38'869u);
}

TEST_P(CostContract, ReportAndWindowsCarryCost) {
  auto store = OpenStore();
  ASSERT_TRUE(store);
  WallTime day0 = Day0(*this, clock_);
  for (CheckResult& r : History(day0)) {
    store->Append(r);
  }
  ASSERT_TRUE(store->Flush().ok());
  auto report = BuildReport(*store, {"nbp"}, day0, clock_.WallNow(),
                            [](const std::string&) { return Thresholds{}; });
  ASSERT_TRUE(report) << report.error().message();
  ASSERT_EQ(report->monitors[0].days.size(), 2u);
  EXPECT_DOUBLE_EQ(report->monitors[0].days[0].cost_usd, 0.402);
  EXPECT_DOUBLE_EQ(report->monitors[0].overall.cost_usd, 0.804);
  auto windows = ComputeWindows(*store, {"nbp"}, clock_.WallNow(),
                                [](const std::string&) { return Thresholds{}; });
  ASSERT_TRUE(windows);
  EXPECT_DOUBLE_EQ((*windows)[0].windows[4].cost_usd, 0.804);  // 30d
  EXPECT_EQ((*windows)[0].windows[4].costed, 6u);
}

INSTANTIATE_TEST_SUITE_P(Engines, CostContract, ::testing::Values("sqlite", "postgres"),
                         [](const auto& info) { return info.param; });

TEST(RollupCost, VersionOneBlobDecodesWithoutCost) {
  Rollup r;
  r.Add(MakeResult("m", WallTime{}));
  std::string v2 = EncodeRollup(r);
  // A version 1 blob is the same without the eleventh status count
  // (model_not_found, one varint byte for 0) and the two trailing cost varints.
  std::string v1 = v2.substr(0, 1 + 10) + v2.substr(1 + 11, v2.size() - 2 - (1 + 11));
  v1[0] = 1;
  Rollup back;
  ASSERT_TRUE(DecodeRollup(v1, &back));
  EXPECT_EQ(back.checks(), 1u);
  EXPECT_EQ(back.costed, 0u);
}

TEST(RollupCost, MergeAddsCost) {
  Rollup a;
  CheckResult r = MakeResult("m", WallTime{});
  r.cost = 0.25;
  a.Add(r);
  Rollup b = a;
  a.Merge(b);
  EXPECT_EQ(a.cost_micros, 500'000u);
  Rollup back;
  ASSERT_TRUE(DecodeRollup(EncodeRollup(a), &back));
  EXPECT_EQ(back, a);
}

}  // namespace
}  // namespace modelwatch::store::testing
