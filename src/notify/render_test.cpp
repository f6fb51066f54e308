#include "notify/render.h"

#include <gtest/gtest.h>

#include "config/alerts_templates.h"
#include "notify/channels/channel_test_util.h"
#include "notify/sample.h"

namespace modelwatch::notify {
namespace {

using testing::HostileNotification;
using testing::TestNow;

TEST(Render, HeadlineSaysWhatWhoseAndWhatToDo) {
  std::string h = Headline(SampleNotification(TestNow()));
  EXPECT_EQ(h,
            "[CRITICAL] nano-banana-pro: server error (HTTP 503), 3 in a row \u2014 provider "
            "side: wait; fail over if it lasts");
}

TEST(Render, HeadlineInChinese) {
  std::string h = Headline(SampleNotification(TestNow(), "zh"));
  EXPECT_EQ(h,
            "[严重] nano-banana-pro：服务端错误 (HTTP 503)，连续失败 3 次 \u2014 "
            "服务商侧：等待恢复，持续则切换备用");
}

TEST(Render, HeadlineNamesTheKeyAsTheUsersSideForAuthErrors) {
  Notification n = SampleNotification(TestNow());
  n.items[0].status = CheckStatus::kAuthError;
  n.items[0].http_status = 401;
  EXPECT_NE(Headline(n).find("API key rejected (HTTP 401), 3 in a row \u2014 your side (key): "
                             "check or rotate the API key"),
            std::string::npos);
}

TEST(Render, TitleFromTheEngineIsTheHeadline) {
  Notification n = SampleNotification(TestNow());
  n.title = "Google image models failing\nagain";
  EXPECT_EQ(Headline(n), "Google image models failing again");
}

TEST(Render, BudgetNoticeSpeaksOfTheBudgetNotAMonitor) {
  Notification n;
  n.level = AlertLevel::kWarning;
  AlertItem a;
  a.rule = "budget";
  a.level = AlertLevel::kWarning;
  a.event = AlertEventKind::kBudget;
  a.summary = "the month's projected spend $1163.62 passes the $300.00 budget";
  n.items.push_back(a);
  EXPECT_EQ(Headline(n),
            "[WARNING] Budget \u00b7 the month's projected spend $1163.62 passes the $300.00 "
            "budget");
  n.items[0].event = AlertEventKind::kBudgetOk;
  EXPECT_TRUE(IsRecovery(n));
  EXPECT_EQ(ColorHex(n), "#2EB67D");
}

TEST(RenderTemplates, ATemplateGivesTheHeadlineAndTheBody) {
  Notification n = SampleNotification(TestNow());
  n.templates["firing"] = "{{level}}: {{monitor}} is failing ({{status}})\nError: {{error}}";
  EXPECT_EQ(Headline(n), "CRITICAL: nano-banana-pro is failing (server error)");
  RenderOptions o;
  std::string text = RenderText(n, o);
  EXPECT_EQ(text.rfind("CRITICAL: nano-banana-pro is failing (server error)\n\nError: ", 0), 0u)
      << text;
  EXPECT_EQ(text.find("Provider"), std::string::npos) << "the built-in block is replaced";
}

TEST(RenderTemplates, EveryPlaceholderHasAValue) {
  Notification n = SampleNotification(TestNow());
  AlertItem& a = n.items[0];
  a.down_for = std::chrono::minutes(12);
  a.diagnosis = "provider incident confirmed";
  a.actions = {"fail over"};
  a.status_pages = {"https://status.cloud.google.com"};
  a.folded = {"child"};
  n.dashboard_url = "https://mw.example/";
  for (std::string_view name : config::kTemplatePlaceholders) {
    n.templates["firing"] = "x {{" + std::string(name) + "}}";
    EXPECT_NE(Headline(n), "x") << name;
    EXPECT_NE(Headline(n), "x ") << name;
  }
}

TEST(RenderTemplates, OtherKindsKeepTheBuiltInText) {
  Notification n = SampleNotification(TestNow());
  Notification templated = n;
  templated.templates["resolved"] = "{{monitor}} back";
  RenderOptions o;
  EXPECT_EQ(RenderText(templated, o), RenderText(n, o));
  EXPECT_EQ(Headline(templated), Headline(n));
}

TEST(RenderTemplates, ValuesAreEscapedForTheChannelsMarkupButTheTemplateIsNot) {
  Notification n = HostileNotification();
  n.templates["firing"] = "*{{monitor}}*: {{error}}";
  n.items.resize(1);
  n.items[0].event = AlertEventKind::kFiring;
  RenderOptions slack;
  slack.markup = Markup::kSlack;
  slack.with_headline = false;
  std::string text = RenderText(n, slack);
  EXPECT_EQ(text.rfind("*nano_banana*pro&lt;b&gt;*: ", 0), 0u) << text.substr(0, 200);
  EXPECT_EQ(text.find("<script>"), std::string::npos);
  EXPECT_NE(text.find("&lt;script&gt;"), std::string::npos);
}

TEST(RenderTemplates, SeveralAlertsEachGetTheirTemplate) {
  Notification n = SampleNotification(TestNow());
  n.title.clear();
  n.items.push_back(n.items[0]);
  n.items[1].monitor = "gpt-image";
  n.templates["firing"] = "{{monitor}} down";
  RenderOptions o;
  o.with_headline = false;
  EXPECT_EQ(RenderText(n, o).rfind("nano-banana-pro down\n\ngpt-image down", 0), 0u)
      << RenderText(n, o);
}

TEST(Render, PlainBodyHoldsEveryFact) {
  Notification n = SampleNotification(TestNow());
  n.items[0].actions = {"fail over to openrouter", "tell #design"};
  n.items[0].folded = {"nano-banana-pro-4k", "imagen-edit"};
  std::string t = RenderText(n, {});
  EXPECT_NE(t.find("Model: gemini-3-pro-image \u00b7 Provider: google \u00b7 Rule: "
                   "consecutive_failures \u00b7 Since: "),
            std::string::npos)
      << t;
  EXPECT_NE(t.find("Error: \u201CThe model is overloaded. Please try again later.\u201D"),
            std::string::npos);
  EXPECT_NE(t.find("1h: 4/60 failed, 93.3% available, p95 41 s \u00b7 24h: 9/1440 failed, 99.4% "
                   "available, p95 14 s, 2 rate-limited"),
            std::string::npos)
      << t;
  EXPECT_NE(t.find("Diagnosis: no official incident yet"), std::string::npos);
  EXPECT_NE(t.find("Do: fail over to openrouter; tell #design"), std::string::npos);
  EXPECT_NE(t.find("Status page: https://aistudio.google.com/status"), std::string::npos);
  EXPECT_NE(t.find("Also failing: nano-banana-pro-4k, imagen-edit"), std::string::npos);
}

TEST(Render, ChineseBodyHoldsEveryFact) {
  std::string t = RenderText(SampleNotification(TestNow(), "zh"), {});
  EXPECT_NE(t.find("模型：gemini-3-pro-image"), std::string::npos) << t;
  EXPECT_NE(t.find("近1h：60 次中失败 4 次，可用率 93.3%，p95 41 秒"), std::string::npos) << t;
  EXPECT_NE(t.find("诊断：官方状态页暂无事件"), std::string::npos);
  EXPECT_NE(t.find("状态页：https://aistudio.google.com/status"), std::string::npos);
}

TEST(Render, ResolvedSaysHowLongItWasDown) {
  EXPECT_EQ(Headline(SampleResolved(TestNow())),
            "[RESOLVED] nano-banana-pro is back after 12 min down");
  EXPECT_EQ(Headline(SampleResolved(TestNow(), "zh")),
            "[已恢复] nano-banana-pro 已恢复，故障持续 12 分钟");
  EXPECT_EQ(RenderText(SampleResolved(TestNow()), {}).find("Error"), std::string::npos);
}

TEST(Render, OneAlertIsNotSaidTwice) {
  std::string t = RenderText(SampleNotification(TestNow()), {});
  size_t first = t.find("server error");
  ASSERT_NE(first, std::string::npos);
  EXPECT_EQ(t.find("server error", first + 1), std::string::npos) << t;
}

TEST(Render, SeveralAlertsGetAHeadlineNamingThem) {
  Notification n = SampleNotification(TestNow());
  n.items.push_back(n.items[0]);
  n.items[1].monitor = "imagen-4";
  EXPECT_EQ(Headline(n), "[CRITICAL] 2 alerts \u00b7 provider=google: nano-banana-pro, imagen-4");
  std::string t = RenderText(n, {});
  EXPECT_NE(t.find("\U0001F534 imagen-4: server error"), std::string::npos) << t;
}

TEST(Render, AlertsThatDoNotFitAreCounted) {
  Notification n = SampleNotification(TestNow());
  for (int i = 0; i < 30; ++i) {
    n.items.push_back(n.items[0]);
  }
  std::string t = RenderText(n, {.max_size = 2048});
  EXPECT_LE(t.size(), 2048u);
  EXPECT_NE(t.find("more alerts"), std::string::npos);
}

TEST(Render, MarkdownDialects) {
  Notification n = SampleNotification(TestNow());
  EXPECT_NE(RenderText(n, {.markup = Markup::kSlack}).find("*Model*: "), std::string::npos);
  EXPECT_NE(RenderText(n, {.markup = Markup::kSlack})
                .find("<https://aistudio.google.com/status|aistudio.google.com>"),
            std::string::npos);
  EXPECT_NE(RenderText(n, {.markup = Markup::kLarkMd})
                .find("[aistudio.google.com](https://aistudio.google.com/status)"),
            std::string::npos);
  EXPECT_NE(RenderText(n, {.markup = Markup::kDingTalk}).find("\n\n**Error**: "), std::string::npos)
      << RenderText(n, {.markup = Markup::kDingTalk});
  EXPECT_NE(RenderText(n, {.markup = Markup::kHtml})
                .find("<b>Error</b>: <code>The model is overloaded. Please try again "
                      "later.</code>"),
            std::string::npos);
}

TEST(Render, HostileErrorIsEscapedInEveryDialect) {
  Notification n = HostileNotification();
  for (Markup m : {Markup::kPlain, Markup::kSlack, Markup::kCommonMark, Markup::kDingTalk,
                   Markup::kWeCom, Markup::kLarkMd, Markup::kHtml}) {
    std::string t = RenderText(n, {.markup = m});
    SCOPED_TRACE(static_cast<int>(m));
    EXPECT_EQ(t.find('\0'), std::string::npos);
    EXPECT_EQ(SanitizeUtf8(t), t);  // valid UTF-8, no control characters
    EXPECT_LT(t.size(), 3000u);     // the 10 KB error is clipped
    if (m != Markup::kPlain) {
      EXPECT_EQ(t.find("<script>"), std::string::npos) << t;
      EXPECT_EQ(t.find("</font>"), std::string::npos) << t;
      EXPECT_EQ(t.find("<b>pro"), std::string::npos) << t;
    }
  }
  EXPECT_NE(RenderText(n, {.markup = Markup::kHtml}).find("&lt;script&gt;"), std::string::npos);
  EXPECT_NE(RenderText(n, {.markup = Markup::kCommonMark}).find("\\*bold\\*"), std::string::npos);
  EXPECT_NE(RenderText(n, {.markup = Markup::kLarkMd}).find("&#42;bold&#42;"), std::string::npos);
}

TEST(Render, ShownErrorIsOneClippedLine) {
  std::string e = ShownError(std::string(500, 'x') + "\nsecond");
  EXPECT_EQ(e.size(), 300u);
  EXPECT_EQ(e.substr(e.size() - 3), "\u2026");
}

TEST(Markup, TruncateBytesNeverSplitsACharacter) {
  std::string text = "服务端错误🔴 overloaded 过载";
  for (size_t max = 0; max <= text.size(); ++max) {
    std::string t = TruncateBytes(text, max);
    EXPECT_LE(t.size(), max);
    EXPECT_EQ(SanitizeUtf8(t), t) << max;
    if (max < text.size() && max >= 3) {
      EXPECT_EQ(t.substr(t.size() - 3), "\u2026") << max;
    }
  }
  EXPECT_EQ(TruncateBytes(text, text.size()), text);
}

TEST(Markup, TruncateUtf16CountsAstralCharactersTwice) {
  std::string text = "🔴🔴🔴🔴";  // 8 UTF-16 units
  EXPECT_EQ(Utf16Length(text), 8u);
  EXPECT_EQ(TruncateUtf16(text, 8), text);
  EXPECT_EQ(TruncateUtf16(text, 7), "🔴🔴🔴\u2026");
  EXPECT_LE(Utf16Length(TruncateUtf16(text, 5)), 5u);
}

TEST(Markup, TruncateHtmlClosesWhatItOpened) {
  std::string html = "<b>" + std::string(100, 'a') + " &amp; <a href=\"x\">link</a></b>";
  std::string t = TruncateMarkup(html, 60, Markup::kHtml);
  EXPECT_LE(t.size(), 60u);
  EXPECT_EQ(t.substr(t.size() - 4), "</b>") << t;
}

TEST(Markup, SanitizeDropsControlsAndReplacesBadBytes) {
  EXPECT_EQ(SanitizeUtf8(std::string("a\0b\x01\r\nc\xff", 9)), "ab\nc\uFFFD");
}

TEST(Render, Durations) {
  using std::chrono::milliseconds;
  EXPECT_EQ(FormatDuration(milliseconds(45'000), "en"), "45 s");
  EXPECT_EQ(FormatDuration(milliseconds(12 * 60'000), "en"), "12 min");
  EXPECT_EQ(FormatDuration(milliseconds(65 * 60'000), "en"), "1 h 5 min");
  EXPECT_EQ(FormatDuration(milliseconds(51 * 3'600'000LL), "en"), "2 d 3 h");
  EXPECT_EQ(FormatDuration(milliseconds(65 * 60'000), "zh"), "1 小时 5 分钟");
}

TEST(Render, ColoursByLevelAndGreenForRecovery) {
  Notification n = SampleNotification(TestNow());
  EXPECT_EQ(ColorHex(n), "#E01E5A");
  EXPECT_EQ(ColorInt(n), 0xE01E5A);
  EXPECT_EQ(FeishuTemplate(n), "red");
  n.level = AlertLevel::kWarning;
  EXPECT_EQ(FeishuTemplate(n), "orange");
  EXPECT_EQ(FeishuTemplate(SampleResolved(TestNow())), "green");
  EXPECT_EQ(ColorHex(SampleResolved(TestNow())), "#2EB67D");
}

}  // namespace
}  // namespace modelwatch::notify
