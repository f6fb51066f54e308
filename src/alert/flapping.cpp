#include "alert/flapping.h"

namespace modelwatch::alert {

double StateChangePercent(std::string_view h) {
  const size_t n = h.size();
  if (n < 3) {
    return 0;
  }
  double sum = 0;
  for (size_t i = 1; i < n; ++i) {
    if ((h[i] == 'u') != (h[i - 1] == 'u')) {
      sum += 0.8 + 0.4 * static_cast<double>(i - 1) / static_cast<double>(n - 2);
    }
  }
  return 100.0 * sum / static_cast<double>(n - 1);
}

void PushHistory(std::string& history, bool up, const config::FlappingRule& rule) {
  history.push_back(up ? 'u' : 'd');
  if (history.size() > static_cast<size_t>(rule.window)) {
    history.erase(0, history.size() - rule.window);
  }
}

bool IsFlapping(bool was_flapping, std::string_view history, const config::FlappingRule& rule) {
  if (!rule.enabled) {
    return false;
  }
  double pct = StateChangePercent(history);
  if (was_flapping) {
    return pct >= rule.below;
  }
  // Only a monitor whose alert fired in the window has a storm to replace.
  return history.size() >= static_cast<size_t>(rule.window / 2 + 1) && pct > rule.above &&
         history.find('f') != std::string_view::npos;
}

}  // namespace modelwatch::alert
