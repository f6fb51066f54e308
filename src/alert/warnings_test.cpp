#include "alert/warnings.h"

#include <gtest/gtest.h>

namespace modelwatch::alert {
namespace {

std::vector<std::string> WarningsOf(const std::string& yaml) {
  Result<config::Config> cfg = config::LoadFromString(yaml, "cfg.yaml");
  EXPECT_TRUE(cfg.has_value()) << (cfg ? "" : cfg.error().message());
  return cfg ? AlertWarnings(*cfg) : std::vector<std::string>{};
}

TEST(AlertWarnings, FailureRateThatCanNeverFireAtTheIntervalIsWarned) {
  std::vector<std::string> w = WarningsOf(
      "alerts:\n"
      "  failure_rate: {window: 30m, above: 50%, min_checks: 3}\n"
      "monitors:\n"
      "  - name: slow\n    kind: http\n    url: https://s.example.com\n    tier: standard\n"
      "  - name: fast\n    kind: http\n    url: https://f.example.com\n    tier: critical\n");
  ASSERT_EQ(w.size(), 1u);
  EXPECT_EQ(w[0],
            "cfg.yaml:2:17: warning: monitor \"slow\": failure_rate can never fire: its window "
            "30m holds at most 2 checks at the interval 15m, fewer than min_checks 3");
}

TEST(AlertWarnings, AWrittenWindowRuleNamesTheMinChecksItWouldNeed) {
  // No min_checks written: 100, so that one failure alone cannot put the day
  // below 99 %; a 15-minute monitor makes 96 checks a day.
  std::vector<std::string> w = WarningsOf(
      "alerts:\n"
      "  availability: {window: 24h, below: 99%}\n"
      "monitors:\n"
      "  - name: slow\n    kind: http\n    url: https://s.example.com\n    tier: standard\n"
      "  - name: fast\n    kind: http\n    url: https://f.example.com\n    tier: important\n");
  ASSERT_EQ(w.size(), 1u);
  EXPECT_EQ(w[0],
            "cfg.yaml:2:17: warning: monitor \"slow\": availability can never fire: its window "
            "24h holds at most 96 checks at the interval 15m, fewer than min_checks 100");
}

TEST(AlertWarnings, DefaultsAreNotWarned) {
  EXPECT_TRUE(WarningsOf("monitors:\n  - name: slow\n    kind: http\n    url: "
                         "https://s.example.com\n    tier: test\n")
                  .empty());
}

}  // namespace
}  // namespace modelwatch::alert
