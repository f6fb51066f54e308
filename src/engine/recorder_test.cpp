#include "engine/recorder.h"

#include <gtest/gtest.h>

#include <filesystem>

namespace modelwatch::engine {
namespace {

// Recent timestamps: the store prunes results older than its retention.
CheckResult Make(const std::string& monitor, CheckStatus s, int64_t ms) {
  CheckResult r;
  r.monitor = monitor;
  r.status = s;
  r.timestamp = SystemClock().WallNow() - std::chrono::hours(1) + std::chrono::milliseconds(ms);
  return r;
}

class RecorderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("recorder-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    options_.sqlite_path = (dir_ / "mw.db").string();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  store::StorePtr Open() {
    auto s = store::Open(options_);
    EXPECT_TRUE(s.has_value()) << s.error().message();
    return s ? std::move(s).value() : nullptr;
  }

  std::filesystem::path dir_;
  store::Options options_;
};

TEST_F(RecorderTest, CountsStreaksAndRateLimitsAreNeutral) {
  auto store = Open();
  Recorder rec(*store);
  rec.Record(Make("a", CheckStatus::kSuccess, 1000));
  rec.Record(Make("a", CheckStatus::kServerError, 2000));
  rec.Record(Make("a", CheckStatus::kRateLimited, 3000));
  rec.Record(Make("a", CheckStatus::kTimeout, 4000));
  const auto& st = rec.state("a");
  EXPECT_EQ(st.consecutive_failures, 2);
  EXPECT_EQ(st.consecutive_successes, 0);
  EXPECT_EQ(st.last_status, CheckStatus::kTimeout);
  rec.Record(Make("a", CheckStatus::kDegraded, 5000));
  EXPECT_EQ(rec.state("a").consecutive_failures, 0);
  EXPECT_EQ(rec.state("a").consecutive_successes, 1);
}

TEST_F(RecorderTest, StateCarriesOverARestart) {
  {
    auto store = Open();
    Recorder rec(*store);
    rec.Record(Make("a", CheckStatus::kAuthError, 1000));
    rec.Record(Make("a", CheckStatus::kAuthError, 2000));
    ASSERT_TRUE(store->Flush().ok());
  }
  auto store = Open();
  Recorder rec(*store);
  EXPECT_EQ(rec.state("a").consecutive_failures, 2);
  rec.Record(Make("a", CheckStatus::kAuthError, 3000));
  EXPECT_EQ(rec.state("a").consecutive_failures, 3);
  ASSERT_TRUE(store->Flush().ok());
  auto results = store->Results("a", WallTime{});
  ASSERT_TRUE(results.has_value());
  EXPECT_EQ(results->size(), 3u);
}

}  // namespace
}  // namespace modelwatch::engine
