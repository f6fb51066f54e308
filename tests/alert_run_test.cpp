// Alerts end to end: `modelwatch run` against the simulator, messages to a
// real Slack-shaped receiver on loopback, through the durable outbox.
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <iterator>
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

size_t Count(const std::vector<std::string>& texts, const std::string& word) {
  size_t n = 0;
  for (const std::string& t : texts) {
    n += t.find(word) != std::string::npos ? 1 : 0;
  }
  return n;
}

class AlertRunTest : public ::testing::Test {
 protected:
  // The monitor succeeds twice, fails `failures` times with 503, then
  // succeeds for good.
  void StartSimulator(int failures) {
    std::string scenario =
        "routes:\n"
        "  - {route: openai_images, model: gpt-image-2, timeline: [{behaviour: ok, count: 2, "
        "latency: 10ms}, {behaviour: unavailable, count: " +
        std::to_string(failures) + "}, {behaviour: ok, latency: 10ms}]}\n";
    auto parsed = sim::ParseScenario(scenario, "alert_run_test");
    ASSERT_TRUE(parsed.has_value()) << parsed.error().message();
    auto server = sim::Server::Start("127.0.0.1", 0, std::move(parsed).value());
    ASSERT_TRUE(server.has_value()) << server.error().message();
    sim_ = std::move(server).value();
  }

  std::string Config() {
    std::string dir = TempDir();
    std::string yaml =
        "providers:\n  openai: {base_url: \"http://127.0.0.1:" + std::to_string(sim_->port()) +
        "/v1\", api_key: sk-test-0123456789abcdef}\n"
        "storage: {sqlite: \"" +
        dir +
        "/mw.db\"}\n"
        "alerts:\n"
        "  consecutive_failures: 3\n"
        "  resolve_after: 2\n"
        "  group_wait: 0s\n"
        "  levels:\n"
        "    critical: {triggers: [server_error], channels: [slack]}\n"
        "channels:\n"
        "  slack: {kind: slack, url: \"" +
        slack_.Url() +
        "\"}\n"
        "monitors:\n"
        "  - {name: gpt-image, kind: openai_images, provider: openai, model: gpt-image-2, "
        "interval: 1s, timeout: 900ms, labels: {provider: openai}}\n";
    std::string path = dir + "/modelwatch.yaml";
    WriteFile(path, yaml);
    return path;
  }

  // Runs the daemon with Slack refusing until the alert fired, was
  // committed and failed to send (the message stays pending), kills it with
  // -9, and lets Slack accept again.
  void KillNineWhileAMessageIsPending(const std::string& config) {
    slack_.SetDown(true);
    Subprocess run({Binary(), "run", "-c", config});
    bool tried = WaitFor([&] { return run.out().find("notify_failed") != std::string::npos; },
                         std::chrono::seconds(30));
    ASSERT_TRUE(tried) << run.out() << run.err();
    run.Signal(SIGKILL);
    run.Wait(std::chrono::seconds(10));
    slack_.SetDown(false);
  }

  SlackReceiver slack_;
  std::unique_ptr<sim::Server> sim_;
};

TEST_F(AlertRunTest, AnOutageFiresOnceAndResolvesOnce) {
  StartSimulator(4);
  Subprocess run({Binary(), "run", "-c", Config(), "-q"});
  bool resolved =
      WaitFor([&] { return Count(slack_.Texts(), "gpt-image") >= 2; }, std::chrono::seconds(30));
  std::this_thread::sleep_for(std::chrono::seconds(2));  // nothing more may come
  run.Signal(SIGTERM);
  EXPECT_EQ(run.Wait(std::chrono::seconds(20)), 0) << run.err();
  ASSERT_TRUE(resolved) << run.out() << run.err();
  std::vector<std::string> texts = slack_.Texts();
  ASSERT_EQ(texts.size(), 2u) << ::testing::PrintToString(texts);
  EXPECT_NE(texts[0].find("server_error"), std::string::npos) << texts[0];
  EXPECT_EQ(Count({texts[1]}, "esolved"), 1u) << texts[1];
  // The webhook URL is a secret: never in the daemon's output.
  EXPECT_EQ(run.out().find("T000/B000"), std::string::npos);
  EXPECT_EQ(run.err().find("T000/B000"), std::string::npos);
}

