#pragma once

// What the simulator answers, and when: a scenario is a list of route timelines,
// each a sequence of steps (behaviours) advanced by request count or by time.
// The YAML format is documented in docs/simulator.md.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "core/check_result.h"
#include "core/status.h"

namespace modelwatch::sim {

using Millis = std::chrono::milliseconds;

// The APIs the simulator serves. One per distinct wire format.
enum class RouteKind {
  kOpenAiImages,         // POST /v1/images/generations
  kGemini,               // POST /v1beta/models/{model}:generateContent
  kOpenRouterChat,       // POST /api/v1/chat/completions
  kOpenRouterModels,     // GET  /api/v1/models
  kOpenRouterEndpoints,  // GET  /api/v1/models/{author}/{slug}/endpoints
  kGcpIncidents,         // GET  /incidents.json
  kStatuspageSummary,    // GET  /api/v2/summary.json
  kOpenAiImageFiles,     // GET  /sim-images/{file}: the images behind dall-e's data[].url
  kOpenAiModels,         // GET  /v1/models
  kGeminiModels,         // GET  /v1beta/models (paged: pageSize, pageToken)
  kGcpFeed,              // GET  /en/feed.atom: Google Cloud's Atom feed of incident updates
  kStability,            // POST /v2beta/stable-image/generate/{sd3|core|ultra}
  kFluxSubmit,           // POST /v1/{flux-model}: answers a task id and polling_url
  kFluxResult,           // GET  /v1/get_result?id=...: the task's status
  kFluxDelivery,         // GET  /sim-delivery/{file}?se=...&sig=...: the signed result URL
  kVertex,  // POST /v1/projects/{p}/locations/{l}/publishers/google/models/{m}:generateContent
  kGoogleToken,  // POST /token: the OAuth2 JWT-bearer grant (token_uri of the key file)
  kCredits,      // GET /v1/user/balance (Stability), /v1/credits (BFL): {"credits": N}
};
inline constexpr int kRouteKindCount = 18;

// "openai_images", "gemini", ... (the scenario file's spelling).
std::string_view ToString(RouteKind r);
std::optional<RouteKind> ParseRouteKind(std::string_view s);

enum class Behaviour {
  kOk,             // 200 with a real image (or the feed / model list)
  kRateLimit,      // 429 + Retry-After, the provider's rate-limit body
  kQuota,          // OpenAI 429 insufficient_quota, Google 429 quota, OpenRouter 402
  kAuth,           // the provider's invalid-key answer
  kBadRequest,     // 400
  kNotFound,       // 404 unknown model
  kServerError,    // 500
  kUnavailable,    // 503
  kHang,           // read the request, never answer
  kSlowDrip,       // headers at once, then the ok body a few bytes at a time
  kReset,          // TCP RST (SO_LINGER {1,0} then close)
  kMalformedJson,  // 200 with the ok body cut in half
  kNoImage,        // 200, valid JSON, no image
  kSafetyBlock,    // the provider's content refusal
  kPending,        // flux_result: the task is still queued / generating
};
std::string_view ToString(Behaviour b);
std::optional<Behaviour> ParseBehaviour(std::string_view s);

// Built-in status-feed content, when no body_file is given. kUpdated: the
// active incident with a second, newer update.
enum class FeedIncident { kDefault, kNone, kResolved, kActive, kUpdated };

// Where Gemini reports a safety block: promptFeedback.blockReason or
// candidates[0].finishReason IMAGE_SAFETY.
enum class SafetyKind { kImage, kPrompt };

struct ImageSpec {
  ImageFormat format = ImageFormat::kPng;
  int width = 64;
  int height = 64;
  bool operator<(const ImageSpec& o) const {
    return std::tie(format, width, height) < std::tie(o.format, o.width, o.height);
  }
};

// One phase of a timeline. Durations are scenario time: the server multiplies
// them by Scenario::time_scale before waiting (Retry-After header values are
// sent unscaled, as a provider would).
struct Step {
  Behaviour behaviour = Behaviour::kOk;
  Millis latency_min{0};  // drawn uniformly in [min, max] per request
  Millis latency_max{0};
  std::optional<int64_t> count;  // ends after this many requests...
  std::optional<Millis> length;  // ...or after this much (scaled) time; neither: forever
  ImageSpec image;
  Millis retry_after{std::chrono::seconds(20)};
  Millis drip{std::chrono::seconds(5)};  // slow_drip: time to dribble the body
  std::optional<int> http_status;        // overrides the behaviour's status code
  std::optional<std::string> body;       // body_file content, served instead of built-ins
  std::string body_content_type;         // from body_file's extension
  FeedIncident incident = FeedIncident::kDefault;
  SafetyKind safety = SafetyKind::kImage;
  std::optional<double> uptime =
      99.8;                 // openrouter_endpoints: uptime_last_*; `uptime: null` -> null
  int provider_status = 0;  // openrouter_endpoints: endpoints[].status
  int providers = 2;        // openrouter_endpoints: number of endpoints
  // Model lists (openai_models, gemini_models, openrouter_models): the IDs
  // listed while this step lasts, instead of Scenario::models; a model that
  // a later step leaves out has disappeared from its provider's list.
  std::optional<std::vector<std::string>> models;
  // openai_models: shutdown_date, openrouter_models: expiration_date
  // ("YYYY-MM-DD"), by model ID.
  std::vector<std::pair<std::string, std::string>> shutdown_dates;
};

struct RouteTimeline {
  RouteKind route = RouteKind::kOpenAiImages;
  std::string model;    // empty matches every model
  bool repeat = false;  // after the last step, start again; else the last step stays
  std::vector<Step> steps;
};

struct Scenario {
  std::string name;  // file name, for messages
  uint64_t seed = 1;
  double time_scale = 1.0;
  // When true, a generation request without its provider's key header
  // (Authorization: Bearer, x-goog-api-key or ?key=) gets the `auth` answer.
  bool require_auth = false;
  // The model IDs the providers know. When set, a generation request for any
  // other model gets its provider's unknown-model answer (not_found), and the
  // model lists list these; when empty, every model generates.
  std::vector<std::string> models;
  // PEM public key (from `service_account_key: FILE`): when set, the token
  // route verifies each assertion's RS256 signature with it, and the vertex
  // route accepts only the access tokens it issued, until they expire.
  std::string service_account_public_key;
  // expires_in of issued tokens (sent unscaled; accepted for the scaled time)
  Millis token_lifetime{std::chrono::seconds(3599)};
  // First match wins (route equal, model equal or empty). A request that no
  // timeline matches is answered `ok` at once.
  std::vector<RouteTimeline> routes;
};

// Parses a scenario. `name_for_errors` prefixes every message; `base_dir`
// resolves body_file paths. Every problem is reported, one per line, as
// "NAME:LINE:COL: message". Unknown keys are errors.
Result<Scenario> ParseScenario(std::string_view yaml_text, std::string_view name_for_errors,
                               const std::filesystem::path& base_dir = {});

// Reads and parses `path`; body_file paths are relative to its folder.
Result<Scenario> LoadScenario(const std::filesystem::path& path);

}  // namespace modelwatch::sim
