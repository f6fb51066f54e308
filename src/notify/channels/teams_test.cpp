#include <gtest/gtest.h>

#include "notify/channels/channel_test_util.h"
#include "notify/channels/channels.h"

namespace modelwatch::notify {
namespace {

using namespace testing;

constexpr char kUrl[] =
    "https://prod-00.westus.logic.azure.com/workflows/abc/triggers/manual/paths/invoke?api-version="
    "2016-06-01&sig=SIGNATURE123";

TEST(Teams, AdaptiveCardInTheWorkflowsWrapper) {
  ChannelPtr ch = MakeFromYaml(MakeTeamsChannel, std::string("{url: \"") + kUrl + "\"}");
  nlohmann::json b = BodyJson(*ch->Render(SampleNotification(TestNow()), TestNow()));
  EXPECT_EQ(b["type"], "message");
  const nlohmann::json& att = b["attachments"][0];
  EXPECT_EQ(att["contentType"], "application/vnd.microsoft.card.adaptive");
  EXPECT_TRUE(att["contentUrl"].is_null());
  const nlohmann::json& card = att["content"];
  EXPECT_EQ(card["$schema"], "http://adaptivecards.io/schemas/adaptive-card.json");
  EXPECT_EQ(card["type"], "AdaptiveCard");
  EXPECT_EQ(card["version"], "1.4");
  EXPECT_EQ(card["body"][0]["type"], "TextBlock");
  EXPECT_EQ(card["body"][0]["weight"], "Bolder");
  EXPECT_EQ(card["body"][0]["color"], "Attention");
  EXPECT_EQ(card["body"][0]["wrap"], true);
  EXPECT_EQ(card["body"][2]["type"], "FactSet");
  EXPECT_EQ(card["body"][2]["facts"][4]["title"], "Status");
  EXPECT_EQ(card["body"][2]["facts"][4]["value"], "server_error (HTTP 503)");
}

TEST(Teams, AcceptedIsSuccessAndTheSigNeverShows) {
  ChannelPtr ch = MakeFromYaml(MakeTeamsChannel, std::string("{url: \"") + kUrl + "\"}");
  EXPECT_TRUE(ch->Check(Answer(202, "")).delivered);
  Delivery d = ch->Check(Answer(401, std::string("bad signature for ") + kUrl));
  EXPECT_FALSE(d.delivered);
  EXPECT_EQ(d.error.find("SIGNATURE123"), std::string::npos) << d.error;
}

TEST(Teams, DeliversToARealReceiver) {
  Receiver rx;
  ChannelPtr ch =
      MakeFromYaml(MakeTeamsChannel, "{url: \"" + rx.Url("/workflows/x/invoke?sig=s1") + "\"}");
  rx.Answer(202, "");
  net::Response r = Send(*ch->Render(HostileNotification(), TestNow()));
  EXPECT_TRUE(ch->Check(r).delivered);
  ASSERT_EQ(rx.got().size(), 1u);
  nlohmann::json got = nlohmann::json::parse(rx.got()[0].body);
  EXPECT_EQ(got["attachments"][0]["content"]["type"], "AdaptiveCard");
}

}  // namespace
}  // namespace modelwatch::notify
