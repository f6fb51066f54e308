#include "config/prices.h"

#include <gtest/gtest.h>

#include "config/config.h"
#include "config/test_util.h"

namespace modelwatch::config {
namespace {

using testing::Problems;

constexpr const char* kMonitor = R"(
monitors:
  - name: nbp
    kind: gemini
    model: gemini-3-pro-image
    api_key: k
)";

TEST(Prices, BuiltinTableHoldsNanoBananaProPerImageAndPerToken) {
  const Price* p = BuiltinPrices().Find("gemini-3-pro-image");
  ASSERT_NE(p, nullptr);
  EXPECT_DOUBLE_EQ(*p->per_image, 0.134);
  EXPECT_DOUBLE_EQ(p->per_image_by.at("4K"), 0.24);
  EXPECT_DOUBLE_EQ(*p->image_output_per_mtok, 120.0);
  EXPECT_EQ(p->currency, "USD");
  EXPECT_FALSE(p->date.empty());
  EXPECT_FALSE(p->source.empty());
}

TEST(Prices, FindStripsModelsAndVendorPrefixes) {
  EXPECT_NE(BuiltinPrices().Find("models/gemini-2.5-flash-image"), nullptr);
  EXPECT_EQ(BuiltinPrices().Find("acme/gpt-image-1")->model, "gpt-image-1");
  EXPECT_EQ(BuiltinPrices().Find("no-such-model"), nullptr);
}

TEST(Prices, MonitorGetsItsModelsPrice) {
  Result<Config> cfg = LoadFromString(kMonitor, "cfg.yaml");
  ASSERT_TRUE(cfg) << cfg.error().message();
  ASSERT_TRUE(cfg->monitors[0].price);
  EXPECT_DOUBLE_EQ(*cfg->monitors[0].price->per_image, 0.134);
}

TEST(Prices, ConfigEntryReplacesBuiltinOne) {
  Result<Config> cfg = LoadFromString(std::string(kMonitor) + R"(
prices:
  gemini-3-pro-image: {per_image: 0.2, date: "2026-12-01"}
)",
                                      "cfg.yaml");
  ASSERT_TRUE(cfg) << cfg.error().message();
  const Price& p = *cfg->monitors[0].price;
  EXPECT_DOUBLE_EQ(*p.per_image, 0.2);
  EXPECT_FALSE(p.image_output_per_mtok);  // replaced as a whole
  EXPECT_EQ(p.source, "config");
}

TEST(Prices, ConfigAddsAModel) {
  Result<Config> cfg = LoadFromString(R"(
monitors:
  - {name: x, kind: openai_images, model: my-model, api_key: k}
prices:
  my-model: {per_image: 0.01}
)",
                                      "cfg.yaml");
  ASSERT_TRUE(cfg) << cfg.error().message();
  EXPECT_DOUBLE_EQ(*cfg->monitors[0].price->per_image, 0.01);
}

TEST(Prices, UnknownModelHasNoPrice) {
  Result<Config> cfg = LoadFromString(R"(
monitors:
  - {name: x, kind: openai_images, model: my-model, api_key: k}
)",
                                      "cfg.yaml");
  ASSERT_TRUE(cfg);
  EXPECT_FALSE(cfg->monitors[0].price);
}

TEST(Prices, BadEntriesAreReportedWithTheirPlace) {
  auto problems = Problems(std::string(kMonitor) + R"(
prices:
  a: {per_image: cheap}
  b: {per_imag: 0.1}
  c: {per_image: 0.1, currency: EUR}
)");
  ASSERT_EQ(problems.size(), 4u);
  EXPECT_EQ(problems[0], "cfg.yaml:9:18: prices: \"a\": per_image: \"cheap\" is not a number");
  EXPECT_NE(problems[1].find("cfg.yaml:10:6: prices: \"b\": has no price"), std::string::npos)
      << problems[1];
  EXPECT_NE(problems[2].find("cfg.yaml:10:7: prices: \"b\": unknown key \"per_imag\""),
            std::string::npos)
      << problems[2];
  EXPECT_NE(problems[3].find("cfg.yaml:11:33: prices: \"c\": currency: \"EUR\": costs are kept "
                             "in USD, so a EUR price needs its rate: add usd_per_unit"),
            std::string::npos)
      << problems[3];
}

