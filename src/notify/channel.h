#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/diagnostics.h"
#include "config/node.h"
#include "core/clock.h"
#include "core/notification.h"
#include "core/secret.h"
#include "core/status.h"
#include "net/request.h"

namespace modelwatch::notify {

// What a channel's answer says about one delivery.
struct Delivery {
  bool delivered = false;
  // Why not, from the channel's answer (its code and message), redacted.
  std::string error;
  // The channel asked to wait (429 Retry-After, Telegram retry_after, ...).
  std::optional<std::chrono::milliseconds> retry_after;
  // A rejection that no retry will fix (bad signature, 400 invalid payload,
  // 404 unknown webhook): still retried, but logged as needing the user.
  bool permanent = false;
};

// The channel's own rate limit, e.g. DingTalk's 20 messages a minute per
// robot. The notifier holds back what would pass it (merging or delaying,
// never dropping).
struct RateLimit {
  int messages = 0;  // 0: no limit
  std::chrono::milliseconds per{60'000};
};

// One configured destination (`channels.<name>` in config). The plugin
// describes, the notifier does: a channel builds the request that delivers a
// Notification and reads the answer; it does no I/O and reads no clock (the
// notifier passes `now` for signatures with timestamps), so it is tested
// against the wire formats without a network.
//
// Thread-safety: const methods may be called from any thread.
class Channel {
 public:
  virtual ~Channel() = default;

  virtual const std::string& name() const = 0;  // the config key
  virtual std::string_view kind() const = 0;    // "feishu", "slack", ...

  // The request that delivers `n` (URL with its token, signature, body).
  virtual Result<net::Request> Render(const Notification& n, WallTime now) const = 0;

  // Reads the answer to a rendered request.
  virtual Delivery Check(const net::Response& response) const = 0;

  virtual RateLimit rate_limit() const { return {}; }

  // Every secret the channel holds (webhook URL, signing secret, token), so
  // the notifier can redact answers, errors and logs.
  virtual std::vector<const Secret*> secrets() const = 0;
};
using ChannelPtr = std::unique_ptr<Channel>;

// Builds a channel from its config entry (`node` is the map under
// `channels.<name>`, `name` its key). Every problem is reported through
// `scope` with its FILE:LINE:COL; returns nullptr when any was.
using ChannelFactory = ChannelPtr (*)(const config::Scope& scope, const std::string& name,
                                      const config::Node& node);

}  // namespace modelwatch::notify
