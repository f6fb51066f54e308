#include "engine/config_check.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace modelwatch::engine {
namespace {

std::vector<std::string> Warnings(const std::string& monitors) {
  auto cfg = config::LoadFromString("monitors:\n" + monitors, "cfg.yaml");
  EXPECT_TRUE(cfg) << cfg.error().message();
  auto checked = CheckConfig(*cfg);
  EXPECT_TRUE(checked) << checked.error().message();
  return checked->warnings;
}

bool AnyContains(const std::vector<std::string>& lines, const std::string& part) {
  return std::any_of(lines.begin(), lines.end(),
                     [&](const std::string& l) { return l.find(part) != std::string::npos; });
}

TEST(ConfigCheck, AMonitorOnAShutDownModelIsWarnedOfBeforeTheFirstCall) {
  auto w = Warnings(
      "  - {name: old, kind: openai_images, model: dall-e-3, api_key: sk-test-0123456789}\n"
      "  - {name: nbp, kind: gemini, model: gemini-3-pro-image-preview, api_key: k-0123456789}\n"
      "  - {name: route, kind: openrouter_image, model: openai/gpt-image-1, api_key: k-0123456789}\n");
  EXPECT_TRUE(AnyContains(w, "cfg.yaml:2:5: warning: monitor \"old\": model dall-e-3 was shut "
                             "down on 2026-05-12"))
      << ::testing::PrintToString(w);
  EXPECT_TRUE(AnyContains(w, "model gemini-3-pro-image-preview was shut down on 2026-06-25"));
  EXPECT_TRUE(AnyContains(w, "move it to gemini-3-pro-image"));
  EXPECT_TRUE(AnyContains(w, "model openai/gpt-image-1 was shut down on 2026-10-23"));
}

TEST(ConfigCheck, CurrentModelsDrawNoLifecycleWarning) {
  auto w = Warnings(
      "  - {name: new, kind: openai_images, model: gpt-image-2, api_key: sk-test-0123456789}\n"
      "  - {name: nbp, kind: gemini, model: gemini-3-pro-image, api_key: k-0123456789}\n");
  EXPECT_FALSE(AnyContains(w, "shut")) << ::testing::PrintToString(w);
}

TEST(ConfigCheck, AShrunkInheritedTimeoutIsAWarning) {
  auto w = Warnings(
      "  - {name: fast, kind: gemini, model: gemini-3-pro-image, api_key: k-0123456789, "
      "interval: 30s}\n");
  EXPECT_TRUE(AnyContains(w, "warning: monitor \"fast\": the inherited timeout 1m is longer than "
                             "its 30s interval, so checks time out after 30s"))
      << ::testing::PrintToString(w);
}

}  // namespace
}  // namespace modelwatch::engine
