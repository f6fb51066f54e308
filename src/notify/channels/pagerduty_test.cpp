#include <gtest/gtest.h>

#include "core/check_result.h"
#include "core/sample_file.h"
#include "notify/channels/channel_test_util.h"
#include "notify/channels/channels.h"

namespace modelwatch::notify {
namespace {

using namespace testing;
using modelwatch::testing::ReadFormatsFile;

constexpr char kConfig[] = "{routing_key: \"0123456789abcdef0123456789abcdef\"}";

TEST(PagerDuty, TriggerHasTheDocumentedFields) {
  ChannelPtr ch = MakeFromYaml(MakePagerDutyChannel, kConfig);
  Result<net::Request> req = ch->Render(SampleNotification(TestNow()), TestNow());
  EXPECT_EQ(req->url, "https://events.pagerduty.com/v2/enqueue");
  nlohmann::json b = BodyJson(*req);
  nlohmann::json doc = nlohmann::json::parse(
      ReadFormatsFile("samples/pagerduty-events-v2-trigger-doc-example.json"));
  for (const char* key : {"routing_key", "dedup_key", "event_action", "payload", "client"}) {
    EXPECT_TRUE(b.contains(key)) << key;
    EXPECT_EQ(b[key].type(), doc[key].type()) << key;
  }
  EXPECT_EQ(b["routing_key"], "0123456789abcdef0123456789abcdef");
  EXPECT_EQ(b["event_action"], "trigger");
  EXPECT_EQ(b["dedup_key"], "nano-banana-pro:consecutive_failures");
  const nlohmann::json& p = b["payload"];
  EXPECT_EQ(p["summary"], Headline(SampleNotification(TestNow())));
  EXPECT_EQ(p["source"], "nano-banana-pro");
  EXPECT_EQ(p["severity"], "critical");
  EXPECT_EQ(p["timestamp"], FormatIso8601(TestNow()));
  EXPECT_EQ(p["component"], "gemini-3-pro-image");
  EXPECT_EQ(p["group"], "google");
  EXPECT_EQ(p["class"], "server_error");
  EXPECT_EQ(p["custom_details"]["error"], "The model is overloaded. Please try again later.");
  EXPECT_EQ(b["links"][0]["href"], "https://aistudio.google.com/status");
}

TEST(PagerDuty, SeverityFollowsTheLevel) {
  ChannelPtr ch = MakeFromYaml(MakePagerDutyChannel, kConfig);
  Notification n = SampleNotification(TestNow());
  n.level = AlertLevel::kWarning;
  EXPECT_EQ(BodyJson(*ch->Render(n, TestNow()))["payload"]["severity"], "warning");
  n.level = AlertLevel::kInfo;
  EXPECT_EQ(BodyJson(*ch->Render(n, TestNow()))["payload"]["severity"], "info");
}

TEST(PagerDuty, ResolveIsTheDocumentedThreeFields) {
  ChannelPtr ch = MakeFromYaml(MakePagerDutyChannel, kConfig);
  nlohmann::json b = BodyJson(*ch->Render(SampleResolved(TestNow()), TestNow()));
  nlohmann::json doc = nlohmann::json::parse(
      ReadFormatsFile("samples/pagerduty-events-v2-resolve-doc-example.json"));
  EXPECT_EQ(b.size(), doc.size());
  EXPECT_EQ(b["event_action"], "resolve");
  EXPECT_EQ(b["dedup_key"], "nano-banana-pro:consecutive_failures");  // closes the same alert
}

TEST(PagerDuty, ChecksTheAnswers) {
  ChannelPtr ch = MakeFromYaml(MakePagerDutyChannel, kConfig);
  EXPECT_TRUE(
      ch->Check(Answer(202, R"({"status":"success","message":"Event processed","dedup_key":"k"})"))
          .delivered);
  Delivery bad = ch->Check(Answer(
      400,
      R"J({"status":"invalid event","message":"Event object is invalid","errors":["Length of 'routing_key' is incorrect (should be 32 characters)"]})J"));
  EXPECT_TRUE(bad.permanent);
  EXPECT_EQ(bad.error,
            "HTTP 400: Event object is invalid: Length of 'routing_key' is incorrect (should be "
            "32 characters)");
  Delivery throttled = ch->Check(Answer(429, ""));
  EXPECT_FALSE(throttled.permanent);
  EXPECT_EQ(throttled.retry_after, std::chrono::milliseconds(60'000));
}

TEST(PagerDuty, RoutingKeyIsRequiredAndSecret) {
  EXPECT_NE(ProblemsOf(MakePagerDutyChannel, "{}").find("missing routing_key"), std::string::npos);
  ChannelPtr ch = MakeFromYaml(MakePagerDutyChannel, kConfig);
  EXPECT_EQ(ch->Check(Answer(400, "key 0123456789abcdef0123456789abcdef wrong"))
                .error.find("0123456789abcdef"),
            std::string::npos);
}

TEST(PagerDuty, DeliversToARealReceiver) {
  Receiver rx;
  ChannelPtr ch = MakeFromYaml(MakePagerDutyChannel,
                               "{routing_key: rk, url: \"" + rx.Url("/v2/enqueue") + "\"}");
  rx.Answer(202, R"({"status":"success","message":"Event processed","dedup_key":"x"})");
  EXPECT_TRUE(ch->Check(Send(*ch->Render(SampleNotification(TestNow()), TestNow()))).delivered);
  EXPECT_TRUE(ch->Check(Send(*ch->Render(SampleResolved(TestNow()), TestNow()))).delivered);
  ASSERT_EQ(rx.got().size(), 2u);
  EXPECT_EQ(nlohmann::json::parse(rx.got()[0].body)["event_action"], "trigger");
  EXPECT_EQ(nlohmann::json::parse(rx.got()[1].body)["event_action"], "resolve");
}

}  // namespace
}  // namespace modelwatch::notify
