// `full_every` light checks end to end: each image kind's free metadata call
// against the simulator (the real formats), and the scheduler's mix of full
// and light checks with a confirming full check after a failure.
#include <curl/curl.h>
#include <gtest/gtest.h>

#include "engine/check_runner.h"
#include "engine/scheduler.h"
#include "probe/probe.h"
#include "sim/server.h"

namespace modelwatch::engine {
namespace {

using std::chrono::milliseconds;

class LightCheckTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { curl_global_init(CURL_GLOBAL_DEFAULT); }

  void Serve(const std::string& scenario_yaml) {
    auto scenario = sim::ParseScenario(scenario_yaml, "light_check_test");
    ASSERT_TRUE(scenario.has_value()) << scenario.error().message();
    auto server = sim::Server::Start("127.0.0.1", 0, std::move(scenario).value());
    ASSERT_TRUE(server.has_value()) << server.error().message();
    server_ = std::move(server).value();
  }

  config::Monitor Monitor(const std::string& kind, const std::string& model) {
    config::Monitor m;
    m.name = kind;
    m.kind = kind;
    m.base_url = "http://127.0.0.1:" + std::to_string(server_->port());
    if (kind == "openai_images") {
      m.base_url += "/v1";
    }
    m.api_key = Secret("sk-test-secret-0123456789");
    m.model = model;
    m.prompt = "a red apple";
    m.timeout = std::chrono::seconds(5);
    if (kind == "stability") {
      m.endpoint = "sd3";
    }
    return m;
  }

  CheckResult Light(const config::Monitor& m) {
    auto probe = probe::MakeProbe(m);
    EXPECT_TRUE(probe.has_value()) << (probe.has_value() ? "" : probe.error().message());
    if (!probe.has_value()) {
      return {};
    }
    CheckRunner runner(loop_);
    std::optional<CheckResult> result;
    runner.Start(
        m, **probe,
        [&](std::optional<CheckResult>&& got) {
          result = std::move(got);
          loop_.Stop();
        },
        CheckMode::kLight);
    loop_.Run();
    EXPECT_TRUE(result.has_value());
    CheckResult out = result.value_or(CheckResult{});
    EXPECT_EQ(out.error.find("0123456789"), std::string::npos) << out.error;
    EXPECT_EQ(out.mode, CheckMode::kLight);
    EXPECT_FALSE(out.cost.has_value());
    return out;
  }

  void RunFor(net::Loop& loop, milliseconds d) {
    loop.RunAt(clock_.Now() + d, [&] { loop.Stop(); });
    loop.Run();
  }

