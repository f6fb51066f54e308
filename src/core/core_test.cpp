#include <gtest/gtest.h>

#include "core/check_result_json.h"
#include "core/check_status.h"
#include "core/duration.h"
#include "core/secret.h"
#include "core/text.h"

namespace modelwatch {
namespace {

TEST(Duration, ParsesUnitsAndSums) {
  EXPECT_EQ(ParseDuration("90s").value(), std::chrono::seconds(90));
  EXPECT_EQ(ParseDuration("5m").value(), std::chrono::minutes(5));
  EXPECT_EQ(ParseDuration("1h").value(), std::chrono::hours(1));
  EXPECT_EQ(ParseDuration("7d").value(), std::chrono::hours(168));
  EXPECT_EQ(ParseDuration("250ms").value(), std::chrono::milliseconds(250));
  EXPECT_EQ(ParseDuration("1m30s").value(), std::chrono::seconds(90));
}

TEST(Duration, RejectsMissingOrUnknownUnits) {
  EXPECT_FALSE(ParseDuration("90").has_value());
  EXPECT_FALSE(ParseDuration("").has_value());
  EXPECT_FALSE(ParseDuration("5 m").has_value());
  auto r = ParseDuration("3w");
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message().find("unknown unit \"w\""), std::string::npos);
}

TEST(Duration, ASpaceSaysHowToWriteTheDuration) {
  auto r = ParseDuration("5 min");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().message(),
            "invalid duration \"5 min\": has a space; write durations without spaces and with "
            "units ms, s, m, h, d: 5m");
  auto s = ParseDuration("2 seconds");
  ASSERT_FALSE(s.has_value());
  EXPECT_NE(s.error().message().find("has a space; write durations"), std::string::npos)
      << s.error().message();
  EXPECT_TRUE(s.error().message().ends_with(": 2s")) << s.error().message();
}

TEST(Duration, ALongUnitNameSaysTheShortOne) {
  auto r = ParseDuration("1hour30minutes");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().message(),
            "invalid duration \"1hour30minutes\": unknown unit \"hour\"; write durations without "
            "spaces and with units ms, s, m, h, d: 1h30m");
  auto w = ParseDuration("2weeks");
  ASSERT_FALSE(w.has_value());
  EXPECT_TRUE(w.error().message().ends_with(": 14d")) << w.error().message();
}

TEST(Duration, NoCorrectionIsOfferedWhereThereIsNoneToMake) {
  for (const char* text : {"3651d", "5 parsecs", "9999 weeks"}) {
    auto r = ParseDuration(text);
    ASSERT_FALSE(r.has_value()) << text;
    EXPECT_EQ(r.error().message().find("write durations"), std::string::npos)
        << r.error().message();
  }
}

TEST(Duration, RejectsDurationsLongerThanTenYears) {
  EXPECT_TRUE(ParseDuration("3650d").has_value());
  for (const char* text : {"3651d", "200000d", "999999999999d", "99999999999999999999s",
                           "3000d1000d", "9223372036854775807ms"}) {
    auto d = ParseDuration(text);
    ASSERT_FALSE(d.has_value()) << text;
    EXPECT_NE(d.error().message().find("longer than 3650d"), std::string::npos)
        << d.error().message();
  }
}

TEST(Duration, FormatsShortestExactForm) {
  EXPECT_EQ(FormatDuration(std::chrono::seconds(90)), "1m30s");
  EXPECT_EQ(FormatDuration(std::chrono::milliseconds(1500)), "1500ms");
  EXPECT_EQ(FormatDuration(std::chrono::hours(25)), "1d1h");
}

TEST(CheckStatus, RoundTripsEveryStatusThroughText) {
  for (int i = 0; i < kCheckStatusCount; ++i) {
    auto s = static_cast<CheckStatus>(i);
    EXPECT_EQ(ParseCheckStatus(ToString(s)), s);
  }
  EXPECT_FALSE(ParseCheckStatus("ok").has_value());
}

TEST(CheckStatus, RateLimitedIsNeitherSuccessNorFailure) {
  EXPECT_FALSE(IsSuccess(CheckStatus::kRateLimited));
  EXPECT_FALSE(IsFailure(CheckStatus::kRateLimited));
  EXPECT_TRUE(IsSuccess(CheckStatus::kDegraded));
  EXPECT_TRUE(IsFailure(CheckStatus::kTimeout));
}

