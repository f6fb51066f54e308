#include "web/healthiest.h"

#include <fmt/format.h>

#include <algorithm>
#include <sstream>

#include "web/html.h"

namespace modelwatch::web {

namespace {

int StateOrder(const std::string& s) {
  if (s == "up") {
    return 0;
  }
  if (s == "unknown" || s == "rate_limited") {
    return 1;
  }
  return 2;
}

}  // namespace

std::vector<Ranked> RankHealthiest(const std::vector<const MonitorView*>& monitors,
                                   const LiveSnapshot* live) {
  std::vector<Ranked> out;
  for (const MonitorView* m : monitors) {
    Ranked r;
    r.monitor = m;
    Current c = CurrentOf(*m, live);
    if (!c.status) {
      r.state = "unknown";
    } else if (IsSuccess(*c.status)) {
      r.state = "up";
    } else if (*c.status == CheckStatus::kRateLimited) {
      r.state = "rate_limited";
    } else {
      r.state = "down";
    }
    const store::WindowStats* w = &m->windows.windows[0];
    r.availability_window = "1h";
    if (w->checks == 0) {
      w = &m->windows.windows[2];
      r.availability_window = "24h";
    }
    r.availability = w->availability;
    if (w->latency) {
      r.p95_ms = w->latency->p95;
    }
    std::string status_text = c.status ? std::string(ToString(*c.status)) : "no check yet";
    r.reason =
        fmt::format("{} (last check {}), availability {} over {}, p95 {}", r.state, status_text,
                    FormatPercent(r.availability), r.availability_window, FormatMillis(r.p95_ms));
    out.push_back(std::move(r));
  }
  std::stable_sort(out.begin(), out.end(), [](const Ranked& a, const Ranked& b) {
    int sa = StateOrder(a.state), sb = StateOrder(b.state);
    if (sa != sb) {
      return sa < sb;
    }
    double aa = a.availability.value_or(-1), ab = b.availability.value_or(-1);
    if (aa != ab) {
      return aa > ab;
    }
    double pa = a.p95_ms.value_or(1e18), pb = b.p95_ms.value_or(1e18);
    return pa < pb;
  });
  for (size_t i = 0; i < out.size(); ++i) {
    out[i].rank = static_cast<int>(i + 1);
  }
  return out;
}

std::vector<const MonitorView*> SelectMonitors(const DashboardData& data, const std::string& group,
                                               const std::string& names, std::string* error) {
  std::vector<const MonitorView*> out;
  if (!group.empty()) {
    size_t colon = group.find(':');
    if (colon == std::string::npos || colon == 0) {
      *error = "group must be LABEL:VALUE, e.g. group=model:nano-banana-pro";
      return out;
    }
    std::string label = group.substr(0, colon);
    std::string value = group.substr(colon + 1);
    for (const MonitorView& m : data.monitors) {
      auto it = m.labels.find(label);
      bool match = it != m.labels.end() ? it->second == value
                                        : (label == "provider" && m.provider == value) ||
                                              (label == "model" && m.model == value) ||
                                              (label == "kind" && m.kind == value);
      if (match) {
        out.push_back(&m);
      }
    }
    if (out.empty()) {
      *error = "no monitor has label " + label + " = " + value;
    }
    return out;
  }
  if (names.empty()) {
    *error = "give group=LABEL:VALUE or monitors=a,b,c";
    return out;
  }
  std::stringstream in(names);
  for (std::string name; std::getline(in, name, ',');) {
    if (name.empty()) {
      continue;
    }
    const MonitorView* m = data.Find(name);
    if (m == nullptr) {
      *error = "unknown monitor \"" + name + "\"";
      out.clear();
      return out;
    }
    if (std::find(out.begin(), out.end(), m) == out.end()) {
      out.push_back(m);
    }
  }
  if (out.empty()) {
    *error = "monitors= names no monitor";
  }
  return out;
}

}  // namespace modelwatch::web
