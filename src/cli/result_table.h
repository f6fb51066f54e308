#pragma once

#include <string>
#include <vector>

#include "core/check_result.h"

namespace modelwatch::cli {

// A terminal table of results: monitor, status, latency, HTTP code, image,
// error. Every line fits in `width` columns (at least 60 are assumed): a long
// monitor name and the error are cut with "…"; `check --json` has the whole
// text. A `degraded` result's error says why (the latency over the alert
// threshold).
std::string FormatResultTable(const std::vector<CheckResult>& results, int width);

}  // namespace modelwatch::cli
