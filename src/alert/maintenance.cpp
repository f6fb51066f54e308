#include "alert/maintenance.h"

#include <absl/time/civil_time.h>
#include <absl/time/time.h>

namespace modelwatch::alert {

namespace {

using config::Maintenance;

absl::TimeZone Zone(const Maintenance& m) {
  absl::TimeZone tz;
  if (!absl::LoadTimeZone(m.timezone, &tz)) {
    return absl::UTCTimeZone();  // config checked the name; a zoneinfo gone since is UTC
  }
  return tz;
}

std::optional<WallTime> OpenUntil(absl::Time start, const Maintenance& m, WallTime now) {
  WallTime s = absl::ToChronoTime(start);
  WallTime e = s + m.duration;
  if (s <= now && now < e) {
    return e;
  }
  return std::nullopt;
}

}  // namespace

std::optional<WallTime> MaintenanceOpenUntil(const Maintenance& m, WallTime now) {
  absl::TimeZone tz = Zone(m);
  if (m.every == Maintenance::Every::kOnce) {
    if (!m.date) {
      return std::nullopt;
    }
    absl::CivilMinute cm((*m.date)[0], (*m.date)[1], (*m.date)[2], m.hour, m.minute);
    absl::Time start = m.utc_offset_minutes ? absl::FromCivil(cm, absl::UTCTimeZone()) -
                                                  absl::Minutes(*m.utc_offset_minutes)
                                            : absl::FromCivil(cm, tz);
    return OpenUntil(start, m, now);
  }
  absl::CivilDay today = absl::ToCivilDay(absl::FromChrono(now), tz);
  // Windows that began on an earlier day may still be open.
  int64_t back = m.duration.count() / 86'400'000 + 1;
  std::optional<WallTime> until;
  for (absl::CivilDay d = today - back; d <= today; ++d) {
    if (m.date && d < absl::CivilDay((*m.date)[0], (*m.date)[1], (*m.date)[2])) {
      continue;
    }
    if (m.every == Maintenance::Every::kDays && !m.days[static_cast<int>(absl::GetWeekday(d))]) {
      continue;
    }
    absl::CivilMinute cm(d.year(), d.month(), d.day(), m.hour, m.minute);
    if (auto e = OpenUntil(absl::FromCivil(cm, tz), m, now); e && (!until || *e > *until)) {
      until = e;
    }
  }
  return until;
}

std::optional<WallTime> InMaintenance(const std::vector<Maintenance>& windows, WallTime now) {
  std::optional<WallTime> until;
  for (const Maintenance& m : windows) {
    if (auto e = MaintenanceOpenUntil(m, now); e && (!until || *e > *until)) {
      until = e;
    }
  }
  return until;
}

}  // namespace modelwatch::alert
