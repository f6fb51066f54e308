#include "alert/maintenance.h"

#include <gtest/gtest.h>

#include "config/config.h"
#include "core/check_result.h"

namespace modelwatch::alert {
namespace {

// The windows of a config whose alerts.maintenance is `yaml`.
std::vector<config::Maintenance> Windows(const std::string& yaml) {
  Result<config::Config> cfg = config::LoadFromString(
      "alerts:\n  maintenance:\n" + yaml +
          "monitors:\n  - name: m\n    kind: http\n    url: https://m.example.com\n",
      "cfg.yaml");
  EXPECT_TRUE(cfg.has_value()) << (cfg ? "" : cfg.error().message());
  return cfg ? cfg->alerts.maintenance : std::vector<config::Maintenance>{};
}

WallTime Utc(int64_t unix_seconds) { return FromUnixMillis(unix_seconds * 1000); }

// 2026-12-01 is a Tuesday. Shanghai is UTC+8 all year.
constexpr int64_t kTue0000Z = 1'796'083'200;

struct Case {
  const char* name;
  std::string yaml;
  int64_t at;  // seconds after 2026-12-01T00:00Z
  bool open;
};

TEST(Maintenance, OpensAndClosesAtTheRightLocalTimes) {
  const std::string daily_sh =
      "    - {start: \"23:00\", duration: 3h, every: daily, timezone: Asia/Shanghai}\n";
  const std::string days = "    - {start: \"10:00\", duration: 1h, every: [mon, thu]}\n";
  const std::string weekly = "    - {start: 2026-12-03T10:00, duration: 1h, every: weekly}\n";
  const std::string once = "    - {start: 2026-12-01T09:00+08:00, duration: 30m}\n";
  const Case cases[] = {
      // 23:00 Shanghai = 15:00Z; open until 02:00 Shanghai (18:00Z), across midnight.
      {"daily before", daily_sh, 14 * 3600 + 59 * 60, false},
      {"daily start", daily_sh, 15 * 3600, true},
      {"daily after local midnight", daily_sh, 16 * 3600 + 30 * 60, true},
      {"daily end is closed", daily_sh, 18 * 3600, false},
      // Yesterday's window (started Mon 23:00 local) still open at 01:00 local Tue.
      {"yesterday's window", daily_sh, -7 * 3600, true},
      {"tuesday is not a day", days, 10 * 3600, false},
      {"thursday is", days, 2 * 86400 + 10 * 3600 + 1800, true},
      {"monday is", days, 6 * 86400 + 10 * 3600, true},
      {"weekly on its weekday", weekly, 2 * 86400 + 10 * 3600, true},
      {"weekly a week later", weekly, 9 * 86400 + 10 * 3600 + 59 * 60, true},
      {"weekly not the day after", weekly, 3 * 86400 + 10 * 3600, false},
      {"once with offset", once, 3600 + 10 * 60, true},
      {"once is over", once, 3600 + 30 * 60, false},
      {"once not the next day", once, 86400 + 3600 + 10 * 60, false},
  };
  for (const Case& c : cases) {
    std::vector<config::Maintenance> w = Windows(c.yaml);
    EXPECT_EQ(InMaintenance(w, Utc(kTue0000Z + c.at)).has_value(), c.open) << c.name;
  }
}

TEST(Maintenance, ToldWhenItCloses) {
  std::vector<config::Maintenance> w =
      Windows("    - {start: \"02:00\", duration: 2h, every: daily, timezone: Asia/Shanghai}\n");
  // 02:30 Shanghai on Dec 2 = 18:30Z Dec 1; closes 04:00 local = 20:00Z.
  EXPECT_EQ(InMaintenance(w, Utc(kTue0000Z + 18 * 3600 + 1800)), Utc(kTue0000Z + 20 * 3600));
}

TEST(Maintenance, DaylightSavingMovesTheUtcStart) {
  std::vector<config::Maintenance> w =
      Windows("    - {start: \"02:30\", duration: 1h, every: daily, timezone: Europe/Berlin}\n");
  // Winter (UTC+1): 02:30 local = 01:30Z. Summer (2026-07-01, UTC+2): 00:30Z.
  EXPECT_TRUE(InMaintenance(w, Utc(kTue0000Z + 5400)).has_value());
  const int64_t jul1 = 1'782'864'000;  // 2026-07-01T00:00Z
  EXPECT_TRUE(InMaintenance(w, Utc(jul1 + 1800 + 60)).has_value());
  EXPECT_FALSE(InMaintenance(w, Utc(jul1 + 5400 + 60)).has_value());
}

}  // namespace
}  // namespace modelwatch::alert
