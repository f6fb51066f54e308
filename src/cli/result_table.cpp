#include "cli/result_table.h"

#include <fmt/format.h>

#include <algorithm>

#include "cli/text_width.h"

namespace modelwatch::cli {

std::string FormatResultTable(const std::vector<CheckResult>& results, int width) {
  const size_t total = static_cast<size_t>(std::max(width, 60));
  size_t name_w = 7;
  for (const auto& r : results) {
    name_w = std::max(name_w, Columns(r.monitor));
  }
  name_w = std::min<size_t>(name_w, 24);
  // MONITOR  STATUS(16) LATENCY(9)  HTTP(4)  IMAGE(15)  ERROR
  const size_t fixed = name_w + 2 + 16 + 1 + 9 + 2 + 4 + 2 + 15 + 2;
  const size_t error_w = total > fixed + 10 ? total - fixed : 10;
  auto pad = [](const std::string& s, size_t w) {
    return s + std::string(w > Columns(s) ? w - Columns(s) : 0, ' ');
  };
  std::string out =
      pad("MONITOR", name_w) + fmt::format("  {:<16} {:>9}  {:>4}  {:<15}  {}\n", "STATUS",
                                           "LATENCY", "HTTP", "IMAGE", "ERROR");
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
        fmt::format("  {:<16} {:>8.2f}s  {:>4}  {:<15}  {}", ToString(r.status),
                    r.latency.count() / 1000.0,
                    r.http_status == 0 ? std::string("-") : std::to_string(r.http_status),
                    Ellipsize(image, 15), Ellipsize(error, error_w));
    while (!line.empty() && line.back() == ' ') {
      line.pop_back();
    }
    out += line + "\n";
  }
  return out;
}

}  // namespace modelwatch::cli
