#pragma once

#include <optional>
#include <string>
#include <vector>

#include "store/stats.h"
#include "web/data.h"

namespace modelwatch::web {

// The health of one bar's availability against `t`: 0 normal, 1 warning,
// 2 alert, -1 no data.
int BarLevel(const Bar& b, const store::Thresholds& t);

// An uptime strip of `n` bars starting at `first_ms`, `step_ms` apart, as
// inline SVG (one path per colour). The figures for hovering ride along in
// data-v ("availability:checks:failures;" per bar) for /static/app.js.
void AppendBars(std::string& out, const Bar* bars, int n, int64_t first_ms, int64_t step_ms,
                const store::Thresholds& t);

struct ChartPoint {
  int64_t start_ms = 0;
  std::optional<double> avg_ms;
  std::optional<double> p95_ms;
};

// A latency chart: avg and p95 lines, the latency alert threshold as a
// dashed line, a y axis in seconds and a few time labels (UTC).
std::string LatencyChart(const std::vector<ChartPoint>& points, double threshold_ms,
                         int64_t step_ms);

}  // namespace modelwatch::web
