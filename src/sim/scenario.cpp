#include "sim/scenario.h"

#include <array>
#include <fstream>
#include <sstream>
#include <utility>

namespace modelwatch::sim {
namespace {

constexpr std::array<std::pair<RouteKind, std::string_view>, kRouteKindCount> kRouteNames = {{
    {RouteKind::kOpenAiImages, "openai_images"},
    {RouteKind::kGemini, "gemini"},
    {RouteKind::kOpenRouterChat, "openrouter_chat"},
    {RouteKind::kOpenRouterModels, "openrouter_models"},
    {RouteKind::kOpenRouterEndpoints, "openrouter_endpoints"},
    {RouteKind::kGcpIncidents, "gcp_incidents"},
    {RouteKind::kStatuspageSummary, "statuspage_summary"},
    {RouteKind::kGcpFeed, "gcp_feed"},
    {RouteKind::kOpenAiImageFiles, "openai_image_files"},
    {RouteKind::kOpenAiModels, "openai_models"},
    {RouteKind::kGeminiModels, "gemini_models"},
    {RouteKind::kStability, "stability"},
    {RouteKind::kFluxSubmit, "flux_submit"},
    {RouteKind::kFluxResult, "flux_result"},
    {RouteKind::kFluxDelivery, "flux_delivery"},
    {RouteKind::kVertex, "vertex"},
    {RouteKind::kGoogleToken, "google_token"},
    {RouteKind::kCredits, "credits"},
}};

constexpr std::pair<Behaviour, std::string_view> kBehaviourNames[] = {
    {Behaviour::kOk, "ok"},
    {Behaviour::kRateLimit, "rate_limit"},
    {Behaviour::kQuota, "quota"},
    {Behaviour::kAuth, "auth"},
    {Behaviour::kBadRequest, "bad_request"},
    {Behaviour::kNotFound, "not_found"},
    {Behaviour::kServerError, "server_error"},
    {Behaviour::kUnavailable, "unavailable"},
    {Behaviour::kHang, "hang"},
    {Behaviour::kSlowDrip, "slow_drip"},
    {Behaviour::kReset, "reset"},
    {Behaviour::kMalformedJson, "malformed_json"},
    {Behaviour::kNoImage, "no_image"},
    {Behaviour::kSafetyBlock, "safety_block"},
    {Behaviour::kPending, "pending"},
};

}  // namespace

std::string_view ToString(RouteKind r) {
  for (const auto& [kind, name] : kRouteNames) {
    if (kind == r) {
      return name;
    }
  }
  return "unknown";
}

std::optional<RouteKind> ParseRouteKind(std::string_view s) {
  for (const auto& [kind, name] : kRouteNames) {
    if (name == s) {
      return kind;
    }
  }
  return std::nullopt;
}

std::string_view ToString(Behaviour b) {
  for (const auto& [kind, name] : kBehaviourNames) {
    if (kind == b) {
      return name;
    }
  }
  return "unknown";
}

std::optional<Behaviour> ParseBehaviour(std::string_view s) {
  for (const auto& [kind, name] : kBehaviourNames) {
    if (name == s) {
      return kind;
    }
  }
  return std::nullopt;
}

Result<Scenario> LoadScenario(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Status::NotFound(path.string() + ": cannot open scenario file");
  }
  std::ostringstream text;
  text << in.rdbuf();
  return ParseScenario(text.str(), path.string(), path.parent_path());
}

}  // namespace modelwatch::sim
