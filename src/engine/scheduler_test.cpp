#include "engine/scheduler.h"

#include <curl/curl.h>
#include <gtest/gtest.h>

#include "sim/server.h"

namespace modelwatch::engine {
namespace {

// Real checks against the simulator on loopback, with every answer held
// back, so checks stay in flight for as long as a test needs.
class SchedulerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { curl_global_init(CURL_GLOBAL_DEFAULT); }

  void SetUp() override {
    auto scenario = sim::ParseScenario(
        "routes: [{route: openai_images, model: hang, timeline: [{behaviour: hang}]},"
        " {route: openai_images, model: fast, timeline: [{behaviour: ok}]}]",
        "scheduler_test");
    ASSERT_TRUE(scenario.has_value()) << scenario.error().message();
    auto server = sim::Server::Start("127.0.0.1", 0, std::move(scenario).value());
    ASSERT_TRUE(server.has_value()) << server.error().message();
    server_ = std::move(server).value();
  }

  void AddMonitor(const std::string& name, const std::string& model) {
    config::Monitor m;
    m.name = name;
    m.kind = "openai_images";
    m.base_url = "http://127.0.0.1:" + std::to_string(server_->port()) + "/v1";
    m.api_key = Secret("sk-test");
    m.model = model;
    m.prompt = "a red apple";
    m.interval = std::chrono::seconds(30);
    m.timeout = std::chrono::seconds(20);
    monitors_.push_back(m);
  }

  // Runs the loop for `d`.
  void RunFor(net::Loop& loop, std::chrono::milliseconds d) {
    loop.RunAt(clock_.Now() + d, [&] { loop.Stop(); });
    loop.Run();
  }

  SystemClock clock_;
  std::unique_ptr<sim::Server> server_;
  std::vector<config::Monitor> monitors_;
};

TEST_F(SchedulerTest, FirstRunsOfOneIntervalGroupStartTogetherWhenAlone) {
  AddMonitor("fast", "fast");
  net::Loop loop(clock_);
  std::vector<CheckResult> got;
  auto s = Scheduler::Create(loop, monitors_, [&](CheckResult&& r) { got.push_back(r); });
  ASSERT_TRUE(s.has_value()) << s.error().message();
  (*s)->Start();
  RunFor(loop, std::chrono::milliseconds(300));
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].monitor, "fast");
  EXPECT_EQ(got[0].status, CheckStatus::kSuccess);
  EXPECT_EQ((*s)->counters().finished, 1u);
}

TEST_F(SchedulerTest, CancelledChecksAreCountedButAreNotResults) {
  AddMonitor("hang", "hang");
  AddMonitor("fast", "fast");
  net::Loop loop(clock_);
  std::vector<CheckResult> got;
  auto s = Scheduler::Create(loop, monitors_, [&](CheckResult&& r) { got.push_back(r); });
  ASSERT_TRUE(s.has_value());
  (*s)->Start();
  // Two monitors share the 30 s interval: the second is due 15 s in, so only
  // the first (hang) runs here.
  RunFor(loop, std::chrono::milliseconds(200));
  EXPECT_EQ((*s)->in_flight(), 1u);
  (*s)->CancelInFlight();
  EXPECT_EQ((*s)->in_flight(), 0u);
  EXPECT_EQ((*s)->counters().cancelled, 1u);
  EXPECT_TRUE(got.empty());
}

TEST_F(SchedulerTest, DestroyingTheSchedulerLeavesNoTransferBehind) {
  for (int i = 0; i < 5; ++i) {
    AddMonitor("hang" + std::to_string(i), "hang");
    monitors_.back().interval = std::chrono::seconds(30 + i);  // each alone: all start now
  }
  net::Loop loop(clock_);
  int results = 0;
  auto s = Scheduler::Create(loop, monitors_, [&](CheckResult&&) { ++results; });
  ASSERT_TRUE(s.has_value());
  (*s)->Start();
  RunFor(loop, std::chrono::milliseconds(200));
  EXPECT_EQ(loop.in_flight(), 5u);
  s->reset();
  // The transfers went with it; their callbacks cannot reach a dead scheduler.
  EXPECT_EQ(loop.in_flight(), 0u);
  RunFor(loop, std::chrono::milliseconds(50));
  EXPECT_EQ(results, 0);
}

}  // namespace
}  // namespace modelwatch::engine
