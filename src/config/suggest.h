#pragma once

#include <span>
#include <string>
#include <string_view>

namespace modelwatch::config {

// Optimal-string-alignment distance (insert, delete, substitute, swap of two
// neighbours), ignoring ASCII case.
int EditDistance(std::string_view a, std::string_view b);

// ` (did you mean "interval"?)` for the candidate nearest to `word` when it is
// close enough to be a likely typo, else "".
std::string DidYouMean(std::string_view word, std::span<const std::string_view> candidates);

// `"a", "b" or "c"`: the allowed values, for messages.
std::string OneOf(std::span<const std::string_view> allowed);

}  // namespace modelwatch::config
