// Runs every alert scenario of tests/scenarios/alerts/ through the Engine
// and compares the messages made with the ones the scenario expects.
//
// A scenario file:
//   description: text
//   config: |            a whole config file (alerts + monitors)
//   steps:               expanded into events and run in time order
//     - {at: 0m, every: 1m, monitors: [a, b], statuses: "5xx 5xx ok"}
//     - {at: 3m, canary: https://c1.example, ok: false}
//     - {at: 9m, silence: a, for: 1h}
//     - {at: 10m, restart: true}
//   end: 2h              the engine is ticked until then
//   run: {...}           only for the daemon run (tests/alert_scenario_run_test.cpp;
//                        tests/scenarios/alerts/README.md)
//   expect:              every message, in order
//     - {monitor: a, rule: consecutive_failures, event: firing, level: critical,
//        channels: [log], items: 1, folded: [b]}
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "alert/scenario_nodes.h"
#include "alert/test_harness.h"
#include "config/yaml_edge.h"
#include "core/duration.h"

namespace modelwatch::alert {
namespace {

using config::Node;
using scenario::Dur;
using scenario::Strings;
using scenario::Text;
using testing::Base;
using testing::Harness;

std::optional<CheckStatus> Status(const std::string& token) {
  static const std::map<std::string, CheckStatus> kShort = {
      {"ok", CheckStatus::kSuccess},       {"slow", CheckStatus::kDegraded},
      {"429", CheckStatus::kRateLimited},  {"quota", CheckStatus::kQuotaExhausted},
      {"auth", CheckStatus::kAuthError},   {"4xx", CheckStatus::kClientError},
      {"5xx", CheckStatus::kServerError},  {"timeout", CheckStatus::kTimeout},
      {"net", CheckStatus::kNetworkError}, {"invalid", CheckStatus::kInvalidResponse}};
  if (auto it = kShort.find(token); it != kShort.end()) {
    return it->second;
  }
  return ParseCheckStatus(token);
}

struct Event {
  WallTime at;
  std::function<void(Harness&)> run;
};

std::string Describe(const testing::Sent& s) {
  const AlertItem& a = s.n.items.at(0);
  return fmt::format(
      "{{monitor: {}, rule: {}, event: {}, level: {}, channels: [{}], items: {}, "
      "folded: [{}]}}",
      a.monitor, a.rule, ToString(a.event), ToString(s.n.level), fmt::join(s.channels, ", "),
      s.n.items.size(), fmt::join(a.folded, ", "));
}

void RunScenario(const std::filesystem::path& path) {
  SCOPED_TRACE(path.filename().string());
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  Result<Node> root = config::ParseYaml(text.str(), path.string());
  ASSERT_TRUE(root.has_value()) << root.error().message();
  ASSERT_NE(root->Find("config"), nullptr);
  Harness h(root->Find("config")->value);

  std::vector<Event> events;
  if (const Node* steps = root->Find("steps")) {
    for (const Node& step : steps->items) {
      WallTime at = Base() + Dur(step.Find("at"));
      if (const Node* st = step.Find("statuses")) {
        std::vector<std::string> monitors = Strings(step.Find("monitors"));
        if (monitors.empty()) {
          monitors = Strings(step.Find("monitor"));
        }
        std::chrono::milliseconds every = Dur(step.Find("every"));
        std::istringstream tokens(st->value);
        int i = 0;
        for (std::string tok; tokens >> tok; ++i) {
          std::optional<CheckStatus> s = Status(tok);
          ASSERT_TRUE(s.has_value()) << st->mark.ToString() << ": unknown status " << tok;
          for (size_t m = 0; m < monitors.size(); ++m) {
            // Monitors of one step answer a second apart, in the order listed.
            WallTime t = at + every * i + std::chrono::seconds(m);
            events.push_back({t, [t, mon = monitors[m], s = *s](Harness& h) {
                                h.Check(mon, s, t, "scenario error");
                              }});
          }
        }
      } else if (const Node* c = step.Find("canary")) {
        bool ok = Text(step, "ok") == "true";
        events.push_back({at, [at, url = c->value, ok](Harness& h) { h.Canary(url, ok, at); }});
      } else if (const Node* s = step.Find("silence")) {
        store::Silence sil;
        sil.monitor = s->value;
        sil.starts = at;
        sil.ends = at + Dur(step.Find("for"));
        events.push_back({at, [sil](Harness& h) { h.SetSilences({sil}); }});
      } else if (step.Find("restart") != nullptr) {
        events.push_back({at, [](Harness& h) { h.Restart(); }});
      } else {
        ADD_FAILURE() << step.mark.ToString() << ": unknown step";
      }
    }
  }
  std::stable_sort(events.begin(), events.end(),
                   [](const Event& a, const Event& b) { return a.at < b.at; });
  for (const Event& e : events) {
    e.run(h);
  }
  h.RunUntil(Base() + Dur(root->Find("end")));

  EXPECT_EQ(h.duplicates(), 0);
  std::vector<std::string> got;
  for (const testing::Sent& s : h.sent()) {
    got.push_back(Describe(s));
  }
  std::vector<std::string> want;
  if (const Node* expect = root->Find("expect")) {
    for (const Node& e : expect->items) {
      std::string items = Text(e, "items");
      want.push_back(
          fmt::format("{{monitor: {}, rule: {}, event: {}, level: {}, channels: [{}], items: {}, "
                      "folded: [{}]}}",
                      Text(e, "monitor"), Text(e, "rule"), Text(e, "event"), Text(e, "level"),
                      fmt::join(Strings(e.Find("channels")), ", "), items.empty() ? "1" : items,
                      fmt::join(Strings(e.Find("folded")), ", ")));
    }
  }
  EXPECT_EQ(got, want) << "got:\n  " << fmt::format("{}", fmt::join(got, "\n  "));
}

TEST(AlertScenarios, EveryScenarioMakesExactlyTheExpectedMessages) {
  const std::filesystem::path dir =
      std::filesystem::path(MODELWATCH_SOURCE_DIR) / "tests/scenarios/alerts";
  std::vector<std::filesystem::path> files = scenario::Files(dir);
  EXPECT_GE(files.size(), 11u);
  for (const auto& f : files) {
    RunScenario(f);
  }
}

}  // namespace
}  // namespace modelwatch::alert
