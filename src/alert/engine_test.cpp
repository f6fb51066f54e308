// The engine's rules, one behaviour per test, with plain data and injected times.
#include "alert/engine.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <chrono>
#include <set>

#include "alert/rules.h"
#include "alert/test_harness.h"

namespace modelwatch::alert {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using testing::Base;
using testing::Harness;
using S = CheckStatus;

constexpr const char* kLevels = R"(
  levels:
    info:     {triggers: [rate_limited], channels: [log]}
    warning:  {triggers: [timeout, degraded], channels: [feishu, slack]}
    critical: {triggers: [server_error, network_error, auth_error, quota_exhausted, client_error, invalid_response], channels: [feishu, wecom, slack, email]}
)";

// `n` http monitors m0..m{n-1} at 1m, all of provider google; `alerts` are
// extra keys of the alerts section, `extra` extra keys of every monitor.
std::string Config(const std::string& alerts, int n = 1, const std::string& extra = "") {
  std::string y = "alerts:\n" + std::string(kLevels) + alerts;
  for (const char* key : {"consecutive_failures: 3", "cooldown: 30m", "group_wait: 0s"}) {
    std::string k(key);
    if (alerts.find(k.substr(0, k.find(':') + 1)) == std::string::npos) {
      y += "  " + k + "\n";
    }
  }
  y += "monitors:\n";
  for (int i = 0; i < n; ++i) {
    y += fmt::format(
        "  - name: m{}\n    kind: http\n    url: https://m{}.example.com\n    interval: 1m\n"
        "    labels: {{provider: google}}\n{}",
        i, i, extra);
  }
  return y;
}

WallTime At(minutes m) { return Base() + m; }

// Feeds `statuses` to monitor m0, one a minute from minute 0.
void Feed(Harness& h, const std::vector<S>& statuses, const std::string& monitor = "m0",
          int from = 0) {
  for (size_t i = 0; i < statuses.size(); ++i) {
    h.Check(monitor, statuses[i], At(minutes(from + static_cast<int>(i))));
  }
}

std::vector<std::string> Kinds(const Harness& h) {
  std::vector<std::string> out;
  for (const auto& s : h.sent()) {
    for (const AlertItem& a : s.n.items) {
      out.push_back(fmt::format("{}/{}/{}", a.monitor, a.rule, ToString(a.event)));
    }
  }
  return out;
}

struct StreakCase {
  const char* name;
  std::vector<S> statuses;
  std::vector<std::string> expected;
};

TEST(Engine, ConsecutiveFailuresFireAndResolveExactlyWhenTheyShould) {
  const std::string fire = "m0/consecutive_failures/firing";
  const std::string resolve = "m0/consecutive_failures/resolved";
  const StreakCase cases[] = {
      {"two failures: nothing", {S::kServerError, S::kServerError, S::kSuccess}, {}},
      {"third failure fires", {S::kServerError, S::kServerError, S::kServerError}, {fire}},
      {"one success does not resolve",
       {S::kServerError, S::kServerError, S::kServerError, S::kSuccess},
       {fire}},
      {"two successes resolve",
       {S::kServerError, S::kServerError, S::kServerError, S::kSuccess, S::kSuccess},
       {fire, resolve}},
      {"rate_limited neither counts nor resets",
       {S::kServerError, S::kRateLimited, S::kServerError, S::kRateLimited, S::kServerError},
       {fire}},
      {"rate_limited does not resolve",
       {S::kTimeout, S::kTimeout, S::kTimeout, S::kRateLimited, S::kRateLimited, S::kRateLimited},
       {fire}},
      {"single blips: none",
       {S::kServerError, S::kSuccess, S::kSuccess, S::kSuccess, S::kSuccess, S::kTimeout,
        S::kSuccess, S::kSuccess, S::kSuccess, S::kSuccess, S::kNetworkError, S::kSuccess},
       {}},
      {"a rate-limit storm: none", std::vector<S>(30, S::kRateLimited), {}},
  };
  for (const StreakCase& c : cases) {
    Harness h(Config(""));
    Feed(h, c.statuses);
    EXPECT_EQ(Kinds(h), c.expected) << c.name;
  }
}

