#include "probe/degraded.h"

#include <fmt/format.h>

#include "core/duration.h"

namespace modelwatch::probe {

bool DegradeIfSlow(CheckResult& r, std::chrono::milliseconds latency_alert) {
  if (r.status != CheckStatus::kSuccess || r.mode == CheckMode::kLight ||
      r.latency <= latency_alert) {
    return false;
  }
  r.status = CheckStatus::kDegraded;
  std::string why = fmt::format("slow: {:.1f}s is over the latency_alert threshold of {}",
                                r.latency.count() / 1000.0, FormatDuration(latency_alert));
  r.error = r.error.empty() ? why : why + "; " + r.error;
  return true;
}

}  // namespace modelwatch::probe
