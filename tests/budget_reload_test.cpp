// The budget changed while `run` runs: the config file edited, then SIGHUP
// (docs/cost.md, "Changing the budget while run runs"), end to end against
// the simulator.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "sim/server.h"
#include "subprocess.h"

namespace modelwatch {
namespace {

using testing::Binary;
using testing::Subprocess;
using testing::TempDir;
using testing::WaitFor;
using testing::WriteFile;

std::vector<nlohmann::json> JsonLines(const std::string& out) {
  std::vector<nlohmann::json> lines;
  std::istringstream in(out);
  for (std::string line; std::getline(in, line);) {
    nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
    if (!j.is_discarded()) {
      lines.push_back(std::move(j));
    }
  }
  return lines;
}

int Results(const std::string& out) {
  int n = 0;
  for (const auto& j : JsonLines(out)) {
    n += j.value("event", "") == "result";
  }
  return n;
}

class BudgetReloadTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto parsed = sim::ParseScenario("routes: []\n", "budget_reload_test");
    ASSERT_TRUE(parsed.has_value()) << parsed.error().message();
    auto server = sim::Server::Start("127.0.0.1", 0, std::move(parsed).value());
    ASSERT_TRUE(server.has_value()) << server.error().message();
    sim_ = std::move(server).value();
    dir_ = TempDir();
    path_ = dir_ + "/modelwatch.yaml";
  }

  // A monitor at one check a second that costs $1 a check: about $2.6
  // million a month, against `budget`.
  void WriteConfig(const std::string& budget) {
    WriteFile(path_, "providers:\n  openai: {base_url: \"http://127.0.0.1:" +
                         std::to_string(sim_->port()) +
                         "/v1\", api_key: sk-test-0123456789abcdef}\n"
                         "storage: {sqlite: \"" +
                         dir_ +
                         "/mw.db\"}\n"
                         "monitors:\n"
                         "  - {name: gpt-image, kind: openai_images, provider: openai,"
                         " model: gpt-image-2, interval: 1s, timeout: 900ms, cost_per_call: 1}\n" +
                         budget);
  }

  std::unique_ptr<sim::Server> sim_;
  std::string dir_;
  std::string path_;
};

TEST_F(BudgetReloadTest, SighupAppliesTheEditedBudgetAndRefusesABrokenFile) {
  WriteConfig("budget: {monthly: 10}\n");
  Subprocess run({Binary(), "run", "-c", path_, "--log-format", "json"});
  auto has = [&](const std::string& text) { return run.out().find(text) != std::string::npos; };
  // The $10 budget stretches the monitor at start.
  ASSERT_TRUE(WaitFor([&] { return has("\"action\":\"stretch\""); }, std::chrono::seconds(10)))
      << run.out() << run.err();

  // A file that does not load changes nothing, and says where it is wrong.
  WriteConfig("budget: {monthly: [}\n");
  run.Signal(SIGHUP);
  ASSERT_TRUE(WaitFor([&] { return has("reload refused, budget unchanged: " + path_ + ":"); },
                      std::chrono::seconds(10)))
      << run.out() << run.err();
  std::this_thread::sleep_for(std::chrono::milliseconds(2500));
  int stretched = Results(run.out());
  EXPECT_LE(stretched, 1) << run.out();  // still stretched: one check at most so far

  // A budget that fits brings the configured interval back at once.
  WriteConfig("budget: {monthly: 100000000}\n");
  run.Signal(SIGHUP);
  ASSERT_TRUE(WaitFor([&] { return has("budget raised from $10.00 a month to"); },
                      std::chrono::seconds(10)))
      << run.out() << run.err();
  EXPECT_TRUE(WaitFor([&] { return Results(run.out()) >= stretched + 2; }, std::chrono::seconds(6)))
      << run.out();

  run.Signal(SIGTERM);
  EXPECT_EQ(run.Wait(std::chrono::seconds(20)), 0) << run.err();
  EXPECT_EQ(run.out().find("0123456789abcdef"), std::string::npos);  // the key stays out
}

}  // namespace
}  // namespace modelwatch
