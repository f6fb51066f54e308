#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "config/config.h"
#include "core/status.h"
#include "engine/check_runner.h"
#include "net/loop.h"
#include "probe/probe.h"

namespace modelwatch::engine {

// Runs every monitor on its interval on the loop. First runs are spread
// across each interval; later runs stay on a fixed grid; a monitor whose
// previous check is still running skips that slot rather than overlap.
//
// `full_every: N` (docs/cost.md): a monitor's first check is a full one,
// then N-1 light checks (its probe's free metadata call) between full ones.
// A failing check (light or full) of such a monitor starts one confirming
// full check at once, at most one such extra check per interval, so an
// outage is confirmed by a real generation.
//
// Loop thread only, except construction. `loop` and `monitors` must outlive
// the scheduler.
class Scheduler {
 public:
  // Called on the loop thread for every finished check.
  using Sink = std::function<void(CheckResult&&)>;

  struct Counters {
    uint64_t started = 0;
    uint64_t finished = 0;
    uint64_t skipped = 0;     // slots not run because the previous check was running
    uint64_t cancelled = 0;   // checks cancelled at shutdown (not results)
    uint64_t light = 0;       // of `started`, light checks
    uint64_t confirming = 0;  // of `started`, extra full checks confirming a failure
  };

  // Fails if a monitor's probe cannot be built.
  static Result<std::unique_ptr<Scheduler>> Create(net::Loop& loop,
                                                   const std::vector<config::Monitor>& monitors,
                                                   Sink sink);

  // Stops scheduling and cancels the checks in flight.
  ~Scheduler();
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

  // Arms the first run of every monitor, spread from now.
  void Start();
  // Starts a check of `monitor` now, off its grid (its next slot stays
  // where it was); a check already running counts as started. NotFound for
  // a name with no probe (unknown, or a push monitor).
  Status RunNow(const std::string& monitor);
  // Runs `monitor` every `interval` from now on instead of its configured
  // interval (the budget, cost/budget.h); a shorter interval also brings its
  // next slot forward. NotFound for a name with no probe.
  Status SetInterval(const std::string& monitor, std::chrono::milliseconds interval);
  // Stops arming new checks; checks in flight go on.
  void StopScheduling();
  // Cancels this scheduler's checks in flight; they produce no result.
  void CancelInFlight();
  size_t in_flight() const { return in_flight_; }
  const Counters& counters() const { return counters_; }

  // Scheduling lag of the most recent starts (actual start - due), in
  // microseconds; holds up to the last 1<<20 samples.
  const std::vector<int64_t>& lag_samples_us() const { return lag_us_; }

 private:
  struct Slot {
    const config::Monitor* monitor;
    probe::ProbePtr probe;
    std::chrono::milliseconds interval{0};  // the monitor's, unless the budget stretched it
    MonoTime due{};
    net::Loop::TimerId timer = 0;
    bool running = false;
    int full_every = 1;      // 1 unless the monitor sets it and its probe has a light check
    int light_left = 0;      // light checks before the next full one
    bool confirmed = false;  // this interval's confirming check was started
  };

  Scheduler(net::Loop& loop, Sink sink) : loop_(loop), runner_(loop), sink_(std::move(sink)) {}
  void Arm(Slot& slot);
  void Fire(Slot& slot);
  void StartCheck(Slot& slot, CheckMode mode = CheckMode::kFull);
  // The mode of the slot's next scheduled check, counting it.
  CheckMode NextMode(Slot& slot);

  net::Loop& loop_;
  CheckRunner runner_;
  Sink sink_;
  std::vector<std::unique_ptr<Slot>> slots_;
  bool scheduling_ = false;
  size_t in_flight_ = 0;
  Counters counters_;
  std::vector<int64_t> lag_us_;
  size_t lag_next_ = 0;
};

}  // namespace modelwatch::engine
