#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "probe/json_body.h"

namespace modelwatch::probe {

// What a provider said in an error body, read from any of the three dialects
// in formats/: OpenAI {error:{message,type,param,code:string}}, Google
// {error:{code:int,message,status,details[]}} and OpenRouter
// {error:{code:int,message,metadata{raw,provider_name,...}}}. OpenAI-compatible
// gateways mix them, so the fields are read independently, not by provider.
struct ProviderError {
  int code = 0;               // numeric error.code (Google, OpenRouter); 0 when absent
  std::string code_text;      // error.code when it is a string (OpenAI)
  std::string type;           // error.type (OpenAI)
  std::string status;         // error.status, Google's canonical code ("RESOURCE_EXHAUSTED")
  std::string reason;         // reason of the first google.rpc.ErrorInfo detail
  std::string message;        // error.message
  std::string raw;            // OpenRouter metadata.raw: the upstream provider's own text
  std::string provider_name;  // OpenRouter metadata.provider_name
  // quotaId (or quotaMetric) of each google.rpc.QuotaFailure violation.
  std::vector<std::string> quota_ids;
  bool quota_failure = false;  // a QuotaFailure detail was present
  bool moderation = false;     // OpenRouter moderation metadata (reasons / flagged_input)
  std::optional<std::chrono::seconds> retry_delay;  // google.rpc.RetryInfo, rounded up

  // The human text: "<label>: <message>" where label is the most specific
  // machine code present, plus the upstream text for OpenRouter.
  std::string Describe() const;
};

// Reads `body["error"]` when it is an object; nullopt otherwise. A bare
// string error ({"error":"..."}, seen on some gateways) becomes the message.
std::optional<ProviderError> ParseProviderError(const Json& body);

}  // namespace modelwatch::probe
