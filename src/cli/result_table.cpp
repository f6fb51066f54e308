#include "cli/result_table.h"

#include <fmt/format.h>

#include <algorithm>

namespace modelwatch::cli {

std::string FormatResultTable(const std::vector<CheckResult>& results) {
  size_t name_w = 7;
  for (const auto& r : results) {
    name_w = std::max(name_w, r.monitor.size());
  }
  std::string out = fmt::format("{:<{}}  {:<16} {:>9}  {:>4}  {:<16}  {}\n", "MONITOR", name_w,
                                "STATUS", "LATENCY", "HTTP", "IMAGE", "ERROR");
  for (const auto& r : results) {
    std::string image = r.image ? fmt::format("{} {}x{}", ToString(r.image->format), r.image->width,
                                              r.image->height)
                                : "-";
    std::string error = r.error.size() > 80 ? r.error.substr(0, 77) + "..." : r.error;
    if (r.retry_after) {
      error += fmt::format(" (retry after {}s)", r.retry_after->count());
    }
    out += fmt::format("{:<{}}  {:<16} {:>8.2f}s  {:>4}  {:<16}  {}\n", r.monitor, name_w,
                       ToString(r.status), r.latency.count() / 1000.0,
                       r.http_status == 0 ? std::string("-") : std::to_string(r.http_status), image,
                       error);
  }
  return out;
}

}  // namespace modelwatch::cli
