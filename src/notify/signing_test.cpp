#include "notify/signing.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

namespace modelwatch::notify {
namespace {

// The worked examples of formats/webhooks.md.
TEST(Signing, FeishuWorkedExample) {
  EXPECT_EQ(FeishuSign(1599360473, Secret("this is secret")),
            "/eYKrXQBzTjUZJ3s6NX16VxGbTwmK7AEs8/FnvC1CSw=");
}

TEST(Signing, DingTalkWorkedExample) {
  std::string sign = DingTalkSign(1577262236757, Secret("this is secret"));
  EXPECT_EQ(sign, "hmPWwU+7lVdm3ZZz0r9tSfx0L4Q26jWOZr9+Gs6EZQM=");
  EXPECT_EQ(PercentEncode(sign), "hmPWwU%2B7lVdm3ZZz0r9tSfx0L4Q26jWOZr9%2BGs6EZQM%3D");
}

TEST(Signing, FeishuAndDingTalkDifferOnTheSameInput) {
  // The classic bug: key and message swapped. webhooks.md gives the wrong value.
  EXPECT_NE(FeishuSign(1599360473, Secret("this is secret")),
            "Aa897dtSTyHzD0ZCF2+ph58VjSQ6lUYLT11QvLTQCnU=");
  EXPECT_EQ(DingTalkSign(1599360473, Secret("this is secret")),
            "Aa897dtSTyHzD0ZCF2+ph58VjSQ6lUYLT11QvLTQCnU=");
}

TEST(Signing, HmacMatchesRfc4231Case2) {
  EXPECT_EQ(Hex(HmacSha256("Jefe", "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(Signing, WebhookSignatureCoversTimestampAndBody) {
  std::string body = R"({"a":1})";
  unsigned char out[32];
  unsigned int len = 0;
  std::string msg = "1700000000." + body;
  HMAC(EVP_sha256(), "s3cret", 6, reinterpret_cast<const unsigned char*>(msg.data()), msg.size(),
       out, &len);
  std::string expected = "sha256=" + Hex(std::string(reinterpret_cast<char*>(out), len));
  EXPECT_EQ(WebhookSignature(1700000000, body, Secret("s3cret")), expected);
  EXPECT_NE(WebhookSignature(1700000001, body, Secret("s3cret")), expected);
}

TEST(Signing, PercentEncodeKeepsUnreservedOnly) {
  EXPECT_EQ(PercentEncode("a-b_c.d~e f/+="), "a-b_c.d~e%20f%2F%2B%3D");
}

}  // namespace
}  // namespace modelwatch::notify
