// The stability, flux and vertex kinds end to end: the real probe, the
// engine's CheckRunner on a real network loop, and the simulator on loopback.
#include <curl/curl.h>
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "engine/check_runner.h"
#include "probe/probe.h"
#include "sim/server.h"

namespace modelwatch::engine {
namespace {

using std::chrono::milliseconds;

class KindsSimTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { curl_global_init(CURL_GLOBAL_DEFAULT); }

  void Serve(const std::string& scenario_yaml) {
    auto scenario = sim::ParseScenario(scenario_yaml, "kinds_sim_test");
    ASSERT_TRUE(scenario.has_value()) << scenario.error().message();
    auto server = sim::Server::Start("127.0.0.1", 0, std::move(scenario).value());
    ASSERT_TRUE(server.has_value()) << server.error().message();
    server_ = std::move(server).value();
  }

  std::string Base() const { return "http://127.0.0.1:" + std::to_string(server_->port()); }

  config::Monitor Monitor(const std::string& kind) {
    config::Monitor m;
    m.name = kind;
    m.kind = kind;
    m.base_url = Base();
    m.api_key = Secret("sk-test-secret-0123456789");
    m.prompt = "a red apple";
    m.timeout = std::chrono::seconds(5);
    if (kind == "stability") {
      m.endpoint = "sd3";
    } else if (kind == "flux") {
      m.model = "flux-2-klein-4b";
      config::Poll p;
      p.every = milliseconds(100);
      p.max_every = milliseconds(200);
      p.backoff = 1.5;
      m.poll = p;
    }
    return m;
  }

  // Runs one check of `m` with `runner` (one per test unless given: it holds
  // the token cache) and returns its result.
  CheckResult Check(const config::Monitor& m, CheckRunner* runner = nullptr) {
    auto probe = probe::MakeProbe(m);
    EXPECT_TRUE(probe.has_value()) << (probe.has_value() ? "" : probe.error().message());
    if (!probe.has_value()) {
      return {};
    }
    CheckRunner local(loop_);
    CheckRunner& r = runner != nullptr ? *runner : local;
    std::optional<CheckResult> result;
    r.Start(m, **probe, [&](std::optional<CheckResult>&& got) {
      result = std::move(got);
      loop_.Stop();
    });
    loop_.Run();
    EXPECT_TRUE(result.has_value());
    CheckResult out = result.value_or(CheckResult{});
    EXPECT_EQ(out.error.find("0123456789"), std::string::npos) << out.error;
    return out;
  }

  SystemClock clock_;
  net::Loop loop_{clock_};
  std::unique_ptr<sim::Server> server_;
};

// --- stability -------------------------------------------------------------

TEST_F(KindsSimTest, StabilityImageBytesAreASuccess) {
  Serve(
      "routes: [{route: stability, timeline: [{behaviour: ok, image: {format: png, width: 1024, "
      "height: 1024}}]}]");
  CheckResult r = Check(Monitor("stability"));
  EXPECT_EQ(ToString(r.status), "success") << r.error;
  ASSERT_TRUE(r.image.has_value());
  EXPECT_EQ(r.image->width, 1024);
  EXPECT_EQ(r.image->format, ImageFormat::kPng);
}

TEST_F(KindsSimTest, StabilityJsonAnswerIsASuccess) {
  Serve(
      "routes: [{route: stability, timeline: [{behaviour: ok, image: {format: jpeg, width: 512, "
      "height: 512}}]}]");
  config::Monitor m = Monitor("stability");
  m.accept_json = true;
  m.endpoint = "core";
  CheckResult r = Check(m);
  EXPECT_EQ(ToString(r.status), "success") << r.error;
  ASSERT_TRUE(r.image.has_value());
  EXPECT_EQ(r.image->format, ImageFormat::kJpeg);
}

struct StabilityCase {
  std::string step;
  bool json;
  std::string status;
  std::string error_part;
};

TEST_F(KindsSimTest, StabilityOutcomes) {
  const StabilityCase cases[] = {
      {"{behaviour: safety_block}", false, "invalid_response", "CONTENT_FILTERED"},
      {"{behaviour: safety_block}", true, "invalid_response", "CONTENT_FILTERED"},
      {"{behaviour: safety_block, safety: prompt}", false, "invalid_response",
       "content_moderation: Your request was flagged"},
      {"{behaviour: quota}", false, "quota_exhausted", "payment_required: You lack sufficient"},
      {"{behaviour: rate_limit}", false, "rate_limited", "rate_limit_exceeded"},
      {"{behaviour: auth}", false, "auth_error", "unauthorized: authorization: invalid"},
      {"{behaviour: bad_request}", false, "client_error", "bad_request: aspect_ratio"},
      {"{behaviour: not_found}", false, "client_error", "not_found"},
      {"{behaviour: server_error}", false, "server_error", "internal_error"},
      {"{behaviour: unavailable}", false, "server_error", "service_unavailable"},
      {"{behaviour: no_image}", false, "invalid_response", "image body"},
      {"{behaviour: no_image}", true, "invalid_response", "no image in response"},
      {"{behaviour: malformed_json}", true, "invalid_response", "not JSON"},
      {"{behaviour: hang}", false, "timeout", ""},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.step + (c.json ? " json" : " bytes"));
    Serve("routes: [{route: stability, timeline: [" + c.step + "]}]");
    config::Monitor m = Monitor("stability");
    m.accept_json = c.json;
    m.timeout = milliseconds(c.status == "timeout" ? 300 : 5000);
    CheckResult r = Check(m);
    EXPECT_EQ(ToString(r.status), c.status) << r.error;
    EXPECT_NE(r.error.find(c.error_part), std::string::npos) << r.error;
  }
}

