// Maintenance windows: {start, duration, every, timezone}.
#include <absl/time/time.h>
#include <fmt/format.h>

#include <array>
#include <cstdio>
#include <string_view>

#include "config/alerts.h"
#include "config/fields.h"
#include "config/sections.h"
#include "config/suggest.h"

namespace modelwatch::config {

namespace {

constexpr std::array<std::string_view, 4> kKeys = {"start", "duration", "every", "timezone"};
constexpr std::array<std::string_view, 7> kDays = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
constexpr std::array<std::string_view, 2> kEvery = {"daily", "weekly"};

bool Digits(std::string_view s, size_t at, size_t n, int& out) {
  if (at + n > s.size()) {
    return false;
  }
  out = 0;
  for (size_t i = at; i < at + n; ++i) {
    if (s[i] < '0' || s[i] > '9') {
      return false;
    }
    out = out * 10 + (s[i] - '0');
  }
  return true;
}

// "HH:MM" at `at`, then optional ":SS"; returns the index after it or npos.
size_t ReadClock(std::string_view s, size_t at, Maintenance& m) {
  int sec = 0;
  if (!Digits(s, at, 2, m.hour) || at + 2 >= s.size() || s[at + 2] != ':' ||
      !Digits(s, at + 3, 2, m.minute) || m.hour > 23 || m.minute > 59) {
    return std::string_view::npos;
  }
  size_t end = at + 5;
  if (end < s.size() && s[end] == ':') {
    if (!Digits(s, end + 1, 2, sec) || sec != 0) {
      return std::string_view::npos;  // windows start on a minute
    }
    end += 3;
  }
  return end;
}

// "02:00", or ISO 8601 "2026-12-07T02:00[:00][Z|+08:00]".
bool ParseStart(std::string_view s, Maintenance& m) {
  if (s.size() >= 5 && s[2] == ':') {
    return ReadClock(s, 0, m) == s.size();
  }
  int y = 0, mo = 0, d = 0;
  if (!Digits(s, 0, 4, y) || s.size() < 11 || s[4] != '-' || !Digits(s, 5, 2, mo) || s[7] != '-' ||
      !Digits(s, 8, 2, d) || (s[10] != 'T' && s[10] != ' ')) {
    return false;
  }
  absl::CivilDay day(y, mo, d);
  if (day.year() != y || day.month() != mo || day.day() != d) {
    return false;  // 2026-02-30
  }
  m.date = std::array<int, 3>{y, mo, d};
  size_t end = ReadClock(s, 11, m);
  if (end == std::string_view::npos) {
    return false;
  }
  std::string_view rest = s.substr(end);
  if (rest.empty()) {
    return true;
  }
  if (rest == "Z") {
    m.utc_offset_minutes = 0;
    return true;
  }
  int oh = 0, om = 0;
  if (rest.size() == 6 && (rest[0] == '+' || rest[0] == '-') && Digits(rest, 1, 2, oh) &&
      rest[3] == ':' && Digits(rest, 4, 2, om) && oh <= 14 && om <= 59) {
    m.utc_offset_minutes = (rest[0] == '-' ? -1 : 1) * (oh * 60 + om);
    return true;
  }
  return false;
}

int WeekdayIndex(const std::array<int, 3>& date) {
  absl::Weekday w = absl::GetWeekday(absl::CivilDay(date[0], date[1], date[2]));
  return static_cast<int>(w);  // absl: Monday is 0
}

Maintenance ParseOne(const Scope& scope, const Node& node) {
  Maintenance m;
  m.mark = node.mark;
  if (!node.IsMap()) {
    if (!node.interpolation_failed) {
      scope.Error(node.mark, fmt::format("must be a map {{start, duration, every, timezone}}, "
                                         "not {}",
                                         Describe(node.type)));
    }
    return m;
  }
  CheckKeys(scope, node, kKeys);
  const Node* start = node.Find("start");
  if (start == nullptr) {
    scope.Error(node.mark, "missing required key \"start\" (\"02:00\" or 2026-12-07T02:00)");
  } else if (auto s = ReadString(scope, *start)) {
    m.text = *s;
    if (!ParseStart(*s, m)) {
      scope.Child("start").Error(
          start->mark, fmt::format("\"{}\" is not a time of day (\"02:00\") or an ISO 8601 time "
                                   "(2026-12-07T02:00, optionally with Z or +08:00)",
                                   *s));
    }
  }
  const Node* duration = node.Find("duration");
  if (duration == nullptr) {
    scope.Error(node.mark, "missing required key \"duration\" (e.g. 2h)");
  } else if (auto d = ReadDuration(scope, *duration, std::chrono::minutes(1))) {
    m.duration = *d;
  }
  const Node* every = node.Find("every");
  bool weekly = false;
  if (every != nullptr && every->IsSequence()) {
    m.every = Maintenance::Every::kDays;
    Scope es = scope.Child("every");
    for (size_t i = 0; i < every->items.size(); ++i) {
      Node item = every->items[i];
      item.key = fmt::format("[{}]", i);
      if (auto d = ReadEnum(es, item, kDays)) {
        m.days[std::find(kDays.begin(), kDays.end(), *d) - kDays.begin()] = true;
      }
    }
    if (every->items.empty()) {
      es.Error(every->mark, "lists no day (write e.g. [mon, thu])");
    }
  } else if (every != nullptr) {
    if (auto e = ReadEnum(scope, *every, kEvery)) {
      m.every = Maintenance::Every::kDaily;
      weekly = *e == "weekly";
    }
  }
  if (const Node* tz = node.Find("timezone")) {
    if (auto name = ReadString(scope, *tz)) {
      absl::TimeZone zone;
      if (!absl::LoadTimeZone(*name, &zone)) {
        scope.Child("timezone")
            .Error(tz->mark, fmt::format("\"{}\" is not a time zone in /usr/share/zoneinfo (e.g. "
                                         "Asia/Shanghai, Europe/Berlin, UTC)",
                                         *name));
      } else {
        m.timezone = *name;
      }
    }
  }
  bool start_ok = start != nullptr && (m.date.has_value() || !m.text.empty());
  if (start_ok && m.every == Maintenance::Every::kOnce && every == nullptr && !m.date) {
    scope.Child("start").Error(start->mark,
                               fmt::format("\"{}\" has no date: a window without `every` happens "
                                           "once, so write the date (2026-12-07T{})",
                                           m.text, m.text));
  }
  if (weekly) {
    if (!m.date) {
      scope.Child("every").Error(every->mark,
                                 "weekly needs a start with a date (its weekday), or list the "
                                 "days: every: [mon, thu]");
    } else {
      m.every = Maintenance::Every::kDays;
      m.days[WeekdayIndex(*m.date)] = true;
    }
  }
  if (m.every != Maintenance::Every::kOnce && m.utc_offset_minutes) {
    scope.Child("start").Error(start->mark,
                               "a repeating window starts at a local time of `timezone`: drop "
                               "the offset from start");
  }
  return m;
}

}  // namespace

std::vector<Maintenance> ParseMaintenance(const Scope& parent, const Node& entry) {
  std::vector<Maintenance> out;
  if (entry.interpolation_failed || entry.IsNull()) {
    return out;
  }
  Scope scope = parent.Child(entry.key);
  if (entry.IsMap()) {
    out.push_back(ParseOne(scope, entry));  // a single window needs no list
    return out;
  }
  if (!entry.IsSequence()) {
    scope.Error(entry.mark, fmt::format("must be a list of windows, not {}", Describe(entry.type)));
    return out;
  }
  for (size_t i = 0; i < entry.items.size(); ++i) {
    out.push_back(ParseOne(scope.Child(fmt::format("[{}]", i)), entry.items[i]));
  }
  return out;
}

}  // namespace modelwatch::config
