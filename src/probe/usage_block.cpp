#include "probe/usage_block.h"

#include <string_view>

namespace modelwatch::probe {
namespace {

int64_t Count(const Json* j) {
  if (j == nullptr || !j->is_number()) {
    return 0;
  }
  double v = j->get<double>();
  return v > 0 ? static_cast<int64_t>(v) : 0;
}

const Json* Either(const Json* j, std::string_view camel, std::string_view snake) {
  const Json* v = Member(j, camel);
  return v != nullptr ? v : Member(j, snake);
}

}  // namespace

std::optional<Usage> ReadGeminiUsage(const Json& body) {
  const Json* u = Either(&body, "usageMetadata", "usage_metadata");
  if (u == nullptr || !u->is_object()) {
    return std::nullopt;
  }
  Usage usage;
  usage.input_tokens = Count(Either(u, "promptTokenCount", "prompt_token_count"));
  usage.output_tokens = Count(Either(u, "candidatesTokenCount", "candidates_token_count")) +
                        Count(Either(u, "thoughtsTokenCount", "thoughts_token_count"));
  if (const Json* details = Either(u, "candidatesTokensDetails", "candidates_tokens_details");
      details != nullptr && details->is_array()) {
    for (const Json& d : *details) {
      if (StringOf(Member(&d, "modality")) == "IMAGE") {
        usage.image_output_tokens += Count(Either(&d, "tokenCount", "token_count"));
      }
    }
  }
  return usage;
}

std::optional<Usage> ReadOpenAiImageUsage(const Json& body) {
  const Json* u = Member(&body, "usage");
  if (u == nullptr || !u->is_object()) {
    return std::nullopt;
  }
  Usage usage;
  usage.input_tokens = Count(Member(u, "input_tokens"));
  usage.output_tokens = Count(Member(u, "output_tokens"));
  usage.image_output_tokens = usage.output_tokens;
  if (const Json* details = Member(u, "output_tokens_details"); details != nullptr) {
    if (const Json* image = Member(details, "image_tokens"); image != nullptr) {
      usage.image_output_tokens = Count(image);
    } else {
      usage.image_output_tokens = usage.output_tokens - Count(Member(details, "text_tokens"));
    }
  }
  return usage;
}

std::optional<Usage> ReadOpenRouterUsage(const Json& body) {
  const Json* u = Member(&body, "usage");
  if (u == nullptr || !u->is_object()) {
    return std::nullopt;
  }
  Usage usage;
  usage.input_tokens = Count(Member(u, "prompt_tokens"));
  usage.output_tokens = Count(Member(u, "completion_tokens"));
  usage.image_output_tokens = Count(Member(Member(u, "completion_tokens_details"), "image_tokens"));
  if (const Json* cost = Member(u, "cost"); cost != nullptr && cost->is_number()) {
    usage.reported_cost = cost->get<double>();
  }
  return usage;
}

}  // namespace modelwatch::probe
