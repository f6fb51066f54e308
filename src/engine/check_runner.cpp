#include "engine/check_runner.h"

#include <fmt/format.h>

#include <memory>
#include <vector>

#include "core/duration.h"
#include "cost/estimate.h"
#include "probe/degraded.h"

namespace modelwatch::engine {

namespace {

constexpr int kTokenStep = -1;  // the token request's step: never given to Interpret

std::string_view PhaseName(probe::NextPhase p) {
  switch (p) {
    case probe::NextPhase::kPoll:
      return "in queue / generating";
    case probe::NextPhase::kFetch:
      return "fetching the result";
    case probe::NextPhase::kFollowUp:
      break;
  }
  return "fetching the image";
}

}  // namespace

// The state of one check across its requests. Shared between the callbacks
// of its successive transfers and timers (one at a time), never between
// threads.
struct CheckRunner::Check {
  const config::Monitor* monitor;
  const probe::Probe* probe;
  Done done;
  MonoTime started;
  CheckResult result;
  int step = 0;
  size_t max_body_bytes = 0;  // of the request in flight, for the too-large message
  // Asynchronous jobs: the phase of the request in flight (or waited for),
  // the job's last reported state, and when the fetch began.
  probe::NextPhase phase = probe::NextPhase::kFollowUp;
  bool follow_up = false;  // a request after the first is in flight
  std::string progress;
  std::chrono::milliseconds fetch_started{0};
  // Tokens: whether the first request used a cached token, and whether a
  // refused one was already replaced once.
  bool cached_token = false;
  bool token_retried = false;
  net::Request last;  // the request in flight, for a Verdict::repeat
};

void CheckRunner::Start(const config::Monitor& monitor, const probe::Probe& probe, Done done,
                        CheckMode mode) {
  auto check = std::make_shared<Check>();
  check->monitor = &monitor;
  check->probe = &probe;
  check->done = std::move(done);
  check->started = loop_.clock().Now();
  check->result.monitor = monitor.name;
  check->result.timestamp = loop_.clock().WallNow();
  check->result.mode = mode;
  if (mode == CheckMode::kLight) {
    SendLight(std::move(check));
    return;
  }
  SendFirst(std::move(check));
}

CheckRunner::~CheckRunner() {
  dying_ = true;
  CancelAll();
}

size_t CheckRunner::in_flight() const {
  size_t n = active_.size() + waiting_.size();
  for (const auto& [key, checks] : token_waiters_) {
    n += checks.size();
  }
  return n;
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
  auto waiting = std::move(waiting_);
  waiting_.clear();
  for (auto& [id, check] : waiting) {
    loop_.CancelTimer(id);
    if (!dying_) {
      check->done(std::nullopt);
    }
  }
  auto parked = std::move(token_waiters_);
  token_waiters_.clear();
  for (auto& [key, checks] : parked) {
    for (auto& check : checks) {
      if (!dying_) {
        check->done(std::nullopt);
      }
    }
  }
}

std::chrono::milliseconds CheckRunner::Elapsed(const Check& check) const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(loop_.clock().Now() - check.started);
}

void CheckRunner::SendFirst(std::shared_ptr<Check> check) {
  const probe::TokenSource* source = check->probe->token_source();
  net::Request request = check->probe->BuildRequest();
  if (source != nullptr) {
    const Secret* token = tokens_.Find(source->cache_key(), loop_.clock().Now());
    if (token == nullptr) {
      FetchToken(std::move(check));
      return;
    }
    check->cached_token = true;
    check->probe->Authorize(request, *token);
  }
  auto left = check->monitor->timeout - Elapsed(*check);
  if (left < request.timeout) {
    request.timeout = std::max(left, std::chrono::milliseconds(1));
  }
  check->step = 0;
  Send(std::move(check), std::move(request));
}

void CheckRunner::SendLight(std::shared_ptr<Check> check) {
  std::optional<net::Request> request = check->probe->BuildLightRequest();
  if (!request) {
    probe::Verdict v;
    v.status = CheckStatus::kInvalidResponse;
    v.error = "light check: this kind has none";
    Finish(std::move(check), std::move(v), nullptr);
    return;
  }
  check->step = 0;
  Send(std::move(check), std::move(*request));
}

