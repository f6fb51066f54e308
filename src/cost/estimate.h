#pragma once

#include <optional>
#include <string>

#include "config/config.h"
#include "core/check_status.h"
#include "core/usage.h"

namespace modelwatch::cost {

// What one check of a monitor costs (docs/cost.md). Pure functions of the
// monitor's resolved config (its `price` and `cost_per_call`); all in USD.

// The key of Price::per_image_by this monitor's request matches: "1K"
// (Gemini imageSize) or "low 1024x1024" (OpenAI quality and size).
std::string ShapeKey(const config::Monitor& m);

// The expected price of one billed check, before any call: cost_per_call,
// else the per-image price of the request's shape, else the plain per-image
// price. nullopt: no price is known (say NoPrice(m)).
std::optional<double> PricePerCheck(const config::Monitor& m);

// What a scheduled check costs on average: PricePerCheck over full_every
// (one check in N generates; light checks are free). For projections.
std::optional<double> AveragePerCheck(const config::Monitor& m);

// What a finished check cost: cost_per_call when set (billed checks only);
// else the provider's reported cost; else the answer's usage times the
// model's token prices; else, for a success without usage, the per-image
// price. nullopt when nothing was billed (a failure without usage) or no
// price is known.
std::optional<double> CostOfCheck(const config::Monitor& m, CheckStatus status, const Usage* usage);

// "no price for MODEL (add it under prices: or set cost_per_call)".
std::string NoPrice(const config::Monitor& m);

}  // namespace modelwatch::cost
