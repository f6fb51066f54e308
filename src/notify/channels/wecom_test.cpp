#include <gtest/gtest.h>

#include "notify/channels/channel_test_util.h"
#include "notify/channels/channels.h"

namespace modelwatch::notify {
namespace {

using namespace testing;

constexpr char kUrl[] =
    "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa";

TEST(WeCom, MarkdownWithColouredHeadline) {
  ChannelPtr ch = MakeFromYaml(MakeWeComChannel, std::string("{url: \"") + kUrl + "\"}");
  nlohmann::json b = BodyJson(*ch->Render(SampleNotification(TestNow()), TestNow()));
  EXPECT_EQ(b["msgtype"], "markdown");
  std::string c = b["markdown"]["content"];
  EXPECT_EQ(c.rfind("<font color=\"warning\">**[CRITICAL] nano-banana-pro", 0), 0u) << c;
  EXPECT_NE(c.find("**Model**: gemini-3-pro-image"), std::string::npos);
  EXPECT_LE(c.size(), 4096u);
}

TEST(WeCom, TextFormatStaysUnder2048Bytes) {
  ChannelPtr ch =
      MakeFromYaml(MakeWeComChannel, std::string("{url: \"") + kUrl + "\", format: text}");
  Notification n = SampleNotification(TestNow(), "zh");
  for (int i = 0; i < 20; ++i) {
    n.items.push_back(n.items[0]);
  }
  nlohmann::json b = BodyJson(*ch->Render(n, TestNow()));
  EXPECT_EQ(b["msgtype"], "text");
  std::string c = b["text"]["content"];
  EXPECT_LE(c.size(), 2048u);
  EXPECT_NE(c.find("另有"), std::string::npos);
}

TEST(WeCom, MarkdownOfManyAlertsStaysUnder4096Bytes) {
  ChannelPtr ch = MakeFromYaml(MakeWeComChannel, std::string("{url: \"") + kUrl + "\"}");
  Notification n = HostileNotification();
  for (int i = 0; i < 40; ++i) {
    n.items.push_back(n.items[0]);
  }
  std::string c = BodyJson(*ch->Render(n, TestNow()))["markdown"]["content"];
  EXPECT_LE(c.size(), 4096u);
  EXPECT_EQ(c.find("<script>"), std::string::npos);
  EXPECT_EQ(c.find("</font>&amp;"), std::string::npos);  // the error cannot close our font tag
}

TEST(WeCom, ChecksErrcode) {
  ChannelPtr ch = MakeFromYaml(MakeWeComChannel, std::string("{url: \"") + kUrl + "\"}");
  EXPECT_TRUE(ch->Check(Answer(200, R"({"errcode":0,"errmsg":"ok"})")).delivered);
  Delivery bad =
      ch->Check(Answer(200, R"({"errcode":93000,"errmsg":"invalid webhook url, hint: [1672]"})"));
  EXPECT_FALSE(bad.delivered);
  EXPECT_TRUE(bad.permanent);
  EXPECT_EQ(bad.error, "HTTP 200: errcode 93000: invalid webhook url, hint: [1672]");
  Delivery freq = ch->Check(Answer(200, R"({"errcode":45009,"errmsg":"api freq out of limit"})"));
  EXPECT_FALSE(freq.permanent);
  EXPECT_EQ(freq.retry_after, std::chrono::milliseconds(60'000));
}

TEST(WeCom, DeliversToARealReceiver) {
  Receiver rx;
  ChannelPtr ch =
      MakeFromYaml(MakeWeComChannel, "{url: \"" + rx.Url("/cgi-bin/webhook/send?key=k-1") + "\"}");
  rx.Answer(200, R"({"errcode":0,"errmsg":"ok"})");
  net::Response r = Send(*ch->Render(SampleNotification(TestNow()), TestNow()));
  EXPECT_TRUE(ch->Check(r).delivered);
  ASSERT_EQ(rx.got().size(), 1u);
  EXPECT_EQ(rx.got()[0].query, "key=k-1");
  EXPECT_EQ(nlohmann::json::parse(rx.got()[0].body)["msgtype"], "markdown");
}

TEST(WeCom, HasNoSigningSecret) {
  EXPECT_NE(ProblemsOf(MakeWeComChannel, "{url: \"https://q/x\", secret: s}")
                .find("unknown key \"secret\""),
            std::string::npos);
}

}  // namespace
}  // namespace modelwatch::notify
