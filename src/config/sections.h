#pragma once

#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "config/diagnostics.h"
#include "config/node.h"

namespace modelwatch::config {

// The parsers of the file's sections. Load runs them in this order, each
// given what the earlier ones produced, so defaults are resolved in one pass.
// Each reports every problem through its Scope and returns its best effort;
// Load discards the result when anything was reported.

// "critical", "important", "standard", "test": for ReadEnum.
std::span<const std::string_view> TierNames();

// `entry` is a map of threshold keys; unset keys keep `base`'s values.
Thresholds ParseThresholds(const Scope& scope, const Node& entry, const Thresholds& base);

Defaults ParseDefaults(const Scope& scope, const Node& entry);

// `tls: {ca_file, ca_path}` (config/tls.cpp): each must name an existing
// file / directory. A key left out keeps nothing from `inherited`: a `tls:`
// replaces the one above it whole.
Tls ParseTls(const Scope& scope, const Node& entry);

struct ProviderEntry {
  Provider provider;
  bool has_api_key = false;  // written, even if its value was unusable
};
std::vector<ProviderEntry> ParseProviders(const Scope& scope, const Node& entry);

Storage ParseStorage(const Scope& scope, const Node& entry);

Web ParseWeb(const Scope& scope, const Node& entry);

// The `budget:` section (config/budget.cpp).
Budget ParseBudget(const Scope& scope, const Node& entry);

// The keys of kind http (url, method, headers, body, conditions) of the
// monitor map `node`, into `m`.
void ReadHttpFields(const Scope& scope, const Node& node, Monitor& m);

// The keys of kinds stability (endpoint, accept) and vertex (project,
// location, credentials_file, else GOOGLE_APPLICATION_CREDENTIALS), and the
// `poll:` block of flux (a default one when absent) and http monitors
// (config/monitor_kinds.cpp).
void ReadStabilityFields(const Scope& scope, const Node& node, Monitor& m);
void ReadVertexFields(const Scope& scope, const Node& node, Monitor& m);
void ReadPoll(const Scope& scope, const Node& node, Monitor& m);

// `node` is the `index`th element of `monitors`; `alerts` gives its alert
// rules' defaults.
Monitor ParseMonitor(Diagnostics& diag, const Node& node, size_t index,
                     const std::vector<ProviderEntry>& providers, const Defaults& defaults,
                     const Alerts& alerts);

// The `alerts:` section (config/alerts.cpp).
Alerts ParseAlerts(const Scope& scope, const Node& entry);
// The rule keys of an `alerts:` map (the section's or a monitor's) into `rules`.
void ParseRuleKeys(const Scope& scope, const Node& map, AlertRules& rules);
// A monitor's alerts, maintenance, depends_on and status_pages keys.
MonitorAlerts ParseMonitorAlerts(const Scope& scope, const Node& monitor, const Alerts& alerts);
// A list of maintenance windows (or one window as a map).
std::vector<Maintenance> ParseMaintenance(const Scope& scope, const Node& entry);
// depends_on names a monitor (not itself, not one that depends on another).
void CheckAlertReferences(Diagnostics& diag, const std::vector<Monitor>& monitors);

// The `sources:` section (config/sources.cpp).
std::vector<StatusSource> ParseSources(const Scope& scope, const Node& entry);
// A monitor's `status_sources` key into `m`.
void ReadMonitorStatusSources(const Scope& scope, const Node& monitor, Monitor& m);
// Every status_sources name is a `sources:` entry.
// A `models` source without `models:` watches its provider's monitors' models.
void FillWatchedModels(Diagnostics& diag, const std::vector<Monitor>& monitors,
                       std::vector<StatusSource>& sources);
void CheckSourceReferences(Diagnostics& diag, const std::vector<Monitor>& monitors,
                           const std::vector<StatusSource>& sources);

}  // namespace modelwatch::config