TEST(Engine, ResolvedNoticeSaysHowLongItWasDown) {
  Harness h(Config(""));
  Feed(h, {S::kServerError, S::kServerError, S::kServerError, S::kServerError, S::kSuccess,
           S::kSuccess});
  ASSERT_EQ(h.sent().size(), 2u);
  const AlertItem& a = h.sent()[1].n.items[0];
  EXPECT_EQ(a.event, AlertEventKind::kResolved);
  EXPECT_EQ(a.down_for, minutes(3));  // fired at minute 2, resolved at minute 5
  EXPECT_NE(a.summary.find("3m"), std::string::npos) << a.summary;
}

TEST(Engine, LevelComesFromTheTriggersAndRoutesToItsChannels) {
  struct Case {
    S status;
    AlertLevel level;
    std::vector<std::string> channels;
  };
  const Case cases[] = {
      {S::kServerError, AlertLevel::kCritical, {"feishu", "wecom", "slack", "email"}},
      {S::kTimeout, AlertLevel::kWarning, {"feishu", "slack"}},
      {S::kQuotaExhausted, AlertLevel::kCritical, {"feishu", "wecom", "slack", "email"}},
  };
  for (const Case& c : cases) {
    Harness h(Config(""));
    Feed(h, {c.status, c.status, c.status});
    ASSERT_EQ(h.sent().size(), 1u) << ToString(c.status);
    EXPECT_EQ(h.sent()[0].n.level, c.level) << ToString(c.status);
    EXPECT_EQ(h.sent()[0].channels, c.channels) << ToString(c.status);
  }
}

TEST(Engine, QuotaExhaustedIsCriticalWithBillingAdvice) {
  Harness h(Config(""));
  Feed(h, {S::kQuotaExhausted, S::kQuotaExhausted, S::kQuotaExhausted});
  ASSERT_EQ(h.sent().size(), 1u);
  const AlertItem& a = h.sent()[0].n.items[0];
  EXPECT_EQ(a.level, AlertLevel::kCritical);
  EXPECT_EQ(a.status, S::kQuotaExhausted);
  ASSERT_FALSE(a.actions.empty());
  EXPECT_NE(a.actions[0].find("billing and quota"), std::string::npos) << a.actions[0];
}

TEST(Engine, EveryItemCarriesWhatAPersonNeeds) {
  Harness h(Config("", 1, "    status_pages: [https://status.example.com]\n"));
  CheckResult r;
  for (int i = 0; i < 3; ++i) {
    h.Check("m0", S::kServerError, At(minutes(i)), "upstream overloaded");
  }
  ASSERT_EQ(h.sent().size(), 1u);
  const AlertItem& a = h.sent()[0].n.items[0];
  EXPECT_EQ(a.monitor, "m0");
  EXPECT_EQ(a.provider, "google");
  EXPECT_EQ(a.rule, "consecutive_failures");
  EXPECT_EQ(a.error, "upstream overloaded");
  EXPECT_EQ(a.http_status, 503);
  EXPECT_EQ(a.consecutive_failures, 3);
  EXPECT_EQ(a.since, At(minutes(2)));
  EXPECT_EQ(a.status_pages, std::vector<std::string>{"https://status.example.com"});
  EXPECT_NE(a.actions[0].find("status page"), std::string::npos);
  EXPECT_EQ(h.sent()[0].n.title, "[CRITICAL] m0 firing: 3 failures in a row (server_error)");
}

TEST(Engine, NetworkErrorAdviceNamesTheFailingPhase) {
  Harness h(Config(""));
  for (int i = 0; i < 3; ++i) {
    h.Check("m0", S::kNetworkError, At(minutes(i)), "Could not resolve host: m0.example.com");
  }
  ASSERT_EQ(h.sent().size(), 1u);
  EXPECT_NE(h.sent()[0].n.items[0].actions[0].find("DNS"), std::string::npos);
}

TEST(Engine, RepeatsNoSoonerThanTheCooldown) {
  Harness h(Config(""));
  for (int i = 0; i < 70; ++i) {
    h.Check("m0", S::kServerError, At(minutes(i)));
  }
  // Fired at minute 2, repeated at 32 and 62.
  EXPECT_EQ(Kinds(h), (std::vector<std::string>{"m0/consecutive_failures/firing",
                                                "m0/consecutive_failures/repeat",
                                                "m0/consecutive_failures/repeat"}));
  EXPECT_EQ(h.sent()[1].n.created, At(minutes(32)));
  EXPECT_EQ(h.sent()[2].n.created, At(minutes(62)));
}

