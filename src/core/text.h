#pragma once

#include <string>
#include <string_view>

namespace modelwatch {

// ASCII lower case; other bytes (UTF-8 included) unchanged.
std::string AsciiLower(std::string_view s);

// `s` without leading and trailing whitespace (space, tab, CR, LF, VT, FF).
std::string_view TrimSpace(std::string_view s);

}  // namespace modelwatch
