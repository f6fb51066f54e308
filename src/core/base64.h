#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace modelwatch {

// Decodes base64 in the standard (+/) or URL-safe (-_) alphabet, or a mix.
// Whitespace (space, tab, CR, LF) anywhere is skipped, as providers wrap long
// payloads. Padding is optional, but nothing may follow it. Returns nullopt on
// any other character or an impossible length (one leftover symbol).
//
// Table-driven and single-pass.
std::optional<std::string> DecodeBase64(std::string_view text);

// Decodes whole quanta from the start of `text` until at least `max_bytes`
// bytes are out (or the text ends), without looking further: the image
// checks read only a header. Nullopt on a bad symbol before that point.
std::optional<std::string> DecodeBase64Prefix(std::string_view text, size_t max_bytes);

// What DecodeBase64 would return the size of, counted without decoding
// (whitespace and padding skipped). Meaningful for well-formed input only.
size_t DecodedBase64Size(std::string_view text);

// Standard alphabet with padding (what Gemini, OpenAI and data: URLs use).
std::string EncodeBase64(std::string_view bytes);

}  // namespace modelwatch
