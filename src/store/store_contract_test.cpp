// The contract every engine keeps; runs against SQLite in a temporary
// directory and against the PostgreSQL server in MODELWATCH_TEST_PG_URL.

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>

#include "store/store.h"
#include "store/store_contract_fixture.h"
#include "store/store_test_util.h"
#include "store/windows.h"

namespace modelwatch::store {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;
using testing::MakeResult;
using testing::StoreContract;

TEST_P(StoreContract, ResultsRoundTripEveryField) {
  auto store = OpenStore();
  ASSERT_TRUE(store);
  CheckResult r = MakeResult("nano-banana", HourStart() + milliseconds(1234),
                             CheckStatus::kRateLimited, milliseconds(4321));
  r.http_status = 429;
  r.error = "Resource exhausted\twith\ttabs\nand \\ newline";
  r.retry_after = seconds(30);
  r.phases = {std::chrono::microseconds(10), std::chrono::microseconds(20),
              std::chrono::microseconds(30), std::chrono::microseconds(40),
              std::chrono::microseconds(50)};
  CheckResult ok = MakeResult("dall-e-3", HourStart() + seconds(5));
  ok.image = ImageInfo{ImageFormat::kWebp, 1024, 768, 123456};
  store->Append(r);
  store->Append(ok);
  ASSERT_TRUE(store->Flush().ok());

  auto got = store->Results("nano-banana", WallTime{});
  ASSERT_TRUE(got.has_value()) << got.error().message();
  ASSERT_EQ(got->size(), 1u);
  const CheckResult& g = (*got)[0];
  EXPECT_EQ(g.monitor, "nano-banana");
  EXPECT_EQ(g.timestamp, r.timestamp);
  EXPECT_EQ(g.status, CheckStatus::kRateLimited);
  EXPECT_EQ(g.latency, milliseconds(4321));
  EXPECT_EQ(g.http_status, 429);
  EXPECT_EQ(g.error, r.error);
  EXPECT_EQ(g.retry_after, seconds(30));
  EXPECT_EQ(g.phases.first_byte, std::chrono::microseconds(40));
  EXPECT_FALSE(g.image.has_value());

  auto all = store->Results("", WallTime{});
  ASSERT_TRUE(all.has_value());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].monitor, "nano-banana");  // oldest first
  ASSERT_TRUE((*all)[1].image.has_value());
  EXPECT_EQ((*all)[1].image->format, ImageFormat::kWebp);
  EXPECT_EQ((*all)[1].image->width, 1024);
  EXPECT_EQ((*all)[1].image->bytes, 123456u);

  auto names = store->Monitors();
  ASSERT_TRUE(names.has_value());
  EXPECT_EQ(*names, (std::vector<std::string>{"dall-e-3", "nano-banana"}));
}

TEST_P(StoreContract, ResultsFilterBySince) {
  auto store = OpenStore();
  ASSERT_TRUE(store);
  WallTime t0 = HourStart();
  for (int i = 0; i < 10; ++i) {
    store->Append(MakeResult("m", t0 + minutes(i)));
  }
  ASSERT_TRUE(store->Flush().ok());
  auto got = store->Results("m", t0 + minutes(7));
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->size(), 3u);
  EXPECT_TRUE(store->Results("unknown", WallTime{})->empty());
}

