// `modelwatch check` against the simulator on loopback, through every
// behaviour the simulator can play, for every probe kind.
#include <signal.h>

#include <chrono>
#include <fstream>
#include <map>
#include <thread>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "sim/image.h"
#include "sim/server.h"
#include "subprocess.h"

namespace modelwatch {
namespace {

using testing::Binary;
using testing::RunProcess;
using testing::TempDir;
using testing::WriteFile;

// One model per behaviour, so one scenario serves every case at once.
constexpr const char* kScenario = R"(
seed: 7
routes:
  - {route: openai_images, model: ok, timeline: [{behaviour: ok, latency: 150ms-250ms, image: {format: png, width: 1024, height: 768}}]}
  - {route: openai_images, model: jpeg, timeline: [{behaviour: ok, image: {format: jpeg}}]}
  - {route: openai_images, model: webp, timeline: [{behaviour: ok, image: {format: webp}}]}
  - {route: openai_images, model: rate_limit, timeline: [{behaviour: rate_limit, retry_after: 20s}]}
  - {route: openai_images, model: quota, timeline: [{behaviour: quota}]}
  - {route: openai_images, model: auth, timeline: [{behaviour: auth}]}
  - {route: openai_images, model: bad_request, timeline: [{behaviour: bad_request}]}
  - {route: openai_images, model: server_error, timeline: [{behaviour: server_error}]}
  - {route: openai_images, model: unavailable, timeline: [{behaviour: unavailable}]}
  - {route: openai_images, model: hang, timeline: [{behaviour: hang}]}
  - {route: openai_images, model: slow_drip, timeline: [{behaviour: slow_drip, drip: 5s}]}
  - {route: openai_images, model: reset, timeline: [{behaviour: reset}]}
  - {route: openai_images, model: malformed_json, timeline: [{behaviour: malformed_json}]}
  - {route: openai_images, model: no_image, timeline: [{behaviour: no_image}]}
  - {route: openai_images, model: safety_block, timeline: [{behaviour: safety_block}]}
  - {route: gemini, model: g-ok, timeline: [{behaviour: ok, latency: 100ms}]}
  - {route: gemini, model: g-big, timeline: [{behaviour: ok, image: {format: png, width: 1024, height: 1024}}]}
  - {route: openrouter_chat, model: google/or-big, timeline: [{behaviour: ok, image: {format: png, width: 1024, height: 1024}}]}
  - {route: gemini, model: g-safety, timeline: [{behaviour: safety_block}]}
  - {route: gemini, model: g-prompt-block, timeline: [{behaviour: safety_block, safety: prompt}]}
  - {route: gemini, model: g-quota, timeline: [{behaviour: quota}]}
  - {route: gemini, model: g-rate, timeline: [{behaviour: rate_limit}]}
  - {route: gemini, model: g-auth, timeline: [{behaviour: auth}]}
  - {route: openrouter_chat, model: google/or-ok, timeline: [{behaviour: ok}]}
  - {route: openrouter_chat, model: google/or-quota, timeline: [{behaviour: quota}]}
  - {route: openrouter_chat, model: google/or-rate, timeline: [{behaviour: rate_limit}]}
  - {route: openrouter_chat, model: google/or-text, timeline: [{behaviour: no_image}]}
)";

struct Expect {
  const char* monitor;
  const char* status;
  const char* error_part;  // must appear in the error text ("" for none)
};

class CheckTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto scenario = sim::ParseScenario(kScenario, "check_test");
    ASSERT_TRUE(scenario.has_value()) << scenario.error().message();
    auto server = sim::Server::Start("127.0.0.1", 0, std::move(scenario).value());
    ASSERT_TRUE(server.has_value()) << server.error().message();
    server_ = std::move(server).value();
    dir_ = TempDir();
  }

  std::string Base() const { return "http://127.0.0.1:" + std::to_string(server_->port()); }

  // A config with one monitor per (kind, model) pair.
  std::string WriteConfig(const std::vector<std::pair<std::string, std::string>>& monitors,
                          const std::string& extra = "") {
    std::string yaml = "providers:\n";
    yaml += "  sim-openai: {base_url: \"" + Base() + "/v1\", api_key: sk-test-secret-0123456789}\n";
    yaml += "  sim-google: {base_url: \"" + Base() + "\", api_key: AIzaTestSecret0123456789}\n";
    yaml += "  sim-openrouter: {base_url: \"" + Base() + "\", api_key: sk-or-test-0123456789}\n";
    yaml += "storage: {sqlite: \"" + dir_ + "/mw.db\"}\nmonitors:\n";
    for (const auto& [kind, model] : monitors) {
      std::string provider = kind == "openai_images" ? "sim-openai"
                             : kind == "gemini"      ? "sim-google"
                                                     : "sim-openrouter";
      std::string name = model.substr(model.find('/') + 1);
      // Only the answers that never finish meet the timeout; the others get
      // one no build (a sanitizer's included) is slow enough to reach.
      bool never_ends = name.find("hang") != std::string::npos ||
                        name.find("drip") != std::string::npos;
      yaml += "  - {name: " + name + ", kind: " + kind + ", provider: " + provider +
              ", model: \"" + model + "\", timeout: " + (never_ends ? "1s" : "30s") + extra +
              "}\n";
    }
    std::string path = dir_ + "/modelwatch.yaml";
    WriteFile(path, yaml);
    return path;
  }

  static std::map<std::string, nlohmann::json> ParseLines(const std::string& out) {
    std::map<std::string, nlohmann::json> by_monitor;
    size_t start = 0;
    while (start < out.size()) {
      size_t end = out.find('\n', start);
      std::string line = out.substr(start, end - start);
      if (!line.empty()) {
        auto j = nlohmann::json::parse(line);
        by_monitor[j["monitor"]] = j;
      }
      start = end == std::string::npos ? out.size() : end + 1;
    }
    return by_monitor;
  }

  std::unique_ptr<sim::Server> server_;
  std::string dir_;
};

