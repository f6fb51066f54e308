#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "notify/channels/channel_test_util.h"
#include "notify/channels/channels.h"
#include "notify/signing.h"

namespace modelwatch::notify {
namespace {

using namespace testing;

std::string HeaderOf(const net::Request& r, std::string_view name) {
  for (const auto& [k, v] : r.headers) {
    if (k == name) {
      return v;
    }
  }
  return "";
}

TEST(Webhook, BodyIsTheNotificationAsJson) {
  ChannelPtr ch = MakeFromYaml(MakeWebhookChannel, "{url: \"https://hooks.example/x\"}");
  Notification n = SampleNotification(TestNow());
  Result<net::Request> req = ch->Render(n, TestNow());
  nlohmann::json b = BodyJson(*req);
  nlohmann::json expected = ToJson(n);
  for (const auto& [k, v] : expected.items()) {
    EXPECT_EQ(b[k], v) << k;
  }
  EXPECT_EQ(b["headline"], Headline(n));
  EXPECT_EQ(b["recovery"], false);
  EXPECT_TRUE(NotificationFromJson(req->body).has_value());
  EXPECT_EQ(HeaderOf(*req, "X-Modelwatch-Signature"), "");
  EXPECT_EQ(HeaderOf(*req, "X-Modelwatch-Timestamp"), "1791379504");
}

TEST(Webhook, TemplatesShapeTheTextButAreNotSent) {
  ChannelPtr ch = MakeFromYaml(MakeWebhookChannel, "{url: \"https://hooks.example/x\"}");
  Notification n = SampleNotification(TestNow());
  n.templates["firing"] = "{{monitor}} is {{status}}";
  Result<net::Request> req = ch->Render(n, TestNow());
  ASSERT_TRUE(req.has_value());
  nlohmann::json b = BodyJson(*req);
  EXPECT_FALSE(b.contains("templates"));
  EXPECT_EQ(b["headline"], "nano-banana-pro is server error");
}

TEST(Webhook, SignatureIsHmacOfTimestampDotBody) {
  ChannelPtr ch =
      MakeFromYaml(MakeWebhookChannel, "{url: \"https://hooks.example/x\", secret: k3y}");
  Result<net::Request> req = ch->Render(SampleNotification(TestNow()), TestNow());
  std::string msg = "1791379504." + req->body;
  unsigned char mac[32];
  unsigned int len = 0;
  HMAC(EVP_sha256(), "k3y", 3, reinterpret_cast<const unsigned char*>(msg.data()), msg.size(), mac,
       &len);
  EXPECT_EQ(HeaderOf(*req, "X-Modelwatch-Signature"),
            "sha256=" + Hex(std::string(reinterpret_cast<char*>(mac), len)));
}

TEST(Webhook, ExtraHeadersAreSentAndRedacted) {
  ChannelPtr ch = MakeFromYaml(
      MakeWebhookChannel,
      "{url: \"https://hooks.example/x\", headers: {Authorization: \"Bearer tok-98765\"}}");
  Result<net::Request> req = ch->Render(SampleNotification(TestNow()), TestNow());
  EXPECT_EQ(HeaderOf(*req, "Authorization"), "Bearer tok-98765");
  Delivery d = ch->Check(Answer(401, "bad token Bearer tok-98765"));
  EXPECT_EQ(d.error.find("tok-98765"), std::string::npos) << d.error;
  EXPECT_TRUE(d.permanent);
}

TEST(Webhook, BadHeaderNameIsReported) {
  EXPECT_NE(ProblemsOf(MakeWebhookChannel, "{url: \"https://h/x\", headers: {\"a b\": c}}")
                .find("\"a b\" is not a header name"),
            std::string::npos);
}

TEST(Webhook, AnyTwoHundredIsSuccess) {
  ChannelPtr ch = MakeFromYaml(MakeWebhookChannel, "{url: \"https://hooks.example/x\"}");
  EXPECT_TRUE(ch->Check(Answer(200, "")).delivered);
  EXPECT_TRUE(ch->Check(Answer(204, "")).delivered);
  Delivery d = ch->Check(Answer(503, "busy", {{"retry-after", "12"}}));
  EXPECT_FALSE(d.delivered);
  EXPECT_FALSE(d.permanent);
  EXPECT_EQ(d.retry_after, std::chrono::milliseconds(12'000));
}

TEST(Webhook, ReceiverVerifiesTheSignature) {
  Receiver rx;
  ChannelPtr ch =
      MakeFromYaml(MakeWebhookChannel, "{url: \"" + rx.Url("/hook") + "\", secret: shh-123}");
  rx.Answer(200, "");
  WallTime now{std::chrono::seconds(1'700'000'000)};
  net::Response r = Send(*ch->Render(HostileNotification(), now));
  EXPECT_TRUE(ch->Check(r).delivered);
  ASSERT_EQ(rx.got().size(), 1u);
  Received got = rx.got()[0];
  EXPECT_EQ(got.headers["x-modelwatch-timestamp"], "1700000000");
  EXPECT_EQ(got.headers["x-modelwatch-signature"],
            WebhookSignature(1'700'000'000, got.body, Secret("shh-123")));
  // The hostile error arrives as valid JSON, with its NUL and bad bytes gone.
  nlohmann::json b = nlohmann::json::parse(got.body);
  EXPECT_EQ(std::string(b["text"]).find('\0'), std::string::npos);
}

}  // namespace
}  // namespace modelwatch::notify
