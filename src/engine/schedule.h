#pragma once

#include <chrono>
#include <cstddef>

#include "core/clock.h"

namespace modelwatch::engine {

// When the first check of the `index`-th of `count` monitors sharing one
// interval is due: spread evenly across the interval from `start`, so a
// restart does not fire every monitor at once.
MonoTime FirstDue(MonoTime start, std::chrono::milliseconds interval, size_t index, size_t count);

// The next due time after a check due at `due` ran, on a fixed grid
// (due + k * interval) so checks do not drift. Slots already in the past by
// `now` are skipped: a loop that fell behind does not fire a burst.
// `*skipped` (if given) receives the number of slots skipped.
MonoTime NextDue(MonoTime due, std::chrono::milliseconds interval, MonoTime now,
                 int64_t* skipped = nullptr);

}  // namespace modelwatch::engine
