#pragma once

#include <optional>
#include <vector>

#include "config/alerts.h"
#include "core/clock.h"

namespace modelwatch::alert {

// When the window `m`, open at `now`, closes; nullopt when it is closed.
// Local times are read in m.timezone with its daylight-saving rules (the
// zoneinfo database, through absl::TimeZone); a window that began before
// midnight and lasts past it is open on both days.
std::optional<WallTime> MaintenanceOpenUntil(const config::Maintenance& m, WallTime now);

// The latest close of every window of `windows` open at `now`, or nullopt.
std::optional<WallTime> InMaintenance(const std::vector<config::Maintenance>& windows,
                                      WallTime now);

}  // namespace modelwatch::alert