  SystemClock clock_;
  net::Loop loop_{clock_};
  std::unique_ptr<sim::Server> server_;
};

TEST_F(LightCheckTest, GeminiModelGetIsALightSuccessWithoutAGeneration) {
  Serve("models: [gemini-3-pro-image]\nroutes: []");
  CheckResult r = Light(Monitor("gemini", "gemini-3-pro-image"));
  EXPECT_EQ(ToString(r.status), "success") << r.error;
  EXPECT_EQ(r.http_status, 200);
  EXPECT_EQ(server_->requests(sim::RouteKind::kGeminiModels), 1u);
  EXPECT_EQ(server_->requests(sim::RouteKind::kGemini), 0u);
}

TEST_F(LightCheckTest, GeminiModelMissingFromTheListIsModelNotFound) {
  Serve("models: [gemini-3.1-flash-image]\nroutes: []");
  CheckResult r = Light(Monitor("gemini", "gemini-3-pro-image"));
  EXPECT_EQ(ToString(r.status), "model_not_found") << r.error;
  EXPECT_EQ(r.error.rfind("light check: ", 0), 0u) << r.error;
}

TEST_F(LightCheckTest, GeminiBadKeyIsAnAuthError) {
  Serve("routes: [{route: gemini_models, timeline: [{behaviour: auth}]}]");
  CheckResult r = Light(Monitor("gemini", "gemini-3-pro-image"));
  EXPECT_EQ(ToString(r.status), "auth_error") << r.error;
}

TEST_F(LightCheckTest, OpenAiModelGetIsALightSuccess) {
  Serve("models: [gpt-image-2]\nroutes: []");
  CheckResult r = Light(Monitor("openai_images", "gpt-image-2"));
  EXPECT_EQ(ToString(r.status), "success") << r.error;
  EXPECT_EQ(server_->requests(sim::RouteKind::kOpenAiModels), 1u);
  EXPECT_EQ(server_->requests(sim::RouteKind::kOpenAiImages), 0u);
}

TEST_F(LightCheckTest, OpenAiUnknownModelIsModelNotFound) {
  Serve("models: [gpt-image-2]\nroutes: []");
  CheckResult r = Light(Monitor("openai_images", "gpt-image-9"));
  EXPECT_EQ(ToString(r.status), "model_not_found") << r.error;
}

TEST_F(LightCheckTest, OpenRouterEndpointsListIsALightSuccess) {
  Serve("routes: [{route: openrouter_endpoints, timeline: [{behaviour: ok}]}]");
  CheckResult r = Light(Monitor("openrouter_image", "google/gemini-3-pro-image"));
  EXPECT_EQ(ToString(r.status), "success") << r.error;
  EXPECT_EQ(server_->requests(sim::RouteKind::kOpenRouterEndpoints), 1u);
  EXPECT_EQ(server_->requests(sim::RouteKind::kOpenRouterChat), 0u);
}

TEST_F(LightCheckTest, StabilityBalanceIsALightSuccess) {
  Serve("routes: []");
  CheckResult r = Light(Monitor("stability", ""));
  EXPECT_EQ(ToString(r.status), "success") << r.error;
  EXPECT_EQ(server_->requests(sim::RouteKind::kCredits), 1u);
  EXPECT_EQ(server_->requests(sim::RouteKind::kStability), 0u);
}

TEST_F(LightCheckTest, StabilityBadKeyIsAnAuthError) {
  Serve("routes: [{route: credits, timeline: [{behaviour: auth}]}]");
  CheckResult r = Light(Monitor("stability", ""));
  EXPECT_EQ(ToString(r.status), "auth_error") << r.error;
  EXPECT_EQ(r.http_status, 401);
}

TEST_F(LightCheckTest, FluxWithNoCreditsLeftIsQuotaExhausted) {
  Serve("routes: [{route: credits, timeline: [{behaviour: quota}]}]");
  CheckResult r = Light(Monitor("flux", "flux-2-klein-4b"));
  EXPECT_EQ(ToString(r.status), "quota_exhausted") << r.error;
  EXPECT_NE(r.error.find("no credits"), std::string::npos) << r.error;
}

TEST_F(LightCheckTest, AHungLightCheckTimesOutAsALightCheck) {
  Serve("routes: [{route: gemini_models, timeline: [{behaviour: hang}]}]");
  config::Monitor m = Monitor("gemini", "gemini-3-pro-image");
  m.timeout = milliseconds(300);
  CheckResult r = Light(m);
  EXPECT_EQ(ToString(r.status), "timeout") << r.error;
  EXPECT_EQ(r.error.rfind("light check: ", 0), 0u) << r.error;
}

// --- the scheduler's mix -------------------------------------------------------

TEST_F(LightCheckTest, FullEveryThreeRunsOneFullThenTwoLightChecks) {
  Serve("models: [gemini-3-pro-image]\nroutes: []");
  std::vector<config::Monitor> monitors = {Monitor("gemini", "gemini-3-pro-image")};
  monitors[0].interval = milliseconds(120);
  monitors[0].full_every = 3;
  monitors[0].cost_per_call = 0.134;  // the full check is billed, the light ones are not
  net::Loop loop(clock_);
  std::vector<CheckResult> got;
  auto s = Scheduler::Create(loop, monitors, [&](CheckResult&& r) { got.push_back(r); });
  ASSERT_TRUE(s.has_value()) << s.error().message();
  (*s)->Start();
  RunFor(loop, milliseconds(120 * 5 + 60));
  (*s)->StopScheduling();
  ASSERT_GE(got.size(), 6u);
  std::string modes;
  for (size_t i = 0; i < 6; ++i) {
    modes += ToString(got[i].mode)[0];
    EXPECT_EQ(ToString(got[i].status), "success") << got[i].error;
  }
  EXPECT_EQ(modes, "fllfll");
  EXPECT_EQ(server_->requests(sim::RouteKind::kGemini), 2u);
  EXPECT_GE((*s)->counters().light, 4u);
  EXPECT_TRUE(got[0].cost.has_value());
  EXPECT_FALSE(got[1].cost.has_value());
}

TEST_F(LightCheckTest, AFailingLightCheckIsConfirmedByOneFullCheckAtOnce) {
  // The model answers metadata but generation is down.
  Serve(
      "models: [gemini-3-pro-image]\n"
      "routes: [{route: gemini_models, timeline: [{behaviour: ok, for: 1h}]},"
      " {route: gemini, timeline: [{behaviour: ok, for: 100ms}, {behaviour: server_error}]}]");
  std::vector<config::Monitor> monitors = {Monitor("gemini", "gemini-3-pro-image")};
  monitors[0].interval = milliseconds(150);
  monitors[0].full_every = 4;
  net::Loop loop(clock_);
  std::vector<CheckResult> got;
  auto s = Scheduler::Create(loop, monitors, [&](CheckResult&& r) { got.push_back(r); });
  ASSERT_TRUE(s.has_value());
  (*s)->Start();
  RunFor(loop, milliseconds(150 * 4 + 100));
  (*s)->StopScheduling();
  // full (ok), light, light, light, then the scheduled full fails and is
  // confirmed by one extra full check at once, not more.
  ASSERT_GE(got.size(), 6u);
  EXPECT_EQ(got[0].mode, CheckMode::kFull);
  EXPECT_EQ(ToString(got[0].status), "success");
  EXPECT_EQ(got[3].mode, CheckMode::kLight);
  EXPECT_EQ(ToString(got[3].status), "success");
  EXPECT_EQ(got[4].mode, CheckMode::kFull);
  EXPECT_EQ(ToString(got[4].status), "server_error");
  EXPECT_EQ(got[5].mode, CheckMode::kFull);
  EXPECT_LT(got[5].timestamp - got[4].timestamp, milliseconds(100));
  EXPECT_EQ((*s)->counters().confirming, 1u);
}

TEST_F(LightCheckTest, AFailingLightCheckStartsAConfirmingFullCheck) {
  Serve(
      "models: [gemini-3-pro-image]\n"
      "routes: [{route: gemini_models, timeline: [{behaviour: unavailable}]}]");
  std::vector<config::Monitor> monitors = {Monitor("gemini", "gemini-3-pro-image")};
  monitors[0].interval = milliseconds(200);
  monitors[0].full_every = 6;
  net::Loop loop(clock_);
  std::vector<CheckResult> got;
  auto s = Scheduler::Create(loop, monitors, [&](CheckResult&& r) { got.push_back(r); });
  ASSERT_TRUE(s.has_value());
  (*s)->Start();
  RunFor(loop, milliseconds(200 + 120));
  (*s)->StopScheduling();
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0].mode, CheckMode::kFull);
  EXPECT_EQ(got[1].mode, CheckMode::kLight);
  EXPECT_EQ(ToString(got[1].status), "server_error");
  EXPECT_EQ(got[2].mode, CheckMode::kFull);
  EXPECT_EQ(ToString(got[2].status), "success") << got[2].error;
}

}  // namespace
}  // namespace modelwatch::engine
