#pragma once

#include <chrono>

#include "core/check_result.h"

namespace modelwatch::probe {

// Marks a full check that succeeded more slowly than `latency_alert` as
// degraded, and says why in r.error so every place that shows the stored
// result (check, export, the dashboard, notifications) shows the reason:
// "slow: 41.2s is over the latency_alert threshold of 30s". Leaves any other
// result (failures, light checks, fast successes) unchanged. Returns whether
// it marked the result.
bool DegradeIfSlow(CheckResult& r, std::chrono::milliseconds latency_alert);

}  // namespace modelwatch::probe
