#include "alert/detection_lead.h"

#include <fmt/format.h>

#include <charconv>
#include <cstdio>
#include <ctime>

#include "alert/engine.h"

namespace modelwatch::alert {
namespace {

constexpr std::string_view kBefore = " min before the official incident on ";
constexpr std::string_view kOpened = " (opened ";
constexpr std::string_view kUtc = " UTC): ";

std::string Utc(WallTime t) {
  std::time_t secs = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  return fmt::format("{:04}-{:02}-{:02} {:02}:{:02}", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                     tm.tm_hour, tm.tm_min);
}

// "2026-12-01 10:00" as Utc() writes it; the epoch when unreadable.
WallTime ParseUtc(std::string_view s) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0;
  if (s.size() != 16 ||
      std::sscanf(std::string(s).c_str(), "%4d-%2d-%2d %2d:%2d", &y, &mo, &d, &h, &mi) != 5) {
    return WallTime{};
  }
  using namespace std::chrono;
  return sys_days(year(y) / month(static_cast<unsigned>(mo)) / day(static_cast<unsigned>(d))) +
         hours(h) + minutes(mi);
}

}  // namespace

std::string DetectionLeadMessage(const DetectionLead& d) {
  std::string text = fmt::format("{}{}{}{}{}{}{}", d.lead_minutes, kBefore, d.source, kOpened,
                                 Utc(d.opened), kUtc, d.incident);
  if (!d.link.empty()) {
    text += " " + d.link;
  }
  return text;
}

std::optional<DetectionLead> ParseDetectionLead(const store::AlertEvent& e) {
  if (e.rule != kDetectionLead) {
    return std::nullopt;
  }
  std::string_view m = e.message;
  DetectionLead d;
  d.monitor = e.monitor;
  auto [end, ec] = std::from_chars(m.data(), m.data() + m.size(), d.lead_minutes);
  if (ec != std::errc()) {
    return std::nullopt;
  }
  m.remove_prefix(static_cast<size_t>(end - m.data()));
  if (!m.starts_with(kBefore)) {
    return std::nullopt;
  }
  m.remove_prefix(kBefore.size());
  size_t opened = m.find(kOpened);
  size_t utc = m.find(kUtc);
  if (opened == std::string_view::npos || utc == std::string_view::npos || utc < opened) {
    return std::nullopt;
  }
  d.source = std::string(m.substr(0, opened));
  d.opened = ParseUtc(m.substr(opened + kOpened.size(), utc - opened - kOpened.size()));
  std::string rest(m.substr(utc + kUtc.size()));
  size_t link = rest.rfind(" http");
  if (link != std::string::npos) {
    d.link = rest.substr(link + 1);
    rest.resize(link);
  }
  d.incident = std::move(rest);
  return d;
}

}  // namespace modelwatch::alert
