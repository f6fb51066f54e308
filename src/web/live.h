#pragma once

// The contract between the running instance (engine/instance.*) and the web
// server. The instance publishes an immutable snapshot of live state from
// the loop thread every second or so; the server's threads read the newest
// one and never touch the loop's objects.

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "alert/engine.h"
#include "core/check_result.h"
#include "core/status.h"
#include "source/source.h"
#include "store/store.h"

namespace modelwatch::web {

struct LiveSnapshot {
  WallTime taken{};
  std::map<std::string, CheckResult> last_results;    // newest result per monitor
  std::map<std::string, store::MonitorState> states;  // streaks, last status
  std::vector<alert::FiringAlert> firing;
  // The latest snapshot of every status source, config order (empty
  // without `sources:`); engine/source_poller.h.
  std::vector<source::Snapshot> sources;
  uint64_t loop_iterations = 0;  // grows while the loop ticks (readyz)
  bool store_ok = true;          // last write succeeded
  std::string store_error;       // redacted
};

// Holds the newest snapshot. Thread-safe.
class LiveState {
 public:
  void Publish(std::shared_ptr<const LiveSnapshot> s) {
    std::lock_guard lock(mu_);
    snap_ = std::move(s);
  }
  // Null before the first Publish (and always under `serve`).
  std::shared_ptr<const LiveSnapshot> Get() const {
    std::lock_guard lock(mu_);
    return snap_;
  }

 private:
  mutable std::mutex mu_;
  std::shared_ptr<const LiveSnapshot> snap_;
};

// What the server may ask the running instance to do. Each call is
// thread-safe (the instance posts the work to its loop) and returns at once.
// Under `serve` (read-only) there is none: the server answers 503.
class Actions {
 public:
  virtual ~Actions() = default;
  // Runs `monitor` now (NotFound for an unknown name).
  virtual Status RunNow(const std::string& monitor) = 0;
  // A push monitor's report of one real call, recorded as a result.
  virtual Status Push(CheckResult result) = 0;
};

}  // namespace modelwatch::web
