// report's incidents (cli/report_incidents.h) on a real SQLite store: minute
// rollups, the monitor's own threshold, and hour buckets where minutes expired.
#include "cli/report_incidents.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>

namespace modelwatch::cli {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

class ReportIncidentsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("mw_report_incidents_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
    Reopen();
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }
  void Reopen() {
    store_.reset();
    store::Options o;
    o.sqlite_path = (dir_ / "mw.db").string();
    o.prune = false;
    auto s = store::Open(o);
    ASSERT_TRUE(s.has_value()) << s.error().message();
    store_ = std::move(s).value();
  }
  // A check every 30 s over [from, to), failing in [bad_from, bad_to).
  void Checks(WallTime from, WallTime to, WallTime bad_from, WallTime bad_to) {
    for (WallTime t = from; t < to; t += seconds(30)) {
      CheckResult r;
      r.monitor = "nano";
      r.timestamp = t;
      r.latency = seconds(2);
      r.status = t >= bad_from && t < bad_to ? CheckStatus::kServerError : CheckStatus::kSuccess;
      store_->Append(r);
    }
    ASSERT_TRUE(store_->Flush().ok());
  }
  Result<std::map<std::string, MonitorIncidents>> Find(double threshold = 99.0) {
    return FindIncidents(*store_, {"nano"}, start_, start_ + hours(3), [threshold](auto&) {
      store::Thresholds t;
      t.availability_alert = threshold;
      return t;
    });
  }

  std::filesystem::path dir_;
  store::StorePtr store_;
  WallTime start_ = FromUnixMillis(1'796'000'000'000 / 3'600'000 * 3'600'000);  // an hour start
};

TEST_F(ReportIncidentsTest, TwelveSecondOutageIsAOneMinuteIncidentNotABadHour) {
  WallTime bad = start_ + minutes(70) + seconds(25);  // holds the check at 70m30s
  Checks(start_, start_ + hours(3), bad, bad + seconds(12));
  auto found = Find();
  ASSERT_TRUE(found.has_value()) << found.error().message();
  const MonitorIncidents& m = found->at("nano");
  ASSERT_EQ(m.incidents.size(), 1u);
  EXPECT_EQ(m.incidents[0].start, start_ + minutes(70));
  EXPECT_EQ(m.incidents[0].duration(), minutes(1));
  EXPECT_EQ(m.incidents[0].failures, 1u);
  EXPECT_EQ(m.incidents[0].resolution, store::Resolution::kMinute);
  EXPECT_FALSE(m.hours_used);
}

TEST_F(ReportIncidentsTest, MinutesAboveTheMonitorsOwnThresholdAreNoIncident) {
  // One failure of the two checks of a minute: 50 % available.
  Checks(start_, start_ + hours(1), start_ + minutes(5), start_ + minutes(5) + seconds(30));
  auto strict = Find(99.0);
  ASSERT_TRUE(strict.has_value());
  EXPECT_EQ(strict->at("nano").incidents.size(), 1u);
  auto lenient = Find(40.0);
  ASSERT_TRUE(lenient.has_value());
  EXPECT_TRUE(lenient->at("nano").incidents.empty());
  EXPECT_DOUBLE_EQ(lenient->at("nano").threshold, 40.0);
}

TEST_F(ReportIncidentsTest, ConsecutiveBadMinutesMergeAndGoodOnesSplit) {
  Checks(start_, start_ + minutes(10), start_ + minutes(2), start_ + minutes(5));
  Checks(start_ + minutes(10), start_ + minutes(20), start_ + minutes(12), start_ + minutes(13));
  auto found = Find();
  ASSERT_TRUE(found.has_value());
  const auto& inc = found->at("nano").incidents;
  ASSERT_EQ(inc.size(), 2u);
  EXPECT_EQ(inc[0].start, start_ + minutes(2));
  EXPECT_EQ(inc[0].duration(), minutes(3));
  EXPECT_EQ(inc[0].checks, 6u);
  EXPECT_EQ(inc[1].duration(), minutes(1));
}

TEST_F(ReportIncidentsTest, HoursWithoutMinuteRollupsAreJudgedAsWholeHours) {
  Checks(start_, start_ + hours(2), start_ + minutes(20), start_ + minutes(21));
  store_.reset();
  // Minute rollups of the first hour expired (the store keeps them 30 days).
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir_ / "mw.db").c_str(), &db), SQLITE_OK);
  std::string sql = "DELETE FROM rollup_minute WHERE start_ms < " +
                    std::to_string(ToUnixMillis(start_ + hours(1)));
  EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  Reopen();
  auto found = Find();
  ASSERT_TRUE(found.has_value());
  const MonitorIncidents& m = found->at("nano");
  ASSERT_EQ(m.incidents.size(), 1u);
  EXPECT_EQ(m.incidents[0].start, start_);
  EXPECT_EQ(m.incidents[0].duration(), hours(1));
  EXPECT_EQ(m.incidents[0].resolution, store::Resolution::kHour);
  EXPECT_TRUE(m.hours_used);
  ASSERT_TRUE(m.minutes_from.has_value());
  EXPECT_EQ(*m.minutes_from, start_ + hours(1));
  // The table says so, within 80 columns.
  std::string table = FormatIncidents(m);
  EXPECT_NE(table.find("by hour before (minute rollups expired)"), std::string::npos) << table;
  EXPECT_NE(table.find("(by hour)"), std::string::npos) << table;
  for (size_t at = 0, end; at < table.size(); at = end + 1) {
    end = table.find('\n', at);
    end = end == std::string::npos ? table.size() : end;
    EXPECT_LE(end - at, 80u) << table.substr(at, end - at);
  }
}

TEST(IncidentDurationTest, ReadsAsTheLargestTwoUnits) {
  EXPECT_EQ(IncidentDuration(seconds(12)), "12s");
  EXPECT_EQ(IncidentDuration(seconds(245)), "4m 05s");
  EXPECT_EQ(IncidentDuration(minutes(130)), "2h 10m");
  EXPECT_EQ(IncidentDuration(hours(76)), "3d 4h");
}

}  // namespace
}  // namespace modelwatch::cli
