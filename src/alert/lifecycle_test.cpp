#include "alert/lifecycle.h"

#include <gtest/gtest.h>

namespace modelwatch::alert {
namespace {

using std::chrono::days;
using std::chrono::hours;

WallTime Shutdown() { return std::chrono::sys_days(std::chrono::year(2026) / 12 / 1); }

source::ModelListing Listed(std::optional<WallTime> shutdown) {
  return {"gpt-image-1.5", true, shutdown, ""};
}

TEST(Lifecycle, ThresholdsCrossedGiveTheMostUrgentOne) {
  struct Case {
    WallTime now;
    int want;  // 0: no warning
  } cases[] = {
      {Shutdown() - days(45), 0},  {Shutdown() - days(30) - hours(1), 0},
      {Shutdown() - days(30), 30}, {Shutdown() - days(8), 30},
      {Shutdown() - days(7), 7},   {Shutdown() - days(2), 7},
      {Shutdown() - hours(23), 1}, {Shutdown() + days(3), 1},
  };
  for (const Case& c : cases) {
    auto w = LifecycleWarningFor(Listed(Shutdown()), c.now);
    SCOPED_TRACE(c.want);
    if (c.want == 0) {
      EXPECT_FALSE(w.has_value());
    } else {
      ASSERT_TRUE(w.has_value());
      EXPECT_EQ(w->threshold_days, c.want);
      EXPECT_EQ(w->Key(), "2026-12-01/" + std::to_string(c.want));
    }
  }
}

TEST(Lifecycle, NoShutdownDateNoWarning) {
  EXPECT_FALSE(LifecycleWarningFor(Listed(std::nullopt), Shutdown()).has_value());
}

TEST(Lifecycle, AModelNotListedHasDisappeared) {
  auto w = LifecycleWarningFor({"dall-e-3", false, std::nullopt, ""}, Shutdown());
  ASSERT_TRUE(w.has_value());
  EXPECT_EQ(w->kind, LifecycleKind::kDisappeared);
  EXPECT_EQ(w->Key(), "gone");
  EXPECT_EQ(LifecycleText(*w, "en"),
            "dall-e-3 is no longer in its provider's model list: it was retired or renamed; "
            "update the monitor's model");
}

TEST(Lifecycle, TextsSayTheDaysLeftAndTheDate) {
  auto w = LifecycleWarningFor(Listed(Shutdown()), Shutdown() - days(7));
  ASSERT_TRUE(w.has_value());
  EXPECT_EQ(LifecycleText(*w, "en"),
            "gpt-image-1.5 shuts down in 7 days (2026-12-01): move the monitor to a current model");
  EXPECT_EQ(LifecycleText(*w, "zh"),
            "gpt-image-1.5 将在 7 天后（2026-12-01）下线：请把监控换到当前模型");
  auto past = LifecycleWarningFor(Listed(Shutdown()), Shutdown() + days(1));
  EXPECT_EQ(LifecycleText(*past, "en"),
            "gpt-image-1.5 was shut down on 2026-12-01: update the monitor's model");
}

TEST(Lifecycle, LinesForValidateAndCheck) {
  source::Snapshot openai;
  openai.kind = "models";
  openai.models = {Listed(Shutdown()), {"gpt-image-2", true, std::nullopt, ""}};
  source::Snapshot gemini;
  gemini.kind = "models";
  gemini.models = {{"models/gemini-3-pro-image-preview", false, std::nullopt, ""}};
  std::vector<MonitoredModel> monitors = {{"cheap", "gpt-image-1.5"},
                                          {"main", "gpt-image-2"},
                                          {"nbp", "gemini-3-pro-image-preview"},
                                          {"other", "flux"}};
  auto lines = LifecycleLines(monitors, {openai, gemini}, Shutdown() - days(45));
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0],
            "cheap: gpt-image-1.5 shuts down in 45 days (2026-12-01): move the monitor to a "
            "current model");
  EXPECT_EQ(lines[1].rfind("nbp: gemini-3-pro-image-preview is no longer", 0), 0u) << lines[1];
}

}  // namespace
}  // namespace modelwatch::alert
