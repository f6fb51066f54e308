// "Is it me or them?" end to end: `modelwatch run` against the simulator,
// which serves both the failing models and their status sources; each alert
// that reaches a real Slack-shaped receiver carries the verdict of its
// branch of the decision tree, from the sources the monitor lists.
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>

#include <chrono>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "sim/server.h"
#include "slack_receiver.h"
#include "subprocess.h"

namespace modelwatch {
namespace {

using testing::Binary;
using testing::SlackReceiver;
using testing::Subprocess;
using testing::TempDir;
using testing::WaitFor;
using testing::WriteFile;

// The first message that names `monitor`, or "" while none has come.
std::string MessageFor(SlackReceiver& slack, const std::string& monitor) {
  for (const std::string& t : slack.Texts()) {
    if (t.find(monitor) != std::string::npos) {
      return t;
    }
  }
  return "";
}

// Four monitors fail at once, each behind a different state of its sources:
//   alpha-openai      503s while OpenAI's Statuspage shows an active incident  -> branch 1
//   bravo-openrouter  503s while OpenRouter's providers all sit at 50 % uptime -> branch 2
//   charlie-gemini    a bad key while GCP's feed shows nothing active          -> branch 3
//   delta-flux        500s while its only source answers 404 (unreadable)       -> branch 4
class DiagnosisRunTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto parsed = sim::ParseScenario(
        "routes:\n"
        "  - {route: openai_images, model: gpt-image-2, timeline: [{behaviour: unavailable}]}\n"
        "  - {route: openrouter_chat, model: google/gemini-3-pro-image,"
        " timeline: [{behaviour: unavailable}]}\n"
        "  - {route: openrouter_chat, model: black-forest-labs/flux.2-pro,"
        " timeline: [{behaviour: server_error}]}\n"
        "  - {route: gemini, model: gemini-3-pro-image, timeline: [{behaviour: auth}]}\n"
        "  - {route: statuspage_summary, timeline: [{behaviour: ok, incident: active}]}\n"
        "  - {route: gcp_incidents, timeline: [{behaviour: ok, incident: resolved}]}\n"
        "  - {route: openrouter_endpoints, model: google/gemini-3-pro-image,"
        " timeline: [{behaviour: ok, uptime: 50, providers: 2}]}\n",
        "diagnosis_run_test");
    ASSERT_TRUE(parsed.has_value()) << parsed.error().message();
    auto server = sim::Server::Start("127.0.0.1", 0, std::move(parsed).value());
    ASSERT_TRUE(server.has_value()) << server.error().message();
    sim_ = std::move(server).value();
  }

  std::string Config() {
    std::string sim = "http://127.0.0.1:" + std::to_string(sim_->port());
    std::string dir = TempDir();
    std::string yaml =
        "providers:\n"
        "  openai: {base_url: \"" +
        sim +
        "/v1\", api_key: sk-test-0123456789abcdef}\n"
        "  gemini: {base_url: \"" +
        sim +
        "\", api_key: AIzaTest0123456789abcdef}\n"
        "  openrouter: {base_url: \"" +
        sim +
        "/api/v1\", api_key: sk-or-test-0123456789}\n"
        "storage: {sqlite: \"" +
        dir +
        "/mw.db\"}\n"
        "sources:\n"
        "  - {name: openai-status, kind: statuspage, url: \"" +
        sim +
        "/api/v2/summary.json\"}\n"
        "  - {name: gcp-vertex, kind: google_cloud_status, url: \"" +
        sim +
        "/incidents.json\", products: [\"Vertex Gemini API\"]}\n"
        "  - {name: openrouter-nbp, kind: openrouter, model: google/gemini-3-pro-image,"
        " base_url: \"" +
        sim +
        "\"}\n"
        "  - {name: flux-status, kind: statuspage, url: \"" +
        sim +
        "/no/such/summary.json\"}\n"
        "alerts:\n"
        "  consecutive_failures: 2\n"
        "  group_wait: 0s\n"
        "  levels:\n"
        "    critical: {triggers: [server_error, auth_error], channels: [slack]}\n"
        "channels:\n"
        "  slack: {kind: slack, url: \"" +
        slack_.Url() +
        "\"}\n"
        "defaults: {interval: 1s, timeout: 900ms}\n"
        "monitors:\n"
        "  - {name: alpha-openai, kind: openai_images, provider: openai, model: gpt-image-2,"
        " status_sources: [openai-status], labels: {provider: openai}}\n"
        "  - {name: bravo-openrouter, kind: openrouter_image, provider: openrouter,"
        " model: google/gemini-3-pro-image, status_sources: [openrouter-nbp],"
        " labels: {provider: openrouter}}\n"
        "  - {name: charlie-gemini, kind: gemini, provider: gemini, model: gemini-3-pro-image,"
        " status_sources: [gcp-vertex], labels: {provider: google}}\n"
        "  - {name: delta-flux, kind: openrouter_image, provider: openrouter,"
        " model: black-forest-labs/flux.2-pro, status_sources: [flux-status],"
        " labels: {provider: bfl}}\n";
    std::string path = dir + "/modelwatch.yaml";
    WriteFile(path, yaml);
    return path;
  }

  SlackReceiver slack_;
  std::unique_ptr<sim::Server> sim_;
};

TEST_F(DiagnosisRunTest, EveryAlertCarriesTheVerdictOfItsBranch) {
  Subprocess run({Binary(), "run", "-c", Config(), "-q"});
  const std::vector<std::string> monitors = {"alpha-openai", "bravo-openrouter", "charlie-gemini",
                                             "delta-flux"};
  auto all_came = [&] {
    for (const std::string& m : monitors) {
      if (MessageFor(slack_, m).empty()) {
        return false;
      }
    }
    return true;
  };
  WaitFor(all_came, std::chrono::seconds(30));
  run.Signal(SIGTERM);
  EXPECT_EQ(run.Wait(std::chrono::seconds(20)), 0) << run.err();
  ASSERT_TRUE(all_came()) << ::testing::PrintToString(slack_.Texts()) << run.err();

  // 1. The official page's incident, by its title and source.
  std::string m = MessageFor(slack_, "alpha-openai");
  EXPECT_NE(m.find("Provider incident confirmed"), std::string::npos) << m;
  EXPECT_NE(m.find("openai-status"), std::string::npos) << m;
  // 2. OpenRouter's providers all under the uptime threshold.
  m = MessageFor(slack_, "bravo-openrouter");
  EXPECT_NE(m.find("Likely provider-wide, not yet acknowledged officially"), std::string::npos)
      << m;
  EXPECT_NE(m.find("openrouter-nbp"), std::string::npos) << m;
  // 3. Official status normal and a bad key: check the key.
  m = MessageFor(slack_, "charlie-gemini");
  EXPECT_NE(m.find("Official status is normal: check your side"), std::string::npos) << m;
  EXPECT_NE(m.find("Check the API key"), std::string::npos) << m;
  // 4. The only source could not be read: undetermined, never "provider down".
  m = MessageFor(slack_, "delta-flux");
  EXPECT_NE(m.find("Undetermined: no status source could be read"), std::string::npos) << m;
  EXPECT_EQ(m.find("Provider incident confirmed"), std::string::npos) << m;
}

}  // namespace
}  // namespace modelwatch
