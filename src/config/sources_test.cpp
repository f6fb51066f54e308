#include "config/sources.h"

#include <gtest/gtest.h>

#include "config/config.h"
#include "config/test_util.h"

namespace modelwatch::config {
namespace {

using testing::Problems;

const char* kMonitor =
    "monitors:\n"
    "  - name: nbp\n"
    "    kind: gemini\n"
    "    api_key: k\n"
    "    model: gemini-3-pro-image-preview\n";

TEST(Sources, TheIssueExampleLoadsWithDefaults) {
  auto cfg = LoadFromString(
      std::string(kMonitor) +
          "    status_sources: [gcp-vertex, openrouter-nbp]\n"
          "sources:\n"
          "  - {name: gcp-vertex, kind: google_cloud_status, products: [\"Vertex Gemini API\", "
          "\"Vertex AI Online Prediction\"]}\n"
          "  - {name: openai-status, kind: statuspage, url: "
          "\"https://status.openai.com/api/v2/summary.json\"}\n"
          "  - {name: openrouter-nbp, kind: openrouter, model: google/gemini-3-pro-image}\n",
      "cfg.yaml");
  ASSERT_TRUE(cfg) << cfg.error().message();
  ASSERT_EQ(cfg->sources.size(), 3u);
  const StatusSource& g = cfg->sources[0];
  EXPECT_EQ(g.url, "https://status.cloud.google.com/incidents.json");
  EXPECT_EQ(g.products,
            (std::vector<std::string>{"Vertex Gemini API", "Vertex AI Online Prediction"}));
  EXPECT_EQ(g.interval, std::chrono::minutes(1));
  EXPECT_EQ(cfg->sources[1].url, "https://status.openai.com/api/v2/summary.json");
  EXPECT_EQ(cfg->sources[2].base_url, "https://openrouter.ai");
  EXPECT_EQ(cfg->sources[2].uptime_below, 95.0);
  EXPECT_EQ(cfg->monitors[0].status_sources,
            (std::vector<std::string>{"gcp-vertex", "openrouter-nbp"}));
}

TEST(Sources, StatuspageRootGetsTheSummaryPath) {
  auto cfg = LoadFromString(
      "sources:\n  - {name: c, kind: statuspage, url: \"https://status.claude.com/\"}\n",
      "cfg.yaml");
  ASSERT_TRUE(cfg) << cfg.error().message();
  EXPECT_EQ(cfg->sources[0].url, "https://status.claude.com/api/v2/summary.json");
}

TEST(Sources, IntervalAndThresholdAreRead) {
  auto cfg = LoadFromString(
      "sources:\n  - {name: o, kind: openrouter, model: a/b, interval: 5m, uptime_below: 90%}\n",
      "cfg.yaml");
  ASSERT_TRUE(cfg) << cfg.error().message();
  EXPECT_EQ(cfg->sources[0].interval, std::chrono::minutes(5));
  EXPECT_EQ(cfg->sources[0].uptime_below, 90.0);
}

TEST(Sources, UnknownKeyIsAnErrorWithItsPlace) {
  auto p = Problems("sources:\n  - name: g\n    kind: google_cloud_status\n    prodcts: [x]\n");
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0].rfind("cfg.yaml:4:5: sources[0] \"g\": ", 0), 0u) << p[0];
  EXPECT_NE(p[0].find("prodcts"), std::string::npos);
  EXPECT_NE(p[0].find("products"), std::string::npos) << p[0];  // did you mean
}

TEST(Sources, KeyOfAnotherKindIsAnError) {
  auto p = Problems("sources:\n  - name: g\n    kind: google_cloud_status\n    model: a/b\n");
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0],
            "cfg.yaml:4:5: sources[0] \"g\": model: does not apply to kind google_cloud_status "
            "(only to \"openrouter\")");
}

TEST(Sources, UnknownKindIsAnError) {
  auto p = Problems("sources:\n  - {name: g, kind: statuspag, url: \"https://x.example\"}\n");
  ASSERT_FALSE(p.empty());
  EXPECT_NE(p[0].find("statuspage"), std::string::npos) << p[0];
}

TEST(Sources, StatuspageNeedsAUrl) {
  auto p = Problems("sources:\n  - {name: s, kind: statuspage}\n");
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0],
            "cfg.yaml:2:5: sources[0] \"s\": missing required key \"url\" for kind statuspage");
}

