#include <gtest/gtest.h>

#include "core/sample_file.h"
#include "notify/channels/channel_test_util.h"
#include "notify/channels/channels.h"
#include "notify/signing.h"

namespace modelwatch::notify {
namespace {

using namespace testing;
using modelwatch::testing::ReadFormatsFile;

constexpr char kUrl[] = "https://open.feishu.cn/open-apis/bot/v2/hook/0a1b2c3d-token";

TEST(Feishu, CardHasHeaderColouredByLevelAndLarkMdBody) {
  ChannelPtr ch = MakeFromYaml(MakeFeishuChannel, std::string("{url: \"") + kUrl + "\"}");
  Result<net::Request> req = ch->Render(SampleNotification(TestNow()), TestNow());
  ASSERT_TRUE(req.has_value());
  EXPECT_EQ(req->method, "POST");
  EXPECT_EQ(req->url, kUrl);
  nlohmann::json b = BodyJson(*req);
  EXPECT_EQ(b["msg_type"], "interactive");
  EXPECT_FALSE(b.contains("content"));  // the card goes in top-level "card"
  EXPECT_EQ(b["card"]["config"]["wide_screen_mode"], true);
  EXPECT_EQ(b["card"]["header"]["title"]["tag"], "plain_text");
  EXPECT_EQ(b["card"]["header"]["title"]["content"], Headline(SampleNotification(TestNow())));
  EXPECT_EQ(b["card"]["header"]["template"], "red");
  const nlohmann::json& div = b["card"]["elements"][0];
  EXPECT_EQ(div["tag"], "div");
  EXPECT_EQ(div["text"]["tag"], "lark_md");
  std::string md = div["text"]["content"];
  EXPECT_NE(md.find("**Model**: gemini-3-pro-image"), std::string::npos) << md;
  EXPECT_FALSE(b.contains("sign"));
}

TEST(Feishu, ResolvedCardIsGreen) {
  ChannelPtr ch = MakeFromYaml(MakeFeishuChannel, std::string("{url: \"") + kUrl + "\"}");
  nlohmann::json b = BodyJson(*ch->Render(SampleResolved(TestNow()), TestNow()));
  EXPECT_EQ(b["card"]["header"]["template"], "green");
}

TEST(Feishu, TextFormat) {
  ChannelPtr ch =
      MakeFromYaml(MakeFeishuChannel, std::string("{url: \"") + kUrl + "\", format: text}");
  nlohmann::json b = BodyJson(*ch->Render(SampleNotification(TestNow()), TestNow()));
  EXPECT_EQ(b["msg_type"], "text");
  std::string text = b["content"]["text"];
  EXPECT_EQ(text.rfind(Headline(SampleNotification(TestNow())), 0), 0u);
}

TEST(Feishu, SignsWithTimestampInSecondsAsKey) {
  ChannelPtr ch = MakeFromYaml(MakeFeishuChannel,
                               std::string("{url: \"") + kUrl + "\", secret: \"this is secret\"}");
  WallTime at{std::chrono::seconds(1599360473)};
  nlohmann::json b = BodyJson(*ch->Render(SampleNotification(at), at));
  EXPECT_EQ(b["timestamp"], "1599360473");
  EXPECT_EQ(b["sign"], "/eYKrXQBzTjUZJ3s6NX16VxGbTwmK7AEs8/FnvC1CSw=");  // webhooks.md
}

TEST(Feishu, ChecksCodeNotHttpStatus) {
  ChannelPtr ch = MakeFromYaml(MakeFeishuChannel, std::string("{url: \"") + kUrl + "\"}");
  EXPECT_TRUE(ch->Check(Answer(200, R"({"code":0,"msg":"success","data":{}})")).delivered);
  EXPECT_TRUE(ch->Check(Answer(200, R"({"StatusCode":0,"StatusMessage":"success"})")).delivered);
  Delivery d = ch->Check(Answer(200, ReadFormatsFile("samples/feishu-bot-error-19021.json")));
  EXPECT_FALSE(d.delivered);
  EXPECT_TRUE(d.permanent);
  EXPECT_EQ(d.error,
            "HTTP 200: code 19021: sign match fail or timestamp is not within one hour from "
            "current time");
  EXPECT_FALSE(ch->Check(Answer(200, R"({"code":19036,"msg":"message too large"})")).delivered);
  EXPECT_FALSE(ch->Check(Answer(200, "not json")).delivered);
}

TEST(Feishu, ErrorNeverHoldsTheUrl) {
  ChannelPtr ch = MakeFromYaml(MakeFeishuChannel, std::string("{url: \"") + kUrl + "\"}");
  Delivery d = ch->Check(Answer(400, std::string("bad hook ") + kUrl));
  EXPECT_EQ(d.error.find("0a1b2c3d-token"), std::string::npos) << d.error;
}

TEST(Feishu, MissingUrlAndBadFormatAreReported) {
  EXPECT_EQ(ProblemsOf(MakeFeishuChannel, "{format: cards}"),
            "cfg.yaml:1:1: channels.test: missing url (the webhook URL, e.g. \"${HOOK_URL}\")\n"
            "cfg.yaml:1:10: channels.test: format: \"cards\" is not one of \"card\" or \"text\" "
            "(did you mean \"card\"?)");
  EXPECT_NE(ProblemsOf(MakeFeishuChannel, "{url: \"https://x/y\", secrt: s}")
                .find("unknown key \"secrt\" (did you mean \"secret\"?)"),
            std::string::npos);
}

TEST(Feishu, DeliversToARealReceiverThatChecksTheSignature) {
  Receiver rx;
  ChannelPtr ch = MakeFromYaml(
      MakeFeishuChannel, "{url: \"" + rx.Url("/open-apis/bot/v2/hook/tok") + "\", secret: sek}");
  WallTime now{std::chrono::seconds(1'700'000'000)};
  rx.Answer(200, R"({"code":0,"msg":"success","data":{}})");
  net::Response r = Send(*ch->Render(SampleNotification(now), now));
  EXPECT_TRUE(ch->Check(r).delivered) << r.error_message << r.body;
  ASSERT_EQ(rx.got().size(), 1u);
  Received got = rx.got()[0];
  EXPECT_EQ(got.path, "/open-apis/bot/v2/hook/tok");
  EXPECT_EQ(got.headers["content-type"], "application/json; charset=utf-8");
  nlohmann::json b = nlohmann::json::parse(got.body);
  EXPECT_EQ(b["sign"], FeishuSign(1'700'000'000, Secret("sek")));
  EXPECT_EQ(b["card"]["header"]["template"], "red");
}

TEST(Feishu, HostileErrorRendersSafely) {
  ChannelPtr ch = MakeFromYaml(MakeFeishuChannel, std::string("{url: \"") + kUrl + "\"}");
  Result<net::Request> req = ch->Render(HostileNotification(), TestNow());
  ASSERT_TRUE(req.has_value());
  nlohmann::json b = BodyJson(*req);
  std::string md = b["card"]["elements"][0]["text"]["content"];
  EXPECT_EQ(md.find("<script>"), std::string::npos);
  EXPECT_EQ(md.find('\0'), std::string::npos);
  EXPECT_LT(req->body.size(), 150u * 1024);
}

}  // namespace
}  // namespace modelwatch::notify
