// Engine::OnOfficialIncident, Engine::OnModelLifecycle and the diagnosis hook.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "alert/detection_lead.h"
#include "alert/engine.h"
#include "alert/test_harness.h"

namespace modelwatch::alert {
namespace {

using std::chrono::days;
using std::chrono::minutes;
using testing::Base;
using testing::Harness;
using S = CheckStatus;

const std::string kConfig = R"(alerts:
  consecutive_failures: 3
  cooldown: 30m
  group_wait: 0s
  levels:
    warning:  {triggers: [timeout], channels: [slack]}
    critical: {triggers: [server_error, model_not_found], channels: [slack, email]}
monitors:
  - name: nbp
    kind: http
    url: https://nbp.example.com
    interval: 1m
    labels: {provider: google}
)";

WallTime At(int m) { return Base() + minutes(m); }

source::Incident MakeIncident(int started_minute, std::string id = "gcp-1") {
  source::Incident i;
  i.id = std::move(id);
  i.title = "Vertex Gemini API elevated error rates";
  i.severity = "high";
  i.link = "https://status.cloud.google.com/incidents/gcp-1";
  i.started = At(started_minute);
  return i;
}

void Fail(Harness& h, int from, int count, S status = S::kServerError) {
  for (int i = 0; i < count; ++i) {
    h.Check("nbp", status, At(from + i));
  }
}

std::vector<std::string> Kinds(const Harness& h) {
  std::vector<std::string> out;
  for (const auto& s : h.sent()) {
    for (const AlertItem& a : s.n.items) {
      out.push_back(fmt::format("{}/{}", a.rule, ToString(a.event)));
    }
  }
  return out;
}

// The harness takes changes only from its own calls; these go through the
// engine directly and are fed back the way the wiring commits them.
class Official : public ::testing::Test {
 protected:
  Official() : h_(kConfig) {}
  void Poll(const source::Incident& i, WallTime now) {
    changes_.push_back(h_.engine().OnOfficialIncident("nbp", "gcp-vertex", i, h_.states(), now));
  }
  void Lifecycle(const source::ModelListing& l, WallTime now) {
    changes_.push_back(h_.engine().OnModelLifecycle("nbp", l, h_.states(), now));
  }
  std::vector<Notification> Messages() const {
    std::vector<Notification> out;
    std::set<std::string> seen;
    for (const auto& c : changes_) {
      for (const auto& m : c.messages) {
        if (seen.insert(m.payload).second) {
          out.push_back(*NotificationFromJson(m.payload));
        }
      }
    }
    return out;
  }
  std::vector<store::AlertEvent> Events() const {
    std::vector<store::AlertEvent> out;
    for (const auto& c : changes_) {
      out.insert(out.end(), c.events.begin(), c.events.end());
    }
    return out;
  }
  Harness h_;
  std::vector<store::AlertChange> changes_;
};

TEST_F(Official, IncidentOnAFiringAlertSendsOneFollowUpNotAFiring) {
  Fail(h_, 0, 3);
  ASSERT_EQ(Kinds(h_), (std::vector<std::string>{"consecutive_failures/firing"}));
  Poll(MakeIncident(2), At(4));  // opened at minute 2
  std::vector<Notification> sent = Messages();
  ASSERT_EQ(sent.size(), 1u);
  ASSERT_EQ(sent[0].items.size(), 1u);
  const AlertItem& a = sent[0].items[0];
  EXPECT_EQ(a.event, AlertEventKind::kFollowUp);
  EXPECT_EQ(a.rule, "consecutive_failures");
  EXPECT_EQ(sent[0].level, AlertLevel::kCritical);
  EXPECT_NE(a.summary.find("Official incident confirmed on gcp-vertex: Vertex Gemini API "
                           "elevated error rates (high, since 2026-12-01 00:02 UTC)"),
            std::string::npos)
      << a.summary;
  EXPECT_NE(a.summary.find("our probes saw it 2 min earlier"), std::string::npos) << a.summary;
  EXPECT_NE(a.summary.find("https://status.cloud.google.com/incidents/gcp-1"), std::string::npos);
  EXPECT_EQ(changes_[0].messages.size(), 2u);  // slack and email, the critical channels
}

TEST_F(Official, TheSameIncidentPolledAgainIsNotFollowedUpTwice) {
  Fail(h_, 0, 3);
  Poll(MakeIncident(2), At(4));
  Poll(MakeIncident(2), At(5));
  Poll(MakeIncident(2), At(6));
  EXPECT_EQ(Messages().size(), 1u);
}

TEST_F(Official, ASecondIncidentGetsItsOwnFollowUp) {
  Fail(h_, 0, 3);
  Poll(MakeIncident(2, "a"), At(4));
  Poll(MakeIncident(3, "b"), At(5));
  EXPECT_EQ(Messages().size(), 2u);
}

TEST_F(Official, NoFollowUpWhenNothingIsFiring) {
  Fail(h_, 0, 2);
  Poll(MakeIncident(1), At(2));
  EXPECT_TRUE(Messages().empty());
}

TEST_F(Official, AResolvedIncidentChangesNothing) {
  Fail(h_, 0, 3);
  source::Incident i = MakeIncident(2);
  i.ended = At(3);
  Poll(i, At(4));
  EXPECT_TRUE(Messages().empty());
  EXPECT_TRUE(Events().empty());
}

TEST_F(Official, DetectionLeadIsRecordedWhenProbesFailedFirst) {
  Fail(h_, 0, 2);  // failing since minute 0, not yet firing
  Poll(MakeIncident(14), At(15));
  std::vector<store::AlertEvent> events = Events();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].rule, kDetectionLead);
  EXPECT_EQ(events[0].kind, "follow_up");
  auto lead = ParseDetectionLead(events[0]);
  ASSERT_TRUE(lead.has_value()) << events[0].message;
  EXPECT_EQ(lead->lead_minutes, 14);
  EXPECT_EQ(lead->monitor, "nbp");
  EXPECT_EQ(lead->source, "gcp-vertex");
  EXPECT_EQ(lead->incident, "Vertex Gemini API elevated error rates");
  EXPECT_EQ(lead->link, "https://status.cloud.google.com/incidents/gcp-1");
  EXPECT_EQ(lead->opened, At(14));
  Poll(MakeIncident(14), At(16));
  EXPECT_EQ(Events().size(), 1u);  // once per incident
}

