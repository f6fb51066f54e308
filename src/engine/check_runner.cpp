#include "engine/check_runner.h"

#include <memory>
#include <vector>

#include "cost/estimate.h"

namespace modelwatch::engine {

// The state of one check across its requests. Shared between the callbacks
// of its successive transfers (one at a time), never between threads.
struct CheckRunner::Check {
  const config::Monitor* monitor;
  const probe::Probe* probe;
  Done done;
  MonoTime started;
  CheckResult result;
  int step = 0;
  size_t max_body_bytes = 0;  // of the request in flight, for the too-large message
};

void CheckRunner::Start(const config::Monitor& monitor, const probe::Probe& probe, Done done) {
  auto check = std::make_shared<Check>();
  check->monitor = &monitor;
  check->probe = &probe;
  check->done = std::move(done);
  check->started = loop_.clock().Now();
  check->result.monitor = monitor.name;
  check->result.timestamp = loop_.clock().WallNow();
  Send(std::move(check), probe.BuildRequest());
}

CheckRunner::~CheckRunner() {
  dying_ = true;
  CancelAll();
}

void CheckRunner::CancelAll() {
  std::vector<net::Loop::TransferId> ids;
  ids.reserve(active_.size());
  for (const auto& [id, check] : active_) {
    ids.push_back(id);
  }
  for (net::Loop::TransferId id : ids) {
    loop_.Cancel(id);  // calls back into OnResponse with kCancelled
  }
}

void CheckRunner::Send(std::shared_ptr<Check> check, net::Request request) {
  check->max_body_bytes = request.max_body_bytes;
  auto id = std::make_shared<net::Loop::TransferId>(0);
  *id = loop_.Start(std::move(request), [this, check, id](net::Response&& response) mutable {
    active_.erase(*id);
    OnResponse(std::move(check), std::move(response));
  });
  active_.emplace(*id, std::move(check));
}

void CheckRunner::OnResponse(std::shared_ptr<Check> check, net::Response&& response) {
  if (response.error == net::TransferError::kCancelled) {
    if (!dying_) {
      check->done(std::nullopt);
    }
    return;
  }
  auto elapsed =
      std::chrono::duration_cast<std::chrono::milliseconds>(loop_.clock().Now() - check->started);
  CheckResult& r = check->result;
  if (check->step == 0) {
    // The generation call is the one whose phases tell where time went.
    r.phases = response.phases;
    r.http_status = response.http_status;
  }

  probe::Verdict v;
  if (auto transfer = probe::ClassifyTransfer(response, check->max_body_bytes)) {
    v = std::move(*transfer);
  } else {
    v = check->probe->Interpret(response, check->step, elapsed);
  }

  if (v.next && v.status == CheckStatus::kSuccess) {
    auto left = check->monitor->timeout - elapsed;
    if (left > std::chrono::milliseconds(0)) {
      v.next->timeout = left;
      ++check->step;
      Send(std::move(check), std::move(*v.next));
      return;
    }
    v.status = CheckStatus::kTimeout;
    v.error = "timeout before the image could be fetched";
  }

  if (check->step > 0 && v.status != CheckStatus::kSuccess) {
    r.http_status = response.http_status;  // the follow-up is what failed
  }
  r.latency = elapsed;
  r.status = v.status;
  r.error = std::move(v.error);
  r.retry_after = v.retry_after;
  r.image = v.image;
  r.cost = cost::CostOfCheck(*check->monitor, v.status, v.usage ? &*v.usage : nullptr);
  if (r.status == CheckStatus::kSuccess && r.latency > check->monitor->thresholds.latency_alert) {
    r.status = CheckStatus::kDegraded;
  }
  check->done(std::move(r));
}

}  // namespace modelwatch::engine
