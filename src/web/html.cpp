#include "web/html.h"

#include <fmt/format.h>

#include "core/text.h"

namespace modelwatch::web {

void AppendEscaped(std::string& out, std::string_view text) { AppendXmlEscaped(out, text); }

std::string EscapeHtml(std::string_view text) { return XmlEscaped(text); }

std::string FormatPercent(std::optional<double> pct) {
  if (!pct) {
    return "—";
  }
  if (*pct >= 100.0) {
    return "100 %";
  }
  if (*pct >= 99.0) {
    return fmt::format("{:.2f} %", *pct);
  }
  return fmt::format("{:.1f} %", *pct);
}

std::string FormatMillis(std::optional<double> ms) {
  if (!ms) {
    return "—";
  }
  if (*ms < 1000) {
    return fmt::format("{:.0f} ms", *ms);
  }
  if (*ms < 60'000) {
    return fmt::format("{:.1f} s", *ms / 1000);
  }
  return fmt::format("{:.1f} min", *ms / 60'000);
}

std::string FormatAge(std::optional<WallTime> t, WallTime now) {
  if (!t) {
    return "never";
  }
  auto s = std::chrono::duration_cast<std::chrono::seconds>(now - *t).count();
  if (s < 0) {
    s = 0;
  }
  if (s < 120) {
    return fmt::format("{} s ago", s);
  }
  if (s < 7200) {
    return fmt::format("{} min ago", s / 60);
  }
  if (s < 172800) {
    return fmt::format("{} h ago", s / 3600);
  }
  return fmt::format("{} d ago", s / 86400);
}

std::string_view HealthClass(store::Health h) {
  switch (h) {
    case store::Health::kNormal:
      return "h-normal";
    case store::Health::kWarning:
      return "h-warning";
    case store::Health::kAlert:
      return "h-alert";
    case store::Health::kUnknown:
      break;
  }
  return "h-unknown";
}

}  // namespace modelwatch::web
