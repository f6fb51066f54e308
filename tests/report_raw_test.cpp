// report's raw-result sections (cli/report_raw.h) on a real SQLite store:
// asynchronous phases and light checks read back from the results table.
#include "cli/report_raw.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "store/store.h"
#include "subprocess.h"

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

TEST_F(ReportRawTest, JsonHasTheLightAndAsyncSectionsOfEachMonitor) {
  CheckResult job = At("flux", 0);
  job.async = AsyncPhases{milliseconds(300), milliseconds(4000), milliseconds(200), 2};
  store_->Append(job);
  CheckResult light = At("nbp", 1);
  light.mode = CheckMode::kLight;
  store_->Append(light);
  ASSERT_TRUE(store_->Flush().ok());
  auto s = SummarizeRaw(*store_, {}, start_, start_ + std::chrono::hours(1));
  ASSERT_TRUE(s.has_value());
  nlohmann::json flux, nbp;
  AddRawSummaryJson(*s, "flux", flux);
  AddRawSummaryJson(*s, "nbp", nbp);
  EXPECT_TRUE(flux["light_checks"].is_null());
  EXPECT_EQ(flux["async_jobs"]["jobs"], 1);
  EXPECT_EQ(flux["async_jobs"]["queue_ms"]["p50"], 4000);
  EXPECT_DOUBLE_EQ(flux["async_jobs"]["polls"].get<double>(), 2.0);
  EXPECT_TRUE(nbp["async_jobs"].is_null());
  EXPECT_EQ(nbp["light_checks"]["checks"], 1);
  EXPECT_DOUBLE_EQ(nbp["light_checks"]["reachable"].get<double>(), 100.0);
  EXPECT_EQ(LightChecksCsv(*s), "monitor,checks,failed,reachable\nnbp,1,0,100.0000\n");
}

TEST_F(ReportRawTest, AsyncCsvHasARowAMonitorWithItsPhases) {
  CheckResult job = At("flux", 0);
  job.async = AsyncPhases{milliseconds(300), milliseconds(4000), milliseconds(200), 2};
  store_->Append(job);
  ASSERT_TRUE(store_->Flush().ok());
  auto s = SummarizeRaw(*store_, {}, start_, start_ + std::chrono::hours(1));
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(AsyncJobsCsv(*s),
            "monitor,jobs,accept_p50_ms,accept_p95_ms,queue_p50_ms,queue_p95_ms,fetch_p50_ms,"
            "fetch_p95_ms,polls\nflux,1,300,300,4000,4000,200,200,2.00\n");
}

// The whole `report --format json` over a store written now: incidents by
// minute below the monitor's own threshold, and the raw-result sections.
TEST(ReportCli, JsonHasIncidentsThresholdLightChecksAndAsyncJobs) {
  std::string dir = testing::TempDir();
  std::string db = dir + "/mw.db";
  std::string config = dir + "/modelwatch.yaml";
  testing::WriteFile(config, "storage: {sqlite: \"" + db +
                                 "\"}\n"
                                 "monitors:\n"
                                 "  - {name: flux, kind: http, url: \"http://127.0.0.1:9/\",\n"
                                 "     thresholds: {availability_warning: 97, availability_alert: "
                                 "95}}\n");
  {
    store::Options o;
    o.sqlite_path = db;
    auto s = store::Open(o);
    ASSERT_TRUE(s.has_value()) << s.error().message();
    // A check every 30 s for the last 40 minutes; one fails 20 minutes ago.
    WallTime now = SystemClock().WallNow();
    for (int i = 80; i > 0; --i) {
      CheckResult r;
      r.monitor = "flux";
      r.timestamp = now - seconds(30 * i);
      r.latency = seconds(5);
      r.status = i == 40 ? CheckStatus::kServerError : CheckStatus::kSuccess;
      r.async = AsyncPhases{milliseconds(300), milliseconds(4000), milliseconds(200), 2};
      (*s)->Append(r);
    }
    CheckResult light;
    light.monitor = "flux";
    light.timestamp = now - seconds(10);
    light.mode = CheckMode::kLight;
    (*s)->Append(light);
    ASSERT_TRUE((*s)->Flush().ok());
  }
  auto r = testing::RunProcess(
      {testing::Binary(), "report", "-c", config, "--since", "2h", "--format", "json"});
  ASSERT_EQ(r.code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  const auto& flux = j["monitors"][0];
  EXPECT_DOUBLE_EQ(flux["anomaly_threshold"].get<double>(), 95.0);
  ASSERT_EQ(flux["incidents"].size(), 1u) << flux.dump(2);
  EXPECT_DOUBLE_EQ(flux["incidents"][0]["duration_s"].get<double>(), 60.0);
  EXPECT_EQ(flux["incidents"][0]["resolution"], "minute");
  EXPECT_TRUE(flux["anomalies"].empty());  // the hour is 98.75 % available: above 95 %
  EXPECT_EQ(flux["light_checks"]["checks"], 1);
  EXPECT_EQ(flux["async_jobs"]["jobs"], 80);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace modelwatch::cli
