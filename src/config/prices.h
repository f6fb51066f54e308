#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/diagnostics.h"
#include "config/mark.h"
#include "config/node.h"

namespace modelwatch::config {

// What one model costs: the unit prices of its answers. Token prices are per
// million tokens; an unset price is unknown, not free. All prices here are
// in USD: an entry written in another `currency` carries its rate
// (`usd_per_unit`) and is converted when it is read (docs/cost.md).
struct Price {
  std::string model;
  std::string currency = "USD";  // as written; the figures below are converted to USD
  std::optional<double> input_per_mtok;         // prompt tokens (text and image)
  std::optional<double> output_per_mtok;        // text output and thinking tokens
  std::optional<double> image_output_per_mtok;  // image output tokens
  std::optional<double> per_image;              // one image, when the answer has no usage
  // One image by request shape: "1K" (Gemini imageSize) or "low 1024x1024"
  // (OpenAI quality and size).
  std::map<std::string, double> per_image_by;
  std::string date;    // when the figure was read, "2026-05-29"
  std::string source;  // where it comes from
  Mark mark;           // where it is written (the built-in table or the config)
};

// Prices by model: the built-in table (data/prices.yaml) with a config's
// `prices:` entries laid over it.
struct PriceTable {
  std::vector<Price> entries;  // sorted by model, one per model

  // The price of `model`: exact, then without a "models/" prefix, then
  // without an OpenRouter-style "vendor/" prefix. nullptr when unknown.
  const Price* Find(std::string_view model) const;
  // Adds `p`, replacing an entry for the same model.
  void Put(Price p);
};

// The price table compiled into the binary (data/prices.yaml), parsed once.
// Its marks name "data/prices.yaml".
const PriceTable& BuiltinPrices();

// Parses a `prices:` map (model -> unit prices) into `table`, overriding
// entries with the same model; every problem goes to `scope`.
void ParsePrices(const Scope& scope, const Node& entry, PriceTable& table);

// The text of data/prices.yaml, embedded at build time.
std::string_view BuiltinPricesYaml();

}  // namespace modelwatch::config
