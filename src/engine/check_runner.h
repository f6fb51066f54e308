#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <unordered_map>

#include "config/config.h"
#include "engine/token_cache.h"
#include "core/check_result.h"
#include "net/loop.h"
#include "probe/probe.h"

namespace modelwatch::engine {

// Runs one check of one monitor on the loop: the probe's request, any
// follow-up it asks for (within what is left of the monitor's timeout), then
// the verdict as a CheckResult, with `degraded` for successes slower than the
// monitor's latency alert threshold.
//
// Asynchronous jobs: a follow-up may ask to be sent after a delay (a poll);
// the runner waits on a loop timer, never blocking, and a wait or request
// that would pass the monitor's timeout ends the check as `timeout` naming
// the phase (accepting, in queue / generating, fetching). The phases are
// recorded in CheckResult::async.
//
// Tokens: for a probe with a TokenSource, the first request is the token
// request unless the runner's TokenCache holds a fresh token; a 401 to a
// request sent with a cached token drops it and the check fetches a new one
// and tries once more.
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
  size_t in_flight() const { return active_.size() + waiting_.size(); }

 private:
  struct Check;
  void Send(std::shared_ptr<Check> check, net::Request request);
  void SendAfter(std::shared_ptr<Check> check, net::Request request, std::chrono::milliseconds wait);
  void SendFirst(std::shared_ptr<Check> check);
  void FetchToken(std::shared_ptr<Check> check);
  void OnToken(std::shared_ptr<Check> check, net::Response&& response);
  void OnResponse(std::shared_ptr<Check> check, net::Response&& response);
  void Finish(std::shared_ptr<Check> check, probe::Verdict&& v, const net::Response* response);
  std::chrono::milliseconds Elapsed(const Check& check) const;

  net::Loop& loop_;
  // The transfer each check in flight is waiting on.
  std::unordered_map<net::Loop::TransferId, std::shared_ptr<Check>> active_;
  // The checks waiting on a timer before their next request.
  std::unordered_map<net::Loop::TimerId, std::shared_ptr<Check>> waiting_;
  TokenCache tokens_;
  bool dying_ = false;
};

}  // namespace modelwatch::engine
