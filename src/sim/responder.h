#pragma once

#include <array>
#include <map>
#include <atomic>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "core/clock.h"
#include "sim/http_request.h"
#include "sim/image.h"
#include "sim/response.h"
#include "sim/scenario.h"
#include "sim/timeline.h"

namespace modelwatch::sim {

// Decides the answer to each request: routes it, advances the matching
// timeline, draws the latency and renders the provider's wire format.
// Handle() is called only by the server's loop thread; the counters may be
// read from any thread. `scenario` and `clock` must outlive the Responder.
// `own_host`:`own_port` is the server's address, used in image links when a
// request carries no usable Host header (sim/image_link.h).
class Responder {
 public:
  Responder(const Scenario& scenario, const Clock& clock, std::string own_host = "127.0.0.1",
            int own_port = 0);
  Responder(const Responder&) = delete;
  Responder& operator=(const Responder&) = delete;

  SimResponse Handle(const HttpRequest& request);

  // Requests routed to `route` so far, whatever the answer.
  uint64_t requests(RouteKind route) const;
  uint64_t total_requests() const;

 private:
  TimelineCursor* CursorFor(RouteKind route, std::string_view model);
  const std::vector<std::string>& Listed(RouteKind route, const Step& step) const;
  // Whether a generation request may name `model` (Scenario::models).
  bool Knows(std::string_view model) const;
  std::chrono::milliseconds DrawLatency(const Step& step);
  std::chrono::microseconds Scale(std::chrono::milliseconds d) const;

  const Scenario& scenario_;
  const Clock& clock_;
  const std::string own_host_;
  const int own_port_;
  std::vector<TimelineCursor> cursors_;  // parallel to scenario_.routes
  // What each model list serves unless a step says otherwise.
  std::vector<std::string> openrouter_models_, openai_models_, gemini_models_;
  std::mt19937_64 rng_;
  ImageCache images_;
  uint64_t sequence_ = 0;
  // google_token: access tokens handed out, and when each stops being accepted.
  std::map<std::string, MonoTime> tokens_;
  std::array<std::atomic<uint64_t>, kRouteKindCount> counts_{};
  std::atomic<uint64_t> total_{0};
};

}  // namespace modelwatch::sim
