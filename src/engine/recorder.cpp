#include "engine/recorder.h"

namespace modelwatch::engine {

Recorder::Recorder(store::Store& store) : store_(store) {
  if (auto saved = store_.States()) {
    for (auto& st : *saved) {
      std::string name = st.monitor;
      states_.emplace(std::move(name), std::move(st));
    }
  }
}

const store::MonitorState& Recorder::state(const std::string& monitor) {
  store::MonitorState& st = states_[monitor];
  st.monitor = monitor;
  return st;
}

void Recorder::Record(CheckResult&& r) {
  if (r.mode == CheckMode::kLight) {
    // Stored as such, but a metadata answer neither breaks nor extends a
    // streak: only a generation says whether the model generates.
    store_.Append(std::move(r));
    return;
  }
  store::MonitorState& st = states_[r.monitor];
  st.monitor = r.monitor;
  st.last_status = r.status;
  st.last_check = r.timestamp;
  if (IsFailure(r.status)) {
    ++st.consecutive_failures;
    st.consecutive_successes = 0;
  } else if (IsSuccess(r.status)) {
    ++st.consecutive_successes;
    st.consecutive_failures = 0;
  }
  store_.PutState(st);
  store_.Append(std::move(r));
}

}  // namespace modelwatch::engine
