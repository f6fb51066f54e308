#include "config/byte_size.h"

#include <fmt/format.h>

#include <array>
#include <cctype>
#include <limits>
#include <utility>

namespace modelwatch::config {

Result<size_t> ParseByteSize(std::string_view text) {
  auto bad = [&](std::string_view why) {
    return Status::InvalidArgument(fmt::format(
        "invalid size \"{}\": {} (use bytes, or a unit: KB, MB, GB, KiB, MiB, GiB)", text, why));
  };
  size_t i = 0;
  uint64_t n = 0;
  while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
    n = n * 10 + static_cast<uint64_t>(text[i] - '0');
    if (n > (1ULL << 50)) {
      return bad("too large");
    }
    ++i;
  }
  if (i == 0) {
    return bad("expected a whole number");
  }
  while (i < text.size() && text[i] == ' ') {
    ++i;
  }
  std::string_view unit = text.substr(i);
  static constexpr std::array<std::pair<std::string_view, uint64_t>, 8> kUnits = {{
      {"", 1},
      {"B", 1},
      {"KB", 1000},
      {"MB", 1000 * 1000},
      {"GB", 1000 * 1000 * 1000},
      {"KiB", 1024},
      {"MiB", 1024 * 1024},
      {"GiB", 1024 * 1024 * 1024},
  }};
  for (auto [name, mult] : kUnits) {
    if (unit == name) {
      if (n > std::numeric_limits<uint64_t>::max() / mult / 2) {
        return bad("too large");
      }
      return static_cast<size_t>(n * mult);
    }
  }
  return bad(fmt::format("unknown unit \"{}\"", unit));
}

}  // namespace modelwatch::config
