#pragma once

#include <string>
#include <vector>

#include "core/check_result.h"

namespace modelwatch::cli {

// A terminal table of results: monitor, status, latency, HTTP code, image,
// error (cut to fit).
std::string FormatResultTable(const std::vector<CheckResult>& results);

}  // namespace modelwatch::cli
