#pragma once

#include <string>
#include <string_view>

#include "config/alerts.h"

namespace modelwatch::alert {

// The percent state change of `history` (oldest first, 'u' up, 'd' down,
// 'f' down and an alert fired there), as
// Nagios computes it: each change between two neighbouring checks weighs
// from 0.8 (oldest) to 1.2 (newest), summed over the (n - 1) transitions.
// 0 for fewer than 3 checks.
double StateChangePercent(std::string_view history);

// Appends one check to `history`, keeping the newest `rule.window`.
void PushHistory(std::string& history, bool up, const config::FlappingRule& rule);

// Whether the monitor flaps after this check: it starts above rule.above
// (once the history holds at least half the window), and stops only below
// rule.below, so it does not flap in and out of flapping. It starts only
// when an alert fired within the history (an 'f'): blips that never fired
// have no storm to replace.
bool IsFlapping(bool was_flapping, std::string_view history, const config::FlappingRule& rule);

}  // namespace modelwatch::alert
