#include "cost/projection.h"

#include <gtest/gtest.h>

#include "config/config.h"

namespace modelwatch::cost {
namespace {

using std::chrono::minutes;

TEST(ChecksPerMonth, PerTier) {
  EXPECT_DOUBLE_EQ(ChecksPerMonth(config::TierInterval(config::Tier::kCritical)), 43'200);
  EXPECT_DOUBLE_EQ(ChecksPerMonth(config::TierInterval(config::Tier::kImportant)), 8'640);
  EXPECT_DOUBLE_EQ(ChecksPerMonth(config::TierInterval(config::Tier::kStandard)), 2'880);
  EXPECT_DOUBLE_EQ(ChecksPerMonth(config::TierInterval(config::Tier::kTest)), 1'440);
}

config::Config NanoBananaOnEveryTier() {
  Result<config::Config> cfg = config::LoadFromString(R"(
monitors:
  - {name: c, kind: gemini, model: gemini-3-pro-image, api_key: k, tier: critical}
  - {name: i, kind: gemini, model: gemini-3-pro-image, api_key: k, tier: important}
  - {name: s, kind: gemini, model: gemini-3-pro-image, api_key: k, tier: standard}
  - {name: t, kind: gemini, model: gemini-3-pro-image, api_key: k, tier: test}
  - {name: u, kind: openai_images, model: unknown-model, api_key: k, tier: test}
budget: {monthly: 300}
)",
                                                      "cfg.yaml");
  EXPECT_TRUE(cfg) << cfg.error().message();
  return *std::move(cfg);
}

TEST(CostTable, ProjectsEachTierAtItsInterval) {
  CostTable t = BuildCostTable(NanoBananaOnEveryTier());
  ASSERT_EQ(t.rows.size(), 5u);
  EXPECT_NEAR(*t.rows[0].monthly, 5'788.80, 1e-6);
  EXPECT_NEAR(*t.rows[1].monthly, 1'157.76, 1e-6);
  EXPECT_NEAR(*t.rows[2].monthly, 385.92, 1e-6);
  EXPECT_NEAR(*t.rows[3].monthly, 192.96, 1e-6);
  EXPECT_FALSE(t.rows[4].monthly);
  EXPECT_EQ(t.unpriced, 1u);
  EXPECT_NEAR(t.total, 5'788.80 + 1'157.76 + 385.92 + 192.96, 1e-6);
}

TEST(CostTable, TextNamesUnpricedModelsAndTheBudget) {
  std::string text = FormatCostTable(BuildCostTable(NanoBananaOnEveryTier()));
  EXPECT_NE(text.find("$5,788.80"), std::string::npos) << text;
  EXPECT_NE(text.find("no price for unknown-model"), std::string::npos) << text;
  EXPECT_NE(text.find("total projected per month (30 days): $7,525.44 + 1 monitor(s) with no "
                      "price"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("budget: $300.00 a month (the projection is $7,225.44 over it: run will "
                      "stretch intervals, lowest tier first)"),
            std::string::npos)
      << text;
}

TEST(FormatUsd, GroupsThousandsAndShowsCents) {
  EXPECT_EQ(FormatUsd(5788.8), "$5,788.80");
  EXPECT_EQ(FormatUsd(0.039), "$0.0390");
  EXPECT_EQ(FormatUsd(0), "$0.00");
  EXPECT_EQ(FormatUsd(1234567.891), "$1,234,567.89");
}

TEST(CostTable, FullEveryProjectsOnlyTheFullChecks) {
  Result<config::Config> cfg = config::LoadFromString(R"(
monitors:
  - {name: c, kind: gemini, model: gemini-3-pro-image, api_key: k, tier: critical, full_every: 6}
)",
                                                      "cfg.yaml");
  ASSERT_TRUE(cfg) << cfg.error().message();
  CostTable t = BuildCostTable(*cfg);
  ASSERT_EQ(t.rows.size(), 1u);
  EXPECT_DOUBLE_EQ(t.rows[0].checks_per_month, 7'200);
  EXPECT_DOUBLE_EQ(t.rows[0].light_per_month, 36'000);
  EXPECT_NEAR(*t.rows[0].monthly, 964.80, 1e-6);
  std::string text = FormatCostTable(t);
  EXPECT_NE(text.find("critical (1m), 1 in 6 full"), std::string::npos) << text;
  EXPECT_NE(text.find("+ 36000 free light checks"), std::string::npos) << text;
}

TEST(CostTable, FullEveryIsAWholeCountNotADuration) {
  Result<config::Config> cfg = config::LoadFromString(R"(
monitors:
  - {name: c, kind: gemini, model: gemini-3-pro-image, api_key: k, tier: critical, full_every: 1h}
)",
                                                      "cfg.yaml");
  ASSERT_FALSE(cfg);
  EXPECT_NE(cfg.error().message().find("cfg.yaml:3:"), std::string::npos) << cfg.error().message();
  EXPECT_NE(cfg.error().message().find("full_every is N"), std::string::npos)
      << cfg.error().message();
}

TEST(CostTable, FullEveryDoesNotApplyToKindsWithoutALightCheck) {
  Result<config::Config> cfg = config::LoadFromString(R"(
monitors:
  - {name: v, kind: vertex, model: gemini-3-pro-image, project: p, credentials_file: /x, full_every: 6}
)",
                                                      "cfg.yaml");
  ASSERT_FALSE(cfg);
  EXPECT_NE(cfg.error().message().find("key \"full_every\" does not apply to kind \"vertex\""),
            std::string::npos)
      << cfg.error().message();
}

}  // namespace
}  // namespace modelwatch::cost
