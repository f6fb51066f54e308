#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>

#include "core/clock.h"
#include "sim/scenario.h"

namespace modelwatch::sim {

// Where one route's timeline stands. A step ends after `count` requests or
// after `length * time_scale` of real time, whichever kind it has; time steps
// are laid end to end from `start`, so a run of them follows the wall of time
// even when no request comes. Not thread-safe: the server's loop thread owns it.
// `timeline` must outlive the cursor.
class TimelineCursor {
 public:
  TimelineCursor(const RouteTimeline& timeline, double time_scale, MonoTime start);

  // The step that answers a request arriving at `now`; counts the request.
  const Step& Next(MonoTime now);

  size_t step_index() const { return index_; }

 private:
  // Moves to the next step starting at `at`; false when there is none.
  bool Advance(MonoTime at);
  std::chrono::nanoseconds Scaled(Millis d) const;

  const RouteTimeline* timeline_;
  double time_scale_;
  size_t index_ = 0;
  MonoTime step_start_;
  int64_t served_in_step_ = 0;
};

}  // namespace modelwatch::sim
