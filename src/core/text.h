#pragma once

#include <string>
#include <string_view>

namespace modelwatch {

// ASCII lower case; other bytes (UTF-8 included) unchanged.
std::string AsciiLower(std::string_view s);

// `s` without leading and trailing whitespace (space, tab, CR, LF, VT, FF).
std::string_view TrimSpace(std::string_view s);

// `s` safe to print anywhere (a terminal, CSV, JSON, a chat message): valid
// UTF-8 with each invalid byte replaced by U+FFFD, and each control
// character other than tab and newline (C0, DEL, C1: NUL, ESC, ...) written
// as a visible escape such as "\x1b", so provider bytes can neither cut a
// line short nor drive the terminal.
std::string PrintableText(std::string_view s);

// Appends `text` with & < > " ' escaped for HTML and XML, and control
// characters other than tab and newline (invalid in XML 1.0) replaced by
// U+FFFD. The one escaper of the dashboard, the email bodies and the
// simulator's feeds.
void AppendXmlEscaped(std::string& out, std::string_view text);
std::string XmlEscaped(std::string_view text);

// `s` percent-encoded (RFC 3986): every byte but the unreserved A-Z a-z 0-9
// - . _ ~ as %XX. Safe for one URL path segment or one query value.
std::string PercentEncode(std::string_view s);

}  // namespace modelwatch