TEST_F(KindsSimTest, StabilityRequestIsMultipartWithTheKey) {
  Serve("require_auth: true\nroutes: [{route: stability, timeline: [{behaviour: ok}]}]");
  config::Monitor m = Monitor("stability");
  m.api_key = Secret("");
  auto probe = probe::MakeProbe(m);
  EXPECT_FALSE(probe.has_value());  // a key is required
  m.api_key = Secret("sk-test-secret-0123456789");
  EXPECT_EQ(ToString(Check(m).status), "success");  // the simulator refuses a non-multipart body
}

// --- flux ------------------------------------------------------------------

TEST_F(KindsSimTest, FluxPollsThroughASlowQueueAndFetchesTheImageWithoutTheKey) {
  Serve(
      "routes:\n"
      " - {route: flux_result, timeline: [{behaviour: pending, count: 3}, {behaviour: ok, image: "
      "{format: jpeg, width: 512, height: 512}}]}\n");
  CheckResult r = Check(Monitor("flux"));
  EXPECT_EQ(ToString(r.status), "success") << r.error;
  ASSERT_TRUE(r.image.has_value());
  EXPECT_EQ(r.image->format, ImageFormat::kJpeg);
  ASSERT_TRUE(r.async.has_value());
  EXPECT_EQ(r.async->polls, 4);
  // 100 ms before the first poll, then 100, 150 and 200 (capped) between polls.
  EXPECT_GE(r.async->queue.count(), 550);
  EXPECT_GE(r.async->accept.count(), 0);
  EXPECT_LE(r.async->accept + r.async->queue + r.async->fetch, r.latency + milliseconds(2));
  EXPECT_EQ(server_->requests(sim::RouteKind::kFluxSubmit), 1u);
  EXPECT_EQ(server_->requests(sim::RouteKind::kFluxResult), 4u);
  // The delivery route refuses any request that carries x-key.
  EXPECT_EQ(server_->requests(sim::RouteKind::kFluxDelivery), 1u);
}

TEST_F(KindsSimTest, FluxJobThatNeverFinishesTimesOutNamingThePhase) {
  Serve("routes: [{route: flux_result, timeline: [{behaviour: pending}]}]");
  config::Monitor m = Monitor("flux");
  m.timeout = milliseconds(700);
  CheckResult r = Check(m);
  EXPECT_EQ(ToString(r.status), "timeout");
  EXPECT_NE(r.error.find("in queue / generating: the job was still Pending"), std::string::npos)
      << r.error;
  EXPECT_GE(r.latency.count(), 690);
  EXPECT_LT(r.latency.count(), 1500);
  ASSERT_TRUE(r.async.has_value());
  EXPECT_GE(r.async->polls, 3);
}

TEST_F(KindsSimTest, FluxSignedUrlThatRefusesIsReportedAsTheFetch) {
  Serve("routes: [{route: flux_delivery, timeline: [{behaviour: auth}]}]");
  CheckResult r = Check(Monitor("flux"));
  EXPECT_EQ(ToString(r.status), "auth_error");
  EXPECT_NE(r.error.find("fetching result.sample: HTTP 403"), std::string::npos) << r.error;
  EXPECT_EQ(r.http_status, 403);
}

struct FluxCase {
  std::string routes;
  std::string status;
  std::string error_part;
};

