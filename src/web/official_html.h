#pragma once

// The dashboard's pieces about official status, model lifecycle and cost
// (official_html.cpp). Every text from a source, a provider or a config is
// escaped (web/html.h); a remote link becomes an href only when it is
// http(s).

#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "source/source.h"
#include "web/data.h"
#include "web/official.h"

namespace modelwatch::web {

// Appends <a href=URL>TEXT</a> when `url` is http:// or https://, else TEXT.
void AppendLink(std::string& out, std::string_view url, std::string_view text);

// The overview's "Official status" strip: one cell per source with its
// state, why, poll age and active incidents (OpenRouter: its providers'
// uptime, with kUptimeNote). Nothing when `sources` is empty.
void AppendSourcesStrip(std::string& out, const config::Config& cfg,
                        const std::vector<source::Snapshot>& sources, WallTime now);

// The overview's lifecycle warnings; nothing when there are none.
void AppendLifecycle(std::string& out, const std::vector<LifecycleNotice>& notices);

// The overview's cost card (month to date and projected, the priced
// monitors costing most); nothing when no monitor is priced or costed.
void AppendCostCard(std::string& out, const DashboardData& data);

// A monitor's cost figures as KPI cells; nothing when it is neither priced
// nor costed.
void AppendMonitorCost(std::string& out, const MonitorView& m);

// The monitor page's one timeline (own alerts and official events).
void AppendTimeline(std::string& out, const std::vector<TimelineEntry>& entries);

}  // namespace modelwatch::web
