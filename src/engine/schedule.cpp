#include "engine/schedule.h"

namespace modelwatch::engine {

MonoTime FirstDue(MonoTime start, std::chrono::milliseconds interval, size_t index, size_t count) {
  if (count == 0) {
    return start;
  }
  auto step = std::chrono::duration_cast<std::chrono::microseconds>(interval) / count;
  return start + step * index;
}

MonoTime NextDue(MonoTime due, std::chrono::milliseconds interval, MonoTime now,
                 int64_t* skipped) {
  MonoTime next = due + interval;
  int64_t missed = 0;
  if (next <= now) {
    missed = (now - due) / interval;
    next = due + interval * (missed + 1);
  }
  if (skipped != nullptr) {
    *skipped = missed;
  }
  return next;
}

}  // namespace modelwatch::engine