TEST_F(Official, NoLeadWhileTheMonitorIsUp) {
  h_.Check("nbp", S::kSuccess, At(0));
  Poll(MakeIncident(1), At(2));
  EXPECT_TRUE(Events().empty());
}

TEST_F(Official, FollowUpsAreHeldInASilence) {
  Fail(h_, 0, 3);
  store::Silence s;
  s.monitor = "nbp";
  s.starts = At(0);
  s.ends = At(60);
  h_.SetSilences({s});
  Poll(MakeIncident(2), At(4));
  EXPECT_TRUE(Messages().empty());
  bool recorded = false;
  for (const auto& e : Events()) {
    recorded = recorded || (e.kind == "follow_up" && e.silenced && e.rule != kDetectionLead);
  }
  EXPECT_TRUE(recorded);
}

TEST_F(Official, DiagnosisHookFillsTheFiringNotice) {
  std::vector<FailureFacts> asked;
  h_.engine().SetDiagnosisHook(
      [&](const std::string& monitor, const FailureFacts& f, std::string_view language) {
        EXPECT_EQ(monitor, "nbp");
        EXPECT_EQ(language, "en");
        asked.push_back(f);
        return std::string("Official status is normal: check your side");
      });
  Fail(h_, 0, 3, S::kModelNotFound);
  ASSERT_EQ(h_.sent().size(), 1u);
  const AlertItem& a = h_.sent()[0].n.items[0];
  EXPECT_EQ(a.diagnosis, "Official status is normal: check your side");
  ASSERT_FALSE(asked.empty());
  EXPECT_EQ(asked.back().status, S::kModelNotFound);
  EXPECT_EQ(asked.back().failing_since, At(0));
  EXPECT_EQ(h_.sent()[0].n.level, AlertLevel::kCritical);
}

