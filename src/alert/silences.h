#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "store/store.h"

namespace modelwatch::alert {

// Whether `s` covers the alert monitor + rule at `now`: an empty monitor or
// rule in the silence matches every one.
bool Covers(const store::Silence& s, const std::string& monitor, const std::string& rule,
            WallTime now);

// The latest end of the silences covering monitor + rule at `now`, or nullopt.
std::optional<WallTime> SilencedUntil(const std::vector<store::Silence>& silences,
                                      const std::string& monitor, const std::string& rule,
                                      WallTime now);

}  // namespace modelwatch::alert
