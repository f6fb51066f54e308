#include "web/server.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "web/test_fixture.h"

namespace modelwatch::web {
namespace {

using json = nlohmann::json;
using testing::WebTest;

json Body(const httplib::Result& r) { return json::parse(r->body); }

TEST_F(WebTest, HealthzAnswersOk) {
  StartServer(false, false);
  auto r = Get("/healthz");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
}

TEST_F(WebTest, ReadyzIsReadyOverAReachableStoreWithoutLoop) {
  StartServer(false, false);
  auto r = Get("/readyz");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(Body(r)["ready"], true);
}

TEST_F(WebTest, ReadyzIsNotReadyBeforeTheFirstSnapshot) {
  auto s = Server::Start(cfg_, *store_, &live_, nullptr, clock_);
  ASSERT_TRUE(s);
  httplib::Client c("127.0.0.1", (*s)->port());
  auto r = c.Get("/readyz");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 503);
}

TEST_F(WebTest, BusyPortIsAnErrorNamingTheAddress) {
  StartServer(false, false);
  config::Config cfg = cfg_;
  cfg.web.port = server_->port();
  auto s = Server::Start(cfg, *store_, nullptr, nullptr, clock_);
  ASSERT_FALSE(s);
  EXPECT_NE(s.error().message().find("127.0.0.1:" + std::to_string(server_->port())),
            std::string::npos)
      << s.error().message();
}

TEST_F(WebTest, MonitorsListsConfiguredThenStoredMonitors) {
  StartServer(false, false);
  auto r = Get("/api/v1/monitors");
  ASSERT_TRUE(r);
  json j = Body(r);
  ASSERT_EQ(j["monitors"].size(), 4u);
  EXPECT_EQ(j["monitors"][0]["name"], "alpha");
  EXPECT_EQ(j["monitors"][2]["kind"], "push");
  EXPECT_EQ(j["monitors"][3]["name"], testing::kHostileName);
  EXPECT_EQ(j["monitors"][3]["configured"], false);
}

TEST_F(WebTest, StatsGivesTheWindowFromTheStore) {
  StartServer(false, false);
  auto r = Get("/api/v1/monitors/alpha/stats?window=24h");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200);
  json s = Body(r)["stats"];
  // The 24h window is the last 24 hour buckets including the current one:
  // 23 h 13 min at the fake clock's 22:13:20 UTC, so 139 checks.
  EXPECT_EQ(s["checks"], 139);
  EXPECT_EQ(s["failures"], 1);
  EXPECT_NEAR(s["availability"].get<double>(), 100.0 * 138 / 139, 1e-9);
}

TEST_F(WebTest, StatsRejectsAnUnknownWindow) {
  StartServer(false, false);
  auto r = Get("/api/v1/monitors/alpha/stats?window=2d");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
  EXPECT_NE(Body(r)["error"]["message"].get<std::string>().find("1h, 6h"), std::string::npos);
}

TEST_F(WebTest, UnknownMonitorIs404Json) {
  StartServer(false, false);
  auto r = Get("/api/v1/monitors/nope");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 404);
  EXPECT_EQ(Body(r)["error"]["code"], 404);
}

TEST_F(WebTest, ResultsArePagedWithNextSince) {
  StartServer(false, false);
  auto since = std::to_string(ToUnixMillis(now_ - std::chrono::hours(1)) - 1);
  auto r = Get("/api/v1/monitors/alpha/results?since=" + since + "&limit=4");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  json j = Body(r);
  ASSERT_EQ(j["results"].size(), 4u);
  ASSERT_TRUE(j["next_since"].is_number());
  auto r2 =
      Get("/api/v1/monitors/alpha/results?since=" + std::to_string(j["next_since"].get<int64_t>()) +
          "&limit=4");
  json j2 = Body(r2);
  EXPECT_EQ(j2["results"].size(), 2u);
  EXPECT_TRUE(j2["next_since"].is_null());
  EXPECT_NE(j["results"][3]["timestamp"], j2["results"][0]["timestamp"]);
}

TEST_F(WebTest, ResultsRejectABadLimit) {
  StartServer(false, false);
  auto r = Get("/api/v1/monitors/alpha/results?limit=0");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
  r = Get("/api/v1/monitors/alpha/results?since=yesterday");
  EXPECT_EQ(r->status, 400);
}

TEST_F(WebTest, DashboardHasEveryWindowOfEveryMonitor) {
  StartServer(false, false);
  auto r = Get("/api/v1/dashboard");
  ASSERT_TRUE(r);
  json j = Body(r);
  ASSERT_EQ(j["monitors"].size(), 4u);
  EXPECT_EQ(j["monitors"][1]["current"]["consecutive_failures"], 3);
  EXPECT_EQ(j["monitors"][1]["windows"]["6h"]["checks"], 18);
}

TEST_F(WebTest, HealthiestRanksTheUpMonitorFirstWithAReason) {
  StartServer(false, false);
  auto r = Get("/api/v1/healthiest?monitors=beta,alpha");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  json j = Body(r);
  EXPECT_EQ(j["healthiest"], "alpha");
  EXPECT_EQ(j["ranking"][1]["state"], "down");
  EXPECT_NE(j["ranking"][1]["reason"].get<std::string>().find("timeout"), std::string::npos);
}