TEST(Engine, RepeatComesFromTickWithoutNewResults) {
  Harness h(Config(""));
  Feed(h, {S::kServerError, S::kServerError, S::kServerError});
  EXPECT_EQ(h.engine().NextTick(), At(minutes(32)));
  h.RunUntil(At(minutes(40)));
  EXPECT_EQ(Kinds(h).back(), "m0/consecutive_failures/repeat");
}

TEST(Engine, BrownOutFiresOnFailureRate) {
  Harness h(Config("  failure_rate: {window: 10m, above: 25%, min_checks: 5}\n"));
  // 30 % failing, never three in a row.
  const std::vector<S> pattern = {S::kSuccess,     S::kServerError, S::kSuccess, S::kSuccess,
                                  S::kServerError, S::kSuccess,     S::kSuccess, S::kServerError,
                                  S::kSuccess,     S::kSuccess};
  Feed(h, pattern);
  EXPECT_EQ(Kinds(h), std::vector<std::string>{"m0/failure_rate/firing"});
}

TEST(Engine, FailureRateNeedsMinChecks) {
  Harness h(
      Config("  consecutive_failures: off\n  failure_rate: {window: 10m, above: 50%, "
             "min_checks: 5}\n"));
  Feed(h, {S::kServerError, S::kServerError, S::kServerError, S::kServerError});
  EXPECT_TRUE(h.sent().empty());
  h.Check("m0", S::kServerError, At(minutes(4)));
  EXPECT_EQ(Kinds(h), std::vector<std::string>{"m0/failure_rate/firing"});
}

TEST(Engine, FiveMonitorsWithinGroupWaitMakeOneMessagePerChannel) {
  Harness h(Config("  group_wait: 30s\n", 5));
  for (int i = 0; i < 3; ++i) {
    for (int m = 0; m < 5; ++m) {
      h.Check(fmt::format("m{}", m), S::kServerError, At(minutes(i)) + std::chrono::seconds(m * 5));
    }
  }
  EXPECT_TRUE(h.sent().empty());  // still waiting
  h.RunUntil(At(minutes(3)));
  ASSERT_EQ(h.sent().size(), 1u);
  EXPECT_EQ(h.sent()[0].n.items.size(), 5u);
  EXPECT_EQ(h.sent()[0].n.group, "provider=google");
  EXPECT_EQ(h.sent()[0].channels.size(), 4u);
  EXPECT_EQ(h.sent()[0].n.created, At(minutes(2)) + std::chrono::seconds(30));
}

TEST(Engine, GroupWaitZeroSendsInTheSameCall) {
  Harness h(Config(""));
  Feed(h, {S::kServerError, S::kServerError, S::kServerError});
  ASSERT_EQ(h.sent().size(), 1u);
  EXPECT_EQ(h.sent()[0].n.created, At(minutes(2)));
}