TEST(Secret, MasksAKeyEchoedInPart) {
  Secret key("sk-live-ABCDEFGHIJKLMNOPQRSTUVWX");  // 26 characters after "sk-live-"
  // The provider echoes the key minus its last 4 characters.
  EXPECT_EQ(Redact("invalid key sk-live-ABCDEFGHIJKLMNOPQRST given", key), "invalid key *** given");
  // Or a middle part of it.
  EXPECT_EQ(Redact("key ...GHIJKLMNOP... revoked", key), "key ...***... revoked");
  // Seven characters of it are not enough to mask (and say little).
  EXPECT_EQ(Redact("code ABCDEFG here", key), "code ABCDEFG here");
}

TEST(Secret, UrlSecretsMaskTheirTokenNotTheirHost) {
  Secret hook("https://open.feishu.cn/open-apis/bot/v2/hook/1f2e3d4c-aaaa-bbbb-cccc-0123456789ab");
  EXPECT_EQ(Redact("POST https://open.feishu.cn/ failed for hook 1f2e3d4c-aaaa-bbbb", hook),
            "POST https://open.feishu.cn/ failed for hook ***");
}

TEST(Secret, FormatsAsStarsAndRedactsFromText) {
  Secret s("sk-test-1234567890");
  EXPECT_EQ(fmt::format("{}", s), "***");
  EXPECT_EQ(Redact("bad key sk-test-1234567890 given", s), "bad key *** given");
}

TEST(Text, LowersAsciiAndTrimsWhitespace) {
  EXPECT_EQ(AsciiLower("Content-Type: \xC3\x89" "A"), "content-type: \xC3\x89" "a");
  EXPECT_EQ(TrimSpace(" \t 42\r\n"), "42");
  EXPECT_EQ(TrimSpace(" \n "), "");
}

TEST(Text, PrintableTextEscapesControlsAndReplacesInvalidUtf8) {
  using namespace std::string_literals;
  EXPECT_EQ(PrintableText("ok \xE6\x9C\x8D\xE5\x8A\xA1 \xF0\x9F\x8E\xA8"),
            "ok \xE6\x9C\x8D\xE5\x8A\xA1 \xF0\x9F\x8E\xA8");  // UTF-8 stays
  EXPECT_EQ(PrintableText("a\0b"s), "a\\x00b");
  EXPECT_EQ(PrintableText("\x1b[2Jgone"), "\\x1b[2Jgone");
  EXPECT_EQ(PrintableText("del\x7f c1\xC2\x9b"), "del\\x7f c1\\x9b");
  EXPECT_EQ(PrintableText("tab\tline\n"), "tab\tline\n");
  EXPECT_EQ(PrintableText("bad \xFF \xC3( \xE0\x80\x80 \xED\xA0\x80"),
            "bad \xEF\xBF\xBD \xEF\xBF\xBD( \xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD "
            "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
}

TEST(CheckResultJson, HasEveryFieldWithUnits) {
  CheckResult r;
  r.monitor = "nano";
  r.status = CheckStatus::kRateLimited;
  r.latency = std::chrono::milliseconds(1234);
  r.http_status = 429;
  r.retry_after = std::chrono::seconds(20);
  r.timestamp = FromUnixMillis(1'764'302'666'123);
  r.phases.first_byte = std::chrono::microseconds(1'200'500);
  r.image = ImageInfo{ImageFormat::kWebp, 640, 480, 999};
  auto j = ToJson(r);
  EXPECT_EQ(j["status"], "rate_limited");
  EXPECT_EQ(j["latency_ms"], 1234);
  EXPECT_EQ(j["retry_after_s"], 20);
  EXPECT_DOUBLE_EQ(j["phases"]["first_byte_ms"].get<double>(), 1200.5);
  EXPECT_EQ(j["image"]["format"], "webp");
  EXPECT_EQ(j["timestamp"], "2025-11-28T04:04:26.123Z");
}

}  // namespace
}  // namespace modelwatch