void CheckRunner::FetchToken(std::shared_ptr<Check> check) {
  const probe::TokenSource* source = check->probe->token_source();
  if (auto it = token_waiters_.find(source->cache_key()); it != token_waiters_.end()) {
    check->cached_token = false;
    it->second.push_back(std::move(check));  // that request's token serves this check too
    return;
  }
  auto built = source->BuildTokenRequest(loop_.clock().WallNow());
  if (auto* v = std::get_if<probe::Verdict>(&built)) {
    Finish(std::move(check), std::move(*v), nullptr);
    return;
  }
  net::Request request = std::get<net::Request>(std::move(built));
  request.timeout =
      std::max(check->monitor->timeout - Elapsed(*check), std::chrono::milliseconds(1));
  check->step = kTokenStep;
  check->cached_token = false;
  token_waiters_[source->cache_key()];  // a request for this key is now in flight
  Send(std::move(check), std::move(request));
}

std::vector<std::shared_ptr<CheckRunner::Check>> CheckRunner::TakeTokenWaiters(
    const std::string& key) {
  std::vector<std::shared_ptr<Check>> out;
  if (auto it = token_waiters_.find(key); it != token_waiters_.end()) {
    out = std::move(it->second);
    token_waiters_.erase(it);
  }
  return out;
}

void CheckRunner::Send(std::shared_ptr<Check> check, net::Request request) {
  check->max_body_bytes = request.max_body_bytes;
  if (check->step != kTokenStep) {
    check->last = request;
  }
  auto id = std::make_shared<net::Loop::TransferId>(0);
  *id = loop_.Start(std::move(request), [this, check, id](net::Response&& response) mutable {
    active_.erase(*id);
    if (check->step == kTokenStep && response.error != net::TransferError::kCancelled) {
      OnToken(std::move(check), std::move(response));
    } else {
      OnResponse(std::move(check), std::move(response));
    }
  });
  active_.emplace(*id, std::move(check));
}

void CheckRunner::SendAfter(std::shared_ptr<Check> check, net::Request request,
                            std::chrono::milliseconds wait) {
  if (wait <= std::chrono::milliseconds(0)) {
    Send(std::move(check), std::move(request));
    return;
  }
  auto id = std::make_shared<net::Loop::TimerId>(0);
  *id = loop_.RunAt(loop_.clock().Now() + wait,
                    [this, check, id, request = std::move(request)]() mutable {
                      waiting_.erase(*id);
                      // The wait counts against the request's share of the timeout.
                      auto left = check->monitor->timeout - Elapsed(*check);
                      request.timeout = std::max(left, std::chrono::milliseconds(1));
                      Send(std::move(check), std::move(request));
                    });
  waiting_.emplace(*id, std::move(check));
}

void CheckRunner::OnToken(std::shared_ptr<Check> check, net::Response&& response) {
  const probe::TokenSource* source = check->probe->token_source();
  std::vector<std::shared_ptr<Check>> waiters = TakeTokenWaiters(source->cache_key());
  auto fail = [&](probe::Verdict&& v) {
    for (auto& w : waiters) {
      w->step = kTokenStep;  // its failure is the token request's
      probe::Verdict copy = v;
      Finish(std::move(w), std::move(copy), &response);
    }
    Finish(std::move(check), std::move(v), &response);
  };
  if (auto transfer = probe::ClassifyTransfer(response, check->max_body_bytes)) {
    transfer->error = "token request: " + transfer->error;
    fail(std::move(*transfer));
    return;
  }
  auto got = source->InterpretToken(response);
  if (auto* v = std::get_if<probe::Verdict>(&got)) {
    fail(std::move(*v));
    return;
  }
  probe::Token& token = std::get<probe::Token>(got);
  tokens_.Put(source->cache_key(), std::move(token.value), loop_.clock().Now(), token.lifetime);
  for (auto& w : waiters) {
    SendFirst(std::move(w));  // finds the fresh token
  }
  const Secret* fresh = tokens_.Find(source->cache_key(), loop_.clock().Now());
  net::Request request = check->probe->BuildRequest();
  if (fresh != nullptr) {
    check->probe->Authorize(request, *fresh);
  }
  auto left = check->monitor->timeout - Elapsed(*check);
  if (left <= std::chrono::milliseconds(0)) {
    probe::Verdict v;
    v.status = CheckStatus::kTimeout;
    v.error = "timeout: no time left after the token request";
    Finish(std::move(check), std::move(v), nullptr);
    return;
  }
  request.timeout = std::min(request.timeout, left);
  check->step = 0;
  Send(std::move(check), std::move(request));
}

