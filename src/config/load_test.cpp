// Loading whole files: a full valid config, every kind of error with its
// exact place, several errors at once, secrets kept out of messages, files
// on disk.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "config/config.h"
#include "config/test_util.h"

namespace modelwatch::config {
namespace {

using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;
using testing::Problems;

const std::string kFull =
    "defaults:\n"
    "  tier: important\n"
    "  timeout: 45s\n"
    "  max_body: 32MiB\n"
    "  thresholds:\n"
    "    latency_alert: 40s\n"
    "providers:\n"
    "  gateway:\n"
    "    base_url: https://gw.example.com/v1/\n"
    "    api_key: ${MW_TEST_GW_KEY}\n"
    "storage:\n"
    "  postgres: postgres://mw:${MW_TEST_PG_PASS}@db:5432/mw\n"
    "  retention: 14d\n"
    "monitors:\n"
    "  - name: dalle\n"
    "    kind: openai_images\n"
    "    provider: gateway\n"
    "    model: gpt-image-1\n"
    "    size: 1024x1024\n"
    "    fetch_url: true\n"
    "    tier: critical\n"
    "    labels: {provider: openai, region: eu}\n"
    "  - name: nano-banana\n"
    "    kind: gemini\n"
    "    api_key: ${MW_TEST_GEMINI_KEY}\n"
    "    model: gemini-3-pro-image\n"
    "    aspect_ratio: \"16:9\"\n"
    "    size: 2K\n"
    "    prompt: A blue cup\n"
    "    interval: 90s\n"
    "    timeout: 80s\n"
    "    max_body: 10MB\n"
    "    thresholds:\n"
    "      availability_warning: 99.9%\n"
    "      availability_alert: 98\n"
    "      rate_limits_per_hour_alert: 20\n"
    "  - name: banana-or\n"
    "    kind: openrouter_image\n"
    "    api_key: ${MW_TEST_OR_KEY:-sk-or-default}\n"
    "    model: google/gemini-3-pro-image\n"
    "  - name: health\n"
    "    kind: http\n"
    "    url: https://status.example.com/health\n"
    "    method: post\n"
    "    headers:\n"
    "      Authorization: Bearer ${MW_TEST_GW_KEY}\n"
    "      X-Trace: \"1\"\n"
    "    body: '{\"ping\": true}'\n"
    "    conditions:\n"
    "      - status == 200\n"
    "      - latency < 2s\n"
    "sources: [{name: gcp, kind: google_cloud_status}]\n"
    "alerts: {}\n"
    "channels:\n"
    "  - name: ops\n"
    "web:\n";

class LoadTest : public ::testing::Test {
 protected:
  void SetUp() override {
    setenv("MW_TEST_GW_KEY", "sk-gw-secret-1", 1);
    setenv("MW_TEST_GEMINI_KEY", "AIza-secret-2", 1);
    setenv("MW_TEST_PG_PASS", "pg-secret-3", 1);
    unsetenv("MW_TEST_OR_KEY");
    unsetenv("MW_TEST_UNSET");
  }
};

TEST_F(LoadTest, LoadsAFullConfig) {
  Result<Config> cfg = LoadFromString(kFull, "cfg.yaml");
  ASSERT_TRUE(cfg) << cfg.error().message();
  EXPECT_EQ(cfg->path, "cfg.yaml");
  ASSERT_EQ(cfg->monitors.size(), 4u);

  const Monitor& dalle = cfg->monitors[0];
  EXPECT_EQ(dalle.name, "dalle");
  EXPECT_EQ(dalle.kind, "openai_images");
  EXPECT_EQ(dalle.provider, "gateway");
  EXPECT_EQ(dalle.base_url, "https://gw.example.com/v1");  // trailing / dropped
  EXPECT_EQ(dalle.api_key.reveal(), "sk-gw-secret-1");
  EXPECT_EQ(dalle.size, "1024x1024");
  EXPECT_TRUE(dalle.fetch_url);
  EXPECT_EQ(dalle.tier, Tier::kCritical);
  EXPECT_EQ(dalle.interval, minutes(1));
  EXPECT_EQ(dalle.timeout, seconds(45));
  EXPECT_EQ(dalle.max_body_bytes, 32u << 20);
  EXPECT_EQ(dalle.prompt, "A small red apple on a white table, studio light");
  EXPECT_EQ(dalle.thresholds.latency_alert, seconds(40));
  EXPECT_EQ(dalle.thresholds.latency_warning, seconds(15));
  EXPECT_EQ(dalle.labels.at("provider"), "openai");
  EXPECT_EQ(dalle.labels.at("region"), "eu");
  EXPECT_EQ(dalle.mark.ToString(), "cfg.yaml:15:5");

  const Monitor& banana = cfg->monitors[1];
  EXPECT_EQ(banana.base_url, "https://generativelanguage.googleapis.com");
  EXPECT_EQ(banana.api_key.reveal(), "AIza-secret-2");
  EXPECT_EQ(banana.aspect_ratio, "16:9");
  EXPECT_EQ(banana.size, "2K");
  EXPECT_EQ(banana.prompt, "A blue cup");
  EXPECT_FALSE(banana.tier.has_value());
  EXPECT_EQ(banana.interval, seconds(90));
  EXPECT_EQ(banana.timeout, seconds(80));
  EXPECT_EQ(banana.max_body_bytes, 10'000'000u);
  EXPECT_DOUBLE_EQ(banana.thresholds.availability_warning, 99.9);
  EXPECT_DOUBLE_EQ(banana.thresholds.availability_alert, 98);
  EXPECT_DOUBLE_EQ(banana.thresholds.rate_limits_per_hour_alert, 20);
  EXPECT_EQ(banana.thresholds.latency_alert, seconds(40));  // from defaults

  const Monitor& orouter = cfg->monitors[2];
  EXPECT_EQ(orouter.base_url, "https://openrouter.ai");
  EXPECT_EQ(orouter.api_key.reveal(), "sk-or-default");
  EXPECT_EQ(orouter.tier, Tier::kImportant);  // defaults.tier
  EXPECT_EQ(orouter.interval, minutes(5));

  const Monitor& health = cfg->monitors[3];
  EXPECT_EQ(health.kind, "http");
  EXPECT_EQ(health.url, "https://status.example.com/health");
  EXPECT_EQ(health.method, "POST");
  ASSERT_EQ(health.headers.size(), 2u);
  EXPECT_EQ(health.headers[0].first, "Authorization");
  EXPECT_EQ(health.headers[0].second.reveal(), "Bearer sk-gw-secret-1");
  EXPECT_EQ(health.headers[1].second.reveal(), "1");
  EXPECT_EQ(health.body, "{\"ping\": true}");
  ASSERT_EQ(health.conditions.size(), 2u);
  EXPECT_EQ(health.conditions[1].text, "latency < 2s");
  EXPECT_EQ(health.conditions[1].mark.ToString(), "cfg.yaml:51:9");
  EXPECT_TRUE(health.base_url.empty());

  ASSERT_EQ(cfg->providers.size(), 1u);
  EXPECT_EQ(cfg->providers[0].name, "gateway");
  EXPECT_EQ(cfg->storage.postgres_url, "postgres://mw:pg-secret-3@db:5432/mw");
  EXPECT_EQ(cfg->storage.retention, std::chrono::hours(14 * 24));
  EXPECT_EQ(cfg->defaults.tier, Tier::kImportant);
  ASSERT_EQ(cfg->sources.size(), 1u);
  EXPECT_EQ(cfg->alerts.rules.consecutive_failures, 3);
  EXPECT_TRUE(cfg->channels.IsSequence());
  EXPECT_EQ(cfg->web.listen, "127.0.0.1:8080");
}

TEST_F(LoadTest, MinimalConfigGetsEveryDefault) {
  Result<Config> cfg = LoadFromString(
      "monitors:\n"
      "  - name: m\n"
      "    kind: openai_images\n"
      "    api_key: k\n"
      "    model: dall-e-3\n",
      "cfg.yaml");
  ASSERT_TRUE(cfg) << cfg.error().message();
  const Monitor& m = cfg->monitors[0];
  EXPECT_EQ(m.base_url, "https://api.openai.com/v1");
  EXPECT_EQ(m.tier, Tier::kStandard);
  EXPECT_EQ(m.interval, minutes(15));
  EXPECT_EQ(m.timeout, seconds(60));
  EXPECT_EQ(m.max_body_bytes, 64u << 20);
  EXPECT_TRUE(m.fetch_url);  // an image given as a URL is verified by default
  EXPECT_TRUE(m.size.empty());
  EXPECT_DOUBLE_EQ(m.thresholds.availability_alert, 99.0);
  EXPECT_EQ(cfg->storage.sqlite_path, "modelwatch.db");
  EXPECT_TRUE(cfg->storage.postgres_url.empty());
  EXPECT_EQ(cfg->storage.retention, std::chrono::hours(30 * 24));
}

TEST_F(LoadTest, EmptyMonitorListIsValid) {
  Result<Config> cfg = LoadFromString("monitors: []\n", "cfg.yaml");
  ASSERT_TRUE(cfg) << cfg.error().message();
  EXPECT_TRUE(cfg->monitors.empty());
}

TEST_F(LoadTest, UnsetVariableIsReportedAtItsPlace) {
  EXPECT_EQ(
      Problems("monitors:\n"
               "  - name: m\n"
               "    kind: openai_images\n"
               "    model: dall-e-3\n"
               "    api_key: \"${MW_TEST_UNSET}\"\n"),
      std::vector<std::string>{"cfg.yaml:5:15: environment variable MW_TEST_UNSET is not set (use "
                               "${MW_TEST_UNSET:-default} to give a default)"});
}

TEST_F(LoadTest, ReportsEveryProblemAtOnceInFileOrder) {
  std::vector<std::string> got = Problems(
      "monitors:\n"                // 1
      "  - name: a\n"              // 2
      "    kind: openai_image\n"   // 3
      "    timeout: soon\n"        // 4
      "  - name: b\n"              // 5
      "    kind: http\n"           // 6
      "    url: https://x.test\n"  // 7
      "    intervall: 5m\n"        // 8
      "storage:\n"                 // 9
      "  retention: 0s\n"          // 10
      "colour: blue\n");           // 11
  EXPECT_EQ(got, (std::vector<std::string>{
                     "cfg.yaml:3:11: monitors[0] \"a\": kind: \"openai_image\" is not one of "
                     "\"openai_images\", \"gemini\", \"openrouter_image\", \"stability\", \"flux\", "
                     "\"vertex\", \"http\" or \"push\" (did you mean \"openai_images\"?)",
                     "cfg.yaml:4:14: monitors[0] \"a\": timeout: invalid duration \"soon\": "
                     "expected a number (use e.g. 500ms, 90s, 5m, 1h, 7d)",
                     "cfg.yaml:8:5: monitors[1] \"b\": unknown key \"intervall\" (did you mean "
                     "\"interval\"?)",
                     "cfg.yaml:10:14: storage: retention: must be at least 1h, not 0s",
                     "cfg.yaml:11:1: unknown key \"colour\"",
                 }));
}

TEST_F(LoadTest, DuplicateNamesNameBothPlaces) {
  EXPECT_EQ(Problems("monitors:\n"
                     "  - {name: x, kind: http, url: \"https://a.test\"}\n"
                     "  - {name: y, kind: http, url: \"https://b.test\"}\n"
                     "  - {name: x, kind: http, url: \"https://c.test\"}\n"),
            std::vector<std::string>{"cfg.yaml:4:12: monitors[2] \"x\": name is already used "
                                     "by monitors[0] at cfg.yaml:2:12"});
}

// Secret values must not reach any message, whatever is wrong with them.
TEST_F(LoadTest, SecretsNeverAppearInErrors) {
  setenv("MW_TEST_SECRET", "hunter2-very-secret", 1);
  std::vector<std::string> got = Problems(
      "storage:\n"
      "  postgres: mysql://u:${MW_TEST_SECRET}@h/db\n"
      "providers:\n"
      "  p: {api_key: [\"${MW_TEST_SECRET}\"]}\n"
      "monitors:\n"
      "  - name: m\n"
      "    kind: http\n"
      "    url: https://a.test\n"
      "    headers:\n"
      "      Authorization: {bearer: \"${MW_TEST_SECRET}\"}\n"
      "      \"Bad Name\": ${MW_TEST_SECRET}\n"
      "  - name: n\n"
      "    kind: gemini\n"
      "    model: g\n"
      "    api_key: {key: hunter2-very-secret}\n");
  ASSERT_EQ(got.size(), 5u) << ::testing::PrintToString(got);
  for (const std::string& line : got) {
    EXPECT_EQ(line.find("hunter2"), std::string::npos) << line;
  }
  EXPECT_EQ(got[0],
            "cfg.yaml:2:13: storage: postgres: must be a URL starting with postgres:// "
            "or postgresql:// (e.g. postgres://user:${PGPASSWORD}@host:5432/modelwatch)");
  EXPECT_EQ(got[1], "cfg.yaml:4:16: provider \"p\": api_key: must be a string, not a list");
  EXPECT_EQ(got[4], "cfg.yaml:15:14: monitors[1] \"n\": api_key: must be a string, not a map");
}

// The same key written into a field that is printed is masked too.
TEST_F(LoadTest, SecretsAreMaskedWhereverTheyAppear) {
  setenv("MW_TEST_SECRET", "hunter2-very-secret", 1);
  EXPECT_EQ(Problems("monitors:\n"
                     "  - name: m\n"
                     "    kind: gemini\n"
                     "    model: g\n"
                     "    api_key: ${MW_TEST_SECRET}\n"
                     "    base_url: \"ftp://g.test/?key=${MW_TEST_SECRET}\"\n"),
            std::vector<std::string>{"cfg.yaml:6:15: monitors[0] \"m\": base_url: "
                                     "\"ftp://g.test/?key=***\" must start with http:// or "
                                     "https://"});
}

TEST_F(LoadTest, ReadsARealFile) {
  auto dir =
      std::filesystem::temp_directory_path() / ("mw_config_test_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  auto path = (dir / "mw.yaml").string();
  { std::ofstream(path) << "monitors:\n  - {name: h, kind: http, url: \"https://a.test\"}\n"; }
  Result<Config> cfg = Load(path);
  ASSERT_TRUE(cfg) << cfg.error().message();
  EXPECT_EQ(cfg->path, path);
  EXPECT_EQ(cfg->monitors.at(0).name, "h");

  { std::ofstream(path) << "monitors:\n  - {name: h, kind: http}\n"; }
  Result<Config> bad = Load(path);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().message(),
            path + ":2:5: monitors[0] \"h\": missing required key \"url\" for kind http");
  std::filesystem::remove_all(dir);
}

TEST_F(LoadTest, RelativeSqlitePathsNameAFileBesideTheConfig) {
  auto dir =
      std::filesystem::temp_directory_path() / ("mw_config_rel_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir / "etc");
  auto path = (dir / "etc" / "mw.yaml").string();
  const std::string monitors = "monitors:\n  - {name: h, kind: http, url: \"https://a.test\"}\n";
  { std::ofstream(path) << "storage: {sqlite: data/mw.db}\n" << monitors; }
  Result<Config> cfg = Load(path);
  ASSERT_TRUE(cfg) << cfg.error().message();
  EXPECT_EQ(cfg->storage.sqlite_path, (dir / "etc" / "data" / "mw.db").string());

  { std::ofstream(path) << monitors; }
  cfg = Load(path);
  ASSERT_TRUE(cfg) << cfg.error().message();
  EXPECT_EQ(cfg->storage.sqlite_path, (dir / "etc" / "modelwatch.db").string());

  { std::ofstream(path) << "storage: {sqlite: /var/lib/mw.db}\n" << monitors; }
  cfg = Load(path);
  ASSERT_TRUE(cfg) << cfg.error().message();
  EXPECT_EQ(cfg->storage.sqlite_path, "/var/lib/mw.db");
  std::filesystem::remove_all(dir);
}

TEST_F(LoadTest, MissingFileNamesThePath) {
  Result<Config> cfg = Load("/nonexistent/dir/modelwatch.yaml");
  ASSERT_FALSE(cfg);
  EXPECT_EQ(cfg.error().code(), Status::Code::kNotFound);
  EXPECT_EQ(cfg.error().message(),
            "/nonexistent/dir/modelwatch.yaml: cannot open config file: No such file or "
            "directory");
}

TEST_F(LoadTest, SyntaxErrorsHaveAPlace) {
  EXPECT_EQ(
      Problems("monitors:\n  - name: [a\n"),
      std::vector<std::string>{"cfg.yaml:3:1: YAML syntax error: did not find expected ',' or ']' "
                               "(while parsing a flow sequence that starts at 2:11)"});
}

}  // namespace
}  // namespace modelwatch::config

namespace modelwatch::config {
namespace {

// docs/config.md's complete example must stay valid.
TEST(ConfigDoc, CompleteExampleLoads) {
  std::ifstream in(std::string(MODELWATCH_SOURCE_DIR) + "/docs/config.md");
  ASSERT_TRUE(in) << "docs/config.md not found";
  std::string doc((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  size_t section = doc.find("## A complete example");
  ASSERT_NE(section, std::string::npos);
  size_t start = doc.find("```yaml\n", section);
  ASSERT_NE(start, std::string::npos);
  start += 8;
  std::string yaml = doc.substr(start, doc.find("```", start) - start);
  for (const char* var : {"GATEWAY_KEY", "GEMINI_API_KEY", "OPENROUTER_API_KEY"}) {
    setenv(var, "test-key", 1);
  }
  Result<Config> cfg = LoadFromString(yaml, "docs/config.md");
  ASSERT_TRUE(cfg) << cfg.error().message();
  EXPECT_EQ(cfg->monitors.size(), 4u);
}

}  // namespace
}  // namespace modelwatch::config