TEST_F(Official, ModelNotFoundRoutesCriticalWithItsAction) {
  Fail(h_, 0, 3, S::kModelNotFound);
  ASSERT_EQ(h_.sent().size(), 1u);
  const AlertItem& a = h_.sent()[0].n.items[0];
  ASSERT_FALSE(a.actions.empty());
  EXPECT_NE(a.actions[0].find("retired or renamed: update the monitor's model"), std::string::npos);
}

TEST_F(Official, LifecycleWarningsGoOutOncePerThreshold) {
  const WallTime shutdown = Base() + days(40);
  source::ModelListing l{"gemini-3-pro-image", true, shutdown, ""};
  Lifecycle(l, shutdown - days(35));  // nothing yet
  Lifecycle(l, shutdown - days(30));  // 30
  Lifecycle(l, shutdown - days(29));  // still 30: not again
  Lifecycle(l, shutdown - days(6));   // 7
  Lifecycle(l, shutdown - days(5));
  Lifecycle(l, shutdown - minutes(30));  // 1
  Lifecycle(l, shutdown + days(2));
  std::vector<Notification> sent = Messages();
  ASSERT_EQ(sent.size(), 3u);
  for (const Notification& n : sent) {
    EXPECT_EQ(n.level, AlertLevel::kWarning);
    ASSERT_EQ(n.items.size(), 1u);
    EXPECT_EQ(n.items[0].rule, kModelLifecycle);
  }
  EXPECT_NE(sent[0].items[0].summary.find("shuts down in 30 days"), std::string::npos)
      << sent[0].items[0].summary;
  EXPECT_NE(sent[1].items[0].summary.find("in 6 days"), std::string::npos);
  EXPECT_NE(sent[2].items[0].summary.find("in 1 day ("), std::string::npos);
  EXPECT_EQ(changes_[1].messages.size(), 1u);  // slack, the warning level's channel
  EXPECT_EQ(changes_[1].messages[0].channel, "slack");
}

TEST_F(Official, FirstSeenAtFiveDaysSendsOnlyTheSevenDayWarning) {
  const WallTime shutdown = Base() + days(10);
  Lifecycle({"gemini-3-pro-image", true, shutdown, ""}, shutdown - days(5));
  std::vector<Notification> sent = Messages();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_NE(sent[0].items[0].summary.find("in 5 days"), std::string::npos);
}

TEST_F(Official, ADisappearedModelIsWarnedOnceUntilItComesBack) {
  source::ModelListing gone{"gemini-3-pro-image", false, std::nullopt, ""};
  source::ModelListing back{"gemini-3-pro-image", true, std::nullopt, ""};
  Lifecycle(gone, At(0));
  Lifecycle(gone, At(1440));
  EXPECT_EQ(Messages().size(), 1u);
  Lifecycle(back, At(2880));
  Lifecycle(gone, At(4320));
  EXPECT_EQ(Messages().size(), 2u);
  EXPECT_NE(Messages()[0].items[0].summary.find("no longer in its provider's model list"),
            std::string::npos);
}

TEST_F(Official, LifecycleStateSurvivesARestart) {
  const WallTime shutdown = Base() + days(40);
  source::ModelListing l{"gemini-3-pro-image", true, shutdown, ""};
  Lifecycle(l, shutdown - days(30));
  ASSERT_EQ(Messages().size(), 1u);
  // A new engine from the committed states, as after a restart.
  Engine again(h_.cfg(), h_.states());
  store::AlertChange c = again.OnModelLifecycle("nbp", l, h_.states(), shutdown - days(29));
  EXPECT_TRUE(c.messages.empty());
}

}  // namespace
}  // namespace modelwatch::alert
