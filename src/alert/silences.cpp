#include "alert/silences.h"

namespace modelwatch::alert {

bool Covers(const store::Silence& s, const std::string& monitor, const std::string& rule,
            WallTime now) {
  return s.starts <= now && now < s.ends && (s.monitor.empty() || s.monitor == monitor) &&
         (s.rule.empty() || s.rule == rule);
}

std::optional<WallTime> SilencedUntil(const std::vector<store::Silence>& silences,
                                      const std::string& monitor, const std::string& rule,
                                      WallTime now) {
  std::optional<WallTime> until;
  for (const store::Silence& s : silences) {
    if (Covers(s, monitor, rule, now) && (!until || s.ends > *until)) {
      until = s.ends;
    }
  }
  return until;
}

}  // namespace modelwatch::alert
