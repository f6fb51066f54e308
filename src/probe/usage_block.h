#pragma once

#include <optional>

#include "core/usage.h"
#include "probe/json_body.h"

namespace modelwatch::probe {

// Reads the usage block of a whole answer `body`; nullopt when it has none.
// Never throws; counts of the wrong type are 0.

// Gemini `usageMetadata` (also Vertex AI): output is candidatesTokenCount
// plus thoughtsTokenCount (thinking is billed as output); image output is
// the IMAGE entries of candidatesTokensDetails. camelCase or snake_case.
std::optional<Usage> ReadGeminiUsage(const Json& body);

// OpenAI GPT image `usage`: input_tokens, output_tokens; output is image
// tokens unless output_tokens_details says how many are text.
std::optional<Usage> ReadOpenAiImageUsage(const Json& body);

// OpenRouter chat `usage`: prompt_tokens, completion_tokens,
// completion_tokens_details.image_tokens, and `cost` (USD, sent when the
// request asked for usage accounting).
std::optional<Usage> ReadOpenRouterUsage(const Json& body);

}  // namespace modelwatch::probe
