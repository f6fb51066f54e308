#include <gtest/gtest.h>

#include "notify/channels/channel_test_util.h"
#include "notify/channels/channels.h"

namespace modelwatch::notify {
namespace {

using namespace testing;

// A placeholder URL for tests that only render; delivery goes to a receiver on loopback.
constexpr char kUrl[] = "https://hooks.slack.com/services/T/B/placeholder";

TEST(Slack, HeadlineBlockAndColouredAttachment) {
  ChannelPtr ch = MakeFromYaml(MakeSlackChannel, std::string("{url: \"") + kUrl + "\"}");
  nlohmann::json b = BodyJson(*ch->Render(SampleNotification(TestNow()), TestNow()));
  std::string headline = Headline(SampleNotification(TestNow()));
  EXPECT_EQ(b["text"], headline);  // the notification fallback
  EXPECT_EQ(b["blocks"][0]["type"], "section");
  EXPECT_EQ(b["blocks"][0]["text"]["type"], "mrkdwn");
  EXPECT_EQ(b["blocks"][0]["text"]["text"], "*" + headline + "*");
  EXPECT_EQ(b["attachments"][0]["color"], "#E01E5A");
  std::string details = b["attachments"][0]["text"];
  EXPECT_NE(details.find("*Error*: `The model is overloaded. Please try again later.`"),
            std::string::npos)
      << details;
  EXPECT_EQ(BodyJson(*ch->Render(SampleResolved(TestNow()), TestNow()))["attachments"][0]["color"],
            "#2EB67D");
}

TEST(Slack, SuccessIsThePlainTextOk) {
  ChannelPtr ch = MakeFromYaml(MakeSlackChannel, std::string("{url: \"") + kUrl + "\"}");
  EXPECT_TRUE(ch->Check(Answer(200, "ok")).delivered);
  EXPECT_FALSE(ch->Check(Answer(200, "")).delivered);
  for (auto [status, body] :
       {std::pair{400, "invalid_payload"}, std::pair{403, "action_prohibited"},
        std::pair{404, "no_service"}, std::pair{410, "channel_is_archived"}}) {
    Delivery d = ch->Check(Answer(status, body));
    EXPECT_FALSE(d.delivered);
    EXPECT_TRUE(d.permanent) << body;
    EXPECT_EQ(d.error, "HTTP " + std::to_string(status) + ": " + body);
  }
  Delivery busy = ch->Check(Answer(500, "rollup_error"));
  EXPECT_FALSE(busy.permanent);
  Delivery flood = ch->Check(Answer(429, "rate_limited", {{"retry-after", "30"}}));
  EXPECT_EQ(flood.retry_after, std::chrono::milliseconds(30'000));
}

TEST(Slack, DeliversToARealReceiver) {
  Receiver rx;
  ChannelPtr ch = MakeFromYaml(MakeSlackChannel, "{url: \"" + rx.Url("/services/T/B/X") + "\"}");
  rx.Answer(200, "ok", "text/html");
  net::Response r = Send(*ch->Render(SampleNotification(TestNow()), TestNow()));
  EXPECT_TRUE(ch->Check(r).delivered);
  ASSERT_EQ(rx.got().size(), 1u);
  EXPECT_EQ(rx.got()[0].path, "/services/T/B/X");
  EXPECT_EQ(nlohmann::json::parse(rx.got()[0].body)["attachments"][0]["color"], "#E01E5A");
}

TEST(Slack, HostileErrorRendersSafely) {
  ChannelPtr ch = MakeFromYaml(MakeSlackChannel, std::string("{url: \"") + kUrl + "\"}");
  nlohmann::json b = BodyJson(*ch->Render(HostileNotification(), TestNow()));
  std::string all = b.dump();
  EXPECT_EQ(all.find("<script>"), std::string::npos);
  EXPECT_EQ(all.find("<http://evil"), std::string::npos);
  EXPECT_LE(Utf16Length(std::string(b["attachments"][0]["text"])), 3000u);
}

}  // namespace
}  // namespace modelwatch::notify
