#include <gtest/gtest.h>

#include "config/config.h"
#include "config/test_util.h"

namespace modelwatch::config {
namespace {

using testing::Problems;

constexpr const char* kMonitor =
    "monitors:\n"
    "  - name: m\n"
    "    kind: openai_images\n"
    "    api_key: k\n"
    "    model: dall-e-3\n";

TEST(WebConfig, DefaultsToLoopback8080) {
  auto cfg = LoadFromString(kMonitor, "cfg.yaml");
  ASSERT_TRUE(cfg) << cfg.error().message();
  EXPECT_TRUE(cfg->web.enabled);
  EXPECT_EQ(cfg->web.host, "127.0.0.1");
  EXPECT_EQ(cfg->web.port, 8080);
  EXPECT_TRUE(cfg->web.warning.empty());
}

TEST(WebConfig, ReadsEveryKey) {
  auto cfg = LoadFromString(std::string(kMonitor) +
                                "web:\n  listen: '[::1]:9090'\n  admin_token: "
                                "abcdefghijklmnopq\n  title: Our models\n  enabled: false\n",
                            "cfg.yaml");
  ASSERT_TRUE(cfg) << cfg.error().message();
  EXPECT_EQ(cfg->web.host, "::1");
  EXPECT_EQ(cfg->web.port, 9090);
  EXPECT_EQ(cfg->web.admin_token.reveal(), "abcdefghijklmnopq");
  EXPECT_EQ(cfg->web.title, "Our models");
  EXPECT_FALSE(cfg->web.enabled);
}

TEST(WebConfig, BadListenIsReportedWithItsPlace) {
  auto p = Problems(std::string(kMonitor) + "web:\n  listen: localhost\n");
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0].rfind("cfg.yaml:7:11: web: listen: \"localhost\" is not HOST:PORT", 0), 0u)
      << p[0];
}

TEST(WebConfig, UnknownKeyIsAnError) {
  auto p = Problems(std::string(kMonitor) + "web:\n  listn: 127.0.0.1:1\n");
  ASSERT_EQ(p.size(), 1u);
  EXPECT_NE(p[0].find("listn"), std::string::npos);
}

TEST(WebConfig, ShortAdminTokenIsAnErrorThatHidesIt) {
  auto p = Problems(std::string(kMonitor) + "web:\n  admin_token: short-tok\n");
  ASSERT_EQ(p.size(), 1u);
  EXPECT_NE(p[0].find("too short"), std::string::npos);
  EXPECT_EQ(p[0].find("short-tok"), std::string::npos);
}

TEST(WebConfig, PublicListenWithoutTokenWarns) {
  auto cfg = LoadFromString(std::string(kMonitor) + "web:\n  listen: 0.0.0.0:8080\n", "cfg.yaml");
  ASSERT_TRUE(cfg);
  EXPECT_NE(cfg->web.warning.find("without admin_token"), std::string::npos);
}

TEST(PushMonitor, NeedsAToken) {
  auto p = Problems("monitors:\n  - name: app\n    kind: push\n    interval: 5m\n");
  ASSERT_EQ(p.size(), 1u);
  EXPECT_NE(p[0].find("missing required key \"token\" for kind push"), std::string::npos);
}

TEST(PushMonitor, ReadsTokenModelAndInterval) {
  auto cfg = LoadFromString(
      "monitors:\n  - name: app\n    kind: push\n    token: tok-0123456789abcdef\n"
      "    model: gpt-image-1\n    interval: 5m\n",
      "cfg.yaml");
  ASSERT_TRUE(cfg) << cfg.error().message();
  EXPECT_EQ(cfg->monitors[0].token.reveal(), "tok-0123456789abcdef");
  EXPECT_EQ(cfg->monitors[0].model, "gpt-image-1");
  EXPECT_EQ(cfg->monitors[0].interval, std::chrono::minutes(5));
}

TEST(PushMonitor, ProbeKeysDoNotApply) {
  auto p = Problems(
      "monitors:\n  - name: app\n    kind: push\n    token: tok-0123456789abcdef\n"
      "    url: https://x.example\n");
  ASSERT_EQ(p.size(), 1u);
  EXPECT_NE(p[0].find("does not apply to kind \"push\""), std::string::npos);
}

}  // namespace
}  // namespace modelwatch::config
