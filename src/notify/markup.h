#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace modelwatch::notify {

// The text dialects channels speak. Every piece of text that comes from
// outside (a provider's error above all, but also monitor names) is escaped
// for the dialect before it is placed, so it can neither inject markup nor
// break formatting.
enum class Markup {
  kPlain,       // no markup: WeCom/Feishu/DingTalk text messages, PagerDuty, Alertmanager
  kSlack,       // Slack mrkdwn: *bold*, <url|label>, &amp; &lt; &gt;
  kCommonMark,  // Discord, Teams TextBlock: **bold**, [label](url), backslash escapes
  kDingTalk,    // DingTalk markdown: paragraphs, **bold**, entities for < > &
  kWeCom,       // WeCom markdown: **bold**, [label](url), entities for < > &
  kLarkMd,      // Feishu/Lark card lark_md: **bold**, [label](url), numeric entities
  kHtml,        // Telegram parse_mode HTML: <b>, <code>, <a href>, &lt; &gt; &amp; &quot;
};

// `text` made safe to place as literal text in `m`.
std::string Escape(std::string_view text, Markup m);
std::string EscapeHtml(std::string_view text);  // & < > " '

std::string Bold(std::string_view escaped, Markup m);
// A short literal (an error text), escaped here; a code span where the
// dialect has a safe one (Slack, HTML), else quoted.
std::string Literal(std::string_view raw, Markup m);
// A link to `url` labelled `label` (both raw; escaped here).
std::string Link(std::string_view url, std::string_view label, Markup m);
// What separates lines: "\n", or "\n\n" where single newlines are folded.
std::string_view LineBreak(Markup m);

// Valid UTF-8 with no control characters: invalid bytes become U+FFFD, NUL
// and other C0 controls (but \n and \t) and DEL are dropped, \r\n becomes
// \n. JSON encoders and chat clients then never choke on it.
std::string SanitizeUtf8(std::string_view text);

// `text` on one line (newlines and tabs become spaces, runs of spaces
// collapse), for an error text shown inline.
std::string OneLine(std::string_view text);

inline constexpr std::string_view kEllipsis = "\u2026";  // …

// At most `max_bytes` bytes of `text`, cut at a code point boundary, ending
// with "…" (counted in the limit) when anything was cut. `text` must be
// valid UTF-8 (SanitizeUtf8).
std::string TruncateBytes(std::string_view text, size_t max_bytes);

// Length in UTF-16 code units, how Discord and Telegram count their limits.
size_t Utf16Length(std::string_view text);
// TruncateBytes with the limit in UTF-16 code units.
std::string TruncateUtf16(std::string_view text, size_t max_units);

// A cut that keeps markup well-formed: in kHtml an unfinished tag or entity
// at the cut is dropped and open tags are closed; elsewhere as TruncateBytes.
std::string TruncateMarkup(std::string_view text, size_t max_bytes, Markup m);

}  // namespace modelwatch::notify
