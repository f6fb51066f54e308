// `modelwatch run` as a real process: schedules, stores, logs, stops cleanly.
#include <signal.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "sim/server.h"
#include "store/store.h"
#include "subprocess.h"

namespace modelwatch {
namespace {

using testing::Binary;
using testing::Subprocess;
using testing::TempDir;
using testing::WriteFile;

constexpr const char* kScenario = R"(
routes:
  - {route: openai_images, model: fast, timeline: [{behaviour: ok, latency: 20ms-40ms}]}
  - {route: openai_images, model: flaky, repeat: true, timeline: [{behaviour: ok, count: 1}, {behaviour: unavailable, count: 1}]}
  - {route: openai_images, model: hang, timeline: [{behaviour: hang}]}
)";

std::vector<nlohmann::json> Lines(const std::string& out) {
  std::vector<nlohmann::json> v;
  size_t start = 0;
  while (start < out.size()) {
    size_t end = out.find('\n', start);
    std::string line = out.substr(start, end - start);
    if (!line.empty()) {
      v.push_back(nlohmann::json::parse(line));
    }
    start = end == std::string::npos ? out.size() : end + 1;
  }
  return v;
}

class RunTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto scenario = sim::ParseScenario(kScenario, "run_test");
    ASSERT_TRUE(scenario.has_value()) << scenario.error().message();
    auto server = sim::Server::Start("127.0.0.1", 0, std::move(scenario).value());
    ASSERT_TRUE(server.has_value()) << server.error().message();
    server_ = std::move(server).value();
    dir_ = TempDir();
    db_ = dir_ + "/mw.db";
  }

  std::string Config(const std::string& monitors) {
    std::string yaml = "providers:\n  sim: {base_url: \"http://127.0.0.1:" +
                       std::to_string(server_->port()) +
                       "/v1\", api_key: sk-test-0123456789}\n"
                       "storage: {sqlite: \"" + db_ + "\"}\nmonitors:\n" + monitors;
    std::string path = dir_ + "/modelwatch.yaml";
    WriteFile(path, yaml);
    return path;
  }

  std::vector<CheckResult> Stored() {
    store::Options o;
    o.sqlite_path = db_;
    auto s = store::Open(o);
    EXPECT_TRUE(s.has_value()) << s.error().message();
    if (!s) {
      return {};
    }
    auto r = (*s)->Results("", WallTime{});
    EXPECT_TRUE(r.has_value());
    return r ? *r : std::vector<CheckResult>{};
  }

  std::unique_ptr<sim::Server> server_;
  std::string dir_;
  std::string db_;
};

TEST_F(RunTest, SchedulesStoresAndLogsEveryResult) {
  std::string cfg = Config(
      "  - {name: fast, kind: openai_images, provider: sim, model: fast, interval: 1s}\n"
      "  - {name: flaky, kind: openai_images, provider: sim, model: flaky, interval: 1s}\n");
  Subprocess p({Binary(), "run", "-c", cfg});
  std::this_thread::sleep_for(std::chrono::milliseconds(3500));
  p.Signal(SIGTERM);
  ASSERT_EQ(p.Wait(std::chrono::seconds(10)), 0) << p.err();

  auto lines = Lines(p.out());
  ASSERT_FALSE(lines.empty());
  // What the config draws (the 1s interval shrinks the inherited timeout)
  // and what it costs are said before the start.
  size_t first = 0;
  while (first < lines.size() &&
         (lines[first]["event"] == "config_warning" || lines[first]["event"] == "cost")) {
    ++first;
  }
  ASSERT_LT(first, lines.size());
  EXPECT_EQ(lines[first]["event"], "start");
  EXPECT_EQ(lines.back()["event"], "stopped");
  int results = 0;
  for (const auto& j : lines) {
    results += j["event"] == "result";
  }
  // 3.5 s at one check a second each, first runs spread over the second.
  EXPECT_GE(results, 6);
  EXPECT_LE(results, 9);

  auto stored = Stored();
  EXPECT_EQ(static_cast<int>(stored.size()), results);
  int ok = 0, failed = 0;
  for (const auto& r : stored) {
    if (r.monitor == "flaky") {
      (r.status == CheckStatus::kSuccess ? ok : failed)++;
      if (r.status != CheckStatus::kSuccess) {
        EXPECT_EQ(r.status, CheckStatus::kServerError);
        EXPECT_EQ(r.http_status, 503);
      }
    }
  }
  EXPECT_GE(ok, 1);
  EXPECT_GE(failed, 1);
}

