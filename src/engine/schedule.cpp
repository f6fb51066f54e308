#include "engine/schedule.h"

#include <algorithm>

namespace modelwatch::engine {

MonoTime FirstDue(MonoTime start, std::chrono::milliseconds interval, size_t index, size_t count) {
  if (count == 0) {
    return start;
  }
  auto step = std::chrono::duration_cast<std::chrono::microseconds>(interval) / count;
  return start + step * index;
}

MonoTime NextDue(MonoTime due, std::chrono::milliseconds interval, MonoTime now, int64_t* skipped) {
  // Saturating: config bounds intervals (core/duration.h), but a time point
  // near the clock's end must still not wrap into the past and fire a storm.
  auto step = std::chrono::duration_cast<MonoTime::duration>(
      std::max(interval, std::chrono::milliseconds(1)));
  int64_t missed = 0;
  MonoTime next = due > MonoTime::max() - step ? MonoTime::max() : due + step;
  if (next <= now) {
    missed = (now - due) / step;
    auto ahead = step * std::min<int64_t>(missed + 1, (MonoTime::max() - due) / step);
    next = due + ahead;
  }
  if (skipped != nullptr) {
    *skipped = missed;
  }
  return next;
}

}  // namespace modelwatch::engine
