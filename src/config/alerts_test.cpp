// The alerts section and a monitor's alert keys.
#include "config/alerts.h"

#include <gtest/gtest.h>

#include "config/config.h"
#include "config/test_util.h"

namespace modelwatch::config {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;
using testing::Problems;

const std::string kMonitor =
    "monitors:\n"
    "  - name: m\n"
    "    kind: http\n"
    "    url: https://m.example.com\n";

const std::string kExample =
    "alerts:\n"
    "  consecutive_failures: 3\n"
    "  cooldown: 30m\n"
    "  group_wait: 30s\n"
    "  levels:\n"
    "    info:     {triggers: [rate_limited], channels: [log]}\n"
    "    warning:  {triggers: [timeout, degraded], channels: [feishu, slack]}\n"
    "    critical: {triggers: [server_error, network_error, auth_error, quota_exhausted, "
    "client_error, invalid_response], channels: [feishu, wecom, slack, email]}\n";

TEST(Alerts, TheIssueExampleParsesAsWritten) {
  Result<Config> cfg = LoadFromString(kExample + kMonitor, "cfg.yaml");
  ASSERT_TRUE(cfg) << cfg.error().message();
  const Alerts& a = cfg->alerts;
  EXPECT_EQ(a.rules.consecutive_failures, 3);
  EXPECT_EQ(a.rules.cooldown, minutes(30));
  EXPECT_EQ(a.group_wait, seconds(30));
  EXPECT_EQ(a.LevelOf(CheckStatus::kRateLimited), AlertLevel::kInfo);
  EXPECT_EQ(a.LevelOf(CheckStatus::kTimeout), AlertLevel::kWarning);
  EXPECT_EQ(a.LevelOf(CheckStatus::kQuotaExhausted), AlertLevel::kCritical);
  EXPECT_EQ(a.level(AlertLevel::kWarning).channels, (std::vector<std::string>{"feishu", "slack"}));
  std::vector<ChannelUse> uses = a.ChannelUses();
  ASSERT_EQ(uses.size(), 7u);
  EXPECT_EQ(uses[1].channel, "feishu");
  EXPECT_EQ(uses[1].level, AlertLevel::kWarning);
  EXPECT_EQ(uses[1].mark.ToString(), "cfg.yaml:7:58");
  // Defaults of what is not written.
  EXPECT_EQ(a.rules.resolve_after, 2);
  EXPECT_EQ(a.group_by, "provider");
  EXPECT_EQ(a.language, "en");
  EXPECT_EQ(cfg->monitors[0].alerting.rules.consecutive_failures, 3);
}

TEST(Alerts, RulesParseAndSwitchOff) {
  Result<Config> cfg = LoadFromString(
      "alerts:\n"
      "  failure_rate: {window: 30m, above: 50%, min_checks: 3}\n"
      "  latency_p95: {window: 1h, above: 30s}\n"
      "  error_rate: off\n"
      "  availability: {window: 24h, below: 99%}\n"
      "  rate_limits: {per_hour: 10}\n"
      "  flapping: {window: 21, above: 30%}\n"
      "  language: zh\n"
      "  canaries: [https://www.google.com/generate_204]\n"
      "  dashboard_url: https://mw.example.com\n" +
          kMonitor,
      "cfg.yaml");
  ASSERT_TRUE(cfg) << cfg.error().message();
  const AlertRules& r = cfg->alerts.rules;
  EXPECT_EQ(r.failure_rate.window, minutes(30));
  EXPECT_EQ(r.failure_rate.min_checks, 3);
  EXPECT_EQ(r.window(WindowRuleKind::kLatencyP95).bound, 30'000.0);
  EXPECT_FALSE(r.window(WindowRuleKind::kErrorRate).enabled);
  EXPECT_EQ(r.window(WindowRuleKind::kAvailability).window_index, 2);
  EXPECT_EQ(r.window(WindowRuleKind::kAvailability).bound, 99.0);
  EXPECT_EQ(r.window(WindowRuleKind::kRateLimits).bound, 10.0);
  EXPECT_EQ(r.flapping.window, 21);
  EXPECT_EQ(cfg->alerts.language, "zh");
  EXPECT_EQ(cfg->alerts.canaries.size(), 1u);
}

TEST(Alerts, MonitorOverridesTheRulesItWrites) {
  Result<Config> cfg = LoadFromString(
      "alerts: {consecutive_failures: 5, failure_rate: {window: 1h, above: 40%}}\n" + kMonitor +
          "    alerts: {consecutive_failures: 2, failure_rate: {above: 20%}, flapping: off}\n"
          "    status_pages: [https://status.example.com]\n"
          "    maintenance: {start: \"02:00\", duration: 2h, every: [mon, thu]}\n"
          "  - name: child\n"
          "    kind: http\n"
          "    url: https://c.example.com\n"
          "    depends_on: m\n",
      "cfg.yaml");
  ASSERT_TRUE(cfg) << cfg.error().message();
  const MonitorAlerts& m = cfg->monitors[0].alerting;
  EXPECT_EQ(m.rules.consecutive_failures, 2);
  EXPECT_EQ(m.rules.failure_rate.window, std::chrono::hours(1));  // inherited
  EXPECT_EQ(m.rules.failure_rate.above, 20.0);
  EXPECT_FALSE(m.rules.flapping.enabled);
  EXPECT_EQ(m.status_pages, std::vector<std::string>{"https://status.example.com"});
  ASSERT_EQ(m.maintenance.size(), 1u);
  EXPECT_TRUE(m.maintenance[0].days[0] && m.maintenance[0].days[3]);
  EXPECT_EQ(cfg->monitors[1].alerting.depends_on, "m");
  EXPECT_EQ(cfg->monitors[1].alerting.rules.consecutive_failures, 5);
}

TEST(Alerts, EveryProblemIsReportedAtItsPlace) {
  struct Case {
    std::string yaml;
    std::string problem;
  };
  const Case cases[] = {
      {"alerts:\n  cooldwon: 30m\n" + kMonitor,
       "cfg.yaml:2:3: alerts: unknown key \"cooldwon\" (did you mean \"cooldown\"?)"},
      {"alerts:\n  levels:\n    critical: {triggers: [server_eror]}\n" + kMonitor,
       "cfg.yaml:3:27: alerts: levels: critical: triggers: \"server_eror\" is not a failing "
       "status"},
      {"alerts:\n  levels:\n    info: {triggers: [timeout]}\n    warning: {triggers: [timeout]}\n" +
           kMonitor,
       "cfg.yaml:4:26: alerts: levels: warning: triggers: \"timeout\" is already a trigger of "
       "level info"},
      {"alerts:\n  language: fr\n" + kMonitor,
       "cfg.yaml:2:13: alerts: language: \"fr\" is not one of \"en\" or \"zh\""},
      {"alerts:\n  latency_p95: {window: 2h}\n" + kMonitor,
       "cfg.yaml:2:25: alerts: latency_p95: window: \"2h\" is not one of"},
      {"alerts:\n  maintenance: [{start: \"02:00\", duration: 2h, every: daily, timezone: "
       "Mars/Base}]\n" +
           kMonitor,
       "timezone: \"Mars/Base\" is not a time zone"},
      {"alerts:\n  maintenance: [{start: \"02:00\", duration: 2h}]\n" + kMonitor,
       "has no date: a window without `every` happens once"},
      {"alerts:\n  maintenance: [{start: \"02:00\", duration: 2h, every: weekly}]\n" + kMonitor,
       "weekly needs a start with a date"},
      {"alerts:\n  maintenance: [{start: \"25:00\", duration: 2h, every: daily}]\n" + kMonitor,
       "\"25:00\" is not a time of day"},
      {kMonitor + "    depends_on: gatewya\n  - name: gateway\n    kind: http\n    url: "
                  "https://g.example.com\n",
       "cfg.yaml:5:17: monitor \"m\": depends_on: \"gatewya\" is not a monitor (did you mean "
       "\"gateway\"?)"},
      {kMonitor + "    alerts: {group_wait: 1s}\n",
       "cfg.yaml:5:14: monitors[0] \"m\": alerts: unknown key \"group_wait\""},
  };
  for (const Case& c : cases) {
    std::vector<std::string> p = Problems(c.yaml);
    ASSERT_EQ(p.size(), 1u) << c.yaml << (p.empty() ? "" : p[0]);
    EXPECT_NE(p[0].find(c.problem), std::string::npos) << p[0];
  }
}

TEST(AlertTemplates, GlobalTemplatesAreReadByNoticeKind) {
  Result<Config> cfg = LoadFromString(
      "alerts:\n  templates:\n    firing: \"{{level}} {{monitor}}: {{status}} ({{error}})\"\n"
      "    resolved: \"{{ monitor }} back after {{down_for}}\"\n" +
          kMonitor,
      "cfg.yaml");
  ASSERT_TRUE(cfg) << cfg.error().message();
  EXPECT_EQ(cfg->alerts.templates.at("firing"), "{{level}} {{monitor}}: {{status}} ({{error}})");
  EXPECT_EQ(cfg->alerts.templates.at("resolved"), "{{ monitor }} back after {{down_for}}");
}

TEST(AlertTemplates, AnUnknownPlaceholderIsAnErrorAtItsPlace) {
  EXPECT_EQ(Problems("alerts:\n  templates:\n    firing: \"{{monitr}} is down\"\n" + kMonitor),
            std::vector<std::string>{
                "cfg.yaml:3:13: alerts: templates: firing: unknown placeholder {{monitr}} at "
                "character 1 (known: monitor, model, provider, level, event, rule, status, "
                "http_status, error, summary, since, down_for, consecutive_failures, figures, "
                "diagnosis, actions, status_pages, folded, dashboard)"});
}

TEST(AlertTemplates, AnUnclosedPlaceholderIsAnError) {
  std::vector<std::string> p =
      Problems("alerts:\n  templates:\n    resolved: \"{{monitor back\"\n" + kMonitor);
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0],
            "cfg.yaml:3:15: alerts: templates: resolved: \"{{\" at character 1 is never closed "
            "with \"}}\"");
}

TEST(AlertTemplates, AnUnknownNoticeKindIsAnError) {
  std::vector<std::string> p = Problems("alerts:\n  templates:\n    fired: \"x\"\n" + kMonitor);
  ASSERT_EQ(p.size(), 1u);
  EXPECT_NE(p[0].find("cfg.yaml:3:5: alerts: templates: unknown key \"fired\""), std::string::npos)
      << p[0];
}

}  // namespace
}  // namespace modelwatch::config
