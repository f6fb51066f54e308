#include "sim/timeline.h"

#include <algorithm>

namespace modelwatch::sim {

TimelineCursor::TimelineCursor(const RouteTimeline& timeline, double time_scale, MonoTime start)
    : timeline_(&timeline), time_scale_(time_scale), step_start_(start) {}

std::chrono::nanoseconds TimelineCursor::Scaled(Millis d) const {
  // At least 1us so that a time_scale of 0 cannot make a repeating timeline of
  // timed steps spin forever.
  double ns = static_cast<double>(std::chrono::nanoseconds(d).count()) * time_scale_;
  return std::chrono::nanoseconds(std::max<int64_t>(1000, static_cast<int64_t>(ns)));
}

bool TimelineCursor::Advance(MonoTime at) {
  if (index_ + 1 < timeline_->steps.size()) {
    ++index_;
  } else if (timeline_->repeat) {
    index_ = 0;
  } else {
    return false;
  }
  step_start_ = at;
  served_in_step_ = 0;
  return true;
}

const Step& TimelineCursor::Next(MonoTime now) {
  const auto& steps = timeline_->steps;
  // Bounded so an idle hour over a repeating 1 ms cycle costs at most this many
  // iterations; past it, the timeline resynchronises at `now`.
  for (int guard = 0; guard < 1'000'000; ++guard) {
    const Step& s = steps[index_];
    bool ended = false;
    MonoTime next_start = now;
    if (s.length && now - step_start_ >= Scaled(*s.length)) {
      ended = true;
      next_start = step_start_ + Scaled(*s.length);
    } else if (s.count && served_in_step_ >= *s.count) {
      ended = true;
    }
    if (!ended || !Advance(next_start)) {
      break;
    }
    if (guard == 999'999) {
      step_start_ = now;
    }
  }
  ++served_in_step_;
  return steps[index_];
}

}  // namespace modelwatch::sim