TEST_F(WebTest, HealthiestSelectsAGroupByLabel) {
  StartServer(false, false);
  auto r = Get("/api/v1/healthiest?group=provider:google");
  ASSERT_TRUE(r);
  json j = Body(r);
  ASSERT_EQ(j["ranking"].size(), 1u);
  EXPECT_EQ(j["ranking"][0]["monitor"], "beta");
  EXPECT_EQ(Get("/api/v1/healthiest?group=provider")->status, 400);
}

TEST_F(WebTest, AlertsShowFiringFromTheSnapshot) {
  StartServer(true, false);
  auto r = Get("/api/v1/alerts");
  ASSERT_TRUE(r);
  json j = Body(r);
  ASSERT_EQ(j["firing"].size(), 1u);
  EXPECT_EQ(j["firing"][0]["monitor"], "beta");
  EXPECT_TRUE(j["history"].is_array());
}

TEST_F(WebTest, AdminEndpointsRefuseWithoutTheToken) {
  StartServer(false, true);
  EXPECT_EQ(Get("/api/v1/silences")->status, 401);
  EXPECT_EQ(Get("/api/v1/silences", "wrong-token-0123456789")->status, 401);
  EXPECT_EQ(Post("/api/v1/monitors/alpha/run", "")->status, 401);
  EXPECT_EQ(client_->Delete("/api/v1/silences/1")->status, 401);
}

TEST_F(WebTest, RunNowAsksTheInstance) {
  StartServer(false, true);
  auto r = Post("/api/v1/monitors/alpha/run", "", testing::kAdminToken);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 202);
  ASSERT_EQ(actions_.runs.size(), 1u);
  EXPECT_EQ(actions_.runs[0], "alpha");
}

TEST_F(WebTest, RunNowUnderServeIs503) {
  StartServer(false, false);
  auto r = Post("/api/v1/monitors/alpha/run", "", testing::kAdminToken);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 503);
  EXPECT_NE(Body(r)["error"]["message"].get<std::string>().find("read-only"), std::string::npos);
}

TEST_F(WebTest, PushRecordsTheReportedCall) {
  StartServer(false, true);
  auto r = Post("/api/v1/push/app",
                R"({"status":"server_error","latency_ms":1234,"http_status":503,"error":"boom"})",
                testing::kPushToken);
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 202) << r->body;
  ASSERT_EQ(actions_.pushed.size(), 1u);
  EXPECT_EQ(actions_.pushed[0].monitor, "app");
  EXPECT_EQ(actions_.pushed[0].status, CheckStatus::kServerError);
  EXPECT_EQ(actions_.pushed[0].latency, std::chrono::milliseconds(1234));
  EXPECT_EQ(actions_.pushed[0].error, "boom");
}

TEST_F(WebTest, PushNeedsTheMonitorsOwnToken) {
  StartServer(false, true);
  EXPECT_EQ(Post("/api/v1/push/app", R"({"status":"success"})")->status, 401);
  EXPECT_EQ(Post("/api/v1/push/app", R"({"status":"success"})", testing::kAdminToken)->status, 401);
  EXPECT_EQ(Post("/api/v1/push/alpha", R"({"status":"success"})", testing::kPushToken)->status,
            404);
  EXPECT_TRUE(actions_.pushed.empty());
}

TEST_F(WebTest, PushRejectsABadReport) {
  StartServer(false, true);
  EXPECT_EQ(Post("/api/v1/push/app", "not json", testing::kPushToken)->status, 400);
  EXPECT_EQ(Post("/api/v1/push/app", R"({"status":"fine"})", testing::kPushToken)->status, 400);
  EXPECT_EQ(Post("/api/v1/push/app", R"({"status":"success","latency_ms":-1})", testing::kPushToken)
                ->status,
            400);
}

TEST_F(WebTest, PushRefusesAnOversizedBody) {
  StartServer(false, true);
  std::string big(100 * 1024, 'x');
  auto r = Post("/api/v1/push/app", big, testing::kPushToken);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 413);
}

TEST_F(WebTest, PushIsRateLimited) {
  StartServer(false, true);
  int refused = 0;
  for (int i = 0; i < 40; ++i) {
    refused +=
        Post("/api/v1/push/app", R"({"status":"success"})", testing::kPushToken)->status == 429;
  }
  EXPECT_GT(refused, 0);
}

TEST_F(WebTest, SilencesAnswerTheStoresErrorClearlyUntilItHasThem) {
  StartServer(false, true);
  auto r = Post("/api/v1/silences", R"({"monitor":"alpha","duration":"2h","reason":"deploy"})",
                testing::kAdminToken);
  ASSERT_TRUE(r);
  // Created once the store implements silences; until then a clear 503.
  EXPECT_TRUE(r->status == 201 || r->status == 503) << r->body;
  EXPECT_EQ(Post("/api/v1/silences", R"({"monitor":"alpha"})", testing::kAdminToken)->status, 400);
  EXPECT_EQ(Post("/api/v1/silences", R"({"monitr":"alpha","duration":"1h"})", testing::kAdminToken)
                ->status,
            400);
}