TEST(Sources, OpenRouterNeedsAModelIdWithAuthor) {
  auto p = Problems("sources:\n  - {name: o, kind: openrouter, model: gemini}\n");
  ASSERT_EQ(p.size(), 1u);
  EXPECT_NE(p[0].find("is not an OpenRouter model id"), std::string::npos) << p[0];
}

TEST(Sources, BadUrlIsAnError) {
  auto p = Problems("sources:\n  - {name: f, kind: feed, url: \"ftp://x\"}\n");
  ASSERT_EQ(p.size(), 1u);
  EXPECT_NE(p[0].find("http:// or https://"), std::string::npos) << p[0];
}

TEST(Sources, UptimeAbove100IsAnError) {
  auto p = Problems("sources:\n  - {name: o, kind: openrouter, model: a/b, uptime_below: 120}\n");
  ASSERT_EQ(p.size(), 1u);
}

TEST(Sources, DuplicateNameIsAnError) {
  auto p = Problems(
      "sources:\n  - {name: g, kind: google_cloud_status}\n  - {name: g, kind: "
      "google_cloud_status}\n");
  ASSERT_EQ(p.size(), 1u);
  EXPECT_NE(p[0].find("name is already used by sources[0]"), std::string::npos) << p[0];
}

TEST(Sources, SectionMustBeAList) {
  auto p = Problems("sources: {name: g}\n");
  ASSERT_EQ(p.size(), 1u);
  EXPECT_NE(p[0].find("must be a list"), std::string::npos) << p[0];
}

TEST(Sources, MonitorReferencingAnUndefinedSourceIsAnError) {
  auto p = Problems(std::string(kMonitor) + "    status_sources: [gcp-vertx]\n" +
                    "sources:\n  - {name: gcp-vertex, kind: google_cloud_status}\n");
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0].rfind("cfg.yaml:6:22: monitor \"nbp\": status_sources: \"gcp-vertx\" is not "
                       "defined in `sources:`",
                       0),
            0u)
      << p[0];
  EXPECT_NE(p[0].find("gcp-vertex"), std::string::npos);
}

TEST(Sources, StatusSourcesWithoutASourcesSectionIsAnError) {
  auto p = Problems(std::string(kMonitor) + "    status_sources: [gcp]\n");
  ASSERT_EQ(p.size(), 1u);
  EXPECT_NE(p[0].find("the file has no sources"), std::string::npos) << p[0];
}

}  // namespace
}  // namespace modelwatch::config

namespace modelwatch::config {
namespace {

TEST(ModelsSource, WatchesItsProvidersMonitorsByDefaultAndPollsDaily) {
  auto cfg = LoadFromString(std::string(kMonitor) +
                                "sources:\n"
                                "  - {name: gemini-models, kind: models, provider: gemini, "
                                "api_key: k-0123456789}\n"
                                "  - {name: pinned, kind: models, provider: openai, "
                                "api_key: sk-0123456789, models: [gpt-image-2], interval: 6h}\n",
                            "cfg.yaml");
  ASSERT_TRUE(cfg) << cfg.error().message();
  ASSERT_EQ(cfg->sources.size(), 2u);
  EXPECT_EQ(cfg->sources[0].provider, "gemini");
  EXPECT_EQ(cfg->sources[0].models, std::vector<std::string>{"gemini-3-pro-image-preview"});
  EXPECT_EQ(cfg->sources[0].interval, std::chrono::hours(24));
  EXPECT_EQ(cfg->sources[0].api_key.reveal(), "k-0123456789");
  EXPECT_EQ(cfg->sources[1].models, std::vector<std::string>{"gpt-image-2"});
  EXPECT_EQ(cfg->sources[1].interval, std::chrono::hours(6));
}

TEST(ModelsSource, ProblemsAreReportedAtTheirPlace) {
  EXPECT_EQ(Problems(std::string(kMonitor) +
                     "sources:\n"
                     "  - {name: oa, kind: models, provider: openai, api_key: sk-0123456789}\n"),
            std::vector<std::string>{"cfg.yaml:7:5: source \"oa\": no monitor of kind "
                                     "openai_images to watch; list the model IDs under `models:`"});
  EXPECT_EQ(Problems(std::string(kMonitor) +
                     "sources:\n"
                     "  - {name: x, kind: models, provider: azure}\n"),
            std::vector<std::string>{"cfg.yaml:7:39: sources[0] \"x\": provider: \"azure\" is not "
                                     "one of \"openai\", \"gemini\" or \"openrouter\""});
}

}  // namespace
}  // namespace modelwatch::config
