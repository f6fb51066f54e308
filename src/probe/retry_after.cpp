#include "probe/retry_after.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <string>

#include "core/text.h"

namespace modelwatch::probe {
namespace {

std::optional<int64_t> ParseDigits(std::string_view s) {
  if (s.empty() || s.size() > 10) {
    return std::nullopt;
  }
  int64_t v = 0;
  for (char c : s) {
    if (!std::isdigit(static_cast<unsigned char>(c))) {
      return std::nullopt;
    }
    v = v * 10 + (c - '0');
  }
  return v;
}

// IMF-fixdate, the only form RFC 9110 asks senders to produce:
// "Sun, 06 Nov 1994 08:49:37 GMT". Returns seconds since the epoch.
std::optional<int64_t> ParseHttpDate(std::string_view s) {
  s = TrimSpace(s);
  if (s.size() != 29 || s[3] != ',' || s.substr(26) != "GMT") {
    return std::nullopt;
  }
  static constexpr std::string_view kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  auto month = std::find(std::begin(kMonths), std::end(kMonths), s.substr(8, 3));
  auto day = ParseDigits(s.substr(5, 2));
  auto year = ParseDigits(s.substr(12, 4));
  auto hh = ParseDigits(s.substr(17, 2));
  auto mm = ParseDigits(s.substr(20, 2));
  auto ss = ParseDigits(s.substr(23, 2));
  if (month == std::end(kMonths) || !day || !year || !hh || !mm || !ss || s[19] != ':' ||
      s[22] != ':') {
    return std::nullopt;
  }
  std::chrono::year_month_day ymd{std::chrono::year(static_cast<int>(*year)),
                                  std::chrono::month(static_cast<unsigned>(month - kMonths + 1)),
                                  std::chrono::day(static_cast<unsigned>(*day))};
  if (!ymd.ok() || *hh > 23 || *mm > 59 || *ss > 60) {
    return std::nullopt;
  }
  int64_t days = std::chrono::sys_days(ymd).time_since_epoch().count();
  return days * 86400 + *hh * 3600 + *mm * 60 + *ss;
}

// "41.724s", "1m30s", "500ms", "6m0s": a sum of number+unit pairs.
std::optional<double> ParseGoDuration(std::string_view s) {
  double total = 0;
  size_t i = 0;
  bool any = false;
  while (i < s.size()) {
    size_t start = i;
    while (i < s.size() && (std::isdigit(static_cast<unsigned char>(s[i])) || s[i] == '.')) {
      ++i;
    }
    if (i == start) {
      break;
    }
    double v = std::strtod(std::string(s.substr(start, i - start)).c_str(), nullptr);
    std::string_view rest = s.substr(i);
    if (rest.starts_with("ms")) {
      total += v / 1000;
      i += 2;
    } else if (rest.starts_with("s")) {
      total += v;
      i += 1;
    } else if (rest.starts_with("m")) {
      total += v * 60;
      i += 1;
    } else if (rest.starts_with("h")) {
      total += v * 3600;
      i += 1;
    } else {
      return std::nullopt;
    }
    any = true;
  }
  return any ? std::optional<double>(total) : std::nullopt;
}

}  // namespace

std::optional<std::chrono::seconds> ParseRetryAfterHeader(std::string_view value,
                                                          std::string_view date_header) {
  value = TrimSpace(value);
  if (auto secs = ParseDigits(value)) {
    return std::chrono::seconds(*secs);
  }
  auto until = ParseHttpDate(value);
  auto now = ParseHttpDate(date_header);
  if (!until || !now) {
    return std::nullopt;
  }
  return std::chrono::seconds(std::max<int64_t>(0, *until - *now));
}

std::optional<std::chrono::seconds> ParseRetryHint(std::string_view message) {
  std::string lower = AsciiLower(message);
  for (std::string_view phrase : {"try again in ", "retry in ", "retry after "}) {
    size_t pos = lower.find(phrase);
    if (pos == std::string::npos) {
      continue;
    }
    std::string_view rest = std::string_view(lower).substr(pos + phrase.size());
    size_t end = 0;
    while (end < rest.size() &&
           (std::isalnum(static_cast<unsigned char>(rest[end])) || rest[end] == '.')) {
      ++end;
    }
    std::string_view token = rest.substr(0, end);
    while (!token.empty() && token.back() == '.') {  // sentence end
      token.remove_suffix(1);
    }
    if (auto secs = ParseGoDuration(token); secs && *secs < 1e9) {
      return std::chrono::seconds(static_cast<int64_t>(std::ceil(*secs)));
    }
  }
  return std::nullopt;
}

std::optional<std::chrono::seconds> FindRetryAfter(const net::Response& response,
                                                   const ProviderError* error) {
  if (auto header = response.Header("retry-after")) {
    if (auto v = ParseRetryAfterHeader(*header, response.Header("date").value_or(""))) {
      return v;
    }
  }
  if (error == nullptr) {
    return std::nullopt;
  }
  if (error->retry_delay) {
    return error->retry_delay;
  }
  if (auto v = ParseRetryHint(error->message)) {
    return v;
  }
  return ParseRetryHint(error->raw);
}

}  // namespace modelwatch::probe
