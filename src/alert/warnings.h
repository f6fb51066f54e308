#pragma once

#include <string>
#include <vector>

#include "config/config.h"

namespace modelwatch::alert {

// Alert rules of `cfg` that can never fire at their monitor's interval
// (failure_rate or a window rule whose window cannot hold min_checks
// checks), and levels no rule can reach, as "FILE:LINE:COL: warning: ..."
// texts for `modelwatch validate`. Only rules written in the file are
// judged; a default that cannot fire at a slow monitor's interval is
// documented, not warned about.
std::vector<std::string> AlertWarnings(const config::Config& cfg);

}  // namespace modelwatch::alert
