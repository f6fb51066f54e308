#pragma once

// Detection lead: how many minutes before an official incident's start the
// monitor's own probes began to fail. Kept as an alert event (rule
// kDetectionLead) so the store needs no table of its own; `report` lists
// them per incident.

#include <optional>
#include <string>

#include "source/source.h"
#include "store/store.h"

namespace modelwatch::alert {

struct DetectionLead {
  std::string monitor;
  std::string source;    // the source's config name
  std::string incident;  // its title
  std::string link;
  WallTime opened{};     // the incident's start
  int lead_minutes = 0;  // > 0: probes failed first; < 0: the incident was first
};

// The event's message: "12 min before the official incident on gcp-vertex
// (opened 2026-12-01 10:00 UTC): Vertex Gemini API errors <link>".
std::string DetectionLeadMessage(const DetectionLead& d);

// The lead an event recorded, or nullopt for any other event.
std::optional<DetectionLead> ParseDetectionLead(const store::AlertEvent& e);

}  // namespace modelwatch::alert
