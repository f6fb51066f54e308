#include "cost/estimate.h"

#include <gtest/gtest.h>

#include "config/prices.h"
#include "core/sample_file.h"
#include "probe/json_body.h"
#include "probe/usage_block.h"

namespace modelwatch::cost {
namespace {

config::Monitor MonitorFor(const std::string& model) {
  config::Monitor m;
  m.name = "m";
  m.model = model;
  if (const config::Price* p = config::BuiltinPrices().Find(model)) {
    m.price = *p;
  }
  return m;
}

probe::Json Sample(std::string_view name) {
  auto j = probe::ParseJson(testing::ReadFormatsFile(std::string("samples/") + std::string(name)));
  EXPECT_TRUE(j.has_value()) << name;
  return j.value_or(probe::Json());
}

TEST(CostOfCheck, GeminiSampleUsageTimesTokenPrices) {
  auto usage =
      probe::ReadGeminiUsage(Sample("gemini-generatecontent-image-response-2025-11-09.json"));
  ASSERT_TRUE(usage);
  EXPECT_EQ(usage->input_tokens, 323);
  EXPECT_EQ(usage->output_tokens, 1319);
  EXPECT_EQ(usage->image_output_tokens, 1290);
  // gemini-2.5-flash-image: 323 x $0.30/M + 29 x $2.50/M + 1290 x $30/M.
  auto c = CostOfCheck(MonitorFor("gemini-2.5-flash-image"), CheckStatus::kSuccess, &*usage);
  ASSERT_TRUE(c);
  EXPECT_NEAR(*c, 323 * 0.3e-6 + 29 * 2.5e-6 + 1290 * 30e-6, 1e-12);
}

TEST(CostOfCheck, NanoBananaProImageAt1120TokensIsAbout134Thousandths) {
  Usage u;
  u.input_tokens = 0;
  u.output_tokens = 1120;
  u.image_output_tokens = 1120;
  auto c = CostOfCheck(MonitorFor("gemini-3-pro-image"), CheckStatus::kSuccess, &u);
  ASSERT_TRUE(c);
  EXPECT_NEAR(*c, 0.1344, 1e-9);
}

TEST(CostOfCheck, OpenAiSampleUsage) {
  auto usage =
      probe::ReadOpenAiImageUsage(Sample("openai-images-generations-response-doc-example.json"));
  ASSERT_TRUE(usage);
  EXPECT_EQ(usage->input_tokens, 50);
  EXPECT_EQ(usage->output_tokens, 50);
  EXPECT_EQ(usage->image_output_tokens, 50);
  auto c = CostOfCheck(MonitorFor("gpt-image-1"), CheckStatus::kSuccess, &*usage);
  ASSERT_TRUE(c);
  EXPECT_NEAR(*c, 50 * 5e-6 + 50 * 40e-6, 1e-12);
}

TEST(CostOfCheck, OpenRouterReportedCostWins) {
  auto body = probe::ParseJson(std::string_view(
      R"({"usage":{"prompt_tokens":22,"completion_tokens":1120,"total_tokens":1142,)"
      R"("completion_tokens_details":{"image_tokens":1120},"cost":0.1348}})"));
  auto usage = probe::ReadOpenRouterUsage(*body);
  ASSERT_TRUE(usage);
  EXPECT_EQ(usage->image_output_tokens, 1120);
  auto c = CostOfCheck(MonitorFor("google/gemini-3-pro-image"), CheckStatus::kSuccess, &*usage);
  EXPECT_DOUBLE_EQ(*c, 0.1348);
}

TEST(CostOfCheck, SuccessWithoutUsageIsThePerImagePriceOfItsShape) {
  config::Monitor m = MonitorFor("gpt-image-1");
  m.quality = "low";
  m.size = "1024x1024";
  EXPECT_DOUBLE_EQ(*CostOfCheck(m, CheckStatus::kSuccess, nullptr), 0.011);
  m.quality = "high";
  EXPECT_DOUBLE_EQ(*CostOfCheck(m, CheckStatus::kDegraded, nullptr), 0.167);
}

TEST(CostOfCheck, FailureWithoutUsageIsNotBilled) {
  EXPECT_FALSE(CostOfCheck(MonitorFor("gemini-3-pro-image"), CheckStatus::kServerError, nullptr));
}

TEST(CostOfCheck, CostPerCallOverridesUsage) {
  config::Monitor m = MonitorFor("gemini-3-pro-image");
  m.cost_per_call = 0.5;
  Usage u;
  u.output_tokens = u.image_output_tokens = 1120;
  EXPECT_DOUBLE_EQ(*CostOfCheck(m, CheckStatus::kSuccess, &u), 0.5);
}

TEST(CostOfCheck, UnknownModelHasNoCostAndSaysSo) {
  config::Monitor m = MonitorFor("brand-new-model");
  EXPECT_FALSE(CostOfCheck(m, CheckStatus::kSuccess, nullptr));
  EXPECT_FALSE(PricePerCheck(m));
  EXPECT_EQ(NoPrice(m), "no price for brand-new-model (add it under prices: or set cost_per_call)");
}

TEST(CostOfCheck, AnHttpCheckSaysItIsNotAPricedImageCall) {
  config::Monitor m;
  m.name = "gateway-health";
  m.kind = "http";
  EXPECT_EQ(NoPrice(m), "http check: no price (set cost_per_call if it is billed)");
}

TEST(PricePerCheck, GeminiSizeSelectsPerImagePrice) {
  config::Monitor m = MonitorFor("gemini-3-pro-image");
  m.size = "4K";
  EXPECT_DOUBLE_EQ(*PricePerCheck(m), 0.24);
  m.size = "1K";
  EXPECT_DOUBLE_EQ(*PricePerCheck(m), 0.134);
}

}  // namespace
}  // namespace modelwatch::cost