TEST_F(CheckTest, ClassifiesEveryBehaviourOfEveryKind) {
  const Expect cases[] = {
      {"ok", "success", ""},
      {"jpeg", "success", ""},
      {"webp", "success", ""},
      {"rate_limit", "rate_limited", ""},
      {"quota", "quota_exhausted", "quota"},
      {"auth", "auth_error", ""},
      {"bad_request", "client_error", ""},
      {"server_error", "server_error", ""},
      {"unavailable", "server_error", ""},
      {"hang", "timeout", ""},
      {"slow_drip", "timeout", ""},
      {"reset", "network_error", ""},
      {"malformed_json", "invalid_response", ""},
      {"no_image", "invalid_response", ""},
      {"safety_block", "invalid_response", ""},
      {"g-ok", "success", ""},
      {"g-safety", "invalid_response", "IMAGE_SAFETY"},
      {"g-prompt-block", "invalid_response", ""},
      {"g-quota", "quota_exhausted", ""},
      {"g-rate", "rate_limited", ""},
      {"g-auth", "auth_error", ""},
      {"or-ok", "success", ""},
      {"or-quota", "quota_exhausted", ""},
      {"or-rate", "rate_limited", ""},
      {"or-text", "invalid_response", ""},
  };
  std::vector<std::pair<std::string, std::string>> monitors;
  for (const Expect& c : cases) {
    std::string m = c.monitor;
    if (m.starts_with("g-")) {
      monitors.push_back({"gemini", m});
    } else if (m.starts_with("or-")) {
      monitors.push_back({"openrouter_image", "google/" + m});
    } else {
      monitors.push_back({"openai_images", m});
    }
  }
  auto r = RunProcess({Binary(), "check", "-c", WriteConfig(monitors), "--json"});
  ASSERT_EQ(r.code, 1) << r.err;  // some failed
  auto got = ParseLines(r.out);
  ASSERT_EQ(got.size(), std::size(cases)) << r.out << r.err;
  for (const Expect& c : cases) {
    SCOPED_TRACE(c.monitor);
    const auto& j = got.at(c.monitor);
    EXPECT_EQ(j["status"], c.status) << j.dump();
    EXPECT_NE(j["error"].get<std::string>().find(c.error_part), std::string::npos) << j.dump();
    if (std::string(c.status) != "success") {
      EXPECT_FALSE(j["error"].get<std::string>().empty()) << j.dump();
    }
    // No secret reaches the output, whatever the provider echoed.
    EXPECT_EQ(j.dump().find("0123456789"), std::string::npos) << j.dump();
  }
}

