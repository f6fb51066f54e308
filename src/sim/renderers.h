#pragma once

// Per-provider wire formats. Each renderer is pure: it turns a step's
// behaviour into the status, headers and JSON the real service would send
// (shapes from shared/formats and its samples). The delivery behaviours
// (hang, reset, slow_drip, malformed_json) are the responder's business:
// renderers see only content behaviours, and kOk for the drip and truncation.

#include <chrono>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "sim/image.h"
#include "sim/response.h"
#include "sim/scenario.h"

namespace modelwatch::sim {

struct RenderContext {
  const Step& step;
  std::string_view model;
  const nlohmann::json& request;         // the parsed request body, or null
  uint64_t sequence = 0;                 // request number since start, for ids
  int64_t unix_seconds = 0;              // wall time, for `created` fields
  std::chrono::milliseconds latency{0};  // drawn (unscaled), for timing headers
  ImageCache& images;
  const std::vector<std::string>& listed_models;  // listed by the route's model list
  std::string_view error_message;  // bad_request: why the request was refused, if known
  std::string_view error_param;    // ...and the parameter at fault, if any (OpenAI `param`)
  std::string_view error_code;     // ...and its machine code, if any (OpenAI `code`)
  std::string_view link_base;      // "http://host:port" the request came in on, for image links
  std::string_view file;           // openai_image_files: the requested file name
  std::string_view accept = {};    // the request's Accept header (stability)
  std::string_view query = {};     // the raw query string (flux_result: id=...)
  std::string_view issued_token = {};  // google_token: the access token to hand out
  int64_t token_lifetime_s = 0;        // ...and its expires_in
};

using Renderer = HttpReply (*)(const RenderContext& ctx, Behaviour behaviour);

HttpReply RenderOpenAiImages(const RenderContext& ctx, Behaviour behaviour);
HttpReply RenderGemini(const RenderContext& ctx, Behaviour behaviour);
HttpReply RenderOpenRouterChat(const RenderContext& ctx, Behaviour behaviour);
HttpReply RenderOpenRouterModels(const RenderContext& ctx, Behaviour behaviour);
// GET /v1/models (OpenAI) and GET /v1beta/models (Gemini, paged).
HttpReply RenderOpenAiModels(const RenderContext& ctx, Behaviour behaviour);
HttpReply RenderGeminiModels(const RenderContext& ctx, Behaviour behaviour);
// With ctx.model set (GET /v1/models/{m}, /v1beta/models/{m}): that one
// model's metadata, or the provider's 404 when the list lacks it.
// Stability's GET /v1/user/balance and BFL's GET /v1/credits (ctx.file
// "stability" / "bfl"): {"credits": N}; quota: no credits left.
HttpReply RenderCredits(const RenderContext& ctx, Behaviour behaviour);
// The shutdown date the step gives `model` ("YYYY-MM-DD"), or empty.
std::string_view ShutdownDate(const Step& step, std::string_view model);
HttpReply RenderOpenRouterEndpoints(const RenderContext& ctx, Behaviour behaviour);
HttpReply RenderGcpIncidents(const RenderContext& ctx, Behaviour behaviour);
HttpReply RenderStatuspageSummary(const RenderContext& ctx, Behaviour behaviour);
HttpReply RenderGcpFeed(const RenderContext& ctx, Behaviour behaviour);
HttpReply RenderStability(const RenderContext& ctx, Behaviour behaviour);
HttpReply RenderFluxSubmit(const RenderContext& ctx, Behaviour behaviour);
HttpReply RenderFluxResult(const RenderContext& ctx, Behaviour behaviour);
HttpReply RenderVertex(const RenderContext& ctx, Behaviour behaviour);
HttpReply RenderGoogleToken(const RenderContext& ctx, Behaviour behaviour);
// The image behind a dall-e link, rebuilt from the file name (sim/image_link.h).
HttpReply RenderOpenAiImageFile(const RenderContext& ctx, Behaviour behaviour);
// Blob Storage's 404, for a file name that no link carries.
HttpReply RenderImageFileNotFound(const RenderContext& ctx);

// The renderer for `route`.
Renderer RendererFor(RouteKind route);

// Seconds for a Retry-After header: whole, rounded up, at least 1.
int64_t RetryAfterSeconds(std::chrono::milliseconds d);

// Whether OpenAI treats `model` as dall-e (the default when empty); every
// other model is answered as a GPT image model.
bool IsDallEModel(std::string_view model);

// OpenRouter's error body, also used by its list endpoints.
HttpReply OpenRouterError(int code, std::string_view message);

}  // namespace modelwatch::sim
