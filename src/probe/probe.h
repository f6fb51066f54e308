#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "core/check_result.h"
#include "core/status.h"
#include "core/usage.h"
#include "net/request.h"

namespace modelwatch::probe {

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
