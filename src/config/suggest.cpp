#include "config/suggest.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <vector>

namespace modelwatch::config {

int EditDistance(std::string_view a, std::string_view b) {
  auto same = [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) ==
           std::tolower(static_cast<unsigned char>(y));
  };
  const size_t n = a.size();
  const size_t m = b.size();
  std::vector<std::vector<int>> d(n + 1, std::vector<int>(m + 1));
  for (size_t i = 0; i <= n; ++i) {
    d[i][0] = static_cast<int>(i);
  }
  for (size_t j = 0; j <= m; ++j) {
    d[0][j] = static_cast<int>(j);
  }
  for (size_t i = 1; i <= n; ++i) {
    for (size_t j = 1; j <= m; ++j) {
      int cost = same(a[i - 1], b[j - 1]) ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && same(a[i - 1], b[j - 2]) && same(a[i - 2], b[j - 1])) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[n][m];
}

std::string DidYouMean(std::string_view word, std::span<const std::string_view> candidates) {
  // A third of the word's length: "intervall" finds "interval", but "url"
  // does not suggest "body".
  int best_distance = std::max<int>(1, static_cast<int>(word.size()) / 3) + 1;
  std::string_view best;
  for (std::string_view c : candidates) {
    int dist = EditDistance(word, c);
    if (dist < best_distance) {
      best_distance = dist;
      best = c;
    }
  }
  if (best.empty()) {
    return "";
  }
  return fmt::format(" (did you mean \"{}\"?)", best);
}

std::string OneOf(std::span<const std::string_view> allowed) {
  std::string out;
  for (size_t i = 0; i < allowed.size(); ++i) {
    if (i > 0) {
      out += i + 1 == allowed.size() ? " or " : ", ";
    }
    out += fmt::format("\"{}\"", allowed[i]);
  }
  return out;
}

}  // namespace modelwatch::config