TEST_F(KindsSimTest, FluxOutcomes) {
  const FluxCase cases[] = {
      {"{route: flux_result, timeline: [{behaviour: server_error}]}", "server_error",
       "task Error: Generation failed"},
      {"{route: flux_result, timeline: [{behaviour: safety_block}]}", "invalid_response",
       "Content Moderated"},
      {"{route: flux_result, timeline: [{behaviour: safety_block, safety: prompt}]}",
       "invalid_response", "Request Moderated"},
      {"{route: flux_result, timeline: [{behaviour: not_found}]}", "invalid_response",
       "Task not found"},
      {"{route: flux_submit, timeline: [{behaviour: quota}]}", "quota_exhausted",
       "HTTP 402: Insufficient credits"},
      {"{route: flux_submit, timeline: [{behaviour: rate_limit}]}", "rate_limited", "active tasks"},
      {"{route: flux_submit, timeline: [{behaviour: auth}]}", "auth_error", "Not authenticated"},
      {"{route: flux_submit, timeline: [{behaviour: bad_request}]}", "client_error",
       "body.width: Input should be a multiple of 16"},
      {"{route: flux_submit, timeline: [{behaviour: malformed_json}]}", "invalid_response",
       "not JSON"},
      {"{route: flux_submit, timeline: [{behaviour: no_image}]}", "invalid_response",
       "no polling_url"},
      {"{route: flux_result, timeline: [{behaviour: hang}]}", "timeout", "in queue / generating"},
      {"{route: flux_delivery, timeline: [{behaviour: no_image}]}", "invalid_response",
       "result.sample"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.routes);
    Serve("routes: [" + c.routes + "]");
    config::Monitor m = Monitor("flux");
    m.timeout = milliseconds(c.status == "timeout" ? 600 : 5000);
    CheckResult r = Check(m);
    EXPECT_EQ(ToString(r.status), c.status) << r.error;
    EXPECT_NE(r.error.find(c.error_part), std::string::npos) << r.error;
  }
}

// --- vertex ----------------------------------------------------------------