TEST_F(AlertRunTest, AMessagePendingAtKillNineIsDeliveredOnceAfterRestart) {
  StartSimulator(1000);  // the outage lasts
  std::string config = Config();
  ASSERT_NO_FATAL_FAILURE(KillNineWhileAMessageIsPending(config));
  Subprocess again({Binary(), "run", "-c", config, "-q"});
  // The successor takes over the dead daemon's claim (it holds the run lock).
  bool delivered = WaitFor([&] { return !slack_.Texts().empty(); }, std::chrono::seconds(75));
  std::this_thread::sleep_for(std::chrono::seconds(3));  // still firing: no second notice
  again.Signal(SIGTERM);
  again.Wait(std::chrono::seconds(20));
  ASSERT_TRUE(delivered) << again.out() << again.err();
  EXPECT_EQ(slack_.Texts().size(), 1u) << ::testing::PrintToString(slack_.Texts());
}

TEST_F(AlertRunTest, AMessagePendingAtKillNineGoesOutBeforeTheResolveAfterRestart) {
  StartSimulator(5);  // the restarted daemon sees the last failures, then the recovery
  std::string config = Config();
  ASSERT_NO_FATAL_FAILURE(KillNineWhileAMessageIsPending(config));
  Subprocess again({Binary(), "run", "-c", config, "-q"});
  // The successor holds the run lock, so it takes the dead daemon's claim on
  // the "firing" at once instead of waiting out its 30 s lease, and sends it
  // before the "resolved" it writes itself a few checks later. Only this
  // rule's messages are compared.
  auto streak = [&] {
    std::vector<std::string> out;
    for (const std::string& t : slack_.Texts()) {
      if (t.find("consecutive_failures") != std::string::npos) {
        out.push_back(t);
      }
    }
    return out;
  };
  bool both = WaitFor([&] { return streak().size() >= 2; }, std::chrono::seconds(25));
  again.Signal(SIGTERM);
  again.Wait(std::chrono::seconds(20));
  ASSERT_TRUE(both) << ::testing::PrintToString(slack_.Texts()) << again.out() << again.err();
  std::vector<std::string> texts = streak();
  ASSERT_EQ(texts.size(), 2u) << ::testing::PrintToString(texts);
  EXPECT_NE(texts[0].find("server_error"), std::string::npos) << texts[0];
  EXPECT_EQ(Count({texts[0]}, "esolved"), 0u) << texts[0];
  EXPECT_EQ(Count({texts[1]}, "esolved"), 1u) << texts[1];
}

// The budget keeper slows the monitor at start (a check costs far more than
// the month allows): one budget notice reaches the warning level's channel,
// and a restart does not send it again.
TEST_F(AlertRunTest, ABudgetThatSlowsMonitorsSendsOneNotice) {
  StartSimulator(1);  // one failure: no alert of its own
  std::string config = Config();
  std::string yaml;
  {
    std::ifstream in(config);
    yaml.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  yaml.replace(yaml.find("    critical:"), 0,
               "    warning: {triggers: [timeout], channels: [slack]}\n");
  yaml.replace(yaml.find("labels: {provider: openai}"), 0, "cost_per_call: 1, ");
  yaml += "budget: {monthly: 10}\n";
  WriteFile(config, yaml);
  for (int run_no = 0; run_no < 2; ++run_no) {
    Subprocess run({Binary(), "run", "-c", config, "-q"});
    bool sent = WaitFor([&] { return !slack_.Texts().empty(); }, std::chrono::seconds(10));
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));  // nothing more may come
    run.Signal(SIGTERM);
    EXPECT_EQ(run.Wait(std::chrono::seconds(20)), 0) << run.err();
    ASSERT_TRUE(sent) << run.out() << run.err();
  }
  std::vector<std::string> texts = slack_.Texts();
  ASSERT_EQ(texts.size(), 1u) << ::testing::PrintToString(texts);
  EXPECT_NE(texts[0].find("modelwatch budget: the month's projected spend"), std::string::npos)
      << texts[0];
  EXPECT_NE(texts[0].find("passes the $10.00 budget"), std::string::npos) << texts[0];
}

}  // namespace
}  // namespace modelwatch
