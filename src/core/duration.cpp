#include "core/duration.h"

#include <fmt/format.h>

#include <cctype>

namespace modelwatch {

Result<std::chrono::milliseconds> ParseDuration(std::string_view text) {
  auto bad = [&](std::string_view why) {
    return Status::InvalidArgument(
        fmt::format("invalid duration \"{}\": {} (use e.g. 500ms, 90s, 5m, 1h, 7d)", text, why));
  };
  if (text.empty()) {
    return bad("empty");
  }
  auto too_large = [&] { return bad(fmt::format("longer than {}", FormatDuration(kMaxDuration))); };
  int64_t total = 0;
  size_t i = 0;
  while (i < text.size()) {
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) {
      return bad("expected a number");
    }
    int64_t n = 0;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
      n = n * 10 + (text[i] - '0');
      if (n > kMaxDuration.count()) {
        return too_large();
      }
      ++i;
    }
    size_t u = i;
    while (i < text.size() && std::isalpha(static_cast<unsigned char>(text[i]))) {
      ++i;
    }
    std::string_view unit = text.substr(u, i - u);
    int64_t mult;
    if (unit == "ms") {
      mult = 1;
    } else if (unit == "s") {
      mult = 1000;
    } else if (unit == "m") {
      mult = 60'000;
    } else if (unit == "h") {
      mult = 3'600'000;
    } else if (unit == "d") {
      mult = 86'400'000;
    } else if (unit.empty()) {
      return bad("missing unit");
    } else {
      return bad(fmt::format("unknown unit \"{}\"", unit));
    }
    // n <= kMaxDuration in ms, so n * mult fits in int64 (< 2^63 / 86'400'000
    // would not hold for a larger bound: keep the check before multiplying).
    if (n > kMaxDuration.count() / mult) {
      return too_large();
    }
    total += n * mult;
    if (total > kMaxDuration.count()) {
      return too_large();
    }
  }
  return std::chrono::milliseconds(total);
}

std::string FormatDuration(std::chrono::milliseconds d) {
  int64_t ms = d.count();
  if (ms == 0) {
    return "0s";
  }
  if (ms % 1000 != 0) {
    return fmt::format("{}ms", ms);
  }
  int64_t s = ms / 1000;
  std::string out;
  const std::pair<int64_t, const char*> units[] = {{86400, "d"}, {3600, "h"}, {60, "m"}, {1, "s"}};
  for (auto [size, name] : units) {
    if (s >= size) {
      out += fmt::format("{}{}", s / size, name);
      s %= size;
    }
  }
  return out;
}

}  // namespace modelwatch
