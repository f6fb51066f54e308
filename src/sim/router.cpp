#include "sim/router.h"

#include <algorithm>
#include <utility>

#include "sim/image_link.h"

namespace modelwatch::sim {
namespace {

RouteMatch Found(RouteKind route, std::string_view method, std::string_view want,
                 std::string model = {}) {
  RouteMatch m;
  m.outcome = method == want ? RouteMatch::Outcome::kFound : RouteMatch::Outcome::kWrongMethod;
  m.route = route;
  m.model = std::move(model);
  return m;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  if (c >= 'A' && c <= 'F') {
    return c - 'A' + 10;
  }
  return -1;
}

}  // namespace

std::string PercentDecode(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      int hi = HexValue(s[i + 1]);
      int lo = HexValue(s[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
        continue;
      }
    }
    out += s[i];
  }
  return out;
}

RouteMatch MatchRoute(std::string_view method, std::string_view path) {
  // As strict as api.openai.com: without /v1 the path is unknown (404). The
  // probe adds /v1 when base_url lacks it (docs/config.md, base_url).
  if (path == "/v1/images/generations") {
    return Found(RouteKind::kOpenAiImages, method, "POST");
  }
  if (path == "/api/v1/chat/completions") {
    return Found(RouteKind::kOpenRouterChat, method, "POST");
  }
  if (path == "/v1/models") {
    return Found(RouteKind::kOpenAiModels, method, "GET");
  }
  if (path == "/v1beta/models") {
    return Found(RouteKind::kGeminiModels, method, "GET");
  }
  if (path == "/api/v1/models") {
    return Found(RouteKind::kOpenRouterModels, method, "GET");
  }
  // Light checks (docs/cost.md): one model's metadata, answered from the lists.
  for (auto [prefix, kind] :
       {std::pair{std::string_view("/v1beta/models/"), RouteKind::kGeminiModels},
        std::pair{std::string_view("/v1/models/"), RouteKind::kOpenAiModels}}) {
    std::string_view rest = path.substr(std::min(path.size(), prefix.size()));
    if (path.starts_with(prefix) && !rest.empty() &&
        rest.find_first_of("/:") == std::string_view::npos) {
      return Found(kind, method, "GET", PercentDecode(rest));
    }
  }
  if (path == "/v1/user/balance" || path == "/v1/credits") {
    RouteMatch m = Found(RouteKind::kCredits, method, "GET");
    m.file = path == "/v1/credits" ? "bfl" : "stability";
    return m;
  }
  if (path == "/incidents.json") {
    return Found(RouteKind::kGcpIncidents, method, "GET");
  }
  if (path == "/en/feed.atom" || path == "/feed.atom") {
    return Found(RouteKind::kGcpFeed, method, "GET");
  }
  if (path == "/api/v2/summary.json") {
    return Found(RouteKind::kStatuspageSummary, method, "GET");
  }
  for (std::string_view prefix : {"/v1beta/models/", "/v1/models/"}) {
    constexpr std::string_view kVerb = ":generateContent";
    if (path.starts_with(prefix) && path.ends_with(kVerb)) {
      std::string_view model =
          path.substr(prefix.size(), path.size() - prefix.size() - kVerb.size());
      if (!model.empty() && model.find('/') == std::string_view::npos) {
        return Found(RouteKind::kGemini, method, "POST", PercentDecode(model));
      }
    }
  }
  constexpr std::string_view kStabilityPath = "/v2beta/stable-image/generate/";
  if (path.starts_with(kStabilityPath)) {
    std::string_view endpoint = path.substr(kStabilityPath.size());
    if (endpoint == "sd3" || endpoint == "core" || endpoint == "ultra") {
      RouteMatch m = Found(RouteKind::kStability, method, "POST");
      m.file = std::string(endpoint);
      return m;
    }
  }
  if (path == "/v1/get_result") {
    return Found(RouteKind::kFluxResult, method, "GET");
  }
  if (path.starts_with("/v1/flux-") && path.find('/', 4) == std::string_view::npos) {
    return Found(RouteKind::kFluxSubmit, method, "POST", std::string(path.substr(4)));
  }
  constexpr std::string_view kDelivery = "/sim-delivery/";
  if (path.starts_with(kDelivery) && path.size() > kDelivery.size() &&
      path.find('/', kDelivery.size()) == std::string_view::npos) {
    RouteMatch m = Found(RouteKind::kFluxDelivery, method, "GET");
    m.file = std::string(path.substr(kDelivery.size()));
    return m;
  }
  if (path == "/token") {
    return Found(RouteKind::kGoogleToken, method, "POST");
  }
  constexpr std::string_view kExpress = "/v1/publishers/google/models/";
  if (path.starts_with(kExpress) && path.ends_with(":generateContent")) {
    std::string_view model = path.substr(kExpress.size());
    model.remove_suffix(std::string_view(":generateContent").size());
    if (!model.empty() && model.find('/') == std::string_view::npos) {
      RouteMatch m = Found(RouteKind::kVertex, method, "POST", PercentDecode(model));
      m.file = "express";  // Vertex express mode: ?key=, no project or token
      return m;
    }
  }
  if (path.starts_with("/v1/projects/") && path.ends_with(":generateContent")) {
    constexpr std::string_view kModels = "/publishers/google/models/";
    size_t at = path.find(kModels);
    if (at != std::string_view::npos && path.find("/locations/") < at) {
      std::string_view model = path.substr(at + kModels.size());
      model.remove_suffix(std::string_view(":generateContent").size());
      if (!model.empty() && model.find('/') == std::string_view::npos) {
        return Found(RouteKind::kVertex, method, "POST", PercentDecode(model));
      }
    }
  }
  if (path.starts_with(kImageLinkPath) && path.size() > kImageLinkPath.size() &&
      path.find('/', kImageLinkPath.size()) == std::string_view::npos) {
    RouteMatch m = Found(RouteKind::kOpenAiImageFiles, method, "GET");
    m.file = std::string(path.substr(kImageLinkPath.size()));
    return m;
  }
  constexpr std::string_view kModels = "/api/v1/models/";
  constexpr std::string_view kEndpoints = "/endpoints";
  if (path.starts_with(kModels) && path.ends_with(kEndpoints) &&
      path.size() > kModels.size() + kEndpoints.size()) {
    std::string_view id =
        path.substr(kModels.size(), path.size() - kModels.size() - kEndpoints.size());
    size_t slash = id.find('/');
    if (slash != std::string_view::npos && slash > 0 && slash + 1 < id.size() &&
        id.find('/', slash + 1) == std::string_view::npos) {
      return Found(RouteKind::kOpenRouterEndpoints, method, "GET", PercentDecode(id));
    }
  }
  return {};
}

}  // namespace modelwatch::sim
