// `modelwatch stats`, `report` and `export` as real processes, over a store
// filled with a known history.
#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "store/store.h"
#include "subprocess.h"

namespace modelwatch {
namespace {

using testing::Binary;
using testing::RunProcess;
using testing::TempDir;
using testing::WriteFile;

std::vector<std::string> SplitLines(const std::string& text) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) {
      end = text.size();
    }
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

class HistoryCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = TempDir();
    std::string db = dir_ + "/mw.db";
    config_ = dir_ + "/modelwatch.yaml";
    WriteFile(config_,
              "storage: {sqlite: \"" + db + "\"}\n"
              "monitors:\n"
              "  - {name: nano, kind: http, url: \"http://127.0.0.1:9/\", tier: critical,\n"
              "     labels: {team: images, env: prod}}\n"
              "  - {name: dalle, kind: http, url: \"http://127.0.0.1:9/\"}\n");
    store::Options o;
    o.sqlite_path = db;
    auto s = store::Open(o);
    ASSERT_TRUE(s.has_value()) << s.error().message();
    // nano: 100 checks over the last 100 minutes: 90 successes of 2 s,
    // 5 server errors, 5 rate limited. dalle: 10 successes of 8 s.
    WallTime now = SystemClock().WallNow();
    for (int i = 0; i < 100; ++i) {
      CheckResult r;
      r.monitor = "nano";
      r.timestamp = now - std::chrono::minutes(100 - i);
      r.status = i % 20 == 3   ? CheckStatus::kServerError
                 : i % 20 == 7 ? CheckStatus::kRateLimited
                               : CheckStatus::kSuccess;
      r.latency = std::chrono::milliseconds(2000);
      r.http_status = r.status == CheckStatus::kSuccess ? 200 : r.status == CheckStatus::kServerError ? 503 : 429;
      r.error = r.status == CheckStatus::kServerError ? "The engine is currently overloaded" : "";
      (*s)->Append(r);
    }
    for (int i = 0; i < 10; ++i) {
      CheckResult r;
      r.monitor = "dalle";
      r.timestamp = now - std::chrono::minutes(50 - i);
      r.latency = std::chrono::milliseconds(8000);
      r.http_status = 200;
      (*s)->Append(r);
    }
    ASSERT_TRUE((*s)->Flush().ok());
  }

  std::string dir_;
  std::string config_;
};

