#include "web/html.h"

#include <gtest/gtest.h>

#include "web/guard.h"

namespace modelwatch::web {
namespace {

TEST(EscapeHtml, EscapesEveryCharacterThatOpensATagOrLeavesAnAttribute) {
  EXPECT_EQ(EscapeHtml("<script>alert('x')</script>"),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;");
  EXPECT_EQ(EscapeHtml("\" onerror=\"a&b"), "&quot; onerror=&quot;a&amp;b");
}

TEST(EscapeHtml, ReplacesControlCharactersButKeepsUtf8) {
  EXPECT_EQ(EscapeHtml(std::string("a\0b\x1b", 4)),
            "a\xEF\xBF\xBD"
            "b\xEF\xBF\xBD");
  EXPECT_EQ(EscapeHtml("Grüße\tok\n"), "Grüße\tok\n");
}

TEST(ConstantTimeEquals, MatchesOnlyTheSameNonEmptyText) {
  EXPECT_TRUE(ConstantTimeEquals("secret-token", "secret-token"));
  EXPECT_FALSE(ConstantTimeEquals("secret-token", "secret-tokeN"));
  EXPECT_FALSE(ConstantTimeEquals("secret-token", "secret-token-longer"));
  EXPECT_FALSE(ConstantTimeEquals("", ""));
}

TEST(BearerToken, ReadsOnlyTheBearerScheme) {
  EXPECT_EQ(BearerToken("Bearer abc"), "abc");
  EXPECT_EQ(BearerToken("Basic abc"), "");
  EXPECT_EQ(BearerToken("Bearer "), "");
}

TEST(RateLimiter, RefusesPastTheBurstAndRefillsWithTime) {
  FakeClock clock;
  RateLimiter limiter(clock, 1, 3);
  EXPECT_TRUE(limiter.Allow("a"));
  EXPECT_TRUE(limiter.Allow("a"));
  EXPECT_TRUE(limiter.Allow("a"));
  EXPECT_FALSE(limiter.Allow("a"));
  EXPECT_TRUE(limiter.Allow("b"));
  clock.Advance(std::chrono::seconds(1));
  EXPECT_TRUE(limiter.Allow("a"));
  EXPECT_FALSE(limiter.Allow("a"));
}

}  // namespace
}  // namespace modelwatch::web