// A service-account key pair made for the test, written as a key file whose
// token_uri points at the simulator, and the public half for the simulator.
class VertexSimTest : public KindsSimTest {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("mw_vertex_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
    Keys(private_pem_, public_pem_);
    WriteText(dir_ / "public.pem", public_pem_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  static void Keys(std::string& private_pem, std::string& public_pem) {
    EVP_PKEY* key = EVP_RSA_gen(2048);
    ASSERT_NE(key, nullptr);
    BIO* a = BIO_new(BIO_s_mem());
    BIO* b = BIO_new(BIO_s_mem());
    PEM_write_bio_PrivateKey(a, key, nullptr, nullptr, 0, nullptr, nullptr);
    PEM_write_bio_PUBKEY(b, key);
    char* data = nullptr;
    long n = BIO_get_mem_data(a, &data);
    private_pem.assign(data, n);
    n = BIO_get_mem_data(b, &data);
    public_pem.assign(data, n);
    BIO_free(a);
    BIO_free(b);
    EVP_PKEY_free(key);
  }

  static void WriteText(const std::filesystem::path& p, const std::string& text) {
    std::ofstream(p, std::ios::binary) << text;
  }

  void ServeVertex(const std::string& routes, const std::string& extra = "") {
    Serve("service_account_key: " + (dir_ / "public.pem").string() + "\n" + extra + "routes: [" +
          routes + "]");
  }

  config::Monitor VertexMonitor(const std::string& private_pem) {
    nlohmann::json key = {{"type", "service_account"},
                          {"project_id", "sim-project"},
                          {"private_key_id", "abc123"},
                          {"private_key", private_pem},
                          {"client_email", "monitor@sim-project.iam.gserviceaccount.com"},
                          {"token_uri", Base() + "/token"}};
    WriteText(dir_ / "key.json", key.dump());
    config::Monitor m;
    m.name = "vertex";
    m.kind = "vertex";
    m.base_url = Base();
    m.model = "gemini-3-pro-image";
    m.prompt = "a red apple";
    m.credentials_file = (dir_ / "key.json").string();
    m.timeout = std::chrono::seconds(5);
    return m;
  }

  std::filesystem::path dir_;
  std::string private_pem_, public_pem_;
};

TEST_F(VertexSimTest, SignedGrantGetsATokenThatIsCachedAcrossChecks) {
  ServeVertex("{route: vertex, timeline: [{behaviour: ok}]}");
  config::Monitor m = VertexMonitor(private_pem_);
  CheckRunner runner(loop_);
  CheckResult first = Check(m, &runner);
  EXPECT_EQ(ToString(first.status), "success") << first.error;
  ASSERT_TRUE(first.image.has_value());
  CheckResult second = Check(m, &runner);
  EXPECT_EQ(ToString(second.status), "success") << second.error;
  EXPECT_EQ(server_->requests(sim::RouteKind::kGoogleToken), 1u);
  EXPECT_EQ(server_->requests(sim::RouteKind::kVertex), 2u);
}

// Starts one check of each monitor on one runner at once and returns every
// result once all are done.
std::vector<CheckResult> RunTogether(net::Loop& loop, std::vector<config::Monitor>& monitors) {
  std::vector<probe::ProbePtr> probes;
  for (size_t i = 0; i < monitors.size(); ++i) {
    monitors[i].name = "vertex-" + std::to_string(i);
    auto p = probe::MakeProbe(monitors[i]);
    EXPECT_TRUE(p.has_value()) << p.error().message();
    if (!p.has_value()) {
      return {};
    }
    probes.push_back(std::move(p).value());
  }
  CheckRunner runner(loop);
  std::vector<CheckResult> got;
  for (size_t i = 0; i < monitors.size(); ++i) {
    runner.Start(monitors[i], *probes[i], [&](std::optional<CheckResult>&& r) {
      got.push_back(r.value_or(CheckResult{}));
      if (got.size() == monitors.size()) {
        loop.Stop();
      }
    });
  }
  EXPECT_EQ(runner.in_flight(), monitors.size());
  loop.Run();
  return got;
}

TEST_F(VertexSimTest, ChecksStartedTogetherShareOneTokenRequest) {
  ServeVertex("{route: vertex, timeline: [{behaviour: ok}]}");
  std::vector<config::Monitor> monitors(4, VertexMonitor(private_pem_));
  std::vector<CheckResult> got = RunTogether(loop_, monitors);
  ASSERT_EQ(got.size(), 4u);
  for (const CheckResult& r : got) {
    EXPECT_EQ(ToString(r.status), "success") << r.error;
  }
  EXPECT_EQ(server_->requests(sim::RouteKind::kGoogleToken), 1u);
  EXPECT_EQ(server_->requests(sim::RouteKind::kVertex), 4u);
}

TEST_F(VertexSimTest, ARefusedSharedGrantEndsEveryWaitingCheck) {
  ServeVertex("{route: vertex, timeline: [{behaviour: ok}]}");
  std::string other_private, other_public;
  Keys(other_private, other_public);
  std::vector<config::Monitor> monitors(3, VertexMonitor(other_private));
  std::vector<CheckResult> got = RunTogether(loop_, monitors);
  ASSERT_EQ(got.size(), 3u);
  for (const CheckResult& r : got) {
    EXPECT_EQ(ToString(r.status), "auth_error") << r.error;
  }
  EXPECT_EQ(server_->requests(sim::RouteKind::kGoogleToken), 1u);
  EXPECT_EQ(server_->requests(sim::RouteKind::kVertex), 0u);
}

TEST_F(VertexSimTest, ExpressModeSendsTheKeyOnTheExpressUrlWithoutAToken) {
  ServeVertex("{route: vertex, timeline: [{behaviour: ok}]}");
  config::Monitor m = Monitor("vertex");
  m.model = "gemini-3-pro-image";
  m.vertex_express = true;
  CheckResult r = Check(m);
  EXPECT_EQ(ToString(r.status), "success") << r.error;
  ASSERT_TRUE(r.image.has_value());
  EXPECT_EQ(server_->requests(sim::RouteKind::kGoogleToken), 0u);
  EXPECT_EQ(server_->requests(sim::RouteKind::kVertex), 1u);
}

TEST_F(VertexSimTest, ExpressModeWithAnInvalidKeyIsAnAuthError) {
  ServeVertex("{route: vertex, timeline: [{behaviour: auth}]}");
  config::Monitor m = Monitor("vertex");
  m.model = "gemini-3-pro-image";
  m.vertex_express = true;
  CheckResult r = Check(m);
  EXPECT_EQ(ToString(r.status), "auth_error") << r.error;
  EXPECT_NE(r.error.find("API key not valid"), std::string::npos) << r.error;
}

TEST_F(VertexSimTest, ExpiredTokenIsRefreshedOnce) {
  // Tokens announced for 20 s but accepted for 2 s of real time (scale 0.1):
  // the cached token is refused with 401, replaced once, and the check passes.
  ServeVertex("{route: vertex, timeline: [{behaviour: ok}]}",
              "time_scale: 0.1\ntoken_lifetime: 20s\n");
  config::Monitor m = VertexMonitor(private_pem_);
  CheckRunner runner(loop_);
  EXPECT_EQ(ToString(Check(m, &runner).status), "success");
  loop_.RunAt(clock_.Now() + milliseconds(2300), [&] { loop_.Stop(); });
  loop_.Run();
  CheckResult r = Check(m, &runner);
  EXPECT_EQ(ToString(r.status), "success") << r.error;
  EXPECT_EQ(server_->requests(sim::RouteKind::kGoogleToken), 2u);
  EXPECT_EQ(server_->requests(sim::RouteKind::kVertex), 3u);
}

TEST_F(VertexSimTest, RevokedKeyIsAnAuthErrorNamingTheAccount) {
  ServeVertex("{route: vertex, timeline: [{behaviour: ok}]}");
  std::string other_private, other_public;
  Keys(other_private, other_public);
  CheckResult r = Check(VertexMonitor(other_private));
  EXPECT_EQ(ToString(r.status), "auth_error");
  EXPECT_NE(r.error.find("monitor@sim-project.iam.gserviceaccount.com"), std::string::npos)
      << r.error;
  EXPECT_NE(r.error.find("Invalid JWT Signature."), std::string::npos) << r.error;
  EXPECT_EQ(r.error.find("PRIVATE KEY"), std::string::npos);
  EXPECT_EQ(server_->requests(sim::RouteKind::kVertex), 0u);
}

struct VertexCase {
  std::string routes;
  std::string status;
  std::string error_part;
};

TEST_F(VertexSimTest, Outcomes) {
  const VertexCase cases[] = {
      {"{route: vertex, timeline: [{behaviour: rate_limit}]}", "rate_limited",
       "RESOURCE_EXHAUSTED: Resource exhausted"},
      {"{route: vertex, timeline: [{behaviour: quota}]}", "quota_exhausted", "Quota exceeded"},
      {"{route: vertex, timeline: [{behaviour: not_found}]}", "model_not_found", "NOT_FOUND"},
      {"{route: vertex, timeline: [{behaviour: bad_request}]}", "client_error", "INVALID_ARGUMENT"},
      {"{route: vertex, timeline: [{behaviour: server_error}]}", "server_error", "INTERNAL"},
      {"{route: vertex, timeline: [{behaviour: unavailable}]}", "server_error", "out of capacity"},
      {"{route: vertex, timeline: [{behaviour: safety_block}]}", "invalid_response",
       "IMAGE_SAFETY"},
      {"{route: vertex, timeline: [{behaviour: no_image}]}", "invalid_response", "no image"},
      {"{route: vertex, timeline: [{behaviour: malformed_json}]}", "invalid_response", "not JSON"},
      {"{route: vertex, timeline: [{behaviour: hang}]}", "timeout", ""},
      {"{route: google_token, timeline: [{behaviour: server_error}]}", "server_error",
       "token request refused"},
      {"{route: google_token, timeline: [{behaviour: hang}]}", "timeout", "token request"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.routes);
    ServeVertex(c.routes);
    config::Monitor m = VertexMonitor(private_pem_);
    m.timeout = milliseconds(c.status == "timeout" ? 400 : 5000);
    CheckResult r = Check(m);
    EXPECT_EQ(ToString(r.status), c.status) << r.error;
    EXPECT_NE(r.error.find(c.error_part), std::string::npos) << r.error;
  }
}

}  // namespace
}  // namespace modelwatch::engine

namespace modelwatch::engine {
namespace {

// --- http with poll: -------------------------------------------------------

TEST_F(KindsSimTest, HttpPollFollowsTheJobUntilItsConditionHolds) {
  Serve(
      "routes: [{route: flux_result, timeline: [{behaviour: pending, count: 2}, "
      "{behaviour: ok}]}]");
  config::Monitor m;
  m.name = "job";
  m.kind = "http";
  m.method = "POST";
  m.url = Base() + "/v1/flux-dev";
  m.headers = {{"x-key", Secret("sk-test-secret-0123456789")},
               {"Content-Type", Secret("application/json")}};
  m.body = R"({"prompt":"a red apple"})";
  m.timeout = std::chrono::seconds(5);
  config::Poll p;
  p.every = milliseconds(100);
  p.url = "body.polling_url";
  p.until = R"(body.status == "Ready")";
  m.poll = p;
  CheckResult r = Check(m);
  EXPECT_EQ(ToString(r.status), "success") << r.error;
  ASSERT_TRUE(r.async.has_value());
  EXPECT_EQ(r.async->polls, 3);
  EXPECT_EQ(server_->requests(sim::RouteKind::kFluxResult), 3u);
}

}  // namespace
}  // namespace modelwatch::engine
