#pragma once

#include <optional>
#include <string_view>

namespace modelwatch::config {

// A model ID its provider has announced or carried out the shutdown of, from
// the providers' deprecation pages (the table in retired.cpp says which and
// when it was read). validate warns of a monitor on one before the first call
// fails; the `models` source (docs/lifecycle.md) learns of later ones live.
struct RetiredModel {
  std::string_view model;        // as a monitor names it
  std::string_view shutdown;     // "YYYY-MM-DD"
  std::string_view replacement;  // what to move to, or how to find it
  std::string_view source;       // where the date was published
};

// The entry for `model` ("gpt-image-1", or an OpenRouter ID "openai/gpt-image-1"),
// or nullopt when no shutdown is known.
std::optional<RetiredModel> KnownShutdown(std::string_view model);

}  // namespace modelwatch::config
