#pragma once

#include <string_view>

#include "core/check_result.h"
#include "core/status.h"

namespace modelwatch::probe {

// The three ways an image reaches a probe, each checked down to a readable
// header (probe/image_header.h). On failure the Status message says what was
// wrong in words fit for Verdict::error ("not valid base64", ...); a bad
// image is a check outcome, so callers turn it into invalid_response.

// Raw bytes, e.g. the body of a fetched image URL.
Result<ImageInfo> ReadImage(std::string_view bytes);

// A base64 payload (OpenAI b64_json, Gemini inlineData.data).
Result<ImageInfo> DecodeImageBase64(std::string_view base64);

// A data URL "data:image/png;base64,...." (OpenRouter message.images[]).
Result<ImageInfo> DecodeImageDataUrl(std::string_view url);

}  // namespace modelwatch::probe
