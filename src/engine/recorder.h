#pragma once

#include <map>
#include <string>

#include "core/check_result.h"
#include "store/store.h"

namespace modelwatch::engine {

// Records finished checks: appends each result to the store and keeps each
// monitor's state (consecutive failures and successes, last status) there
// too, so it carries over a restart. Rate-limited checks are neutral: they
// neither break nor extend a streak.
//
// Loop thread only. `store` must outlive the recorder.
class Recorder {
 public:
  // Loads the saved states; a store that cannot be read yet starts empty.
  explicit Recorder(store::Store& store);

  void Record(CheckResult&& result);

  // The state of `monitor` as last recorded (default state if none).
  const store::MonitorState& state(const std::string& monitor);

  // Every state, by monitor: the alert engine keeps its part of each in
  // MonitorState::extra (alert/engine.h).
  std::map<std::string, store::MonitorState>& states() { return states_; }

 private:
  store::Store& store_;
  std::map<std::string, store::MonitorState> states_;
};

}  // namespace modelwatch::engine
