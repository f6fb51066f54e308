#include "notify/log_text.h"

#include <fmt/format.h>

namespace modelwatch::notify {

std::string LogText(const Notification& n) {
  std::string out = fmt::format("[{}] {}", ToString(n.level), n.title);
  for (const AlertItem& a : n.items) {
    out += fmt::format("\n- {} ({}): {} {}", a.monitor, a.model, ToString(a.event), a.summary);
    if (!a.error.empty()) {
      out += fmt::format("\n  error: {}", a.error);
    }
    if (!a.diagnosis.empty()) {
      out += fmt::format("\n  diagnosis: {}", a.diagnosis);
    }
  }
  if (!n.dashboard_url.empty()) {
    out += "\n" + n.dashboard_url;
  }
  return out;
}

}  // namespace modelwatch::notify