TEST_P(StoreContract, RollupsCountEveryResultOnceAtEachResolution) {
  auto store = OpenStore();
  ASSERT_TRUE(store);
  WallTime t0 = HourStart();
  // Several batches hitting the same buckets: rollups must add up, not overwrite.
  for (int batch = 0; batch < 3; ++batch) {
    for (int i = 0; i < 120; ++i) {
      auto status = i % 10 == 0 ? CheckStatus::kServerError : CheckStatus::kSuccess;
      store->Append(MakeResult("m", t0 + seconds(30 * i + batch), status, milliseconds(100 + i)));
    }
    ASSERT_TRUE(store->Flush().ok());
  }
  std::map<int64_t, uint64_t> minute_checks;
  Rollup hour_total;
  Rollup day_total;
  ASSERT_TRUE(store
                  ->ScanRollups(Resolution::kMinute, {"m"}, t0, t0 + hours(2),
                                [&](const std::string& m, WallTime b, const Rollup& r) {
                                  minute_checks[ToUnixMillis(b)] += r.checks();
                                })
                  .ok());
  ASSERT_EQ(minute_checks.size(), 60u);
  for (const auto& [b, n] : minute_checks) {
    EXPECT_EQ(n, 6u);  // 2 a minute x 3 batches
  }
  ASSERT_TRUE(
      store
          ->ScanRollups(Resolution::kHour, {}, t0, t0 + hours(1),
                        [&](const std::string&, WallTime, const Rollup& r) { hour_total.Merge(r); })
          .ok());
  ASSERT_TRUE(
      store
          ->ScanRollups(Resolution::kDay, {"m"}, t0 - hours(24), t0 + hours(24),
                        [&](const std::string&, WallTime, const Rollup& r) { day_total.Merge(r); })
          .ok());
  EXPECT_EQ(hour_total.checks(), 360u);
  EXPECT_EQ(hour_total.count(CheckStatus::kServerError), 36u);
  EXPECT_EQ(hour_total.latency_min_ms, 101);
  EXPECT_EQ(hour_total.latency_max_ms, 219);
  EXPECT_EQ(day_total, hour_total);
}

