#pragma once

#include <set>
#include <string>
#include <vector>

#include "core/check_result.h"

namespace modelwatch::cli {

// A terminal table of results: monitor, status, latency, HTTP code, image,
// error (cut to fit).
std::string FormatResultTable(const std::vector<CheckResult>& results);

// The same with a COST column (docs/cost.md) when any result has a cost or
// any monitor is unpriced: what the check cost, "no price" for the monitors
// named in `unpriced` (no price table entry, no cost_per_call), "-" for a
// check that was not billed.
std::string FormatResultTable(const std::vector<CheckResult>& results,
                              const std::set<std::string>& unpriced);

}  // namespace modelwatch::cli
