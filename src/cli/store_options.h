#pragma once

#include <string>
#include <vector>

#include "config/config.h"
#include "store/stats.h"
#include "store/store.h"
#include "store/windows.h"

namespace modelwatch::cli {

// config::Storage -> store::Options (the store does not know config).
store::Options StoreOptions(const config::Storage& storage);
store::Thresholds StoreThresholds(const config::Thresholds& t);
// Each configured monitor's thresholds; the config defaults for the others.
// `cfg` must outlive the returned function.
store::ThresholdsFor ThresholdsOf(const config::Config& cfg);

// Opens the configured store for a read-only command (no pruning); prints
// the error to stderr and returns null on failure.
store::StorePtr OpenStoreForReading(const config::Config& cfg);

// The monitors a read command covers: `asked` when given, else the
// configured ones in config order, then stored ones no longer configured.
// The store's read error when it cannot list them (a corrupt database must
// not yield a report of only the configured monitors).
Result<std::vector<std::string>> MonitorNames(const config::Config& cfg, store::Store& store,
                                      const std::vector<std::string>& asked);

}  // namespace modelwatch::cli
