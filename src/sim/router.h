#pragma once

#include <string>
#include <string_view>

#include "sim/scenario.h"

namespace modelwatch::sim {

struct RouteMatch {
  enum class Outcome { kFound, kNotFound, kWrongMethod };
  Outcome outcome = Outcome::kNotFound;
  RouteKind route = RouteKind::kOpenAiImages;
  std::string model;  // from the path (gemini, openrouter_endpoints); else empty
  // openai_image_files, flux_delivery: the file name after the route's
  // folder; stability: the endpoint (sd3, core, ultra); else empty
  std::string file;
};

// Maps a request line to the API it belongs to. `path` excludes the query. Pure.
RouteMatch MatchRoute(std::string_view method, std::string_view path);

// Decodes %XX escapes (OpenRouter slugs carry "%3A" for ':').
std::string PercentDecode(std::string_view s);

}  // namespace modelwatch::sim
