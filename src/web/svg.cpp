#include "web/svg.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <ctime>

namespace modelwatch::web {

int BarLevel(const Bar& b, const store::Thresholds& t) {
  if (!b.availability) {
    return -1;
  }
  if (*b.availability >= t.availability_warning) {
    return 0;
  }
  return *b.availability >= t.availability_alert ? 1 : 2;
}

void AppendBars(std::string& out, const Bar* bars, int n, int64_t first_ms, int64_t step_ms,
                const store::Thresholds& t) {
  std::string paths[4];  // b0, b1, b2, bn
  std::string values;
  for (int i = 0; i < n; ++i) {
    int level = BarLevel(bars[i], t);
    fmt::format_to(std::back_inserter(paths[level < 0 ? 3 : level]), "M{} 0h.8v10h-.8z", i);
    if (bars[i].availability) {
      fmt::format_to(std::back_inserter(values), "{:.4g}", *bars[i].availability);
    }
    if (bars[i].checks > 0) {
      fmt::format_to(std::back_inserter(values), ":{}:{}", bars[i].checks, bars[i].failures);
    }
    values += ';';
  }
  fmt::format_to(std::back_inserter(out),
                 "<svg class=bars viewBox=\"0 0 {} 10\" preserveAspectRatio=none role=img "
                 "data-start=\"{}\" data-step=\"{}\" data-v=\"{}\"><title>{} bars</title>",
                 n, first_ms, step_ms, values, n);
  static constexpr const char* kClass[4] = {"b0", "b1", "b2", "bn"};
  for (int c = 0; c < 4; ++c) {
    if (!paths[c].empty()) {
      fmt::format_to(std::back_inserter(out), "<path class={} d=\"{}\"/>", kClass[c], paths[c]);
    }
  }
  out += "</svg>";
}

std::string LatencyChart(const std::vector<ChartPoint>& points, double threshold_ms,
                         int64_t step_ms) {
  constexpr double kW = 900, kH = 260, kLeft = 48, kRight = 10, kTop = 10, kBottom = 24;
  double max_ms = threshold_ms;
  for (const ChartPoint& p : points) {
    max_ms = std::max({max_ms, p.avg_ms.value_or(0), p.p95_ms.value_or(0)});
  }
  max_ms = std::max(max_ms * 1.08, 1000.0);
  double step_s = std::pow(10, std::floor(std::log10(max_ms / 1000 / 4)));
  for (double f : {1.0, 2.0, 5.0, 10.0}) {
    if (max_ms / 1000 / (step_s * f) <= 5) {
      step_s *= f;
      break;
    }
  }
  size_t n = std::max<size_t>(points.size(), 2);
  auto x = [&](size_t i) { return kLeft + (kW - kLeft - kRight) * i / (n - 1); };
  auto y = [&](double ms) { return kTop + (kH - kTop - kBottom) * (1 - ms / max_ms); };
  std::string out = fmt::format(
      "<svg class=chart viewBox=\"0 0 {} {}\" preserveAspectRatio=none role=img "
      "data-start=\"{}\" data-step=\"{}\"><title>latency per hour</title>",
      kW, kH, points.empty() ? 0 : points.front().start_ms, step_ms);
  for (double s = 0; s * 1000 <= max_ms; s += step_s) {
    double yy = y(s * 1000);
    fmt::format_to(std::back_inserter(out),
                   "<line class=grid x1=\"{}\" x2=\"{}\" y1=\"{:.1f}\" y2=\"{:.1f}\"/>"
                   "<text x=\"{}\" y=\"{:.1f}\" text-anchor=end>{:g} s</text>",
                   kLeft, kW - kRight, yy, yy, kLeft - 4, yy + 4, s);
  }
  size_t labels = 6;
  for (size_t k = 0; k < labels && !points.empty(); ++k) {
    size_t i = (points.size() - 1) * k / (labels - 1);
    std::time_t t = points[i].start_ms / 1000;
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, step_ms >= 86'400'000 || points.size() > 48 ? "%m-%d" : "%H:%M",
                  &tm);
    const char* anchor = k == 0 ? "start" : k + 1 == labels ? "end" : "middle";
    fmt::format_to(std::back_inserter(out), "<text x=\"{:.1f}\" y=\"{}\" text-anchor={}>{}</text>",
                   x(i), kH - 6, anchor, buf);
  }
  double ty = y(threshold_ms);
  fmt::format_to(std::back_inserter(out),
                 "<line class=thr x1=\"{}\" x2=\"{}\" y1=\"{:.1f}\" y2=\"{:.1f}\"><title>alert "
                 "threshold {:g} s</title></line>",
                 kLeft, kW - kRight, ty, ty, threshold_ms / 1000);
  for (int series = 0; series < 2; ++series) {
    std::string d;
    bool pen_up = true;
    for (size_t i = 0; i < points.size(); ++i) {
      std::optional<double> v = series == 0 ? points[i].avg_ms : points[i].p95_ms;
      if (!v) {
        pen_up = true;
        continue;
      }
      fmt::format_to(std::back_inserter(d), "{}{:.1f} {:.1f}", pen_up ? "M" : "L", x(i), y(*v));
      pen_up = false;
    }
    if (!d.empty()) {
      fmt::format_to(std::back_inserter(out), "<path class={} d=\"{}\"/>",
                     series == 0 ? "avg" : "p95", d);
    }
  }
  out += "</svg>";
  return out;
}

}  // namespace modelwatch::web
