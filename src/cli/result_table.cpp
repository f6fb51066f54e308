#include "cli/result_table.h"

#include <fmt/format.h>

#include <algorithm>

#include "cli/text_width.h"
#include "cost/projection.h"

namespace modelwatch::cli {

std::string FormatResultTable(const std::vector<CheckResult>& results, int width,
                              const std::set<std::string>& unpriced) {
  const size_t total = static_cast<size_t>(std::max(width, 60));
  bool costs =
      !unpriced.empty() || std::any_of(results.begin(), results.end(),
                                       [](const CheckResult& r) { return r.cost.has_value(); });
  auto cost = [&](const CheckResult& r) -> std::string {
    if (!costs) {
      return "";
    }
    std::string text = r.cost                         ? cost::FormatUsd(*r.cost)
                       : unpriced.contains(r.monitor) ? "no price"
                                                      : "-";
    return fmt::format("{:>9}  ", text);
  };
  size_t name_w = 7;
  for (const auto& r : results) {
    name_w = std::max(name_w, Columns(r.monitor));
  }
  // MONITOR  STATUS(16) LATENCY(9)  HTTP(4)  IMAGE(15)  [COST(9)]  ERROR: the
  // name gives way (down to 7 columns) so that the error keeps at least 10.
  const size_t others = 2 + 16 + 1 + 9 + 2 + 4 + 2 + 15 + 2 + (costs ? 11 : 0);
  const size_t min_error = 10;
  const size_t name_max = total > others + min_error + 7 ? total - others - min_error : 7;
  name_w = std::min({name_w, size_t{24}, name_max});
  const size_t fixed = name_w + others;
  const size_t error_w = total > fixed + min_error ? total - fixed : min_error;
  auto pad = [](const std::string& s, size_t w) {
    return s + std::string(w > Columns(s) ? w - Columns(s) : 0, ' ');
  };
  std::string out =
      pad("MONITOR", name_w) + fmt::format("  {:<16} {:>9}  {:>4}  {:<15}  {}{}\n", "STATUS",
                                           "LATENCY", "HTTP", "IMAGE",
                                           costs ? fmt::format("{:>9}  ", "COST") : "", "ERROR");
  for (const auto& r : results) {
    std::string image = r.image ? fmt::format("{} {}x{}", ToString(r.image->format), r.image->width,
                                              r.image->height)
                                : "-";
    std::string error = r.error;
    if (r.retry_after) {
      error += fmt::format(" (retry after {}s)", r.retry_after->count());
    }
    std::string line =
        pad(Ellipsize(r.monitor, name_w), name_w) +
        fmt::format("  {:<16} {:>8.2f}s  {:>4}  {:<15}  {}{}", ToString(r.status),
                    r.latency.count() / 1000.0,
                    r.http_status == 0 ? std::string("-") : std::to_string(r.http_status),
                    Ellipsize(image, 15), cost(r), Ellipsize(error, error_w));
    while (!line.empty() && line.back() == ' ') {
      line.pop_back();
    }
    out += line + "\n";
  }
  return out;
}

}  // namespace modelwatch::cli
