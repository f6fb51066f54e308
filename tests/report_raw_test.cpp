// report's raw-result sections (cli/report_raw.h) on a real SQLite store:
// asynchronous phases and light checks read back from the results table.
#include "cli/report_raw.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "store/store.h"

namespace modelwatch::cli {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

class ReportRawTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("mw_report_raw_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
    store::Options o;
    o.sqlite_path = (dir_ / "mw.db").string();
    auto s = store::Open(o);
    ASSERT_TRUE(s.has_value()) << s.error().message();
    store_ = std::move(s).value();
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  CheckResult At(const std::string& monitor, int minute) {
    CheckResult r;
    r.monitor = monitor;
    r.timestamp = start_ + std::chrono::minutes(minute);
    r.latency = seconds(10);
    return r;
  }

  std::filesystem::path dir_;
  store::StorePtr store_;
  WallTime start_ = FromUnixMillis(1'796'000'000'000);
};

TEST_F(ReportRawTest, AsyncPhasesAreStoredAndSummarized) {
  for (int i = 0; i < 4; ++i) {
    CheckResult r = At("flux", i);
    r.async =
        AsyncPhases{milliseconds(300 + i), milliseconds(4000 + 1000 * i), milliseconds(200), 3};
    store_->Append(r);
  }
  ASSERT_TRUE(store_->Flush().ok());
  auto back = store_->Results("flux", start_);
  ASSERT_TRUE(back.has_value());
  ASSERT_EQ(back->size(), 4u);
  ASSERT_TRUE((*back)[1].async.has_value());
  EXPECT_EQ((*back)[1].async->queue, milliseconds(5000));
  EXPECT_EQ((*back)[1].async->polls, 3);

  auto s = SummarizeRaw(*store_, {}, start_, start_ + std::chrono::hours(1));
  ASSERT_TRUE(s.has_value()) << s.error().message();
  const RawSummary::Monitor& m = s->monitors.at("flux");
  EXPECT_EQ(m.jobs, 4u);
  EXPECT_EQ(m.queue.p50, milliseconds(6000));
  EXPECT_EQ(m.queue.p95, milliseconds(7000));
  EXPECT_DOUBLE_EQ(m.polls, 3.0);
  std::string text = FormatRawSummary(*s);
  EXPECT_NE(text.find("== asynchronous jobs"), std::string::npos) << text;
  EXPECT_NE(text.find("6.00s"), std::string::npos) << text;
}

TEST_F(ReportRawTest, LightChecksAreStoredAsSuchAndCountedApart) {
  CheckResult full = At("nbp", 0);
  full.cost = 0.134;
  store_->Append(full);
  for (int i = 1; i <= 5; ++i) {
    CheckResult light = At("nbp", i);
    light.mode = CheckMode::kLight;
    light.latency = milliseconds(120);
    light.status = i == 3 ? CheckStatus::kAuthError : CheckStatus::kSuccess;
    store_->Append(light);
  }
  ASSERT_TRUE(store_->Flush().ok());
  auto back = store_->Results("nbp", start_);
  ASSERT_TRUE(back.has_value());
  ASSERT_EQ(back->size(), 6u);
  EXPECT_EQ((*back)[0].mode, CheckMode::kFull);
  EXPECT_EQ((*back)[2].mode, CheckMode::kLight);

  // The rollups (every window, stats and report figure) hold the full check only.
  uint64_t checks = 0;
  ASSERT_TRUE(store_
                  ->ScanRollups(store::Resolution::kHour, {"nbp"}, start_ - std::chrono::hours(1),
                                start_ + std::chrono::hours(2),
                                [&](const std::string&, WallTime, const store::Rollup& r) {
                                  checks += r.checks();
                                  EXPECT_EQ(r.latency_min_ms, 10'000);
                                })
                  .ok());
  EXPECT_EQ(checks, 1u);

  auto s = SummarizeRaw(*store_, {"nbp"}, start_, start_ + std::chrono::hours(1));
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->monitors.at("nbp").light, 5u);
  EXPECT_EQ(s->monitors.at("nbp").light_failed, 1u);
  EXPECT_NE(FormatRawSummary(*s).find("80.00%"), std::string::npos) << FormatRawSummary(*s);
}

}  // namespace
}  // namespace modelwatch::cli