TEST_F(CheckTest, SuccessRecordsImageTimingAndPhases) {
  auto r = RunProcess({Binary(), "check", "-c", WriteConfig({{"openai_images", "ok"}}), "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  auto j = ParseLines(r.out).at("ok");
  EXPECT_EQ(j["status"], "success");
  EXPECT_EQ(j["http_status"], 200);
  EXPECT_EQ(j["image"]["format"], "png");
  EXPECT_EQ(j["image"]["width"], 1024);
  EXPECT_EQ(j["image"]["height"], 768);
  // A 3 MB image: only its start is kept, and every byte is counted.
  EXPECT_EQ(j["image"]["bytes"], sim::EncodePng(1024, 768).size());
  // The simulator held the answer 150-250 ms.
  EXPECT_GE(j["latency_ms"].get<int>(), 150);
  EXPECT_GE(j["phases"]["first_byte_ms"].get<double>(), 150.0);
  EXPECT_GE(j["phases"]["total_ms"].get<double>(), j["phases"]["first_byte_ms"].get<double>());
  EXPECT_TRUE(j["timestamp"].get<std::string>().ends_with("Z"));
}

TEST_F(CheckTest, JsonLinesCarryTheMonitorsTierAndLabels) {
  auto r = RunProcess({Binary(), "check", "-c",
                       WriteConfig({{"openai_images", "ok"}},
                                   ", tier: critical, labels: {team: images}"),
                       "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  auto j = ParseLines(r.out).at("ok");
  EXPECT_EQ(j["tier"], "critical");
  EXPECT_EQ(j["labels"], (nlohmann::json{{"team", "images"}}));
}

TEST_F(CheckTest, LargeImagesOfEveryKindAreReadAndCountedWhole) {
  auto r = RunProcess({Binary(), "check", "-c",
                       WriteConfig({{"gemini", "g-big"}, {"openrouter_image", "google/or-big"}}),
                       "--json"});
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  auto lines = ParseLines(r.out);
  for (const char* name : {"g-big", "or-big"}) {
    const auto& j = lines.at(name);
    EXPECT_EQ(j["status"], "success") << j.dump();
    EXPECT_EQ(j["image"]["width"], 1024) << name;
    EXPECT_EQ(j["image"]["bytes"], sim::EncodePng(1024, 1024).size()) << name;
  }
}

TEST_F(CheckTest, TimeoutsStopAtTheMonitorsTimeout) {
  auto r = RunProcess({Binary(), "check", "-c",
                WriteConfig({{"openai_images", "hang"}, {"openai_images", "slow_drip"}}),
                "--json"});
  ASSERT_EQ(r.code, 1) << r.err;
  for (const auto& [name, j] : ParseLines(r.out)) {
    EXPECT_EQ(j["status"], "timeout") << name;
    // libcurl's timer may fire a hair before our own clock reads 1 s.
    EXPECT_GE(j["latency_ms"].get<int>(), 990) << name;
    // Stopped by the 1 s timeout, not the default 60 s one (with room for a
    // slow machine to report it).
    EXPECT_LT(j["latency_ms"].get<int>(), 10'000) << name;
  }
}

TEST_F(CheckTest, AShrunkInheritedTimeoutIsSaidInValidateAndInTheError) {
  // defaults' 60 s timeout does not fit the 1 s interval: checks stop at 1 s.
  const std::string path = dir_ + "/shrunk.yaml";
  WriteFile(path, "storage: {sqlite: \"" + dir_ + "/mw.db\"}\nmonitors:\n"
                  "  - {name: hang, kind: openai_images, base_url: \"" + Base() +
                  "/v1\", api_key: sk-test-secret-0123456789, model: hang, interval: 1s}\n");
  auto v = RunProcess({Binary(), "validate", "-c", path});
  EXPECT_EQ(v.code, 0) << v.err;
  EXPECT_NE((v.out + v.err).find("warning: monitor \"hang\": the inherited timeout 1m is longer "
                                 "than its 1s interval, so checks time out after 1s"),
            std::string::npos)
      << v.out << v.err;
  auto r = RunProcess({Binary(), "check", "-c", path, "--json"});
  ASSERT_EQ(r.code, 1) << r.err;
  auto lines = ParseLines(r.out);
  ASSERT_EQ(lines.count("hang"), 1u) << r.out;
  EXPECT_EQ(lines["hang"]["status"], "timeout");
  const std::string error = lines["hang"]["error"];
  EXPECT_NE(error.find("(timeout shrunk to the 1s interval)"), std::string::npos) << error;
}

TEST_F(CheckTest, RateLimitKeepsRetryAfterAndIsNotAFailure) {
  auto r = RunProcess({Binary(), "check", "-c", WriteConfig({{"openai_images", "rate_limit"}}), "--json"});
  EXPECT_EQ(r.code, 0) << r.out << r.err;  // rate_limited is not a failure
  auto j = ParseLines(r.out).at("rate_limit");
  EXPECT_EQ(j["status"], "rate_limited");
  EXPECT_EQ(j["http_status"], 429);
  EXPECT_EQ(j["retry_after_s"], 20);
}

TEST_F(CheckTest, SuccessSlowerThanTheLatencyAlertThresholdIsDegraded) {
  // The simulator holds "ok" 150-250 ms; the threshold is 100 ms.
  auto r = RunProcess({Binary(), "check", "-c",
                       WriteConfig({{"openai_images", "ok"}},
                                   ", thresholds: {latency_warning: 50ms, latency_alert: 100ms}"),
                       "--json"});
  EXPECT_EQ(r.code, 0) << r.out << r.err;  // degraded is up, not failed
  auto j = ParseLines(r.out).at("ok");
  EXPECT_EQ(j["status"], "degraded") << j.dump();
  // Why, in the result itself: --json, export and the dashboard show it too.
  EXPECT_NE(j.value("error", "").find("is over the latency_alert threshold of 100ms"),
            std::string::npos)
      << j.dump();
  EXPECT_EQ(j["image"]["format"], "png");
}

TEST_F(CheckTest, RunsOnlyTheNamedMonitors) {
  auto cfg = WriteConfig({{"openai_images", "ok"}, {"openai_images", "server_error"}});
  auto r = RunProcess({Binary(), "check", "-c", cfg, "ok", "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  auto got = ParseLines(r.out);
  EXPECT_EQ(got.size(), 1u);
  EXPECT_TRUE(got.contains("ok"));

  auto unknown = RunProcess({Binary(), "check", "-c", cfg, "nope"});
  EXPECT_EQ(unknown.code, 2);
  EXPECT_NE(unknown.err.find("no monitor named \"nope\""), std::string::npos) << unknown.err;
}

TEST_F(CheckTest, TableOutputListsEveryMonitor) {
  auto r = RunProcess({Binary(), "check", "-c",
                WriteConfig({{"openai_images", "ok"}, {"openai_images", "quota"}})});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.out.find("MONITOR"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("quota_exhausted"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("png 1024x768"), std::string::npos) << r.out;
}

TEST_F(CheckTest, TableHasACostColumnAndSaysNoPriceWhereUnknown) {
  // "ok" has no price entry; "jpeg" costs its cost_per_call.
  std::string path = dir_ + "/cost.yaml";
  WriteFile(path, "providers:\n  sim-openai: {base_url: \"" + Base() +
                      "/v1\", api_key: sk-test-secret-0123456789}\nstorage: {sqlite: \"" + dir_ +
                      "/mw.db\"}\nmonitors:\n"
                      "  - {name: unpriced, kind: openai_images, provider: sim-openai, model: ok}\n"
                      "  - {name: priced, kind: openai_images, provider: sim-openai, model: jpeg, "
                      "cost_per_call: 0.05}\n");
  auto r = RunProcess({Binary(), "check", "-c", path});
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  size_t table = r.out.find("MONITOR");
  ASSERT_NE(table, std::string::npos) << r.out;
  std::string rows = r.out.substr(table);
  EXPECT_NE(rows.find("COST"), std::string::npos) << rows;
  EXPECT_NE(rows.find("$0.0500"), std::string::npos) << rows;
  EXPECT_NE(rows.find("no price"), std::string::npos) << rows;
}

TEST_F(CheckTest, OnATerminalShowsLiveProgressThenTheTable) {
  // script(1) gives the command a pseudo-terminal, as a person's shell would.
  std::string cmd = Binary() + " check -c " +
                    WriteConfig({{"openai_images", "ok"}, {"openai_images", "hang"}});
  auto r = RunProcess({"/usr/bin/script", "-qec", cmd, "/dev/null"});
  EXPECT_EQ(r.code, 1) << r.out << r.err;  // hang times out
  EXPECT_NE(r.out.find("running"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\x1b["), std::string::npos) << r.out;  // redrawn in place
  EXPECT_NE(r.out.find("MONITOR"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("timeout"), std::string::npos) << r.out;
}

TEST_F(CheckTest, StrictMakesARateLimitedRunFail) {
  std::string cfg = WriteConfig({{"openai_images", "ok"}, {"openai_images", "rate_limit"}});
  EXPECT_EQ(RunProcess({Binary(), "check", "-c", cfg, "--json"}).code, 0);
  auto strict = RunProcess({Binary(), "check", "-c", cfg, "--json", "--strict"});
  EXPECT_EQ(strict.code, 1) << strict.err;
}

TEST_F(CheckTest, InterruptPrintsTheFinishedResultsAndNamesTheRest) {
  std::string cfg = WriteConfig({{"openai_images", "ok"}, {"openai_images", "hang"}});
  std::ifstream in(cfg);
  std::string yaml((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  for (size_t at; (at = yaml.find("timeout: 1s")) != std::string::npos;) {
    yaml.replace(at, 11, "timeout: 30s");
  }
  WriteFile(cfg, yaml);
  testing::Subprocess p({Binary(), "check", "-c", cfg});
  // Both requests reached the simulator: "ok" is answered within 250 ms and
  // "hang" never is. The interrupt comes well after the first answer, counted
  // from the requests, not from the start (a slow start, as under the
  // sanitizers, must not leave "ok" unfinished).
  ASSERT_TRUE(testing::WaitFor([&] { return server_->total_requests() >= 2; },
                               std::chrono::seconds(30)));
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  p.Signal(SIGINT);
  EXPECT_EQ(p.Wait(std::chrono::seconds(5)), 130) << p.out() << p.err();
  EXPECT_NE(p.out().find("MONITOR"), std::string::npos) << p.out();
  EXPECT_NE(p.out().find("png 1024x768"), std::string::npos) << p.out();  // "ok" finished
  EXPECT_NE(p.err().find("interrupted: 1 of 2 checks finished; not finished: hang"),
            std::string::npos)
      << p.err();
}

TEST_F(CheckTest, BadConfigExitsTwoWithFileLineCol) {
  std::string path = dir_ + "/bad.yaml";
  WriteFile(path, "monitors:\n  - name: x\n    kind: openai_images\n    intervall: 5m\n");
  auto r = RunProcess({Binary(), "check", "-c", path});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find(path + ":4:5"), std::string::npos) << r.err;
}

TEST_F(CheckTest, HttpKindEvaluatesConditions) {
  std::string yaml = "monitors:\n"
                     "  - name: models-up\n    kind: http\n    url: \"" + Base() +
                     "/api/v1/models\"\n    conditions: [\"status == 200\", \"latency < 5s\", "
                     "\"body.data[0].id exists\"]\n"
                     "  - name: models-wrong\n    kind: http\n    url: \"" + Base() +
                     "/api/v1/models\"\n    conditions: [\"status == 201\"]\n"
                     "storage: {sqlite: \"" + dir_ + "/mw.db\"}\n";
  std::string path = dir_ + "/http.yaml";
  WriteFile(path, yaml);
  auto r = RunProcess({Binary(), "check", "-c", path, "--json"});
  EXPECT_EQ(r.code, 1) << r.err;
  auto got = ParseLines(r.out);
  EXPECT_EQ(got.at("models-up")["status"], "success") << r.out;
  EXPECT_EQ(got.at("models-wrong")["status"], "invalid_response") << r.out;
  EXPECT_NE(got.at("models-wrong")["error"].get<std::string>().find("status == 201"),
            std::string::npos);
}

}  // namespace
}  // namespace modelwatch
