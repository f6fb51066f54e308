#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "config/node.h"

namespace modelwatch::cli {

// The grammar of http monitors' conditions (probe/condition.h), checked on
// the parsed (not yet interpolated) tree so that `validate` reports them in
// the same pass as the config's own errors, even when those stop the load:
// "FILE:LINE:COL: monitors[0] "h": conditions[1] "body.data exist": expected
// an operator ... (did you mean "exists"?)". Covers `conditions:` and
// `poll.until`; values holding ${VAR} are left to the load.
std::vector<std::string> ConditionProblems(const config::Node& root);

// Every line of `lines` that starts "FILE:LINE:COL: " ordered by line and
// column (stable), the others after them: one list in file order.
std::vector<std::string> InFileOrder(std::vector<std::string> lines);

}  // namespace modelwatch::cli
