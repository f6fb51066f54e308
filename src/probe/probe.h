#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <variant>

#include "config/config.h"
#include "core/check_result.h"
#include "core/status.h"
#include "core/usage.h"
#include "net/request.h"

namespace modelwatch::probe {

// What the request a verdict asks for next starts, for CheckResult::async.
enum class NextPhase {
  kFollowUp,  // one more request of a synchronous check (fetch an image URL)
  kPoll,      // a poll of a job that was accepted (its first one marks the acceptance)
  kFetch,     // the job is done: read its result
};

// What a probe made of one response.
struct Verdict {
  CheckStatus status = CheckStatus::kSuccess;
  std::string error;  // provider's message or what was missing; secrets removed
  std::optional<std::chrono::seconds> retry_after;
  std::optional<ImageInfo> image;
  // The answer's usage block, when it has one (also on refusals, which some
  // providers bill); the engine prices it (cost/estimate.h).
  std::optional<Usage> usage;
  // Set when the check needs one more request (e.g. fetch the image URL); the
  // engine sends it and calls Interpret again with step + 1.
  std::optional<net::Request> next;
  // Instead of `next`: send the request this verdict answers again (a poll
  // of a job still running), with the fields below. Its timeout is renewed.
  bool repeat = false;
  // For `next`: wait this long before sending it ("poll again in 2 s"); the
  // engine arms a loop timer, never blocks, and ends the check as `timeout`
  // when the wait would pass the monitor's timeout.
  std::chrono::milliseconds next_after{0};
  // For `next`: the step Interpret gets with its response; nullopt: step + 1.
  // Lets a kind whose polls are steps 1, 2, ... tell its final fetch apart.
  std::optional<int> next_step;
  NextPhase next_phase = NextPhase::kFollowUp;
  // With a kPoll `next`: the job's state ("Pending"), named if the check
  // times out waiting. No secrets.
  std::string progress;
};

// A bearer token fetched before a check's first request.
struct Token {
  Secret value;
  std::chrono::seconds lifetime{0};
};

// How a kind that authenticates with a fetched token (Vertex: an OAuth2
// access token from a service-account key) gets it. Pure like Probe: it
// builds the token request and reads the answer; the engine sends it on the
// network loop and caches the token under cache_key(), so monitors with the
// same key file share one token, refreshed before it expires.
class TokenSource {
 public:
  virtual ~TokenSource() = default;
  virtual const std::string& cache_key() const = 0;
  // The token request, its assertion dated `now`; an error is the check's
  // verdict (auth_error).
  virtual std::variant<net::Request, Verdict> BuildTokenRequest(WallTime now) const = 0;
  // The token, or the verdict that ends the check: auth_error naming the
  // account (never the key) for a refused grant.
  virtual std::variant<Token, Verdict> InterpretToken(const net::Response& response) const = 0;
};

// One probe kind bound to one monitor. Pure: builds requests and interprets
// responses, does no I/O and reads no clock, so it is table-testable against
// the samples in formats/. Called only on the network thread, but holds no
// mutable state, so any thread may call it.
class Probe {
 public:
  virtual ~Probe() = default;
  // The first request of a check.
  virtual net::Request BuildRequest() const = 0;
  // Interprets the response to the request of `step` (0 for BuildRequest's).
  // `elapsed` is the time spent on the check so far (for latency conditions).
  // Transfer errors (timeout, reset, ...) are already classified by the
  // engine through ClassifyTransfer and never reach Interpret.
  virtual Verdict Interpret(const net::Response& response, int step,
                            std::chrono::milliseconds elapsed) const = 0;
  // Non-null for kinds whose requests carry a fetched token; it lives as
  // long as the probe. The engine then puts the token on BuildRequest's
  // request with Authorize (follow-ups go out as the probe built them), and
  // on a 401 answer with a cached token fetches a new one and retries once.
  virtual const TokenSource* token_source() const { return nullptr; }

  // The free light check (`full_every`, docs/cost.md): a metadata call that
  // proves the key, the network and the model's presence without generating
  // (Gemini GET /v1beta/models/{m}, OpenAI GET /v1/models/{m}, OpenRouter's
  // endpoints of the model, Stability's balance, BFL's credits). nullopt:
  // the kind has none. One request; no follow-ups, no token.
  virtual std::optional<net::Request> BuildLightRequest() const { return std::nullopt; }
  // Interprets the light request's answer: success, or the status the
  // answer names (auth_error, model_not_found, ...). Never billed.
  virtual Verdict InterpretLight(const net::Response& response,
                                 std::chrono::milliseconds elapsed) const {
    Verdict v;
    v.status = CheckStatus::kInvalidResponse;
    v.error = "this kind has no light check";
    return v;
  }
  virtual void Authorize(net::Request& request, const Secret& token) const {}
};
using ProbePtr = std::unique_ptr<Probe>;

// Maps a transfer that produced no complete answer to timeout /
// network_error / invalid_response (body too large). Returns nullopt when the
// response is a complete HTTP answer. `max_body_bytes` is the request's limit,
// named in the kBodyTooLarge message when non-zero. The message holds
// libcurl's text with anything key-shaped masked.
std::optional<Verdict> ClassifyTransfer(const net::Response& response, size_t max_body_bytes = 0);

// Builds one kind's probe; fails (InvalidArgument) when the monitor lacks
// what the kind needs. Every kind is one such function in probe/kinds/ plus
// one line in probe/registry.cpp.
using ProbeFactory = Result<ProbePtr> (*)(const config::Monitor& monitor);

// Builds the probe for `monitor` from the kind registry. Fails when the kind
// is unknown or the monitor lacks what the kind needs; the message starts
// with the monitor's name and config position.
Result<ProbePtr> MakeProbe(const config::Monitor& monitor);

// The registered kind names, in registry order (for validation messages).
std::vector<std::string_view> ProbeKinds();

}  // namespace modelwatch::probe
