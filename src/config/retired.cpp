#include "config/retired.h"

#include <array>

namespace modelwatch::config {

namespace {

constexpr std::string_view kOpenAi = "platform.openai.com/docs/deprecations (read 2026-11)";
constexpr std::string_view kGoogle = "ai.google.dev/gemini-api/docs/deprecations (read 2026-11)";
constexpr std::string_view kOpenAiNext =
    "a current gpt-image model: take its ID from GET /v1/models (e.g. gpt-image-2)";

constexpr std::array<RetiredModel, 9> kRetired = {{
    {"dall-e-2", "2026-05-12", kOpenAiNext, kOpenAi},
    {"dall-e-3", "2026-05-12", kOpenAiNext, kOpenAi},
    {"gpt-image-1", "2026-10-23", kOpenAiNext, kOpenAi},
    {"gpt-image-1-mini", "2026-12-01", kOpenAiNext, kOpenAi},
    {"gpt-image-1.5", "2026-12-01", kOpenAiNext, kOpenAi},
    {"chatgpt-image-latest", "2026-12-01", kOpenAiNext, kOpenAi},
    {"gemini-3-pro-image-preview", "2026-06-25", "gemini-3-pro-image", kGoogle},
    {"gemini-3.1-flash-image-preview", "2026-06-25", "gemini-3.1-flash-image", kGoogle},
    {"gemini-3.1-flash-image", "2026-10-29",
     "a current Gemini image model: take its ID from GET /v1beta/models", kGoogle},
}};

}  // namespace

std::optional<RetiredModel> KnownShutdown(std::string_view model) {
  // OpenRouter IDs carry the author: "openai/gpt-image-1", "google/gemini-...".
  if (size_t slash = model.find('/'); slash != std::string_view::npos) {
    model = model.substr(slash + 1);
  }
  for (const RetiredModel& r : kRetired) {
    if (r.model == model) {
      return r;
    }
  }
  return std::nullopt;
}

}  // namespace modelwatch::config
