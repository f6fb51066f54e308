#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/sources.h"
#include "core/clock.h"
#include "core/status.h"
#include "net/request.h"

namespace modelwatch::source {

// What an official or third-party view says about a provider right now.
// kUnknown means the source itself could not be read (unreachable, not JSON,
// an HTML error page): never "provider down".
enum class Health { kUnknown, kOperational, kMaintenance, kDegraded, kOutage };
std::string_view ToString(Health h);  // "unknown", "operational", ...

// An incident or scheduled maintenance as the source tells it.
struct Incident {
  std::string id;
  std::string title;          // Google: external_desc; Statuspage: name
  std::string severity;       // Google: severity ("high"); Statuspage: impact ("major")
  std::string status;         // latest status: "SERVICE_OUTAGE", "investigating", ...
  std::string latest_update;  // text of the newest update
  std::string link;           // the incident's page
  std::vector<std::string> affected;  // product or component names that matched
  WallTime started{};
  std::optional<WallTime> ended;  // set once resolved
  WallTime updated{};
  bool maintenance = false;  // a scheduled maintenance, not an incident
};

// A Statuspage component, as chosen in config.
struct Component {
  std::string id;
  std::string name;
  std::string status;  // "operational", "degraded_performance", "partial_outage", ...
};

// One OpenRouter provider serving a model (its endpoints list).
struct Endpoint {
  std::string provider;
  std::string status;  // OpenRouter's status value, as text
  std::optional<double> uptime_5m;   // percent
  std::optional<double> uptime_30m;  // percent
  std::optional<double> uptime_1d;   // percent
  std::optional<double> latency_ms;
  // Its uptime (the 5-minute figure, else 30-minute, else 1-day) is under
  // the source's `uptime_below`; false when OpenRouter gives no figure.
  bool degraded = false;
};

// Whether a monitored model is in its provider's model list.
struct ModelListing {
  std::string model;
  bool listed = false;
  std::optional<WallTime> shutdown;  // OpenAI shutdown_date, OpenRouter expiration
  std::string pricing;               // as the list gives it, for display
};

// Everything one poll of one source learned. Plain data, copied to the
// dashboard, the diagnosis and the CLI.
struct Snapshot {
  std::string source;  // the config name ("gcp-vertex")
  std::string kind;    // "google_cloud_status", "statuspage", "openrouter", "feed", "models"
  Health health = Health::kUnknown;
  std::string why;     // for kUnknown: what went wrong reading it; else a one-line summary
  WallTime polled{};
  std::string page;    // human page to link to (status page, model page)
  std::vector<Incident> incidents;  // active ones, newest first
  std::vector<Component> components;
  std::vector<Endpoint> endpoints;
  std::vector<ModelListing> models;
};

// One source kind bound to one config entry. Pure like probe::Probe: builds
// its requests and parses answers, does no I/O and reads no clock (`now` is
// passed in). The poller sends the requests through the one network loop,
// adds If-None-Match / If-Modified-Since itself, and on a 304 keeps the last
// snapshot.
class Source {
 public:
  virtual ~Source() = default;
  // The requests of one poll (most kinds need one; openrouter needs two).
  virtual std::vector<net::Request> BuildRequests() const = 0;
  // Makes a snapshot from the answers to BuildRequests(), in the same order,
  // followed by the further pages NextPage asked for, in order.
  virtual Snapshot Parse(const std::vector<net::Response>& answers, WallTime now) const = 0;
  // A paged list (Gemini's models, nextPageToken): the request for the page
  // after `answer` (a 200 answer to a request of this poll), or nullopt when
  // it was the last. The poller sends it, at most kMaxPages per poll.
  virtual std::optional<net::Request> NextPage(const net::Response& answer) const {
    return std::nullopt;
  }
  static constexpr size_t kMaxPages = 20;
};
using SourcePtr = std::unique_ptr<Source>;

// Builds one kind's source from its config entry; fails (InvalidArgument)
// when the entry lacks what the kind needs. Every kind is one such function
// in source/kinds/ plus one line in source/registry.cpp.
using SourceFactory = Result<SourcePtr> (*)(const config::StatusSource& entry);

// Builds the source for `entry` from the kind registry. Fails when the kind
// is unknown; the message names the source and its config position.
Result<SourcePtr> MakeSource(const config::StatusSource& entry);

// The registered kind names, in registry order.
std::vector<std::string_view> SourceKinds();

}  // namespace modelwatch::source
