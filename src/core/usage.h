#pragma once

#include <cstdint>
#include <optional>

namespace modelwatch {

// What an answer says it used, as the provider's usage block gives it
// (Gemini `usageMetadata`, OpenAI `usage`, OpenRouter `usage`). Counts the
// answer did not give are 0. Plain data.
struct Usage {
  int64_t input_tokens = 0;         // prompt, text and image
  int64_t output_tokens = 0;        // every billed output token: text, image and thinking
  int64_t image_output_tokens = 0;  // the image part of output_tokens
  // What the provider says the call cost, in USD (OpenRouter `usage.cost`).
  std::optional<double> reported_cost;
};

}  // namespace modelwatch