TEST(Prices, AnotherCurrencyIsConvertedWithItsRate) {
  Result<Config> cfg = LoadFromString(R"(
monitors:
  - {name: x, kind: openai_images, model: my-model, api_key: k}
prices:
  my-model: {per_image: 0.10, per_image_by: {"1K": 0.20}, currency: EUR, usd_per_unit: 1.25}
)",
                                      "cfg.yaml");
  ASSERT_TRUE(cfg) << cfg.error().message();
  ASSERT_TRUE(cfg->monitors[0].price);
  const Price& p = *cfg->monitors[0].price;
  EXPECT_EQ(p.currency, "EUR");
  EXPECT_DOUBLE_EQ(*p.per_image, 0.125);
  EXPECT_DOUBLE_EQ(p.per_image_by.at("1K"), 0.25);
  EXPECT_NE(p.source.find("converted from EUR at 1.25 USD per EUR"), std::string::npos) << p.source;
}

TEST(Prices, ARateOnAUsdPriceIsAnError) {
  auto problems = Problems(std::string(kMonitor) + R"(
prices:
  a: {per_image: 0.1, usd_per_unit: 1.1}
)");
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_NE(problems[0].find("usd_per_unit: applies only to a price in another currency"),
            std::string::npos)
      << problems[0];
}

TEST(Budget, ParsesMonthlyAndAction) {
  Result<Config> cfg = LoadFromString(std::string(kMonitor) + R"(
budget: {monthly: 300, currency: USD, action: warn}
)",
                                      "cfg.yaml");
  ASSERT_TRUE(cfg) << cfg.error().message();
  EXPECT_DOUBLE_EQ(*cfg->budget.monthly, 300);
  EXPECT_EQ(cfg->budget.action, BudgetAction::kWarn);
}

TEST(Budget, MonthlyIsRequired) {
  auto problems = Problems(std::string(kMonitor) + "budget: {action: stretch}\n");
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_NE(problems[0].find("budget: missing required key \"monthly\""), std::string::npos);
}

TEST(CheapestRequest, GptImageDefaultsToLowQualitySmallestSize) {
  Result<Config> cfg = LoadFromString(R"(
monitors:
  - {name: x, kind: openai_images, model: gpt-image-1, api_key: k}
  - {name: y, kind: openai_images, model: gpt-image-1, api_key: k, quality: high, size: 1536x1024}
)",
                                      "cfg.yaml");
  ASSERT_TRUE(cfg) << cfg.error().message();
  EXPECT_EQ(cfg->monitors[0].quality, "low");
  EXPECT_EQ(cfg->monitors[0].size, "1024x1024");
  EXPECT_EQ(cfg->monitors[1].quality, "high");
  EXPECT_EQ(cfg->monitors[1].size, "1536x1024");
}

TEST(CheapestRequest, Gemini3DefaultsTo1KAndGemini2HasNoSize) {
  Result<Config> cfg = LoadFromString(std::string(kMonitor) + R"(
  - {name: old, kind: gemini, model: gemini-2.5-flash-image, api_key: k}
  - {name: or, kind: openrouter_image, model: google/gemini-3-pro-image, api_key: k}
)",
                                      "cfg.yaml");
  ASSERT_TRUE(cfg) << cfg.error().message();
  EXPECT_EQ(cfg->monitors[0].size, "1K");
  EXPECT_EQ(cfg->monitors[1].size, "");
  EXPECT_EQ(cfg->monitors[2].size, "1K");
}

TEST(CostPerCall, OverridesAndIsValidated) {
  Result<Config> cfg =
      LoadFromString(std::string(kMonitor) + "    cost_per_call: 0.5\n", "cfg.yaml");
  ASSERT_TRUE(cfg) << cfg.error().message();
  EXPECT_DOUBLE_EQ(*cfg->monitors[0].cost_per_call, 0.5);
  auto problems = Problems(std::string(kMonitor) + "    cost_per_call: -1\n");
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_NE(problems[0].find("cost_per_call: -1 is out of range"), std::string::npos);
}

}  // namespace
}  // namespace modelwatch::config