void CheckRunner::OnResponse(std::shared_ptr<Check> check, net::Response&& response) {
  if (response.error == net::TransferError::kCancelled) {
    if (!dying_) {
      check->done(std::nullopt);
    }
    return;
  }
  auto elapsed = Elapsed(*check);
  CheckResult& r = check->result;
  if (check->step == 0) {
    // A cached token the provider no longer takes (revoked, or expired
    // early): fetch a new one and try once more.
    if (response.http_status == 401 && check->cached_token && !check->token_retried &&
        check->probe->token_source() != nullptr) {
      check->token_retried = true;
      tokens_.Drop(check->probe->token_source()->cache_key());
      FetchToken(std::move(check));
      return;
    }
    // The generation call is the one whose phases tell where time went.
    r.phases = response.phases;
    r.http_status = response.http_status;
  }

  probe::Verdict v;
  if (auto transfer = probe::ClassifyTransfer(response, check->max_body_bytes)) {
    v = std::move(*transfer);
    if (check->follow_up && check->phase != probe::NextPhase::kFollowUp) {
      v.error = fmt::format("{}: {}", PhaseName(check->phase), v.error);
    }
    if (r.mode == CheckMode::kLight) {
      v.error = "light check: " + v.error;
    }
  } else if (r.mode == CheckMode::kLight) {
    v = check->probe->InterpretLight(response, elapsed);
    v.next.reset();  // one request, never billed
    v.repeat = false;
    v.usage.reset();
  } else {
    v = check->probe->Interpret(response, check->step, elapsed);
  }

  if (v.repeat && v.status == CheckStatus::kSuccess) {
    v.next = check->last;
  }
  if (v.next && v.status == CheckStatus::kSuccess) {
    if (v.next_phase == probe::NextPhase::kPoll) {
      if (!r.async) {
        r.async = AsyncPhases{};
        r.async->accept = elapsed;
      }
      ++r.async->polls;
      check->progress = std::move(v.progress);
    } else if (v.next_phase == probe::NextPhase::kFetch) {
      if (!r.async) {
        r.async = AsyncPhases{};
        r.async->accept = elapsed;
      }
      r.async->queue = elapsed - r.async->accept;
      check->fetch_started = elapsed;
    }
    check->phase = v.next_phase;
    check->follow_up = true;
    auto left = check->monitor->timeout - elapsed;
    if (left > v.next_after) {
      v.next->timeout = left - v.next_after;
      check->step = v.next_step.value_or(check->step + 1);
      SendAfter(std::move(check), std::move(*v.next), v.next_after);
      return;
    }
    v.status = CheckStatus::kTimeout;
    if (v.next_phase == probe::NextPhase::kPoll) {
      v.error =
          fmt::format("timeout {}: the job was still {} after {} poll{}", PhaseName(v.next_phase),
                      check->progress.empty() ? "unfinished" : check->progress, r.async->polls - 1,
                      r.async->polls == 2 ? "" : "s");
      --r.async->polls;  // the poll that was not sent
    } else if (v.next_phase == probe::NextPhase::kFetch) {
      v.error = "timeout before the result could be fetched";
    } else {
      v.error = "timeout before the image could be fetched";
    }
    if (left > std::chrono::milliseconds(0)) {
      // Report when the deadline passes, not earlier: the latency is the
      // monitor's timeout, as for any other timeout.
      auto id = std::make_shared<net::Loop::TimerId>(0);
      *id = loop_.RunAt(loop_.clock().Now() + left, [this, check, id, v = std::move(v)]() mutable {
        waiting_.erase(*id);
        Finish(std::move(check), std::move(v), nullptr);
      });
      waiting_.emplace(*id, std::move(check));
      return;
    }
  }
  Finish(std::move(check), std::move(v), &response);
}

void CheckRunner::Finish(std::shared_ptr<Check> check, probe::Verdict&& v,
                         const net::Response* response) {
  auto elapsed = Elapsed(*check);
  CheckResult& r = check->result;
  if (response != nullptr && check->step != 0 && v.status != CheckStatus::kSuccess) {
    r.http_status = response->http_status;  // the follow-up (or token request) is what failed
  }
  if (r.async) {
    if (check->phase == probe::NextPhase::kFetch) {
      r.async->fetch = elapsed - check->fetch_started;
    } else {
      r.async->queue = elapsed - r.async->accept;
    }
  }
  r.latency = elapsed;
  r.status = v.status;
  r.error = std::move(v.error);
  if (r.status == CheckStatus::kTimeout && check->monitor->timeout_shrunk_from) {
    r.error += fmt::format(" (timeout shrunk to the {} interval)",
                           FormatDuration(check->monitor->interval));
  }
  r.retry_after = v.retry_after;
  r.image = v.image;
  if (r.mode == CheckMode::kLight) {
    check->done(std::move(r));  // free, and its latency is not an image's
    return;
  }
  r.cost = cost::CostOfCheck(*check->monitor, v.status, v.usage ? &*v.usage : nullptr);
  probe::DegradeIfSlow(r, check->monitor->thresholds.latency_alert);
  check->done(std::move(r));
}

}  // namespace modelwatch::engine