// A provider-wide outage: 2,000 monitors of 10 providers fail within a
// second. Nothing goes out before group_wait; at group_wait every alert is
// handed over at once, one message per provider. Driven as the wiring does
// (one OnResult per result, Tick when NextTick is due), not by the harness,
// whose NextTick before every result is itself a scan of every monitor.
TEST(Engine, OutageOfTwoThousandMonitorsIsHandedOverAtGroupWaitOnePerProvider) {
  constexpr int kMonitors = 2000;
  std::string y =
      "alerts:\n  consecutive_failures: 1\n  group_wait: 2s\n  levels:\n"
      "    critical: {triggers: [server_error], channels: [log]}\nmonitors:\n";
  for (int i = 0; i < kMonitors; ++i) {
    y += fmt::format(
        "  - {{name: m{}, kind: http, url: \"https://m{}.example.com\", interval: 1m, labels: "
        "{{provider: p{}}}}}\n",
        i, i, i % 10);
  }
  Result<config::Config> cfg = config::LoadFromString(y, "cfg.yaml");
  ASSERT_TRUE(cfg.has_value()) << cfg.error().message();
  States states;
  Engine engine(*cfg, states);

  size_t early = 0;
  for (int i = 0; i < kMonitors; ++i) {
    CheckResult r;
    r.monitor = fmt::format("m{}", i);
    r.status = S::kServerError;
    r.http_status = 503;
    r.timestamp = Base() + std::chrono::microseconds(i * 400);  // within 0.8 s
    early += engine.OnResult(r, states, r.timestamp).messages.size();
  }
  EXPECT_EQ(early, 0u);
  // What each result costs (its own monitor's work, not a scan of every
  // monitor) is measured by bench/alert_latency.cpp's outage, not here.

  // Every group goes out group_wait after its first result, none sooner.
  const WallTime last = Base() + std::chrono::microseconds((kMonitors - 1) * 400);
  ASSERT_TRUE(engine.NextTick().has_value());
  EXPECT_EQ(*engine.NextTick(), Base() + std::chrono::seconds(2));
  EXPECT_TRUE(engine.Tick(states, Base() + std::chrono::milliseconds(1999)).messages.empty());
  std::vector<store::OutboxMessage> messages;
  for (std::optional<WallTime> next = engine.NextTick();
       next && *next <= last + std::chrono::seconds(2); next = engine.NextTick()) {
    WallTime t = *next;
    for (store::OutboxMessage& m : engine.Tick(states, t).messages) {
      EXPECT_LE(t, Base() + std::chrono::seconds(2) + std::chrono::milliseconds(4));
      messages.push_back(std::move(m));
    }
  }
  ASSERT_EQ(messages.size(), 10u);
  std::set<std::string> groups;
  size_t items = 0;
  for (const store::OutboxMessage& m : messages) {
    Result<Notification> n = NotificationFromJson(m.payload);
    ASSERT_TRUE(n.has_value());
    groups.insert(n->group);
    EXPECT_EQ(n->items.size(), static_cast<size_t>(kMonitors / 10)) << n->group;
    items += n->items.size();
  }
  EXPECT_EQ(groups.size(), 10u);
  EXPECT_EQ(items, static_cast<size_t>(kMonitors));
  // Next: the repeats, a cooldown later.
  ASSERT_TRUE(engine.NextTick().has_value());
  EXPECT_GT(*engine.NextTick(), last + std::chrono::minutes(1));
}

// The wiring's tick waits for the engine's next due time, not a fixed grid.
TEST(Engine, TickWaitsUntilNextTickBetweenOneMillisecondAndTheLongestWait) {
  const auto most = std::chrono::milliseconds(1000);
  EXPECT_EQ(UntilNextTick(std::nullopt, Base(), most), most);
  EXPECT_EQ(UntilNextTick(Base() - std::chrono::seconds(1), Base(), most),
            std::chrono::milliseconds(1));
  EXPECT_EQ(UntilNextTick(Base() + std::chrono::microseconds(2500), Base(), most),
            std::chrono::milliseconds(3));
  EXPECT_EQ(UntilNextTick(Base() + std::chrono::seconds(30), Base(), most), most);
}

// A result that opens a group says so at once (NextDue, O(1)), so the
// wiring's tick, armed for later while nothing was pending, is moved to the
// group's end instead of sending it up to a tick late.
TEST(Engine, ResultThatOpensAGroupReportsItsEndInNextDue) {
  Harness h(Config("  consecutive_failures: 1\n  group_wait: 300ms\n", 3));
  Engine& e = h.engine();
  const WallTime t0 = At(minutes(0));
  e.Tick(h.states(), t0);  // nothing pending
  EXPECT_FALSE(e.NextDue().has_value());
  CheckResult r;
  r.monitor = "m1";
  r.status = S::kServerError;
  r.timestamp = t0 + std::chrono::milliseconds(100);
  EXPECT_TRUE(e.OnResult(r, h.states(), r.timestamp).messages.empty());
  ASSERT_TRUE(e.NextDue().has_value());
  EXPECT_EQ(*e.NextDue(), t0 + std::chrono::milliseconds(400));
  EXPECT_EQ(e.NextTick(), e.NextDue());
  // A later result in the same group does not move it.
  r.monitor = "m2";
  r.timestamp = t0 + std::chrono::milliseconds(200);
  e.OnResult(r, h.states(), r.timestamp);
  EXPECT_EQ(*e.NextDue(), t0 + std::chrono::milliseconds(400));
}