TEST_F(HistoryCliTest, StatsJsonHasEveryWindowWithCountsAndAvailability) {
  auto r = RunProcess({Binary(), "stats", "-c", config_, "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["monitors"].size(), 2u);
  const auto& nano = j["monitors"][0];
  EXPECT_EQ(nano["monitor"], "nano");
  std::vector<std::string> windows;
  for (const auto& w : nano["windows"]) {
    windows.push_back(w["window"]);
    if (w["window"] == "24h") {
      EXPECT_EQ(w["checks"], 100);
      EXPECT_EQ(w["successes"], 90);
      EXPECT_EQ(w["failures"], 5);
      EXPECT_EQ(w["rate_limited"], 5);
      // successes / (checks - rate_limited), in percent
      EXPECT_NEAR(w["availability"].get<double>(), 100.0 * 90 / 95, 0.01);
      EXPECT_EQ(w["health"]["availability"], "alert");
      EXPECT_NEAR(w["latency_ms"]["p50"].get<double>(), 2000, 2000 * 0.2);
    }
  }
  EXPECT_EQ(windows, (std::vector<std::string>{"1h", "6h", "24h", "7d", "30d"}));
}

TEST_F(HistoryCliTest, StatsTableNamesEveryMonitor) {
  auto r = RunProcess({Binary(), "stats", "-c", config_});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("nano"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("dalle"), std::string::npos) << r.out;
}

TEST_F(HistoryCliTest, ExportJsonlAndCsvHoldEveryRawResult) {
  auto jsonl = RunProcess({Binary(), "export", "-c", config_, "--format", "jsonl"});
  ASSERT_EQ(jsonl.code, 0) << jsonl.err;
  auto lines = SplitLines(jsonl.out);
  ASSERT_EQ(lines.size(), 110u);
  int errors = 0;
  for (const auto& line : lines) {
    auto j = nlohmann::json::parse(line);
    errors += j["status"] == "server_error";
    if (j["status"] == "server_error") {
      EXPECT_EQ(j["error"], "The engine is currently overloaded");
      EXPECT_EQ(j["http_status"], 503);
    }
  }
  EXPECT_EQ(errors, 5);

  auto csv = RunProcess({Binary(), "export", "-c", config_, "--format", "csv", "--monitor",
                         "dalle"});
  ASSERT_EQ(csv.code, 0) << csv.err;
  auto rows = SplitLines(csv.out);
  ASSERT_EQ(rows.size(), 11u);  // header + 10
  EXPECT_TRUE(rows[0].starts_with("timestamp,monitor,status,latency_ms")) << rows[0];
  EXPECT_NE(rows[1].find(",dalle,success,8000,200,"), std::string::npos) << rows[1];
}

TEST_F(HistoryCliTest, ExportSinceLeavesOlderResultsOut) {
  auto r = RunProcess({Binary(), "export", "-c", config_, "--since", "30m"});
  ASSERT_EQ(r.code, 0) << r.err;
  // nano checked every minute; its last 30 minutes hold 30 results (the
  // boundary one may fall either side); dalle's last check was 41 min ago.
  size_t n = SplitLines(r.out).size() - 1;  // minus the CSV header
  EXPECT_GE(n, 29u);
  EXPECT_LE(n, 31u);
}

TEST_F(HistoryCliTest, ReportJsonHasHoursAnomaliesAndComparison) {
  auto r = RunProcess({Binary(), "report", "-c", config_, "--since", "24h", "--format", "json"});
  ASSERT_EQ(r.code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["monitors"].size(), 2u);
  const auto& nano = j["monitors"][0];
  EXPECT_EQ(nano["overall"]["checks"], 100);
  EXPECT_GE(nano["hourly"].size(), 2u);
  ASSERT_FALSE(nano["anomalies"].empty());  // < 99 % available
  EXPECT_LT(nano["anomalies"][0]["availability"].get<double>(), 99.0);
  const auto& dalle = j["monitors"][1];
  EXPECT_TRUE(dalle["anomalies"].empty());
  EXPECT_NEAR(dalle["overall"]["availability"].get<double>(), 100.0, 1e-9);
}

TEST_F(HistoryCliTest, ReportTableAndCsvAndMonitorFilter) {
  auto table = RunProcess({Binary(), "report", "-c", config_, "--since", "24h"});
  ASSERT_EQ(table.code, 0) << table.err;
  EXPECT_NE(table.out.find("nano"), std::string::npos);
  EXPECT_NE(table.out.find("dalle"), std::string::npos);

  auto csv = RunProcess({Binary(), "report", "-c", config_, "--since", "24h", "--format", "csv",
                         "--monitor", "dalle"});
  ASSERT_EQ(csv.code, 0) << csv.err;
  auto rows = SplitLines(csv.out);
  ASSERT_GE(rows.size(), 2u);
  EXPECT_TRUE(rows[0].starts_with("monitor,hour,checks")) << rows[0];
  for (size_t i = 1; i < rows.size(); ++i) {
    EXPECT_TRUE(rows[i].starts_with("dalle,")) << rows[i];
  }
}

TEST_F(HistoryCliTest, TierAndLabelsAppearInStatsReportAndExport) {
  auto stats = RunProcess({Binary(), "stats", "-c", config_, "--json"});
  ASSERT_EQ(stats.code, 0) << stats.err;
  auto sj = nlohmann::json::parse(stats.out);
  EXPECT_EQ(sj["monitors"][0]["tier"], "critical");
  EXPECT_EQ(sj["monitors"][0]["labels"]["team"], "images");
  EXPECT_EQ(sj["monitors"][1]["tier"], "standard");  // the default tier
  EXPECT_TRUE(sj["monitors"][1]["labels"].empty());
  auto stable = RunProcess({Binary(), "stats", "-c", config_});
  EXPECT_NE(stable.out.find("tier critical, env=prod team=images"), std::string::npos)
      << stable.out;

  auto report = RunProcess({Binary(), "report", "-c", config_, "--format", "json"});
  ASSERT_EQ(report.code, 0) << report.err;
  auto rj = nlohmann::json::parse(report.out);
  EXPECT_EQ(rj["monitors"][0]["tier"], "critical");
  EXPECT_EQ(rj["monitors"][0]["labels"]["env"], "prod");
  auto rcsv = RunProcess({Binary(), "report", "-c", config_, "--format", "csv"});
  auto rrows = SplitLines(rcsv.out);
  EXPECT_TRUE(rrows[0].ends_with(",tier,labels")) << rrows[0];
  EXPECT_TRUE(rrows[1].ends_with(",critical,env=prod;team=images")) << rrows[1];
  auto rtable = RunProcess({Binary(), "report", "-c", config_});
  EXPECT_NE(rtable.out.find("== nano (tier critical, env=prod team=images) =="),
            std::string::npos)
      << rtable.out;

  auto csv = RunProcess({Binary(), "export", "-c", config_, "--monitor", "nano"});
  ASSERT_EQ(csv.code, 0) << csv.err;
  auto rows = SplitLines(csv.out);
  EXPECT_TRUE(rows[0].ends_with(",tier,labels,check")) << rows[0];
  // Every row says whether it was a full generation or a light check.
  EXPECT_TRUE(rows[1].ends_with(",critical,env=prod;team=images,full")) << rows[1];
  auto jsonl = RunProcess({Binary(), "export", "-c", config_, "--format", "jsonl", "--monitor",
                           "nano"});
  auto first = nlohmann::json::parse(SplitLines(jsonl.out)[0]);
  EXPECT_EQ(first["tier"], "critical");
  EXPECT_EQ(first["labels"]["team"], "images");
}

TEST_F(HistoryCliTest, AnUnknownMonitorIsAnErrorWithDidYouMean) {
  for (const char* cmd : {"stats", "report", "export"}) {
    auto r = RunProcess({Binary(), cmd, "-c", config_, "--monitor", "nanoo"});
    EXPECT_EQ(r.code, 2) << cmd;
    EXPECT_NE(r.err.find("no monitor named \"nanoo\" (did you mean \"nano\"?)"),
              std::string::npos)
        << cmd << ": " << r.err;
    EXPECT_TRUE(r.out.empty()) << cmd << ": " << r.out;
  }
}

TEST_F(HistoryCliTest, TablesFitEightyColumnsAndShowFailuresByStatus) {
  for (const char* cmd : {"stats", "report"}) {
    auto r = RunProcess({Binary(), cmd, "-c", config_});
    ASSERT_EQ(r.code, 0) << r.err;
    for (const std::string& line : SplitLines(r.out)) {
      size_t cols = 0;
      for (char c : line) {
        cols += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
      }
      EXPECT_LE(cols, 80u) << cmd << ": " << line;
    }
    EXPECT_NE(r.out.find("server_error 5 (provider)"), std::string::npos) << cmd << r.out;
  }
}

TEST_F(HistoryCliTest, ReportSaysWhatSinceRoundsTo) {
  auto r = RunProcess({Binary(), "report", "-c", config_, "--since", "1h"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("(--since 1h, from the start of that hour"), std::string::npos) << r.out;
}

TEST_F(HistoryCliTest, ReportJsonAndCsvCarryTheDetectionLeads) {
  auto j = RunProcess({Binary(), "report", "-c", config_, "--format", "json"});
  ASSERT_EQ(j.code, 0) << j.err;
  EXPECT_TRUE(nlohmann::json::parse(j.out)["detection_leads"].is_array());
  auto csv = RunProcess({Binary(), "report", "-c", config_, "--format", "csv", "--rows", "leads"});
  ASSERT_EQ(csv.code, 0) << csv.err;
  EXPECT_EQ(SplitLines(csv.out)[0], "opened,monitor,source,lead_minutes,incident,link");
}

TEST_F(HistoryCliTest, AMissingDatabaseIsNamedAndNotCreated) {
  std::string config = dir_ + "/other.yaml";
  std::string db = dir_ + "/typo.db";
  WriteFile(config, "storage: {sqlite: \"" + db + "\"}\nmonitors: []\n");
  for (const char* cmd : {"stats", "report", "export"}) {
    auto r = RunProcess({Binary(), cmd, "-c", config});
    EXPECT_EQ(r.code, 1) << cmd;
    EXPECT_NE(r.err.find(db + ": no database there yet"), std::string::npos) << r.err;
  }
  EXPECT_FALSE(std::filesystem::exists(db));
}

TEST_F(HistoryCliTest, BadFlagsExitTwoWithAClearMessage) {
  auto r = RunProcess({Binary(), "report", "-c", config_, "--since", "yesterday"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("--since"), std::string::npos) << r.err;
  auto f = RunProcess({Binary(), "export", "-c", config_, "--format", "xml"});
  EXPECT_EQ(f.code, 2);
}

}  // namespace
}  // namespace modelwatch
