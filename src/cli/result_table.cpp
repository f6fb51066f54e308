#include "cli/result_table.h"

#include <fmt/format.h>

#include <algorithm>

#include "cost/projection.h"

namespace modelwatch::cli {

std::string FormatResultTable(const std::vector<CheckResult>& results) {
  return FormatResultTable(results, {});
}

std::string FormatResultTable(const std::vector<CheckResult>& results,
                              const std::set<std::string>& unpriced) {
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
    name_w = std::max(name_w, r.monitor.size());
  }
  std::string out =
      fmt::format("{:<{}}  {:<16} {:>9}  {:>4}  {:<16}  {}{}\n", "MONITOR", name_w, "STATUS",
                  "LATENCY", "HTTP", "IMAGE", costs ? fmt::format("{:>9}  ", "COST") : "", "ERROR");
  for (const auto& r : results) {
    std::string image = r.image ? fmt::format("{} {}x{}", ToString(r.image->format), r.image->width,
                                              r.image->height)
                                : "-";
    std::string error = r.error.size() > 80 ? r.error.substr(0, 77) + "..." : r.error;
    if (r.retry_after) {
      error += fmt::format(" (retry after {}s)", r.retry_after->count());
    }
    out += fmt::format("{:<{}}  {:<16} {:>8.2f}s  {:>4}  {:<16}  {}{}\n", r.monitor, name_w,
                       ToString(r.status), r.latency.count() / 1000.0,
                       r.http_status == 0 ? std::string("-") : std::to_string(r.http_status), image,
                       cost(r), error);
  }
  return out;
}

}  // namespace modelwatch::cli