TEST_F(WebTest, OverviewShowsHostileTextAsText) {
  StartServer(true, false);
  auto r = Get("/");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200);
  EXPECT_EQ(r->body.find("<script>alert"), std::string::npos);
  EXPECT_EQ(r->body.find("<img src=x"), std::string::npos);
  EXPECT_NE(r->body.find("&lt;script&gt;alert(&#39;x&#39;)"), std::string::npos);
  EXPECT_NE(r->body.find("&lt;img src=x onerror=alert(2)&gt;"), std::string::npos);
  EXPECT_NE(r->get_header_value("Content-Security-Policy").find("script-src 'self'"),
            std::string::npos);
}

TEST_F(WebTest, OverviewHasEveryMonitorWithBars) {
  StartServer(false, false);
  auto r = Get("/");
  ASSERT_TRUE(r);
  for (const char* name : {"/monitor/alpha", "/monitor/beta", "/monitor/app"}) {
    EXPECT_NE(r->body.find(name), std::string::npos) << name;
  }
  EXPECT_NE(r->body.find("<svg class=bars"), std::string::npos);
}

TEST_F(WebTest, MonitorPageHasChartWindowsAndEscapedFailures) {
  StartServer(false, false);
  auto r = Get("/monitor/alpha?range=7d");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200);
  EXPECT_NE(r->body.find("<svg class=chart"), std::string::npos);
  EXPECT_NE(r->body.find("class=p95"), std::string::npos);
  EXPECT_NE(r->body.find("class=thr"), std::string::npos);
  EXPECT_NE(r->body.find("&lt;script&gt;"), std::string::npos);
  EXPECT_EQ(r->body.find("<script>alert"), std::string::npos);
  EXPECT_NE(r->body.find("No alert history yet"), std::string::npos);
}

TEST_F(WebTest, NoSecretInAnyAnswer) {
  StartServer(true, true);
  for (const char* path : {"/", "/monitor/alpha", "/compare", "/api/v1/dashboard",
                           "/api/v1/monitors/alpha", "/metrics", "/api/v1/alerts"}) {
    auto r = Get(path);
    ASSERT_TRUE(r) << path;
    for (const char* secret : {"sk-secret-never-shown-1", "AIza-secret-never-shown-2",
                               testing::kAdminToken, testing::kPushToken}) {
      EXPECT_EQ(r->body.find(secret), std::string::npos) << path << " holds " << secret;
    }
  }
}

TEST_F(WebTest, ComparePageRanksTheChosenMonitors) {
  StartServer(false, false);
  auto r = Get("/compare?monitors=alpha,beta");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200);
  EXPECT_NE(r->body.find("healthiest"), std::string::npos);
  EXPECT_NE(r->body.find("Error rate"), std::string::npos);
}

TEST_F(WebTest, BadgesAreSvg) {
  StartServer(false, false);
  auto r = Get("/badge/alpha/uptime?window=24h");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->get_header_value("Content-Type"), "image/svg+xml");
  EXPECT_NE(r->body.find("99.28 %"), std::string::npos) << r->body;
  EXPECT_NE(Get("/badge/beta/status")->body.find(">down<"), std::string::npos);
  EXPECT_NE(Get("/badge/alpha/latency")->body.find("4.0 s"), std::string::npos);
  EXPECT_EQ(Get("/badge/alpha/uptime?window=1y")->status, 400);
}

TEST_F(WebTest, MetricsCarryChecksByStatusAndLatencyHistogram) {
  StartServer(false, false);
  auto r = Get("/metrics");
  ASSERT_TRUE(r);
  const std::string& m = r->body;
  EXPECT_NE(m.find("modelwatch_checks_total{monitor=\"alpha\",kind=\"openai_images\",model=\"gpt-"
                   "image-1\",provider=\"openai\",status=\"success\"} 287"),
            std::string::npos);
  EXPECT_NE(m.find("modelwatch_check_latency_seconds_count{monitor=\"alpha\""), std::string::npos);
  EXPECT_NE(m.find("modelwatch_consecutive_failures{monitor=\"beta\""), std::string::npos);
  EXPECT_NE(m.find("process_resident_memory_bytes"), std::string::npos);
}

TEST_F(WebTest, MetricsIncludeTheExtraHook) {
  StartServer(false, false);
  server_->SetExtraMetrics(
      [] { return std::string("# HELP x_total X.\n# TYPE x_total counter\nx_total 7\n"); });
  EXPECT_NE(Get("/metrics")->body.find("x_total 7"), std::string::npos);
}

TEST_F(WebTest, UnknownApiPathIsJson404) {
  StartServer(false, false);
  auto r = Get("/api/v1/nothing");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 404);
  EXPECT_EQ(r->get_header_value("Content-Type"), "application/json");
}

}  // namespace
}  // namespace modelwatch::web
