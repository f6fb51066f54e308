#include "core/duration.h"

#include <fmt/format.h>

#include <cctype>
#include <initializer_list>
#include <optional>
#include <utility>

namespace modelwatch {
namespace {

constexpr std::string_view kHowToWrite =
    "write durations without spaces and with units ms, s, m, h, d";

// The unit a longer or other-cased name stands for ("min" -> "m"), with the
// factor to apply first (weeks are written as days); nullopt for a word that
// names no unit.
std::optional<std::pair<std::string_view, int>> UnitFor(std::string word) {
  for (char& c : word) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  struct Alias {
    std::string_view unit;
    int factor;
    std::initializer_list<std::string_view> names;
  };
  static const Alias kAliases[] = {
      {"ms", 1, {"ms", "msec", "msecs", "millisecond", "milliseconds"}},
      {"s", 1, {"s", "sec", "secs", "second", "seconds"}},
      {"m", 1, {"m", "min", "mins", "minute", "minutes"}},
      {"h", 1, {"h", "hr", "hrs", "hour", "hours"}},
      {"d", 1, {"d", "day", "days"}},
      {"d", 7, {"w", "wk", "wks", "week", "weeks"}},
  };
  for (const Alias& a : kAliases) {
    for (std::string_view n : a.names) {
      if (n == word) {
        return std::pair{a.unit, a.factor};
      }
    }
  }
  return std::nullopt;
}

// How `text` is written as a duration ("5 min" -> "5m", "2 weeks" -> "14d"),
// or "" when it is not a number-and-unit sequence that can be told apart.
std::string Suggest(std::string_view text) {
  std::string out;
  size_t i = 0;
  auto skip_space = [&] {
    while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) {
      ++i;
    }
  };
  skip_space();
  while (i < text.size()) {
    size_t n = i;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
      ++i;
    }
    if (n == i || i - n > 9) {
      return "";
    }
    int64_t number = std::stoll(std::string(text.substr(n, i - n)));
    skip_space();
    size_t u = i;
    while (i < text.size() && std::isalpha(static_cast<unsigned char>(text[i]))) {
      ++i;
    }
    auto unit = UnitFor(std::string(text.substr(u, i - u)));
    if (!unit) {
      return "";
    }
    out += fmt::format("{}{}", number * unit->second, unit->first);
    skip_space();
  }
  return out;
}

}  // namespace

Result<std::chrono::milliseconds> ParseDuration(std::string_view text) {
  auto bad = [&](std::string_view why) {
    std::string suggestion = Suggest(text);
    if (suggestion == text || (!suggestion.empty() && !ParseDuration(suggestion))) {
      suggestion.clear();  // nothing to correct, or the correction is wrong too (too long)
    }
    if (suggestion.empty()) {
      return Status::InvalidArgument(
          fmt::format("invalid duration \"{}\": {} (use e.g. 500ms, 90s, 5m, 1h, 7d)", text, why));
    }
    return Status::InvalidArgument(
        fmt::format("invalid duration \"{}\": {}; {}: {}", text, why, kHowToWrite, suggestion));
  };
  if (text.empty()) {
    return bad("empty");
  }
  if (text.find_first_of(" \t") != std::string_view::npos) {
    return bad("has a space");
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
