// Light checks (full_every) on the dashboard: /api/v1/monitors/{name}/stats
// and the monitor page count them apart, as reachability, over loopback.
#include "web/light.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "web/test_fixture.h"

namespace modelwatch::web {
namespace {

using json = nlohmann::json;
using std::chrono::hours;
using std::chrono::minutes;

constexpr const char* kLightConfig =
    "monitors:\n"
    "  - name: alpha\n"
    "    kind: openai_images\n"
    "    api_key: sk-secret-never-shown-1\n"
    "    model: gpt-image-1\n"
    "    full_every: 4\n"
    "  - name: beta\n"
    "    kind: gemini\n"
    "    api_key: AIza-secret-never-shown-2\n"
    "    model: gemini-3-pro-image-preview\n"
    "web:\n"
    "  listen: 127.0.0.1:0\n";

// WebTest's history under kLightConfig, plus alpha's light checks: 10 in
// the last hour (one timed out) and 5 two days ago.
class LightTest : public testing::WebTest {
 protected:
  void SetUp() override {
    WebTest::SetUp();
    auto cfg = config::LoadFromString(kLightConfig, "cfg.yaml");
    ASSERT_TRUE(cfg) << cfg.error().message();
    cfg_ = std::move(*cfg);
    for (int i = 0; i < 10; ++i) {
      CheckResult r =
          store::testing::MakeResult("alpha", now_ - minutes(5 * i + 1),
                                     i == 4 ? CheckStatus::kTimeout : CheckStatus::kSuccess);
      r.mode = CheckMode::kLight;
      store_->Append(r);
    }
    for (int i = 0; i < 5; ++i) {
      CheckResult r = store::testing::MakeResult("alpha", now_ - hours(48) - minutes(i));
      r.mode = CheckMode::kLight;
      store_->Append(r);
    }
    ASSERT_TRUE(store_->Flush().ok());
    StartServer(false, false);
  }

  json Stats(const std::string& monitor, const std::string& window) {
    auto r = Get("/api/v1/monitors/" + monitor + "/stats?window=" + window);
    EXPECT_TRUE(r);
    EXPECT_EQ(r->status, 200) << r->body;
    return json::parse(r->body);
  }
};

TEST_F(LightTest, StatsApiCountsLightChecksOfTheWindowAsReachability) {
  json d1 = Stats("alpha", "24h");
  ASSERT_TRUE(d1.contains("light_checks")) << d1.dump(2);
  const json& l = d1["light_checks"];
  EXPECT_EQ(l["full_every"], 4);
  EXPECT_EQ(l["checks"], 10);
  EXPECT_EQ(l["reachable"], 9);
  EXPECT_DOUBLE_EQ(l["reachable_percent"].get<double>(), 90.0);
  EXPECT_NE(l["measures"].get<std::string>().find("not generation availability"),
            std::string::npos);
  json d7 = Stats("alpha", "7d");
  EXPECT_EQ(d7["light_checks"]["checks"], 15);
  EXPECT_NEAR(d7["light_checks"]["reachable_percent"].get<double>(), 100.0 * 14 / 15, 1e-9);
}

TEST_F(LightTest, StatsApiKeepsLightChecksOutOfTheGenerationFigures) {
  json d1 = Stats("alpha", "24h");
  // WebTest's alpha: full checks every 10 min, one failure; the light
  // timeout is not among them.
  EXPECT_EQ(d1["stats"]["failures"], 1);
  EXPECT_EQ(d1["stats"]["by_status"].count("timeout"), 0u);
}

TEST_F(LightTest, StatsApiHasNoLightChecksForAMonitorWithout) {
  json d1 = Stats("beta", "24h");
  EXPECT_FALSE(d1.contains("light_checks")) << d1.dump(2);
}

TEST_F(LightTest, MonitorPageShowsLightReachabilityApart) {
  auto r = Get("/monitor/alpha");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200);
  size_t at = r->body.find("id=light");
  ASSERT_NE(at, std::string::npos);
  std::string card = r->body.substr(at, r->body.find("</table>", at) - at);
  EXPECT_NE(card.find("One check in 4 is a real generation"), std::string::npos) << card;
  EXPECT_NE(card.find("not generation availability"), std::string::npos);
  EXPECT_NE(card.find("<td>24h</td><td class=num>10</td><td class=num>90.0 %</td>"),
            std::string::npos)
      << card;
  EXPECT_NE(card.find("<td>7d</td><td class=num>15</td><td class=num>93.3 %</td>"),
            std::string::npos)
      << card;
}

TEST_F(LightTest, MonitorPageOfAMonitorWithoutLightChecksHasNoLightCard) {
  auto r = Get("/monitor/beta");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200);
  EXPECT_EQ(r->body.find("id=light"), std::string::npos);
}

// The cache reads the raw rows once per data generation: a light check
// stored since is counted from the next generation on, not before.
TEST_F(LightTest, CacheReadsOncePerGenerationThenCountsWhatCameSince) {
  LightCache cache;
  auto first = cache.Get(*store_, "alpha", now_, 3);
  ASSERT_TRUE(first) << first.error().message();
  EXPECT_EQ((*first)[2].checks, 10u);  // 24h
  CheckResult r = store::testing::MakeResult("alpha", now_ - minutes(2), CheckStatus::kTimeout);
  r.mode = CheckMode::kLight;
  store_->Append(r);
  ASSERT_TRUE(store_->Flush().ok());
  auto same = cache.Get(*store_, "alpha", now_, 3);
  ASSERT_TRUE(same);
  EXPECT_EQ((*same)[2].checks, 10u);  // the same generation: not read again
  auto next = cache.Get(*store_, "alpha", now_ + std::chrono::seconds(5), 3);
  ASSERT_TRUE(next);
  EXPECT_EQ((*next)[2].checks, 11u);
  EXPECT_EQ((*next)[2].reachable, 9u);
}

// A generation's entry for fewer windows is not reused for more.
TEST_F(LightTest, CacheCountsTheLongerWindowsWhenAskedForMore) {
  LightCache cache;
  auto day = cache.Get(*store_, "alpha", now_, 3);  // 1h, 6h, 24h
  ASSERT_TRUE(day);
  EXPECT_EQ((*day)[3].checks, 0u);  // 7d not counted
  auto week = cache.Get(*store_, "alpha", now_, 4);
  ASSERT_TRUE(week);
  EXPECT_EQ((*week)[3].checks, 15u);
}

}  // namespace
}  // namespace modelwatch::web
