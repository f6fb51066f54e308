#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"

namespace modelwatch::notify {

// The pieces of an RFC 5322 / MIME message the email channel assembles.
// Pure functions.

// "Tue, 07 Oct 2026 13:25:04 +0000" (RFC 5322 section 3.3, in UTC).
std::string Rfc5322Date(WallTime t);

// A header value (Subject, a display name): CR, LF and other control
// characters become spaces (no header injection); text with non-ASCII bytes
// becomes RFC 2047 encoded words (=?UTF-8?B?...?=) of at most 75 characters,
// split between UTF-8 characters and folded with CRLF SP.
std::string EncodeHeaderText(std::string_view text);

// base64 of `bytes` in lines of 76 characters, each ending in CRLF.
std::string WrappedBase64(std::string_view bytes);

// One part of a multipart/alternative message.
struct MimePart {
  std::string content_type;  // "text/plain; charset=UTF-8"
  std::string body;          // UTF-8; sent as base64
};

// The whole message: `headers` (each "Name: value", no CRLF) then the
// MIME-Version and multipart/alternative headers and the parts, separated by
// `boundary`. Every line ends in CRLF and is at most 998 octets.
std::string MultipartMessage(const std::vector<std::string>& headers, std::string_view boundary,
                             const std::vector<MimePart>& parts);

}  // namespace modelwatch::notify
