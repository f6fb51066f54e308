#include "sim/scenario.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace modelwatch::sim {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr const char* kExample = R"(
seed: 7
time_scale: 0.001
routes:
  - route: openai_images
    model: gpt-image-1
    repeat: true
    timeline:
      - {behaviour: ok, latency: 10s-20s, count: 5, image: {format: png, width: 1024, height: 1024}}
      - {behaviour: rate_limit, retry_after: 20s, count: 2}
      - {behaviour: quota}
  - route: gemini
    timeline:
      - {behaviour: safety_block, safety: prompt, for: 1m}
      - {behaviour: ok, latency: 8s}
)";

TEST(ParseScenario, ReadsTheDocumentedExample) {
  auto s = ParseScenario(kExample, "ex.yaml");
  ASSERT_TRUE(s.has_value()) << s.error().message();
  EXPECT_EQ(s->seed, 7u);
  EXPECT_DOUBLE_EQ(s->time_scale, 0.001);
  ASSERT_EQ(s->routes.size(), 2u);
  const RouteTimeline& oa = s->routes[0];
  EXPECT_EQ(oa.route, RouteKind::kOpenAiImages);
  EXPECT_EQ(oa.model, "gpt-image-1");
  EXPECT_TRUE(oa.repeat);
  ASSERT_EQ(oa.steps.size(), 3u);
  EXPECT_EQ(oa.steps[0].latency_min, seconds(10));
  EXPECT_EQ(oa.steps[0].latency_max, seconds(20));
  EXPECT_EQ(oa.steps[0].count, 5);
  EXPECT_EQ(oa.steps[0].image.width, 1024);
  EXPECT_EQ(oa.steps[1].behaviour, Behaviour::kRateLimit);
  EXPECT_EQ(oa.steps[1].retry_after, seconds(20));
  EXPECT_EQ(oa.steps[2].behaviour, Behaviour::kQuota);
  const RouteTimeline& g = s->routes[1];
  EXPECT_TRUE(g.model.empty());
  EXPECT_EQ(g.steps[0].safety, SafetyKind::kPrompt);
  EXPECT_EQ(g.steps[0].length, milliseconds(60000));
  EXPECT_EQ(g.steps[1].latency_min, seconds(8));
  EXPECT_EQ(g.steps[1].latency_max, seconds(8));
}

TEST(ParseScenario, UnknownKeyIsAnErrorWithFileLineColumn) {
  auto s = ParseScenario(
      "routes:\n  - route: gemini\n    modle: x\n    timeline: [{behaviour: ok}]\n", "t.yaml");
  ASSERT_FALSE(s.has_value());
  EXPECT_EQ(s.error().message(), "t.yaml:3:5: unknown key \"modle\"");
}

TEST(ParseScenario, ReportsEveryProblemOnItsOwnLine) {
  auto s = ParseScenario(
      "routes:\n"
      "  - route: dalle\n"
      "    timeline:\n"
      "      - {behaviour: explode}\n"
      "      - {behaviour: ok, latency: 5}\n",
      "t.yaml");
  ASSERT_FALSE(s.has_value());
  const std::string& m = s.error().message();
  EXPECT_NE(m.find("t.yaml:2:12: unknown route \"dalle\""), std::string::npos) << m;
  EXPECT_NE(m.find("t.yaml:4:21: unknown behaviour \"explode\""), std::string::npos) << m;
  EXPECT_NE(m.find("t.yaml:5:34: latency: invalid duration"), std::string::npos) << m;
  EXPECT_NE(m.find("t.yaml:4:9: this step has neither"), std::string::npos) << m;
}

TEST(ParseScenario, SyntaxErrorCarriesPosition) {
  auto s = ParseScenario("routes:\n  - route: [gemini\n", "bad.yaml");
  ASSERT_FALSE(s.has_value());
  EXPECT_EQ(s.error().message().rfind("bad.yaml:", 0), 0u) << s.error().message();
}

TEST(ParseScenario, RejectsCountAndForTogether) {
  auto s = ParseScenario(
      "routes:\n  - route: gemini\n    timeline:\n"
      "      - {behaviour: ok, count: 1, for: 1s}\n",
      "t.yaml");
  ASSERT_FALSE(s.has_value());
  EXPECT_NE(s.error().message().find("not both"), std::string::npos);
}

TEST(ParseScenario, RejectsImageOutOfRangeAndUnknownImageKey) {
  auto s = ParseScenario(
      "routes:\n  - route: gemini\n    timeline:\n"
      "      - {behaviour: ok, image: {format: gif, width: 0, depth: 8}}\n",
      "t.yaml");
  ASSERT_FALSE(s.has_value());
  const std::string& m = s.error().message();
  EXPECT_NE(m.find("unknown key \"depth\""), std::string::npos) << m;
  EXPECT_NE(m.find("width: must be between 1 and 4096"), std::string::npos) << m;
  EXPECT_NE(m.find("expected png, jpeg or webp"), std::string::npos) << m;
}

TEST(ParseScenario, BodyFileIsReadRelativeToTheScenario) {
  auto dir = std::filesystem::temp_directory_path() / "mw_sim_scenario_test";
  std::filesystem::create_directories(dir / "feeds");
  std::ofstream(dir / "feeds" / "inc.json") << "[]";
  std::ofstream(dir / "s.yaml") << "routes:\n  - route: gcp_incidents\n    timeline:\n"
                                   "      - {behaviour: ok, body_file: feeds/inc.json}\n";
  auto s = LoadScenario(dir / "s.yaml");
  ASSERT_TRUE(s.has_value()) << s.error().message();
  EXPECT_EQ(*s->routes[0].steps[0].body, "[]");
  EXPECT_EQ(s->routes[0].steps[0].body_content_type, "application/json");

  std::ofstream(dir / "m.yaml") << "routes:\n  - route: gcp_incidents\n    timeline:\n"
                                   "      - {behaviour: ok, body_file: nope.json}\n";
  auto missing = LoadScenario(dir / "m.yaml");
  ASSERT_FALSE(missing.has_value());
  EXPECT_NE(missing.error().message().find("m.yaml:4:36: body_file: cannot read"),
            std::string::npos)
      << missing.error().message();
  std::filesystem::remove_all(dir);
}

TEST(LoadScenario, ExampleScenariosAreValid) {
  for (const char* name : {"demo.yaml", "all-ok.yaml"}) {
    auto s = LoadScenario(std::filesystem::path(MODELWATCH_SOURCE_DIR) / "examples" / "scenarios" /
                          name);
    EXPECT_TRUE(s.has_value()) << name << ": " << s.error().message();
  }
}

TEST(LoadScenario, MissingFileIsNotFound) {
  auto s = LoadScenario("/nonexistent/x.yaml");
  ASSERT_FALSE(s.has_value());
  EXPECT_EQ(s.error().code(), Status::Code::kNotFound);
}

}  // namespace
}  // namespace modelwatch::sim