TEST_F(RunTest, SpreadsFirstRunsAcrossTheInterval) {
  std::string monitors;
  for (int i = 0; i < 4; ++i) {
    monitors += "  - {name: m" + std::to_string(i) +
                ", kind: openai_images, provider: sim, model: fast, interval: 2s}\n";
  }
  Subprocess p({Binary(), "run", "-c", Config(monitors)});
  std::this_thread::sleep_for(std::chrono::milliseconds(1900));
  p.Signal(SIGTERM);
  ASSERT_EQ(p.Wait(std::chrono::seconds(10)), 0) << p.err();
  std::vector<int64_t> starts;
  for (const auto& r : Stored()) {
    starts.push_back(ToUnixMillis(r.timestamp));
  }
  ASSERT_EQ(starts.size(), 4u);
  std::sort(starts.begin(), starts.end());
  for (size_t i = 1; i < starts.size(); ++i) {
    // 2 s / 4 monitors: 500 ms apart.
    EXPECT_NEAR(starts[i] - starts[i - 1], 500, 150);
  }
}

TEST_F(RunTest, StopCancelsHungChecksAfterGraceWithoutStoringThem) {
  std::string cfg = Config(
      "  - {name: hang, kind: openai_images, provider: sim, model: hang, interval: 30s, "
      "timeout: 25s}\n"
      "  - {name: fast, kind: openai_images, provider: sim, model: fast, interval: 20s}\n");
  Subprocess p({Binary(), "run", "-c", cfg, "--grace", "300ms"});
  std::this_thread::sleep_for(std::chrono::milliseconds(800));
  auto t0 = std::chrono::steady_clock::now();
  p.Signal(SIGINT);
  ASSERT_EQ(p.Wait(std::chrono::seconds(10)), 0) << p.err();
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(3));
  auto lines = Lines(p.out());
  ASSERT_FALSE(lines.empty());
  EXPECT_EQ(lines.back()["event"], "stopped");
  EXPECT_EQ(lines.back()["cancelled"], 1);
  // Only the monitor that finished was stored; the cancelled check is not a
  // result (it is not the provider's fault).
  auto stored = Stored();
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(stored[0].monitor, "fast");
}

// A store that cannot be opened at start is refused, and one that goes away
// later is waited for: tests/run_store_faults_test.cpp.

TEST_F(RunTest, LogFormatTextIsOneReadableLinePerEvent) {
  std::string cfg = Config(
      "  - {name: fast, kind: openai_images, provider: sim, model: fast, interval: 1s}\n");
  Subprocess p({Binary(), "run", "-c", cfg, "--log-format", "text"});
  std::this_thread::sleep_for(std::chrono::milliseconds(2500));
  p.Signal(SIGTERM);
  ASSERT_EQ(p.Wait(std::chrono::seconds(10)), 0) << p.err();
  EXPECT_FALSE(p.out().starts_with("{")) << p.out();  // no JSON object lines
  EXPECT_EQ(p.out().find("\n{"), std::string::npos) << p.out();
  EXPECT_NE(p.out().find(" result monitor=fast status=success latency_ms="), std::string::npos)
      << p.out();
  EXPECT_EQ(p.out().find("0123456789"), std::string::npos) << p.out();  // the key stays out
}

TEST_F(RunTest, BadConfigExitsTwo) {
  std::string path = dir_ + "/bad.yaml";
  WriteFile(path, "monitors:\n  - {name: a, kind: nope}\n");
  Subprocess p({Binary(), "run", "-c", path});
  EXPECT_EQ(p.Wait(std::chrono::seconds(10)), 2);
  EXPECT_NE(p.err().find(path + ":2:"), std::string::npos) << p.err();
}

}  // namespace
}  // namespace modelwatch
