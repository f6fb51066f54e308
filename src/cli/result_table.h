#pragma once

#include <set>
#include <string>
#include <vector>

#include "core/check_result.h"

namespace modelwatch::cli {

// A terminal table of results: monitor, status, latency, HTTP code, image,
// cost, error. Every line fits in `width` columns (at least 60 are assumed): a
// long monitor name and the error are cut with "…"; `check --json` has the
// whole text. A `degraded` result's error says why (the latency over the
// alert threshold). The COST column (docs/cost.md) is there when any result
// has a cost or any monitor is unpriced: what the check cost, "no price" for
// the monitors named in `unpriced` (no price table entry, no cost_per_call),
// "-" for a check that was not billed.
std::string FormatResultTable(const std::vector<CheckResult>& results, int width,
                              const std::set<std::string>& unpriced = {});

}  // namespace modelwatch::cli
