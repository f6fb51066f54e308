#include <gtest/gtest.h>

#include "core/sample_file.h"
#include "notify/channels/channel_test_util.h"
#include "notify/channels/channels.h"
#include "notify/signing.h"

namespace modelwatch::notify {
namespace {

using namespace testing;
using modelwatch::testing::ReadFormatsFile;

constexpr char kUrl[] = "https://oapi.dingtalk.com/robot/send?access_token=abcdef123456";

TEST(DingTalk, MarkdownMessageWithTitleAndText) {
  ChannelPtr ch = MakeFromYaml(MakeDingTalkChannel, std::string("{url: \"") + kUrl + "\"}");
  Result<net::Request> req = ch->Render(SampleNotification(TestNow()), TestNow());
  ASSERT_TRUE(req.has_value());
  EXPECT_EQ(req->url, kUrl);  // no secret: no signature
  nlohmann::json b = BodyJson(*req);
  EXPECT_EQ(b["msgtype"], "markdown");
  EXPECT_EQ(b["markdown"]["title"], TruncateBytes(Headline(SampleNotification(TestNow())), 100));
  std::string text = b["markdown"]["text"];
  EXPECT_EQ(text.rfind("#### **[CRITICAL] nano-banana-pro: server error", 0), 0u) << text;
  EXPECT_NE(text.find("\n\n**Model**: gemini-3-pro-image"), std::string::npos);
}

TEST(DingTalk, TextFormat) {
  ChannelPtr ch =
      MakeFromYaml(MakeDingTalkChannel, std::string("{url: \"") + kUrl + "\", format: text}");
  nlohmann::json b = BodyJson(*ch->Render(SampleNotification(TestNow(), "zh"), TestNow()));
  EXPECT_EQ(b["msgtype"], "text");
  EXPECT_NE(std::string(b["text"]["content"]).find("服务端错误"), std::string::npos);
}

TEST(DingTalk, SignatureGoesInTheUrlWithMilliseconds) {
  ChannelPtr ch = MakeFromYaml(MakeDingTalkChannel,
                               std::string("{url: \"") + kUrl + "\", secret: \"this is secret\"}");
  WallTime at{std::chrono::milliseconds(1577262236757)};
  Result<net::Request> req = ch->Render(SampleNotification(at), at);
  EXPECT_EQ(req->url, std::string(kUrl) +
                          "&timestamp=1577262236757&sign=hmPWwU%2B7lVdm3ZZz0r9tSfx0L4Q26jWOZr9%"
                          "2BGs6EZQM%3D");  // webhooks.md
}

TEST(DingTalk, KeepsTwentyMessagesAMinute) {
  ChannelPtr ch = MakeFromYaml(MakeDingTalkChannel, std::string("{url: \"") + kUrl + "\"}");
  EXPECT_EQ(ch->rate_limit().messages, 20);
  EXPECT_EQ(ch->rate_limit().per, std::chrono::milliseconds(60'000));
}

TEST(DingTalk, ChecksErrcodeOfEachDocumentedSecurityError) {
  ChannelPtr ch = MakeFromYaml(MakeDingTalkChannel, std::string("{url: \"") + kUrl + "\"}");
  EXPECT_TRUE(ch->Check(Answer(200, R"({"errcode":0,"errmsg":"ok"})")).delivered);
  std::string doc = ReadFormatsFile("samples/dingtalk-robot-errors-310000-doc.txt");
  int seen = 0;
  for (size_t p = doc.find('{'); p != std::string::npos; p = doc.find('{', p + 1)) {
    std::string one = doc.substr(p, doc.find('}', p) - p + 1);
    Delivery d = ch->Check(Answer(200, one));
    EXPECT_FALSE(d.delivered) << one;
    EXPECT_TRUE(d.permanent) << one;
    EXPECT_EQ(d.error.rfind("HTTP 200: errcode 310000: ", 0), 0u) << d.error;
    ++seen;
  }
  EXPECT_EQ(seen, 4);
}

TEST(DingTalk, ThrottledRobotWaitsTenMinutes) {
  ChannelPtr ch = MakeFromYaml(MakeDingTalkChannel, std::string("{url: \"") + kUrl + "\"}");
  Delivery d = ch->Check(Answer(200, R"({"errcode":130101,"errmsg":"send too fast"})"));
  EXPECT_FALSE(d.delivered);
  EXPECT_FALSE(d.permanent);
  EXPECT_EQ(d.retry_after, std::chrono::milliseconds(600'000));
}

TEST(DingTalk, DeliversToARealReceiverThatVerifiesTheSignature) {
  Receiver rx;
  ChannelPtr ch =
      MakeFromYaml(MakeDingTalkChannel,
                   "{url: \"" + rx.Url("/robot/send?access_token=tok") + "\", secret: SECabc}");
  rx.Answer(200, R"({"errcode":0,"errmsg":"ok"})");
  WallTime now{std::chrono::milliseconds(1'700'000'000'123)};
  net::Response r = Send(*ch->Render(SampleNotification(now), now));
  EXPECT_TRUE(ch->Check(r).delivered) << r.error_message;
  ASSERT_EQ(rx.got().size(), 1u);
  EXPECT_EQ(rx.got()[0].query,
            "access_token=tok&timestamp=1700000000123&sign=" +
                PercentEncode(DingTalkSign(1'700'000'000'123, Secret("SECabc"))));
  // Keyword security: the message carries its words.
  EXPECT_NE(rx.got()[0].body.find("nano-banana-pro"), std::string::npos);
}

TEST(DingTalk, HostileErrorRendersSafely) {
  ChannelPtr ch = MakeFromYaml(MakeDingTalkChannel, std::string("{url: \"") + kUrl + "\"}");
  std::string text = BodyJson(*ch->Render(HostileNotification(), TestNow()))["markdown"]["text"];
  EXPECT_EQ(text.find("<script>"), std::string::npos);
  EXPECT_EQ(text.find("](http://evil)"), std::string::npos);
  EXPECT_NE(text.find("\\*bold\\*"), std::string::npos);
}

}  // namespace
}  // namespace modelwatch::notify
