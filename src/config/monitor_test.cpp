// One monitor at a time: defaults and their resolution, provider
// inheritance, and each kind of problem with its exact place.
#include <gtest/gtest.h>

#include "config/config.h"
#include "config/test_util.h"

namespace modelwatch::config {
namespace {

using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;
using testing::Problems;

// An image monitor on lines 2-5 (its keys at column 5); `extra` is appended
// from line 6 on.
std::string ImageMonitor(const std::string& extra, const std::string& before = "") {
  return before +
         "monitors:\n"
         "  - name: m\n"
         "    kind: openai_images\n"
         "    api_key: k\n"
         "    model: dall-e-3\n" +
         extra;
}

Monitor LoadOne(const std::string& yaml) {
  Result<Config> cfg = LoadFromString(yaml, "cfg.yaml");
  EXPECT_TRUE(cfg) << cfg.error().message();
  if (!cfg || cfg->monitors.empty()) {
    return Monitor{};
  }
  return cfg->monitors[0];
}

struct ScheduleCase {
  std::string defaults;  // the defaults section, or ""
  std::string monitor;   // extra monitor keys
  std::optional<Tier> tier;
  milliseconds interval;
};

TEST(Monitor, ResolvesTierAndInterval) {
  const ScheduleCase cases[] = {
      {"", "", Tier::kStandard, minutes(15)},
      {"", "    tier: critical\n", Tier::kCritical, minutes(1)},
      {"", "    tier: important\n", Tier::kImportant, minutes(5)},
      {"", "    tier: test\n", Tier::kTest, minutes(30)},
      {"", "    interval: 2m\n", std::nullopt, minutes(2)},
      {"defaults: {tier: critical}\n", "", Tier::kCritical, minutes(1)},
      {"defaults: {interval: 10m}\n", "", std::nullopt, minutes(10)},
      {"defaults: {interval: 10m}\n", "    tier: test\n", Tier::kTest, minutes(30)},
      {"defaults: {tier: test}\n", "    interval: 3m\n", std::nullopt, minutes(3)},
  };
  for (const ScheduleCase& c : cases) {
    Monitor m = LoadOne(ImageMonitor(c.monitor, c.defaults));
    EXPECT_EQ(m.tier, c.tier) << c.defaults << c.monitor;
    EXPECT_EQ(m.interval, c.interval) << c.defaults << c.monitor;
  }
}

TEST(Monitor, InheritedTimeoutShrinksToAShortInterval) {
  EXPECT_EQ(LoadOne(ImageMonitor("    interval: 30s\n", "")).timeout, seconds(30));
  EXPECT_EQ(LoadOne(ImageMonitor("    interval: 30s\n", "defaults: {timeout: 45s}\n")).timeout,
            seconds(30));
  EXPECT_EQ(LoadOne(ImageMonitor("    interval: 30s\n    timeout: 10s\n", "")).timeout,
            seconds(10));
  EXPECT_EQ(LoadOne(ImageMonitor("", "")).timeout, seconds(60));
  EXPECT_EQ(LoadOne(ImageMonitor("    interval: 30s\n", "defaults: {timeout: 45s}\n"))
                .timeout_shrunk_from,
            seconds(45));
  EXPECT_FALSE(LoadOne(ImageMonitor("", "")).timeout_shrunk_from);
}

TEST(Monitor, InheritsFromItsProvider) {
  const std::string providers =
      "providers:\n"
      "  gw: {base_url: \"https://gw.test/v1/\", api_key: from-provider}\n"
      "  keyonly: {api_key: only-key}\n";
  auto load = [&](const std::string& monitor_keys) {
    return LoadOne(providers +
                   "monitors:\n"
                   "  - name: m\n"
                   "    kind: gemini\n"
                   "    model: g\n" +
                   monitor_keys);
  };
  Monitor inherits = load("    provider: gw\n");
  EXPECT_EQ(inherits.provider, "gw");
  EXPECT_EQ(inherits.base_url, "https://gw.test/v1");
  EXPECT_EQ(inherits.api_key.reveal(), "from-provider");

  Monitor overrides = load(
      "    provider: gw\n"
      "    base_url: https://own.test\n"
      "    api_key: own\n");
  EXPECT_EQ(overrides.base_url, "https://own.test");
  EXPECT_EQ(overrides.api_key.reveal(), "own");

  Monitor kind_default = load("    provider: keyonly\n");
  EXPECT_EQ(kind_default.base_url, "https://generativelanguage.googleapis.com");
  EXPECT_EQ(kind_default.api_key.reveal(), "only-key");
}

struct ErrorCase {
  std::string extra;  // monitor keys from line 6, column 5
  std::string want;   // the one expected problem
};

TEST(Monitor, ReportsEachProblemAtItsPlace) {
  const ErrorCase cases[] = {
      {"    intervall: 5m\n",
       "cfg.yaml:6:5: monitors[0] \"m\": unknown key \"intervall\" (did you mean \"interval\"?)"},
      {"    conditions: [\"status == 200\"]\n",
       "cfg.yaml:6:5: monitors[0] \"m\": key \"conditions\" does not apply to kind "
       "\"openai_images\" (only to \"http\")"},
      {"    aspect_ratio: \"1:1\"\n",
       "cfg.yaml:6:5: monitors[0] \"m\": key \"aspect_ratio\" does not apply to kind "
       "\"openai_images\" (only to \"gemini\", \"openrouter_image\", \"stability\" or \"vertex\")"},
      {"    interval: 90\n",
       "cfg.yaml:6:15: monitors[0] \"m\": interval: invalid duration \"90\": missing unit (use "
       "e.g. 500ms, 90s, 5m, 1h, 7d)"},
      {"    interval: 500ms\n",
       "cfg.yaml:6:15: monitors[0] \"m\": interval: must be at least 1s, not 500ms"},
      {"    tier: urgent\n",
       "cfg.yaml:6:11: monitors[0] \"m\": tier: \"urgent\" is not one of \"critical\", "
       "\"important\", \"standard\" or \"test\""},
      {"    tier: test\n    interval: 5m\n",
       "cfg.yaml:7:5: monitors[0] \"m\": set either tier or interval, not both"},
      {"    timeout: 0s\n",
       "cfg.yaml:6:14: monitors[0] \"m\": timeout: must be at least 1ms, not 0s"},
      {"    tier: critical\n    timeout: 90s\n",
       "cfg.yaml:7:14: monitors[0] \"m\": timeout: 1m30s is longer than the interval 1m (checks "
       "would overlap)"},
      {"    max_body: 64 megs\n",
       "cfg.yaml:6:15: monitors[0] \"m\": max_body: invalid size \"64 megs\": unknown unit "
       "\"megs\" "
       "(use bytes, or a unit: KB, MB, GB, KiB, MiB, GiB)"},
      {"    max_body: 0\n",
       "cfg.yaml:6:15: monitors[0] \"m\": max_body: must be more than 0 bytes"},
      {"    size: big\n",
       "cfg.yaml:6:11: monitors[0] \"m\": size: \"big\" is not WIDTHxHEIGHT (e.g. 1024x1024) or "
       "\"auto\""},
      {"    fetch_url: maybe\n",
       "cfg.yaml:6:16: monitors[0] \"m\": fetch_url: \"maybe\" is not true or false"},
      {"    base_url: ftp://x\n",
       "cfg.yaml:6:15: monitors[0] \"m\": base_url: \"ftp://x\" must start with http:// or "
       "https://"},
      {"    provider: nope\n",
       "cfg.yaml:6:15: monitors[0] \"m\": provider: \"nope\" is not defined under providers "
       "(there is no providers section)"},
      {"    prompt: \"\"\n", "cfg.yaml:6:13: monitors[0] \"m\": prompt: must not be empty"},
      {"    prompt:\n",
       "cfg.yaml:6:5: monitors[0] \"m\": prompt: missing value (expected a string)"},
      {"    labels: [a, b]\n",
       "cfg.yaml:6:13: monitors[0] \"m\": labels: must be a map, not a list"},
      {"    labels: {team: a, 1x: b}\n",
       "cfg.yaml:6:23: monitors[0] \"m\": labels: \"1x\" is not a valid label name (letters, "
       "digits and _, not starting with a digit)"},
      {"    thresholds: {error_rate_alert: 150}\n",
       "cfg.yaml:6:36: monitors[0] \"m\": thresholds: error_rate_alert: 150 is out of range "
       "(allowed: 0 to 100)"},
      {"    thresholds: {latency_warning: 40s}\n",
       "cfg.yaml:6:35: monitors[0] \"m\": thresholds: latency_alert (30s) must not be below "
       "latency_warning (40s)"},
      {"    thresholds: {availability_alert: x}\n",
       "cfg.yaml:6:38: monitors[0] \"m\": thresholds: availability_alert: \"x\" is not a number"},
      {"    kind: gemini\n",
       "cfg.yaml:6:5: monitors[0] \"m\": key \"kind\" is repeated (first at cfg.yaml:3:5)"},
  };
  for (const ErrorCase& c : cases) {
    EXPECT_EQ(Problems(ImageMonitor(c.extra)), std::vector<std::string>{c.want}) << c.extra;
  }
}

struct WholeCase {
  std::string yaml;
  std::string want;
};

TEST(Monitor, ReportsMissingAndKindSpecificProblems) {
  const WholeCase cases[] = {
      {"monitors:\n  - kind: http\n    url: https://a.test\n",
       "cfg.yaml:2:5: monitors[0]: missing required key \"name\""},
      {"monitors:\n  - name: m\n",
       "cfg.yaml:2:5: monitors[0] \"m\": missing required key \"kind\" (one of \"openai_images\", "
       "\"gemini\", \"openrouter_image\", \"stability\", \"flux\", \"vertex\", \"http\" or "
       "\"push\")"},
      {"monitors:\n  - name: m\n    kind: gemini\n    model: g\n",
       "cfg.yaml:2:5: monitors[0] \"m\": missing required key \"api_key\" for kind gemini (set it "
       "here or on a provider)"},
      {"monitors:\n  - name: m\n    kind: openrouter_image\n    api_key: k\n",
       "cfg.yaml:2:5: monitors[0] \"m\": missing required key \"model\" for kind openrouter_image"},
      {"monitors:\n  - name: m\n    kind: gemini\n    api_key: k\n    model: g\n    size: 3K\n",
       "cfg.yaml:6:11: monitors[0] \"m\": size: \"3K\" is not one of \"1K\", \"2K\" or \"4K\" (the "
       "image size for kind gemini)"},
      {"providers: {p: {base_url: \"https://p.test\"}}\n"
       "monitors:\n  - name: m\n    kind: gemini\n    model: g\n    provider: p\n",
       "cfg.yaml:3:5: monitors[0] \"m\": missing required key \"api_key\" for kind gemini "
       "(provider \"p\" has none either)"},
      {"monitors:\n  - name: m\n    kind: http\n    url: https://a.test\n    model: x\n",
       "cfg.yaml:5:5: monitors[0] \"m\": key \"model\" does not apply to kind \"http\" (only to "
       "\"openai_images\", \"gemini\", \"openrouter_image\", \"stability\", \"flux\", "
       "\"vertex\" or \"push\")"},
      {"monitors:\n  - name: m\n    kind: http\n    url: https://a.test\n    conditions: [{}]\n",
       "cfg.yaml:5:18: monitors[0] \"m\": conditions[0]: must be a condition such as \"status == "
       "200\", not a map"},
      {"monitors:\n  - name: m\n    kind: http\n    url: https://a.test\n"
       "    headers: {\"X Y\": v}\n",
       "cfg.yaml:5:15: monitors[0] \"m\": headers: \"X Y\" is not a valid header name"},
      {"monitors:\n  - name: m\n    kind: http\n    url: https://a.test\n    api_key: k\n",
       "cfg.yaml:5:5: monitors[0] \"m\": key \"api_key\" does not apply to kind \"http\" (only to "
       "\"openai_images\", \"gemini\", \"openrouter_image\", \"stability\", \"flux\" or "
       "\"vertex\")"},
      {"monitors:\n  - name: m\n    kind: vertex\n    model: g\n    api_key: k\n    project: p\n",
       "cfg.yaml:6:5: monitors[0] \"m\": project: does not apply with api_key (Vertex express "
       "mode: the key alone, no project, location or service account)"},
      {"monitors:\n  - just a string\n",
       "cfg.yaml:2:5: monitors[0]: must be a map with at least name and kind, not a string"},
      {"monitors: {name: m}\n",
       "cfg.yaml:1:11: monitors: must be a list (each item starting with \"- name: ...\"), not a "
       "map"},
      {"", "cfg.yaml:1:1: the file is empty (expected a map with a \"monitors\" list)"},
      {"- a\n", "cfg.yaml:1:1: the file must be a map with a \"monitors\" list, not a list"},
      {"storage: {sqlite: \"\"}\n",
       "cfg.yaml:1:19: storage: sqlite: must be a file path, not empty"},
      {"defaults: {tier: test, interval: 1m}\n",
       "cfg.yaml:1:24: defaults: set either tier or interval, not both"},
      {"defaults: {thresholds: {availability_warning: 99.5, availability_warning: 99}}\n",
       "cfg.yaml:1:53: defaults: thresholds: key \"availability_warning\" is repeated (first at "
       "cfg.yaml:1:25)"},
      {"providers: {p: {url: \"https://p.test\"}}\n",
       "cfg.yaml:1:17: provider \"p\": unknown key \"url\""},
  };
  for (const WholeCase& c : cases) {
    EXPECT_EQ(Problems(c.yaml), std::vector<std::string>{c.want}) << c.yaml;
  }
}

// An interpolation failure is reported once, not again as a bad value.
TEST(Monitor, DoesNotCascadeFromAnUnsetVariable) {
  unsetenv("MW_TEST_NOT_SET");
  EXPECT_EQ(Problems(ImageMonitor("    timeout: ${MW_TEST_NOT_SET}\n")),
            std::vector<std::string>{"cfg.yaml:6:14: environment variable MW_TEST_NOT_SET is not "
                                     "set (use ${MW_TEST_NOT_SET:-default} to give a default)"});
}

TEST(Monitor, VariablesFeedTypedValues) {
  setenv("MW_TEST_INTERVAL", "7m", 1);
  Monitor m =
      LoadOne(ImageMonitor("    interval: ${MW_TEST_INTERVAL}\n"
                           "    timeout: ${MW_TEST_NOT_SET_EITHER:-20s}\n"));
  EXPECT_EQ(m.interval, minutes(7));
  EXPECT_EQ(m.timeout, seconds(20));
}

TEST(Monitor, VertexWithAnApiKeyIsExpressMode) {
  Result<Config> cfg = LoadFromString(
      "monitors:\n  - {name: v, kind: vertex, model: gemini-3-pro-image, api_key: AQ.key}\n",
      "cfg.yaml");
  ASSERT_TRUE(cfg) << cfg.error().message();
  EXPECT_TRUE(cfg->monitors[0].vertex_express);
  EXPECT_TRUE(cfg->monitors[0].credentials_file.empty());
}

TEST(Monitor, FullEveryIsReadAsACount) {
  Result<Config> cfg = LoadFromString(
      "monitors:\n  - {name: g, kind: gemini, model: m, api_key: k, full_every: 6}\n", "cfg.yaml");
  ASSERT_TRUE(cfg) << cfg.error().message();
  EXPECT_EQ(cfg->monitors[0].full_every, 6);
}

}  // namespace
}  // namespace modelwatch::config
