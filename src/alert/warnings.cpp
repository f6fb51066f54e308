#include "alert/warnings.h"

#include <fmt/format.h>

#include "alert/rules.h"
#include "core/duration.h"
#include "store/windows.h"

namespace modelwatch::alert {

std::vector<std::string> AlertWarnings(const config::Config& cfg) {
  std::vector<std::string> out;
  for (const config::Monitor& m : cfg.monitors) {
    const config::AlertRules& r = m.alerting.rules;
    const std::string interval = FormatDuration(m.interval);
    if (!r.failure_rate.mark.file.empty() && !CanFire(r.failure_rate, m.interval)) {
      out.push_back(fmt::format(
          "{}: warning: monitor \"{}\": failure_rate can never fire: its window {} holds at most "
          "{} checks at the interval {}, fewer than min_checks {}",
          r.failure_rate.mark.ToString(), m.name, FormatDuration(r.failure_rate.window),
          r.failure_rate.window / m.interval, interval, r.failure_rate.min_checks));
    }
    for (int i = 0; i < config::kWindowRuleCount; ++i) {
      auto kind = static_cast<config::WindowRuleKind>(i);
      const config::WindowRule& w = r.window(kind);
      if (!w.mark.file.empty() && !CanFire(w, kind, m.interval, m.thresholds)) {
        out.push_back(fmt::format(
            "{}: warning: monitor \"{}\": {} can never fire: its window {} holds at most {} "
            "checks at the interval {}, fewer than min_checks {}",
            w.mark.ToString(), m.name, ToString(kind), store::WindowName(w.window_index),
            store::kWindows[w.window_index] / m.interval, interval,
            MinChecks(kind, w, BoundOf(kind, w, m.thresholds))));
      }
    }
  }
  return out;
}

}  // namespace modelwatch::alert
