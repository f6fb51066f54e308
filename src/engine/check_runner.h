#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

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
// and tries once more. Checks sharing a token (TokenSource::cache_key) that
// need one while it is being fetched wait for that one request rather than
// send their own: N monitors on one key file make one token request. A
// refused grant ends every waiting check with the same verdict.
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

  // With CheckMode::kLight the check is the probe's one free light request
  // (Probe::BuildLightRequest; the probe must have one): no token, no
  // follow-up, no cost, and no `degraded` (its latency is not an image's).
  void Start(const config::Monitor& monitor, const probe::Probe& probe, Done done,
             CheckMode mode = CheckMode::kFull);

  // Cancels every check in flight; each Done gets nullopt.
  void CancelAll();
  size_t in_flight() const;

 private:
  struct Check;
  void Send(std::shared_ptr<Check> check, net::Request request);
  void SendAfter(std::shared_ptr<Check> check, net::Request request, std::chrono::milliseconds wait);
  void SendFirst(std::shared_ptr<Check> check);
  void SendLight(std::shared_ptr<Check> check);
  void FetchToken(std::shared_ptr<Check> check);
  void OnToken(std::shared_ptr<Check> check, net::Response&& response);
  std::vector<std::shared_ptr<Check>> TakeTokenWaiters(const std::string& key);
  void OnResponse(std::shared_ptr<Check> check, net::Response&& response);
  void Finish(std::shared_ptr<Check> check, probe::Verdict&& v, const net::Response* response);
  std::chrono::milliseconds Elapsed(const Check& check) const;

  net::Loop& loop_;
  // The transfer each check in flight is waiting on.
  std::unordered_map<net::Loop::TransferId, std::shared_ptr<Check>> active_;
  // The checks waiting on a timer before their next request.
  std::unordered_map<net::Loop::TimerId, std::shared_ptr<Check>> waiting_;
  TokenCache tokens_;
  // Token requests in flight, by cache key: the checks waiting for each
  // (the check that sent it is not among them).
  std::unordered_map<std::string, std::vector<std::shared_ptr<Check>>> token_waiters_;
  bool dying_ = false;
};

}  // namespace modelwatch::engine
