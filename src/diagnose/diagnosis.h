#pragma once

// "Is it me or them?": the verdict on a failing monitor from its own failure
// and what its listed status sources say. Pure: no I/O, no clock.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/check_status.h"
#include "core/clock.h"
#include "source/source.h"

namespace modelwatch::diagnose {

// The branches of the decision tree, in the order they are tried.
enum class Verdict {
  kProviderIncident,    // 1. an official source shows an active incident (or an outage)
  kLikelyProviderWide,  // 2. OpenRouter shows the model degraded across its providers
  kYourSide,            // 3. official status normal and the failure is one we can fix
  kUndetermined,        // 4. sources unknown or nothing conclusive
};
std::string_view ToString(Verdict v);  // "provider_incident", "likely_provider_wide", ...

// The failure to explain (the alert's latest failing check).
struct Failure {
  std::string model;                  // the monitor's model, to find it in model lists
  std::optional<CheckStatus> status;  // the failing status
  std::string phase;  // network_error: "dns", "connect", "tls" (alert::FailingPhase) or ""
  int http_status = 0;
  std::string error;  // the provider's error, redacted
};

struct Diagnosis {
  Verdict verdict = Verdict::kUndetermined;
  std::string headline;               // "Provider incident confirmed: ..."
  std::vector<std::string> evidence;  // one line each, naming its source
  std::string advice;                 // what to do
};

// Uptime (percent) below which an OpenRouter endpoint counts as degraded.
inline constexpr double kDegradedUptime = 95.0;

// Walks the tree for `f` over `snapshots` (the monitor's listed sources, any
// kind) in `language` ("en" or "zh"). Official sources are the kinds
// google_cloud_status, statuspage and feed; "openrouter" gives branch 2;
// "models" is evidence for model_not_found. `now` dates the incidents' ages.
Diagnosis Diagnose(const Failure& f, const std::vector<source::Snapshot>& snapshots, WallTime now,
                   std::string_view language = "en");

// One line for AlertItem::diagnosis: "headline. advice (evidence; evidence)".
std::string OneLine(const Diagnosis& d);

// Several lines for the CLI: headline, each evidence line indented, advice.
std::vector<std::string> Lines(const Diagnosis& d, std::string_view language = "en");

}  // namespace modelwatch::diagnose