// With group_wait 0 a result's alert goes out in the call that fired it,
// also among many monitors with nothing due (the quick path of one result).
TEST(Engine, GroupWaitZeroAmongManyMonitorsSendsEachAlertInItsOwnCall) {
  Harness h(Config("  consecutive_failures: 1\n", 50));
  for (int i = 0; i < 50; ++i) {
    h.Check(fmt::format("m{}", i), S::kServerError, At(minutes(0)) + std::chrono::seconds(i));
    ASSERT_EQ(h.sent().size(), static_cast<size_t>(i + 1));
    EXPECT_EQ(h.sent().back().n.items.at(0).monitor, fmt::format("m{}", i));
  }
}

TEST(Engine, FlappingGivesOneNoticeThenOneStable) {
  Harness h(Config(""));
  std::vector<S> flap;
  for (int i = 0; i < 8; ++i) {
    flap.insert(flap.end(),
                {S::kServerError, S::kServerError, S::kServerError, S::kSuccess, S::kSuccess});
  }
  flap.insert(flap.end(), 25, S::kSuccess);
  Feed(h, flap);
  std::vector<std::string> kinds = Kinds(h);
  EXPECT_EQ(std::count(kinds.begin(), kinds.end(), "m0/flapping/flapping"), 1);
  EXPECT_EQ(std::count(kinds.begin(), kinds.end(), "m0/flapping/stable"), 1);
  EXPECT_EQ(kinds.back(), "m0/flapping/stable");
  // Before flapping was known, at most the first cycles were told.
  EXPECT_LE(kinds.size(), 6u) << fmt::format("{}", fmt::join(kinds, ", "));
}

TEST(Engine, MaintenanceRecordsButDoesNotSend) {
  Harness h(
      Config("  maintenance:\n    - {start: \"07:30\", duration: 2h, every: daily, "
             "timezone: Asia/Shanghai}\n"));
  // Base() is 08:00 in Shanghai: inside the window.
  Feed(h, {S::kServerError, S::kServerError, S::kServerError});
  EXPECT_TRUE(h.sent().empty());
  ASSERT_FALSE(h.events().empty());
  EXPECT_EQ(h.events()[0].kind, "firing");
  EXPECT_TRUE(h.events()[0].silenced);
  // The window closes at 09:30 local (01:30Z); still firing, so it is told then.
  EXPECT_EQ(h.engine().NextTick(), Base() + minutes(90));
  h.RunUntil(Base() + minutes(90));
  EXPECT_EQ(Kinds(h), std::vector<std::string>{"m0/consecutive_failures/firing"});
}

TEST(Engine, SilenceRecordsButDoesNotSend) {
  Harness h(Config(""));
  store::Silence s;
  s.monitor = "m0";
  s.starts = Base();
  s.ends = Base() + hours(2);
  h.SetSilences({s});
  Feed(h, {S::kServerError, S::kServerError, S::kServerError, S::kSuccess, S::kSuccess});
  EXPECT_TRUE(h.sent().empty());
  ASSERT_EQ(h.events().size(), 2u);
  EXPECT_TRUE(h.events()[0].silenced);
  EXPECT_TRUE(h.events()[1].silenced);
}

TEST(Engine, SilenceOfAnotherRuleDoesNotHold) {
  Harness h(Config(""));
  store::Silence s;
  s.monitor = "m0";
  s.rule = "failure_rate";
  s.starts = Base();
  s.ends = Base() + hours(2);
  h.SetSilences({s});
  Feed(h, {S::kServerError, S::kServerError, S::kServerError});
  EXPECT_EQ(h.sent().size(), 1u);
}

TEST(Engine, AllCanariesDownGiveOneHostNoticeAndNoProviderAlerts) {
  Harness h(Config("  canaries: [https://c1.example.com, https://c2.example.com]\n", 3));
  h.Canary("https://c1.example.com", false, At(minutes(0)));
  EXPECT_FALSE(h.engine().HostNetworkDown());
  h.Canary("https://c2.example.com", false, At(minutes(0)));
  EXPECT_TRUE(h.engine().HostNetworkDown());
  for (int i = 0; i < 10; ++i) {
    for (int m = 0; m < 3; ++m) {
      h.Check(fmt::format("m{}", m), S::kNetworkError, At(minutes(i)));
    }
  }
  h.Canary("https://c1.example.com", true, At(minutes(10)));
  for (int m = 0; m < 3; ++m) {
    h.Check(fmt::format("m{}", m), S::kSuccess, At(minutes(11)));
  }
  EXPECT_EQ(Kinds(h), (std::vector<std::string>{"/host_network/host_network",
                                                "/host_network/host_network_ok"}));
}

