#include <gtest/gtest.h>

#include "core/check_result.h"
#include "notify/channels/channel_test_util.h"
#include "notify/channels/channels.h"

namespace modelwatch::notify {
namespace {

using namespace testing;

constexpr char kUrl[] = "https://discord.com/api/webhooks/123456/abcdefTOKEN";

TEST(Discord, OneEmbedWithoutMentions) {
  ChannelPtr ch = MakeFromYaml(MakeDiscordChannel, std::string("{url: \"") + kUrl + "\"}");
  nlohmann::json b = BodyJson(*ch->Render(SampleNotification(TestNow()), TestNow()));
  EXPECT_EQ(b["allowed_mentions"]["parse"], nlohmann::json::array());
  EXPECT_EQ(b["username"], "modelwatch");
  const nlohmann::json& e = b["embeds"][0];
  EXPECT_EQ(e["title"], Headline(SampleNotification(TestNow())));
  EXPECT_EQ(e["color"], 0xE01E5A);
  EXPECT_EQ(e["timestamp"], FormatIso8601(TestNow()));
  EXPECT_NE(std::string(e["description"])
                .find("**Model**: gemini-3-pro-image · **Provider**: google · **Rule**: "
                      "consecutive\\_failures"),
            std::string::npos)
      << e["description"];
}

TEST(Discord, NoContentAndDescriptionUnder2000) {
  ChannelPtr ch = MakeFromYaml(MakeDiscordChannel, std::string("{url: \"") + kUrl + "\"}");
  Notification n = HostileNotification();
  for (int i = 0; i < 20; ++i) {
    n.items.push_back(n.items[0]);
  }
  nlohmann::json b = BodyJson(*ch->Render(n, TestNow()));
  EXPECT_FALSE(b.contains("content"));
  EXPECT_LE(Utf16Length(std::string(b["embeds"][0]["description"])), 2000u);
  EXPECT_LE(Utf16Length(std::string(b["embeds"][0]["title"])), 256u);
}

TEST(Discord, SuccessIs204Or200AndRateLimitSaysRetryAfter) {
  ChannelPtr ch = MakeFromYaml(MakeDiscordChannel, std::string("{url: \"") + kUrl + "\"}");
  EXPECT_TRUE(ch->Check(Answer(204, "")).delivered);
  EXPECT_TRUE(ch->Check(Answer(200, R"({"id":"1"})")).delivered);
  Delivery d = ch->Check(Answer(
      429, R"({"message":"You are being rate limited.","retry_after":1.337,"global":false})"));
  EXPECT_FALSE(d.delivered);
  EXPECT_FALSE(d.permanent);
  EXPECT_EQ(d.retry_after, std::chrono::milliseconds(1337));
  Delivery gone = ch->Check(Answer(404, R"({"message":"Unknown Webhook","code":10015})"));
  EXPECT_TRUE(gone.permanent);
  EXPECT_EQ(gone.error, "HTTP 404: Unknown Webhook (code 10015)");
}

TEST(Discord, DeliversToARealReceiver) {
  Receiver rx;
  ChannelPtr ch =
      MakeFromYaml(MakeDiscordChannel, "{url: \"" + rx.Url("/api/webhooks/1/tok") + "\"}");
  rx.Answer(204, "");
  net::Response r = Send(*ch->Render(SampleNotification(TestNow()), TestNow()));
  EXPECT_EQ(r.http_status, 204);
  EXPECT_TRUE(ch->Check(r).delivered);
  ASSERT_EQ(rx.got().size(), 1u);
  EXPECT_EQ(nlohmann::json::parse(rx.got()[0].body)["embeds"][0]["color"], 0xE01E5A);
}

}  // namespace
}  // namespace modelwatch::notify
