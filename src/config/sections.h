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

struct ProviderEntry {
  Provider provider;
  bool has_api_key = false;  // written, even if its value was unusable
};
std::vector<ProviderEntry> ParseProviders(const Scope& scope, const Node& entry);

Storage ParseStorage(const Scope& scope, const Node& entry);

Web ParseWeb(const Scope& scope, const Node& entry);

// The keys of kind http (url, method, headers, body, conditions) of the
// monitor map `node`, into `m`.
void ReadHttpFields(const Scope& scope, const Node& node, Monitor& m);

// `node` is the `index`th element of `monitors`.
Monitor ParseMonitor(Diagnostics& diag, const Node& node, size_t index,
                     const std::vector<ProviderEntry>& providers, const Defaults& defaults);

}  // namespace modelwatch::config
