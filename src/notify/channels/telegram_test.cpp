#include <gtest/gtest.h>

#include "notify/channels/channel_test_util.h"
#include "notify/channels/channels.h"

namespace modelwatch::notify {
namespace {

using namespace testing;

constexpr char kConfig[] = "{token: \"123456:ABC-DEF1234ghIkl\", chat_id: \"-1001234567890\"}";

TEST(Telegram, SendMessageWithEscapedHtml) {
  ChannelPtr ch = MakeFromYaml(MakeTelegramChannel, kConfig);
  Result<net::Request> req = ch->Render(SampleNotification(TestNow()), TestNow());
  EXPECT_EQ(req->url, "https://api.telegram.org/bot123456:ABC-DEF1234ghIkl/sendMessage");
  nlohmann::json b = BodyJson(*req);
  EXPECT_EQ(b["chat_id"], "-1001234567890");
  EXPECT_EQ(b["parse_mode"], "HTML");
  EXPECT_EQ(b["disable_web_page_preview"], true);
  std::string text = b["text"];
  EXPECT_EQ(text.rfind("<b>[CRITICAL] nano-banana-pro: server error", 0), 0u) << text;
  EXPECT_NE(text.find("<a href=\"https://aistudio.google.com/status\">aistudio.google.com</a>"),
            std::string::npos);
}

TEST(Telegram, HostileTextIsEscapedAndUnder4096) {
  ChannelPtr ch = MakeFromYaml(MakeTelegramChannel, kConfig);
  Notification n = HostileNotification();
  for (int i = 0; i < 30; ++i) {
    n.items.push_back(n.items[0]);
  }
  std::string text = BodyJson(*ch->Render(n, TestNow()))["text"];
  EXPECT_EQ(text.find("<script>"), std::string::npos);
  EXPECT_NE(text.find("&lt;script&gt;"), std::string::npos);
  EXPECT_LE(Utf16Length(text), 4096u);
}

TEST(Telegram, ChecksOkAndFloodControl) {
  ChannelPtr ch = MakeFromYaml(MakeTelegramChannel, kConfig);
  EXPECT_TRUE(ch->Check(Answer(200, R"({"ok":true,"result":{"message_id":42}})")).delivered);
  Delivery empty = ch->Check(Answer(
      400, R"({"ok":false,"error_code":400,"description":"Bad Request: message text is empty"})"));
  EXPECT_FALSE(empty.delivered);
  EXPECT_TRUE(empty.permanent);
  EXPECT_EQ(empty.error, "HTTP 400: Bad Request: message text is empty");
  Delivery flood = ch->Check(Answer(
      429,
      R"({"ok":false,"error_code":429,"description":"Too Many Requests: retry after 5","parameters":{"retry_after":5}})"));
  EXPECT_EQ(flood.retry_after, std::chrono::milliseconds(5000));
  EXPECT_FALSE(flood.permanent);
}

TEST(Telegram, TheTokenNeverReachesAnError) {
  ChannelPtr ch = MakeFromYaml(MakeTelegramChannel, kConfig);
  Delivery d = ch->Check(
      Answer(401, R"({"ok":false,"description":"Unauthorized: bot123456:ABC-DEF1234ghIkl"})"));
  EXPECT_EQ(d.error.find("ABC-DEF1234ghIkl"), std::string::npos) << d.error;
}

TEST(Telegram, MissingChatIdIsReported) {
  EXPECT_NE(ProblemsOf(MakeTelegramChannel, "{token: t}").find("missing chat_id"),
            std::string::npos);
}

TEST(Telegram, DeliversToARealReceiver) {
  Receiver rx;
  ChannelPtr ch =
      MakeFromYaml(MakeTelegramChannel,
                   "{token: \"9:TOK\", chat_id: \"@ops\", api_url: \"" + rx.Url("") + "\"}");
  rx.Answer(200, R"({"ok":true,"result":{"message_id":1}})");
  net::Response r = Send(*ch->Render(SampleNotification(TestNow()), TestNow()));
  EXPECT_TRUE(ch->Check(r).delivered);
  ASSERT_EQ(rx.got().size(), 1u);
  EXPECT_EQ(rx.got()[0].path, "/bot9:TOK/sendMessage");
  EXPECT_EQ(nlohmann::json::parse(rx.got()[0].body)["chat_id"], "@ops");
}

}  // namespace
}  // namespace modelwatch::notify
