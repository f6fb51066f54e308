#pragma once

#include <string_view>

#include "core/check_result.h"
#include "core/status.h"
#include "net/request.h"

namespace modelwatch::probe {

// The three ways an image reaches a probe, each checked down to a readable
// header (probe/image_header.h). On failure the Status message says what was
// wrong in words fit for Verdict::error ("not valid base64", ...); a bad
// image is a check outcome, so callers turn it into invalid_response.

//
// Image requests set net::Request::keep_bytes to this: the answer keeps the
// first 256 KiB of each string (a base64 image's first 192 KiB of bytes) and
// of a raw image, far past where any header ends, and counts the rest. Each
// function is given the response the text came from, to learn the full size.
inline constexpr size_t kImageKeepBytes = size_t{256} << 10;

// Raw bytes, e.g. the body of a fetched image URL; `total` is the image's
// full size when `bytes` is only its start (0: `bytes` is all of it).
Result<ImageInfo> ReadImage(std::string_view bytes, size_t total = 0);

// A base64 payload (OpenAI b64_json, Gemini inlineData.data) read from
// `from`'s body (nullptr: `base64` is whole).
Result<ImageInfo> DecodeImageBase64(std::string_view base64, const net::Response* from = nullptr);

// A data URL "data:image/png;base64,...." (OpenRouter message.images[]).
Result<ImageInfo> DecodeImageDataUrl(std::string_view url, const net::Response* from = nullptr);

}  // namespace modelwatch::probe