TEST(Engine, ChildrenFoldIntoTheFailingParentsMessage) {
  std::string y = Config("  group_wait: 30s\n", 1);
  for (int i = 1; i <= 5; ++i) {
    y += fmt::format(
        "  - name: c{}\n    kind: http\n    url: https://c{}.example.com\n    interval: 1m\n"
        "    depends_on: m0\n    labels: {{provider: vendor{}}}\n",
        i, i, i);
  }
  Harness h(y);
  for (int t = 0; t < 5; ++t) {
    h.Check("m0", S::kServerError, At(minutes(t)));
    for (int i = 1; i <= 5; ++i) {
      h.Check(fmt::format("c{}", i), S::kServerError, At(minutes(t)) + std::chrono::seconds(i));
    }
  }
  ASSERT_EQ(h.sent().size(), 1u);
  ASSERT_EQ(h.sent()[0].n.items.size(), 1u);
  const AlertItem& a = h.sent()[0].n.items[0];
  EXPECT_EQ(a.monitor, "m0");
  EXPECT_EQ(a.folded, (std::vector<std::string>{"c1", "c2", "c3", "c4", "c5"}));
}

TEST(Engine, RestartMidIncidentNeitherDuplicatesNorLoses) {
  Harness h(Config("  group_wait: 30s\n", 2));
  for (int i = 0; i < 3; ++i) {
    h.Check("m0", S::kServerError, At(minutes(i)));
    h.Check("m1", S::kServerError, At(minutes(i)));
  }
  EXPECT_TRUE(h.sent().empty());  // pending in group_wait
  h.Restart();
  EXPECT_EQ(h.engine().NextTick(), At(minutes(2)) + std::chrono::seconds(30));
  h.RunUntil(At(minutes(3)));
  ASSERT_EQ(h.sent().size(), 1u);  // the pending group was still sent
  EXPECT_EQ(h.sent()[0].n.items.size(), 2u);
  h.Restart();
  for (int i = 3; i < 40; ++i) {
    h.Check("m0", S::kServerError, At(minutes(i)));
    h.Check("m1", S::kServerError, At(minutes(i)));
    if (i % 7 == 0) {
      h.Restart();
    }
  }
  EXPECT_EQ(h.duplicates(), 0);
  // Firing alerts kept firing across restarts: one firing, one repeat.
  ASSERT_EQ(h.sent().size(), 2u);
  EXPECT_EQ(h.sent()[1].n.items[0].event, AlertEventKind::kRepeat);
}

TEST(Engine, ChangeLostInACrashIsMadeAgainWithTheSameKeys) {
  Harness h(Config(""));
  Feed(h, {S::kServerError, S::kServerError, S::kServerError});
  ASSERT_EQ(h.sent().size(), 1u);
  const std::vector<std::string> keys = h.sent()[0].keys;
  h.DropLastChange();  // killed before the firing change (and its messages) was committed
  EXPECT_TRUE(h.sent().empty());
  h.Restart();
  h.Check("m0", S::kServerError, At(minutes(3)));
  EXPECT_EQ(h.duplicates(), 0);
  ASSERT_EQ(h.sent().size(), 1u);
  EXPECT_EQ(h.sent()[0].keys, keys);
}

TEST(Engine, MessagesReadInChinese) {
  Harness h(Config("  language: zh\n"));
  Feed(h, {S::kAuthError, S::kAuthError, S::kAuthError});
  ASSERT_EQ(h.sent().size(), 1u);
  const Notification& n = h.sent()[0].n;
  EXPECT_EQ(n.language, "zh");
  EXPECT_EQ(n.title, "[严重] m0 告警: 连续 3 次失败（auth_error）");
  EXPECT_NE(n.items[0].actions[0].find("API Key"), std::string::npos);
}

