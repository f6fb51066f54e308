#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <unordered_map>

#include "config/config.h"
#include "core/check_result.h"
#include "net/loop.h"
#include "probe/probe.h"

namespace modelwatch::engine {

// Runs one check of one monitor on the loop: the probe's request, any
// follow-up it asks for (within what is left of the monitor's timeout), then
// the verdict as a CheckResult, with `degraded` for successes slower than the
// monitor's latency alert threshold.
//
// Loop thread only. `loop` must outlive the runner; the monitor and probe
// passed to Start must outlive the check.
class CheckRunner {
 public:
  // nullopt when the check was cancelled (shutdown): it is not a result.
  using Done = std::function<void(std::optional<CheckResult>&&)>;

  explicit CheckRunner(net::Loop& loop) : loop_(loop) {}
  // Cancels checks still in flight without calling their Done: their owners
  // may be gone. Owners that want the callbacks call CancelAll first.
  ~CheckRunner();
  CheckRunner(const CheckRunner&) = delete;
  CheckRunner& operator=(const CheckRunner&) = delete;

  void Start(const config::Monitor& monitor, const probe::Probe& probe, Done done);

  // Cancels every check in flight; each Done gets nullopt.
  void CancelAll();
  size_t in_flight() const { return active_.size(); }

 private:
  struct Check;
  void Send(std::shared_ptr<Check> check, net::Request request);
  void OnResponse(std::shared_ptr<Check> check, net::Response&& response);

  net::Loop& loop_;
  // The transfer each check in flight is waiting on.
  std::unordered_map<net::Loop::TransferId, std::shared_ptr<Check>> active_;
  bool dying_ = false;
};

}  // namespace modelwatch::engine
