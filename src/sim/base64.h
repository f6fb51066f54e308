#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace modelwatch::sim {

// Standard alphabet, with '=' padding (what Gemini, OpenAI and data: URLs use).
std::string Base64Encode(std::string_view bytes);

// Decodes standard base64; nullopt on a character outside the alphabet or bad padding.
std::optional<std::string> Base64Decode(std::string_view text);

}  // namespace modelwatch::sim