TEST(Engine, WindowRulesFireAtTheirLevels) {
  Harness h(Config(""));
  store::MonitorWindows w;
  w.monitor = "m0";
  store::WindowStats& hour = w.windows[0];
  hour.checks = 60;
  hour.successes = 60;
  hour.error_rate = 0;
  hour.latency = store::LatencyStats{.p95 = 41'000};
  hour.rate_limited = 0;
  w.windows[2].checks = 1440;
  w.windows[2].successes = 1440;
  w.windows[2].availability = 100;
  h.Windows({w}, At(minutes(0)));
  ASSERT_EQ(h.sent().size(), 1u);
  EXPECT_EQ(h.sent()[0].n.items[0].rule, "latency_p95");
  EXPECT_EQ(h.sent()[0].n.level, AlertLevel::kWarning);
  w.windows[0].latency->p95 = 12'000;
  w.windows[0].rate_limits_per_hour = 14;
  h.Windows({w}, At(minutes(1)));
  std::vector<std::string> kinds = Kinds(h);
  std::sort(kinds.begin(), kinds.end());
  EXPECT_EQ(kinds, (std::vector<std::string>{"m0/latency_p95/firing", "m0/latency_p95/resolved",
                                             "m0/rate_limits/firing"}));
  for (const auto& sent : h.sent()) {
    if (sent.n.items[0].rule == "rate_limits") {
      EXPECT_EQ(sent.n.level, AlertLevel::kInfo);
      EXPECT_EQ(sent.channels, std::vector<std::string>{"log"});
    }
  }
}

// The store's 1h and 24h windows of monitor m0 as the daemon reads them.
store::MonitorWindows HourAndDay(uint64_t hour_checks, uint64_t hour_failures, uint64_t day_checks,
                                 uint64_t day_failures) {
  store::MonitorWindows w;
  w.monitor = "m0";
  auto fill = [](store::WindowStats& s, uint64_t checks, uint64_t failures) {
    s.checks = checks;
    s.failures = failures;
    s.successes = checks - failures;
    s.availability = 100.0 * static_cast<double>(s.successes) / static_cast<double>(checks);
    s.error_rate = 100.0 * static_cast<double>(failures) / static_cast<double>(checks);
    s.latency = store::LatencyStats{.p95 = 9'000};
  };
  fill(w.windows[0], hour_checks, hour_failures);
  fill(w.windows[2], day_checks, day_failures);
  return w;
}

// 40 successes, a 20-minute outage, two successes: consecutive_failures
// fires at minute 42 and resolves at minute 61.
void Outage(Harness& h) {
  std::vector<S> statuses(40, S::kSuccess);
  statuses.insert(statuses.end(), 20, S::kServerError);
  statuses.insert(statuses.end(), 2, S::kSuccess);
  Feed(h, statuses);
}

TEST(Engine, AnOutageToldByAResultRuleIsNotToldAgainByTheWindows) {
  Harness h(Config(""));
  Outage(h);
  ASSERT_EQ(Kinds(h), (std::vector<std::string>{"m0/consecutive_failures/firing",
                                                "m0/consecutive_failures/resolved"}));
  h.Restart();  // the told outage is part of the stored state
  // Its 20 failures are 33 % of the last hour and put the day at 98.6 %.
  h.Windows({HourAndDay(60, 20, 1440, 20)}, At(minutes(62)));
  h.Windows({HourAndDay(60, 20, 1440, 20)}, At(minutes(63)));
  EXPECT_EQ(Kinds(h).size(), 2u) << fmt::format("{}", fmt::join(Kinds(h), ", "));
}

TEST(Engine, TheWindowsStillCountTheFailuresNoResultRuleTold) {
  Harness h(Config(""));
  Outage(h);
  // Five more failures in the hour, none of them told: 5 of 40 is 12.5 %.
  h.Windows({HourAndDay(60, 25, 1440, 25)}, At(minutes(62)));
  std::vector<std::string> kinds = Kinds(h);
  ASSERT_EQ(kinds.size(), 3u);
  EXPECT_EQ(kinds[2], "m0/error_rate/firing");
  EXPECT_EQ(h.sent()[2].n.items[0].summary,
            "error rate 12.5% over 1h (above 5%; not counting 20 failures already alerted on)");
}

TEST(Engine, ABrownOutToldByFailureRateIsNotToldAgainByTheWindows) {
  Harness h(Config("  failure_rate: {window: 10m, above: 25%, min_checks: 5}\n"));
  const std::vector<S> pattern = {S::kSuccess,     S::kServerError, S::kSuccess, S::kSuccess,
                                  S::kServerError, S::kSuccess,     S::kSuccess, S::kServerError,
                                  S::kSuccess,     S::kSuccess,     S::kSuccess, S::kSuccess};
  Feed(h, pattern);
  ASSERT_EQ(Kinds(h),
            (std::vector<std::string>{"m0/failure_rate/firing", "m0/failure_rate/resolved"}));
  // Its 3 failures and one more: 4 of 60 would be 6.7 %, 1 of 57 is 1.8 %.
  h.Windows({HourAndDay(60, 4, 1440, 4)}, At(minutes(12)));
  EXPECT_EQ(Kinds(h).size(), 2u) << fmt::format("{}", fmt::join(Kinds(h), ", "));
}

TEST(Engine, ByDefaultOneFailureAloneCannotFireARateRule) {
  Harness h(Config(""));
  // A 15-minute monitor's day: 96 checks, one failed (98.96 %); its hour: 4.
  // And a 5-minute monitor's hour: 12 checks, one failed (8.3 %).
  h.Windows({HourAndDay(12, 1, 96, 1)}, At(minutes(0)));
  EXPECT_TRUE(h.sent().empty()) << fmt::format("{}", fmt::join(Kinds(h), ", "));
  // Two failures in 100 checks are 98 %, below 99 % with one to spare.
  h.Windows({HourAndDay(12, 0, 100, 2)}, At(minutes(1)));
  EXPECT_EQ(Kinds(h), std::vector<std::string>{"m0/availability/firing"});
}

TEST(Engine, AWrittenMinChecksIsKeptEvenBelowTheDefault) {
  Harness h(Config("  availability: {window: 24h, min_checks: 10}\n"));
  h.Windows({HourAndDay(12, 0, 96, 1)}, At(minutes(0)));
  EXPECT_EQ(Kinds(h), std::vector<std::string>{"m0/availability/firing"});
}

TEST(Engine, DefaultMinChecksFollowTheBound) {
  using K = config::WindowRuleKind;
  config::WindowRule rule;
  EXPECT_EQ(MinChecks(K::kAvailability, rule, 99), 100);
  EXPECT_EQ(MinChecks(K::kAvailability, rule, 99.5), 200);
  EXPECT_EQ(MinChecks(K::kAvailability, rule, 95), 20);
  EXPECT_EQ(MinChecks(K::kAvailability, rule, 100), 10);  // every failure breaches
  EXPECT_EQ(MinChecks(K::kErrorRate, rule, 5), 20);
  EXPECT_EQ(MinChecks(K::kErrorRate, rule, 3), 34);
  EXPECT_EQ(MinChecks(K::kErrorRate, rule, 50), 10);
  EXPECT_EQ(MinChecks(K::kLatencyP95, rule, 30'000), 20);  // one slow answer is not the p95
  rule.min_checks = 3;
  EXPECT_EQ(MinChecks(K::kAvailability, rule, 99), 3);
}

TEST(Engine, AToldSpanTheWindowCutsCountsInProportion) {
  const WallTime t0 = At(minutes(0));
  std::vector<ToldSpan> told = {{t0, t0 + minutes(10), 10},
                                {t0 + minutes(20), t0 + minutes(20), 1}};
  EXPECT_EQ(ToldIn(told, hours(1), t0 + minutes(30)), 11);
  EXPECT_EQ(ToldIn(told, minutes(25), t0 + minutes(30)), 6);  // from minute 5
  EXPECT_EQ(ToldIn(told, minutes(5), t0 + minutes(30)), 0);
  EXPECT_EQ(ToldIn(told, hours(1), t0 + minutes(15)), 10);  // not yet the later one
  store::WindowStats s = HourAndDay(60, 20, 1440, 20).windows[0];
  store::WindowStats w = WithoutTold(s, 15);
  EXPECT_EQ(w.checks, 45u);
  EXPECT_EQ(w.failures, 5u);
  EXPECT_NEAR(*w.error_rate, 100.0 * 5 / 45, 1e-9);
  EXPECT_NEAR(*w.availability, 100.0 * 40 / 45, 1e-9);
  EXPECT_EQ(WithoutTold(s, 99).failures, 0u);  // never below none
}

TEST(Engine, FiringListsWhatFires) {
  Harness h(Config(""));
  Feed(h, {S::kServerError, S::kServerError, S::kServerError});
  std::vector<FiringAlert> f = h.engine().Firing();
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].monitor, "m0");
  EXPECT_EQ(f[0].rule, "consecutive_failures");
  EXPECT_FALSE(f[0].silenced);
}

}  // namespace
}  // namespace modelwatch::alert
