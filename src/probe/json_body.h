#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace modelwatch::probe {

using Json = nlohmann::json;

// The one place the probe module parses JSON: never throws, returns nullopt
// for anything that is not a complete JSON document, and for one of more
// than a million values (no real answer has them; they would cost seconds of
// the network thread and gigabytes).
std::optional<Json> ParseJson(std::string_view text);
// The same, without copying `text` when its spare capacity already holds the
// parser's padding (response bodies from net::Loop do).
std::optional<Json> ParseJson(const std::string& text);

// Non-throwing lookups: nullptr when `j` is not an object / array or the
// member / element is absent. Pointers borrow from `j`.
const Json* Member(const Json* j, std::string_view key);
const Json* Element(const Json* j, size_t index);

// The string value of `j`, or `fallback` when `j` is null or not a string.
// The view borrows from `j`.
std::string_view StringOf(const Json* j, std::string_view fallback = "");

// Serializes without throwing: invalid UTF-8 from a config value is replaced
// rather than aborting the request.
std::string DumpJson(const Json& j);

}  // namespace modelwatch::probe