TEST_P(StoreContract, WindowsReadRollups) {
  auto store = OpenStore();
  ASSERT_TRUE(store);
  WallTime now = clock_.WallNow();
  // One check a minute for 2 days; the last 30 minutes fail; a rate limit an hour.
  for (int i = 0; i < 2 * 24 * 60; ++i) {
    WallTime ts = now - minutes(i);
    CheckStatus s = i < 30         ? CheckStatus::kTimeout
                    : i % 60 == 45 ? CheckStatus::kRateLimited
                                   : CheckStatus::kSuccess;
    store->Append(MakeResult("m", ts, s, milliseconds(2000)));
  }
  ASSERT_TRUE(store->Flush().ok());
  auto w = ComputeWindows(*store, {"m", "absent"}, now, nullptr);
  ASSERT_TRUE(w.has_value()) << w.error().message();
  ASSERT_EQ(w->size(), 2u);
  const WindowStats& h1 = (*w)[0].windows[0];
  EXPECT_EQ(h1.checks, 60u);
  EXPECT_EQ(h1.failures, 30u);
  EXPECT_EQ(h1.by_status[static_cast<int>(CheckStatus::kTimeout)], 30u);
  EXPECT_EQ(h1.availability_health, Health::kAlert);
  const WindowStats& d1 = (*w)[0].windows[2];
  EXPECT_EQ(d1.checks, static_cast<uint64_t>(23 * 60 + 1 + ToUnixMillis(now) % 3'600'000 / 60'000));
  EXPECT_NEAR(d1.rate_limits_per_hour, 1.0, 0.1);
  ASSERT_TRUE(d1.latency.has_value());
  EXPECT_EQ(d1.latency->max, 2000);
  EXPECT_NEAR(d1.latency->p95, 2000, 1);
  const WindowStats& d30 = (*w)[0].windows[4];
  EXPECT_EQ(d30.checks, 2u * 24 * 60);
  EXPECT_EQ(d30.failures, 30u);
  EXPECT_EQ((*w)[1].windows[4].checks, 0u);
  EXPECT_EQ((*w)[1].windows[4].overall(), Health::kUnknown);
}

TEST_P(StoreContract, PercentilesFromRollupsWithinOneBucketOfRaw) {
  auto store = OpenStore();
  ASSERT_TRUE(store);
  std::mt19937 rng(42);
  std::lognormal_distribution<double> latency(std::log(8000.0), 0.8);
  WallTime now = clock_.WallNow();
  for (int i = 0; i < 3000; ++i) {
    auto ms = milliseconds(static_cast<int64_t>(latency(rng)));
    CheckStatus s = rng() % 20 == 0 ? CheckStatus::kServerError : CheckStatus::kSuccess;
    store->Append(MakeResult(i % 2 ? "a" : "b", now - seconds(rng() % (6 * 86400)), s, ms));
  }
  ASSERT_TRUE(store->Flush().ok());
  auto w = ComputeWindows(*store, {}, now, nullptr);
  ASSERT_TRUE(w.has_value());
  for (const MonitorWindows& mw : *w) {
    auto raw = store->Results(mw.monitor, WallTime{});
    ASSERT_TRUE(raw.has_value());
    std::vector<int64_t> lat;
    for (const CheckResult& r : *raw) {
      if (IsSuccess(r.status)) {
        lat.push_back(r.latency.count());
      }
    }
    std::sort(lat.begin(), lat.end());
    const WindowStats& s = mw.windows[3];  // 7d holds everything
    ASSERT_EQ(s.successes, lat.size());
    for (auto [p, got] : {std::pair{0.50, s.latency->p50}, std::pair{0.95, s.latency->p95},
                          std::pair{0.99, s.latency->p99}}) {
      size_t rank = static_cast<size_t>(std::ceil(p * static_cast<double>(lat.size())));
      int64_t exact = lat[rank - 1];
      int diff = Histogram::BucketOf(static_cast<int64_t>(got)) - Histogram::BucketOf(exact);
      EXPECT_LE(std::abs(diff), 1)
          << mw.monitor << " p" << p << " got " << got << " exact " << exact;
    }
    EXPECT_EQ(s.latency->max, lat.back());
  }
}

TEST_P(StoreContract, StatesSurviveReopen) {
  {
    auto store = OpenStore();
    ASSERT_TRUE(store);
    MonitorState s;
    s.monitor = "m";
    s.consecutive_failures = 3;
    s.last_status = CheckStatus::kTimeout;
    s.last_alert = FromUnixMillis(1'700'000'000'000);
    s.extra = R"({"firing":true})";
    store->PutState(s);
    s.consecutive_failures = 4;  // the latest wins
    store->PutState(s);
    ASSERT_TRUE(store->Flush().ok());
  }
  auto store = OpenStore();
  ASSERT_TRUE(store);
  auto states = store->States();
  ASSERT_TRUE(states.has_value()) << states.error().message();
  ASSERT_EQ(states->size(), 1u);
  EXPECT_EQ((*states)[0].monitor, "m");
  EXPECT_EQ((*states)[0].consecutive_failures, 4);
  EXPECT_EQ((*states)[0].last_status, CheckStatus::kTimeout);
  EXPECT_EQ((*states)[0].last_alert, FromUnixMillis(1'700'000'000'000));
  EXPECT_FALSE((*states)[0].last_check.has_value());
  EXPECT_EQ((*states)[0].extra, R"({"firing":true})");
}

TEST_P(StoreContract, DestructorWritesWhatIsQueued) {
  {
    auto store = OpenStore();
    ASSERT_TRUE(store);
    for (int i = 0; i < 2500; ++i) {
      store->Append(MakeResult("m", HourStart() + seconds(i)));
    }
  }
  auto store = OpenStore();
  ASSERT_TRUE(store);
  EXPECT_EQ(store->Results("m", WallTime{})->size(), 2500u);
}

TEST_P(StoreContract, PrunesRawAfterRetentionAndRollupsLater) {
  options_.retention = hours(24);
  options_.minute_rollup_retention = hours(24);
  options_.rollup_retention = hours(24 * 10);
  options_.prune_batch = 100;  // several small transactions
  options_.prune_interval = milliseconds(1);
  auto store = OpenStore();
  ASSERT_TRUE(store);
  WallTime now = clock_.WallNow();
  for (int i = 0; i < 600; ++i) {
    store->Append(MakeResult("m", now - hours(72) + seconds(i)));        // past raw retention
    store->Append(MakeResult("m", now - hours(24 * 20) + seconds(i)));   // past all
    store->Append(MakeResult("m", now - minutes(5) + milliseconds(i)));  // kept
  }
  ASSERT_TRUE(store->Flush().ok());
  clock_.Advance(seconds(1));
  // Pruning runs on the writer between batches: poke it until done.
  for (int i = 0; i < 200 && store->Results("m", WallTime{})->size() > 600; ++i) {
    store->Append(MakeResult("other", now));
    ASSERT_TRUE(store->Flush().ok());
    clock_.Advance(seconds(1));
    SleepFor(milliseconds(20));
  }
  EXPECT_EQ(store->Results("m", WallTime{})->size(), 600u) << store->last_error().message();
  uint64_t hour_checks = 0;
  uint64_t minute_checks = 0;
  for (int i = 0; i < 100; ++i) {
    hour_checks = 0;
    minute_checks = 0;
    (void)store->ScanRollups(
        Resolution::kHour, {"m"}, WallTime{}, now + hours(1),
        [&](const std::string&, WallTime, const Rollup& r) { hour_checks += r.checks(); });
    (void)store->ScanRollups(
        Resolution::kMinute, {"m"}, WallTime{}, now + hours(1),
        [&](const std::string&, WallTime, const Rollup& r) { minute_checks += r.checks(); });
    if (hour_checks == 1200 && minute_checks == 600) {
      break;
    }
    store->Append(MakeResult("other", now));
    ASSERT_TRUE(store->Flush().ok());
    clock_.Advance(seconds(1));
    SleepFor(milliseconds(20));
  }
  EXPECT_EQ(hour_checks, 1200u);  // the 72h-old hour rollups stay
  EXPECT_EQ(minute_checks, 600u);
}

TEST_P(StoreContract, QueueOverflowDropsOldestAndCounts) {
  options_.queue_capacity = 100;
  if (GetParam() == "postgres") {
    options_.postgres_url = "postgresql://nobody:secretpw@127.0.0.1:1/none?connect_timeout=2";
  } else {
    options_.sqlite_path = dir_.path() + "/missing/dir/modelwatch.db";
  }
  options_.start_unavailable = true;
  auto opened = Open(options_);
  ASSERT_TRUE(opened.has_value()) << opened.error().message();
  StorePtr store = std::move(*opened);
  for (int i = 0; i < 250; ++i) {
    store->Append(MakeResult("m", HourStart() + seconds(i)));
  }
  Status st = store->Flush();
  EXPECT_FALSE(st.ok());
  EXPECT_EQ(store->dropped(), 150u);
  EXPECT_EQ(store->queued(), 100u);
  EXPECT_FALSE(store->last_error().ok());
  EXPECT_EQ(store->last_error().message().find("secretpw"), std::string::npos);
}

TEST_P(StoreContract, UnreachableDatabaseIsAClearError) {
  if (GetParam() == "postgres") {
    options_.postgres_url = "postgresql://nobody:secretpw@127.0.0.1:1/none?connect_timeout=2";
  } else {
    options_.sqlite_path = dir_.path() + "/missing/dir/modelwatch.db";
  }
  auto opened = Open(options_);
  ASSERT_FALSE(opened.has_value());
  const std::string& msg = opened.error().message();
  EXPECT_EQ(msg.find("secretpw"), std::string::npos) << msg;
  if (GetParam() == "postgres") {
    EXPECT_NE(msg.find("postgresql://nobody:***@127.0.0.1:1/none"), std::string::npos) << msg;
    EXPECT_NE(msg.find("server is running"), std::string::npos) << msg;
  } else {
    EXPECT_NE(msg.find(options_.sqlite_path), std::string::npos) << msg;
    EXPECT_NE(msg.find("directory exists"), std::string::npos) << msg;
  }
}

// A light check of `monitor` at `ts`.
CheckResult LightResult(const std::string& monitor, WallTime ts,
                        CheckStatus status = CheckStatus::kSuccess) {
  CheckResult r = MakeResult(monitor, ts, status);
  r.mode = CheckMode::kLight;
  return r;
}

// What CountResults must answer, computed from the rows Results() reads.
std::vector<ResultCount> CountFromResults(Store& store, const std::string& monitor, CheckMode mode,
                                          const std::vector<WallTime>& since, WallTime until) {
  std::vector<ResultCount> out(since.size());
  auto rows = store.Results(monitor, WallTime{});
  EXPECT_TRUE(rows.has_value());
  if (!rows) {
    return out;
  }
  for (const CheckResult& r : *rows) {
    for (size_t i = 0; i < since.size(); ++i) {
      if (r.mode == mode && r.timestamp >= since[i] && r.timestamp < until) {
        ++out[i].checks;
        out[i].not_failed += IsFailure(r.status) ? 0 : 1;
      }
    }
  }
  return out;
}

TEST_P(StoreContract, CountResultsCountsEachWindowOfOneModeAndMonitor) {
  auto store = OpenStore();
  ASSERT_TRUE(store);
  WallTime t0 = HourStart();
  std::mt19937 rng(7);
  // Three days of checks every 10 minutes, light and full mixed, every
  // status, for two monitors (the other's rows must not be counted).
  for (int i = 0; i < 3 * 144; ++i) {
    auto status = static_cast<CheckStatus>(rng() % kCheckStatusCount);
    CheckResult r = MakeResult(i % 5 == 0 ? "other" : "m", t0 + minutes(10 * i), status);
    r.mode = rng() % 3 == 0 ? CheckMode::kFull : CheckMode::kLight;
    store->Append(r);
  }
  ASSERT_TRUE(store->Flush().ok());
  WallTime until = t0 + hours(60);
  std::vector<WallTime> since = {until - hours(1), until - hours(24), until - hours(72), t0};
  for (CheckMode mode : {CheckMode::kLight, CheckMode::kFull}) {
    auto got = store->CountResults("m", mode, since, until);
    ASSERT_TRUE(got.has_value()) << got.error().message();
    std::vector<ResultCount> want = CountFromResults(*store, "m", mode, since, until);
    ASSERT_EQ(got->size(), since.size());
    for (size_t i = 0; i < since.size(); ++i) {
      EXPECT_EQ((*got)[i].checks, want[i].checks) << "window " << i;
      EXPECT_EQ((*got)[i].not_failed, want[i].not_failed) << "window " << i;
      EXPECT_GT(want[i].checks, 0u) << "window " << i;  // the test counts something
      EXPECT_LT(want[i].not_failed, want[i].checks) << "window " << i;
    }
  }
}

TEST_P(StoreContract, CountResultsSinceIsInclusiveUntilExclusive) {
  auto store = OpenStore();
  ASSERT_TRUE(store);
  WallTime since = HourStart();
  WallTime until = since + minutes(5);
  for (WallTime ts : {since - milliseconds(1), since, until - milliseconds(1), until}) {
    store->Append(LightResult("m", ts));
  }
  ASSERT_TRUE(store->Flush().ok());
  auto got = store->CountResults("m", CheckMode::kLight, {since, since - milliseconds(1)}, until);
  ASSERT_TRUE(got.has_value()) << got.error().message();
  ASSERT_EQ(got->size(), 2u);
  EXPECT_EQ((*got)[0].checks, 2u);
  EXPECT_EQ((*got)[1].checks, 3u);
}

TEST_P(StoreContract, CountResultsCountsRateLimitedAsNotFailed) {
  auto store = OpenStore();
  ASSERT_TRUE(store);
  WallTime t0 = HourStart();
  store->Append(LightResult("m", t0, CheckStatus::kRateLimited));
  store->Append(LightResult("m", t0 + seconds(1), CheckStatus::kRateLimited));
  store->Append(LightResult("m", t0 + seconds(2), CheckStatus::kQuotaExhausted));
  ASSERT_TRUE(store->Flush().ok());
  auto got = store->CountResults("m", CheckMode::kLight, {t0}, t0 + minutes(1));
  ASSERT_TRUE(got.has_value()) << got.error().message();
  ASSERT_EQ(got->size(), 1u);
  EXPECT_EQ((*got)[0].checks, 3u);
  EXPECT_EQ((*got)[0].not_failed, 2u);
}

TEST_P(StoreContract, CountResultsOfUnknownMonitorAreZeros) {
  auto store = OpenStore();
  ASSERT_TRUE(store);
  WallTime t0 = HourStart();
  store->Append(LightResult("m", t0));
  ASSERT_TRUE(store->Flush().ok());
  auto got = store->CountResults("unknown", CheckMode::kLight, {t0, WallTime{}}, WallTime::max());
  ASSERT_TRUE(got.has_value()) << got.error().message();
  ASSERT_EQ(got->size(), 2u);
  for (const ResultCount& c : *got) {
    EXPECT_EQ(c.checks, 0u);
    EXPECT_EQ(c.not_failed, 0u);
  }
  // The known monitor, same windows, is counted (the query itself works).
  auto known = store->CountResults("m", CheckMode::kLight, {t0, WallTime{}}, WallTime::max());
  ASSERT_TRUE(known.has_value()) << known.error().message();
  EXPECT_EQ((*known)[1].checks, 1u);
}

TEST_P(StoreContract, CountResultsWithoutWindowsIsEmpty) {
  auto store = OpenStore();
  ASSERT_TRUE(store);
  auto got = store->CountResults("m", CheckMode::kLight, {}, WallTime::max());
  ASSERT_TRUE(got.has_value()) << got.error().message();
  EXPECT_TRUE(got->empty());
}

INSTANTIATE_TEST_SUITE_P(Engines, StoreContract, ::testing::Values("sqlite", "postgres"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace modelwatch::store
