#include "store/histogram.h"

#include <gtest/gtest.h>

#include <random>

#include "store/rollup.h"
#include "store/store_test_util.h"

namespace modelwatch::store {
namespace {

TEST(Histogram, BucketsAreLogSpacedAndCoverEveryLatency) {
  EXPECT_EQ(Histogram::BucketOf(0), 0);
  EXPECT_EQ(Histogram::BucketOf(1), 1);
  EXPECT_EQ(Histogram::BucketOf(INT64_MAX), Histogram::kBuckets - 1);
  for (int i = 2; i < Histogram::kBuckets; ++i) {
    EXPECT_GE(Histogram::LowerBound(i), Histogram::LowerBound(i - 1));
    if (Histogram::LowerBound(i) > 64) {  // past the whole-ms granularity
      double ratio = static_cast<double>(Histogram::LowerBound(i)) /
                     static_cast<double>(Histogram::LowerBound(i - 1));
      EXPECT_NEAR(ratio, 1.189, 0.02) << i;
    }
  }
  EXPECT_GT(Histogram::LowerBound(Histogram::kBuckets - 1), 600'000);  // 10 min
  for (int64_t ms : {1, 2, 3, 17, 999, 1000, 15'000, 30'000, 599'999}) {
    int b = Histogram::BucketOf(ms);
    EXPECT_LE(Histogram::LowerBound(b), ms);
    EXPECT_GT(Histogram::LowerBound(b + 1), ms);
  }
}

TEST(Histogram, PercentileOfOneValueIsThatValue) {
  Histogram h;
  h.Add(12'345);
  EXPECT_EQ(h.Percentile(0.5, 12'345, 12'345), 12'345);
  EXPECT_EQ(h.Percentile(0.99, 12'345, 12'345), 12'345);
  EXPECT_EQ(Histogram().Percentile(0.5, 0, 0), 0);
}

TEST(Histogram, PercentilesStayWithinTheExactValuesBucket) {
  std::mt19937 rng(7);
  std::uniform_int_distribution<int64_t> pick(0, 700'000);
  for (int round = 0; round < 50; ++round) {
    Histogram h;
    std::vector<int64_t> v(1 + rng() % 500);
    for (int64_t& x : v) {
      x = round % 2 ? pick(rng) : pick(rng) % 3000;
      h.Add(x);
    }
    std::sort(v.begin(), v.end());
    for (double p : {0.01, 0.5, 0.9, 0.95, 0.99, 1.0}) {
      size_t rank = static_cast<size_t>(std::ceil(p * static_cast<double>(v.size())));
      int64_t exact = v[std::max<size_t>(rank, 1) - 1];
      double got = h.Percentile(p, v.front(), v.back());
      EXPECT_EQ(Histogram::BucketOf(static_cast<int64_t>(got)), Histogram::BucketOf(exact))
          << "p" << p << " got " << got << " exact " << exact;
    }
  }
}

TEST(Rollup, EncodingRoundTripsAndRejectsGarbage) {
  Rollup r;
  WallTime t{};
  for (int i = 0; i < 100; ++i) {
    auto s = static_cast<CheckStatus>(i % kCheckStatusCount);
    r.Add(testing::MakeResult("m", t, s, std::chrono::milliseconds(i * 997)));
  }
  std::string data = EncodeRollup(r);
  Rollup back;
  ASSERT_TRUE(DecodeRollup(data, &back));
  EXPECT_EQ(back, r);
  EXPECT_FALSE(DecodeRollup("", &back));
  EXPECT_FALSE(DecodeRollup(data.substr(0, data.size() - 1), &back));
  EXPECT_FALSE(DecodeRollup(data + "x", &back));
  EXPECT_FALSE(DecodeRollup("\x09garbage", &back));
  EXPECT_LT(EncodeRollup(Rollup()).size(), 20u);
}

TEST(Rollup, ReadsRollupsWrittenBeforeModelNotFound) {
  // Version 1: ten status counts (success 2, server_error 1), sum, min, max,
  // no histogram buckets.
  std::string v1 = {1, 2, 0, 0, 0, 0, 0, 1, 0, 0, 0, 30, 10, 20, 0};
  Rollup back;
  ASSERT_TRUE(DecodeRollup(v1, &back));
  EXPECT_EQ(back.count(CheckStatus::kSuccess), 2u);
  EXPECT_EQ(back.count(CheckStatus::kServerError), 1u);
  EXPECT_EQ(back.count(CheckStatus::kModelNotFound), 0u);
  EXPECT_EQ(back.latency_max_ms, 20);
}

TEST(Rollup, MergeEqualsAddingEverything) {
  Rollup a;
  Rollup b;
  Rollup all;
  for (int i = 0; i < 50; ++i) {
    auto r =
        testing::MakeResult("m", WallTime{}, i % 7 ? CheckStatus::kSuccess : CheckStatus::kTimeout,
                            std::chrono::milliseconds(100 + i * 31));
    (i % 3 ? a : b).Add(r);
    all.Add(r);
  }
  Rollup merged = Rollup();
  merged.Merge(a);
  merged.Merge(b);
  EXPECT_EQ(merged, all);
  EXPECT_EQ(all.latency_min_ms, 131);  // i = 0 is a timeout: latency of successes only
}

}  // namespace
}  // namespace modelwatch::store
