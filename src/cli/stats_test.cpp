// `modelwatch stats` in-process over a known history in a real SQLite file:
// the light checks of a full_every monitor, shown apart as reachability.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "store/store.h"
#include "store/store_test_util.h"

namespace modelwatch::cli {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using store::testing::MakeResult;

class StatsLightTest : public ::testing::Test {
 protected:
  // g (full_every: 4): 6 full checks in the last hour, 20 light checks in
  // the last hour of which 5 timed out, 10 light checks 3 days ago all
  // reachable. h (http, no light checks): 6 full checks.
  void SetUp() override {
    std::string db = dir_.path() + "/mw.db";
    config_ = dir_.path() + "/modelwatch.yaml";
    std::ofstream(config_) << "storage: {sqlite: \"" << db
                           << "\"}\n"
                              "monitors:\n"
                              "  - {name: g, kind: gemini, model: gemini-2.5-flash-image, "
                              "api_key: AIza-test, full_every: 4}\n"
                              "  - {name: h, kind: http, url: \"http://127.0.0.1:9/\"}\n";
    store::Options o;
    o.sqlite_path = db;
    auto s = store::Open(o);
    ASSERT_TRUE(s) << s.error().message();
    WallTime now = SystemClock().WallNow();
    for (int i = 0; i < 6; ++i) {
      (*s)->Append(MakeResult("g", now - minutes(50 - 8 * i)));
      (*s)->Append(MakeResult("h", now - minutes(50 - 8 * i)));
    }
    for (int i = 0; i < 20; ++i) {
      CheckResult r = MakeResult("g", now - minutes(55 - 2 * i),
                                 i % 4 == 1 ? CheckStatus::kTimeout : CheckStatus::kSuccess,
                                 std::chrono::milliseconds(150));
      r.mode = CheckMode::kLight;
      (*s)->Append(r);
    }
    for (int i = 0; i < 10; ++i) {
      CheckResult r = MakeResult("g", now - hours(72) - minutes(i));
      r.mode = CheckMode::kLight;
      (*s)->Append(r);
    }
    ASSERT_TRUE((*s)->Flush().ok());
  }

  // Runs `modelwatch stats -c CONFIG extra...`; its stdout.
  std::string Stats(std::vector<std::string> extra, int* code) {
    std::vector<std::string> args = {"stats", "-c", config_};
    args.insert(args.end(), extra.begin(), extra.end());
    std::vector<char*> argv;
    for (std::string& a : args) {
      argv.push_back(a.data());
    }
    ::testing::internal::CaptureStdout();
    *code = RunStats(static_cast<int>(argv.size()), argv.data());
    std::fflush(stdout);
    return ::testing::internal::GetCapturedStdout();
  }

  store::testing::TempDir dir_;
  std::string config_;
};

TEST_F(StatsLightTest, JsonCountsLightChecksPerWindowAsReachability) {
  int code = -1;
  std::string out = Stats({"--json"}, &code);
  ASSERT_EQ(code, 0) << out;
  auto j = nlohmann::json::parse(out);
  const auto& g = j["monitors"][0];
  ASSERT_EQ(g["monitor"], "g");
  ASSERT_TRUE(g.contains("light_checks")) << g.dump(2);
  const auto& light = g["light_checks"];
  EXPECT_EQ(light["full_every"], 4);
  EXPECT_NE(light["measures"].get<std::string>().find("reachability"), std::string::npos);
  EXPECT_NE(light["measures"].get<std::string>().find("not generation availability"),
            std::string::npos);
  ASSERT_EQ(light["windows"].size(), 5u);
  const auto& h1 = light["windows"][0];
  EXPECT_EQ(h1["window"], "1h");
  EXPECT_EQ(h1["checks"], 20);
  EXPECT_EQ(h1["reachable"], 15);
  EXPECT_DOUBLE_EQ(h1["reachable_percent"].get<double>(), 75.0);
  EXPECT_EQ(light["windows"][2]["checks"], 20);  // 24h
  const auto& d7 = light["windows"][3];
  EXPECT_EQ(d7["window"], "7d");
  EXPECT_EQ(d7["checks"], 30);
  EXPECT_NEAR(d7["reachable_percent"].get<double>(), 100.0 * 25 / 30, 1e-9);
}

TEST_F(StatsLightTest, LightChecksStayOutOfTheGenerationFigures) {
  int code = -1;
  auto j = nlohmann::json::parse(Stats({"--json"}, &code));
  ASSERT_EQ(code, 0);
  const auto& w1h = j["monitors"][0]["windows"][0];
  EXPECT_EQ(w1h["checks"], 6);  // the full checks only
  EXPECT_EQ(w1h["failures"], 0);
  EXPECT_DOUBLE_EQ(w1h["availability"].get<double>(), 100.0);
}

TEST_F(StatsLightTest, JsonHasNoLightChecksForAMonitorWithout) {
  int code = -1;
  auto j = nlohmann::json::parse(Stats({"--json"}, &code));
  ASSERT_EQ(code, 0);
  const auto& h = j["monitors"][1];
  ASSERT_EQ(h["monitor"], "h");
  EXPECT_FALSE(h.contains("light_checks"));
}

TEST_F(StatsLightTest, TableShowsLightReachabilityUnderTheMonitorOnly) {
  int code = -1;
  std::string out = Stats({}, &code);
  ASSERT_EQ(code, 0) << out;
  size_t g = out.find("g  (");
  size_t h = out.find("\nh");
  ASSERT_NE(g, std::string::npos) << out;
  ASSERT_NE(h, std::string::npos) << out;
  size_t light = out.find("light checks (full_every: 4): reachability, not generation");
  ASSERT_NE(light, std::string::npos) << out;
  EXPECT_LT(light, h);  // under g, not h
  size_t row = out.find("reachable ", light);
  ASSERT_NE(row, std::string::npos) << out;
  std::string reach = out.substr(row, out.find('\n', row) - row);
  EXPECT_NE(reach.find("75.00%"), std::string::npos) << reach;
  EXPECT_NE(reach.find("83.33%"), std::string::npos) << reach;
  EXPECT_EQ(out.find("light checks (full_every:", h), std::string::npos);
  for (size_t at = 0, next; at < out.size(); at = next + 1) {
    next = out.find('\n', at);
    next = next == std::string::npos ? out.size() : next;
    EXPECT_LE(next - at, 80u) << out.substr(at, next - at);
  }
}

}  // namespace
}  // namespace modelwatch::cli
