// The alert state as stored beside MonitorState: written and read back.
#include "alert/state.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/check_result.h"

namespace modelwatch::alert {
namespace {

using std::chrono::milliseconds;

WallTime At(int64_t ms) { return FromUnixMillis(ms); }

MonitorAlertState Full() {
  MonitorAlertState s;
  s.fails = 4;
  s.oks = 0;
  s.recent = {{At(1'000), false}, {At(61'000), true}, {At(121'000), true}};
  s.history = "uudd";
  s.flapping = true;
  s.last_failure = CheckStatus::kServerError;
  s.http_status = 503;
  s.error = "HTTP 503: \"upstream\" \\ down\n\ttab \x01 ctrl, 模型 ok";
  s.failing_phase = "tls";
  RuleState cf;
  cf.firing = true;
  cf.since = At(121'500);
  cf.seq = 3;
  cf.repeats = 1;
  cf.announced = true;
  cf.folded = false;
  cf.last_sent = At(121'600);
  cf.pending = AlertEventKind::kRepeat;
  cf.pending_at = At(122'000);
  cf.level = AlertLevel::kWarning;
  cf.status = CheckStatus::kTimeout;
  cf.summary = "3 failures in a row (timeout)";
  RuleState resolved;
  resolved.down_for = milliseconds(90'000);
  resolved.summary = "";
  s.rules = {{"consecutive_failures", cf}, {"availability", resolved}};
  s.failing_since = At(61'000);
  s.incidents = {"3/gcp/abc \"quoted\"", "3/openai/xyz"};
  s.lifecycle = {{"gemini-3-pro-image-preview", "shutdown:2026-01-15"}, {"m\"odel", "k"}};
  s.told = {{At(1'000), At(2'000), 2}, {At(61'000), At(121'000), 7}};
  s.told_open = true;
  return s;
}

TEST(AlertState, EveryFieldSurvivesTheRoundTrip) {
  MonitorAlertState want = Full();
  std::string text = ToJson(want);
  ASSERT_TRUE(nlohmann::json::accept(text)) << text;
  auto got = MonitorAlertStateFromJson(text);
  ASSERT_TRUE(got.has_value()) << got.error().message();
  EXPECT_EQ(got->fails, want.fails);
  EXPECT_EQ(got->oks, want.oks);
  EXPECT_EQ(got->recent, want.recent);
  EXPECT_EQ(got->history, want.history);
  EXPECT_EQ(got->flapping, want.flapping);
  EXPECT_EQ(got->last_failure, want.last_failure);
  EXPECT_EQ(got->http_status, want.http_status);
  EXPECT_EQ(got->error, want.error);
  EXPECT_EQ(got->failing_phase, want.failing_phase);
  EXPECT_EQ(got->failing_since, want.failing_since);
  EXPECT_EQ(got->incidents, want.incidents);
  EXPECT_EQ(got->lifecycle, want.lifecycle);
  ASSERT_EQ(got->told.size(), want.told.size());
  for (size_t i = 0; i < want.told.size(); ++i) {
    EXPECT_EQ(got->told[i].first, want.told[i].first);
    EXPECT_EQ(got->told[i].last, want.told[i].last);
    EXPECT_EQ(got->told[i].failures, want.told[i].failures);
  }
  EXPECT_TRUE(got->told_open);
  ASSERT_EQ(got->rules.size(), 2u);
  const RuleState& cf = got->rules.at("consecutive_failures");
  const RuleState& wcf = want.rules.at("consecutive_failures");
  EXPECT_EQ(cf.firing, wcf.firing);
  EXPECT_EQ(cf.since, wcf.since);
  EXPECT_EQ(cf.seq, wcf.seq);
  EXPECT_EQ(cf.repeats, wcf.repeats);
  EXPECT_EQ(cf.announced, wcf.announced);
  EXPECT_EQ(cf.folded, wcf.folded);
  EXPECT_EQ(cf.last_sent, wcf.last_sent);
  EXPECT_EQ(cf.pending, wcf.pending);
  EXPECT_EQ(cf.pending_at, wcf.pending_at);
  EXPECT_EQ(cf.level, wcf.level);
  EXPECT_EQ(cf.status, wcf.status);
  EXPECT_EQ(cf.summary, wcf.summary);
  const RuleState& av = got->rules.at("availability");
  EXPECT_FALSE(av.firing);
  EXPECT_EQ(av.down_for, milliseconds(90'000));
  EXPECT_FALSE(av.last_sent.has_value());
  EXPECT_FALSE(av.pending.has_value());
  EXPECT_FALSE(av.status.has_value());
}

TEST(AlertState, AnEmptyStateIsAnObjectThatReadsBackEmpty) {
  std::string text = ToJson(MonitorAlertState{});
  nlohmann::json j = nlohmann::json::parse(text);
  EXPECT_TRUE(j.is_object());
  EXPECT_TRUE(j["recent"].is_array());
  EXPECT_TRUE(j["rules"].is_object());
  EXPECT_FALSE(j.contains("incidents"));
  auto got = MonitorAlertStateFromJson(text);
  ASSERT_TRUE(got.has_value());
  EXPECT_TRUE(got->rules.empty());
  EXPECT_FALSE(got->failing_since.has_value());
}

TEST(AlertState, InvalidUtf8InAnErrorIsReplacedSoTheStateStillReadsBack) {
  MonitorAlertState s;
  s.error = std::string("bad \xff\xfe bytes");
  std::string text = ToJson(s);
  auto got = MonitorAlertStateFromJson(text);
  ASSERT_TRUE(got.has_value()) << text;
  EXPECT_EQ(got->error.find('\xff'), std::string::npos);
  EXPECT_NE(got->error.find("bytes"), std::string::npos);
}

}  // namespace
}  // namespace modelwatch::alert
