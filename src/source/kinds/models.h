#pragma once

// The `models` source kind: a provider's model list, polled (daily by
// default) to learn whether the monitored models are still served and when
// they shut down. docs/lifecycle.md tells the config.

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "core/secret.h"
#include "core/status.h"
#include "source/source.h"

namespace modelwatch::source {

// How often a models source polls unless its config says otherwise.
inline constexpr std::chrono::hours kModelsDefaultInterval{24};

// A models source for `provider` ("openai", "gemini" or "openrouter"):
//   openai:     GET {base_url}/models, base https://api.openai.com/v1,
//               Bearer key (required); an entry's `shutdown_date` is kept.
//   gemini:     GET {base_url}/v1beta/models?pageSize=1000, base
//               https://generativelanguage.googleapis.com,
//               x-goog-api-key (required). One page of up to 1000 models is
//               read: when the answer has a nextPageToken and a watched model
//               is not on that page, the snapshot is kUnknown (saying so),
//               never "disappeared".
//   openrouter: GET {base_url}/api/v1/models, base https://openrouter.ai, no
//               key needed (sent as Bearer when given); `expiration_date` kept.
// (A base_url that already ends in /v1beta or /api/v1 is taken as it is.)
// `models` are the IDs to watch, as monitors name them (Gemini's "models/"
// prefix is optional). An empty base_url takes the default. Parse() fills
// Snapshot::models (one ModelListing per watched model, in order), kind
// "models", health kOperational once the list was read (the list says
// nothing of outages) or kUnknown with why; Snapshot::source is left for the
// poller to set. Errors: unknown provider, no models, a missing key where
// one is required, a base_url that is not http(s).
Result<SourcePtr> MakeModelsSource(std::string_view provider, std::string base_url, Secret key,
                                   std::vector<std::string> models);

}  // namespace modelwatch::source
