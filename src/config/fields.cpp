#include "config/fields.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <map>

#include "config/byte_size.h"
#include "config/suggest.h"
#include "core/duration.h"
#include "core/text.h"

namespace modelwatch::config {

namespace {

void Report(const Scope& scope, const Node& entry, const std::string& message) {
  scope.Child(entry.key).Error(entry.mark, message);
}

// The scalar text of `entry`, or nullopt after reporting why there is none.
// `expected` names what the key wants ("a duration such as 90s").
std::optional<std::string> Scalar(const Scope& scope, const Node& entry,
                                  std::string_view expected) {
  if (entry.interpolation_failed) {
    return std::nullopt;
  }
  if (entry.IsNull()) {
    Report(scope, entry, fmt::format("missing value (expected {})", expected));
    return std::nullopt;
  }
  if (!entry.IsScalar()) {
    Report(scope, entry, fmt::format("must be {}, not {}", expected, Describe(entry.type)));
    return std::nullopt;
  }
  return entry.value;
}

}  // namespace

void CheckRepeatedKeys(const Scope& scope, const Node& map) {
  std::map<std::string_view, const Node*> seen;
  for (const Node& entry : map.items) {
    auto [it, inserted] = seen.emplace(entry.key, &entry);
    if (!inserted) {
      scope.Error(entry.key_mark, fmt::format("key \"{}\" is repeated (first at {})", entry.key,
                                              it->second->key_mark.ToString()));
    }
  }
}

void CheckKeys(const Scope& scope, const Node& map, std::span<const std::string_view> allowed) {
  for (const Node& entry : map.items) {
    if (std::find(allowed.begin(), allowed.end(), entry.key) == allowed.end()) {
      scope.Error(entry.key_mark,
                  fmt::format("unknown key \"{}\"{}", entry.key, DidYouMean(entry.key, allowed)));
    }
  }
  CheckRepeatedKeys(scope, map);
}

bool ExpectMap(const Scope& scope, const Node& node) {
  if (node.IsMap() || node.IsNull()) {
    return true;
  }
  if (!node.interpolation_failed) {
    Report(scope, node, fmt::format("must be a map, not {}", Describe(node.type)));
  }
  return false;
}

std::optional<std::string> ReadString(const Scope& scope, const Node& entry) {
  return Scalar(scope, entry, "a string");
}

std::optional<Secret> ReadSecret(const Scope& scope, const Node& entry) {
  // Scalar() prints only the node's type, never its text.
  std::optional<std::string> s = Scalar(scope, entry, "a string");
  if (!s) {
    return std::nullopt;
  }
  return Secret(std::move(*s));
}

std::optional<std::string> ReadEnum(const Scope& scope, const Node& entry,
                                    std::span<const std::string_view> allowed) {
  std::optional<std::string> s = Scalar(scope, entry, fmt::format("one of {}", OneOf(allowed)));
  if (!s) {
    return std::nullopt;
  }
  if (std::find(allowed.begin(), allowed.end(), *s) == allowed.end()) {
    Report(scope, entry,
           fmt::format("\"{}\" is not one of {}{}", *s, OneOf(allowed), DidYouMean(*s, allowed)));
    return std::nullopt;
  }
  return s;
}

std::optional<bool> ReadBool(const Scope& scope, const Node& entry) {
  std::optional<std::string> s = Scalar(scope, entry, "true or false");
  if (!s) {
    return std::nullopt;
  }
  std::string v = AsciiLower(*s);
  if (v == "true" || v == "yes" || v == "on") {
    return true;
  }
  if (v == "false" || v == "no" || v == "off") {
    return false;
  }
  Report(scope, entry, fmt::format("\"{}\" is not true or false", *s));
  return std::nullopt;
}

std::optional<double> ReadNumber(const Scope& scope, const Node& entry, double min, double max,
                                 bool percent) {
  std::optional<std::string> s = Scalar(scope, entry, percent ? "a percentage" : "a number");
  if (!s) {
    return std::nullopt;
  }
  std::string_view text = *s;
  if (percent && !text.empty() && text.back() == '%') {
    text.remove_suffix(1);
  }
  double v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) {
    Report(scope, entry, fmt::format("\"{}\" is not a number", *s));
    return std::nullopt;
  }
  if (v < min || v > max) {
    Report(scope, entry, fmt::format("{} is out of range (allowed: {} to {})", *s, min, max));
    return std::nullopt;
  }
  return v;
}

std::optional<std::chrono::milliseconds> ReadDuration(const Scope& scope, const Node& entry,
                                                      std::chrono::milliseconds min) {
  std::optional<std::string> s = Scalar(scope, entry, "a duration such as 90s, 5m or 1h");
  if (!s) {
    return std::nullopt;
  }
  Result<std::chrono::milliseconds> d = ParseDuration(*s);
  if (!d) {
    Report(scope, entry, d.error().message());
    return std::nullopt;
  }
  if (*d < min) {
    Report(scope, entry, fmt::format("must be at least {}, not {}", FormatDuration(min), *s));
    return std::nullopt;
  }
  return *d;
}

std::optional<size_t> ReadByteSize(const Scope& scope, const Node& entry) {
  std::optional<std::string> s = Scalar(scope, entry, "a size such as 64MiB");
  if (!s) {
    return std::nullopt;
  }
  Result<size_t> n = ParseByteSize(*s);
  if (!n) {
    Report(scope, entry, n.error().message());
    return std::nullopt;
  }
  if (*n == 0) {
    Report(scope, entry, "must be more than 0 bytes");
    return std::nullopt;
  }
  return *n;
}

std::optional<std::string> ReadUrl(const Scope& scope, const Node& entry) {
  std::optional<std::string> s = Scalar(scope, entry, "an http:// or https:// URL");
  if (!s) {
    return std::nullopt;
  }
  std::string_view url = *s;
  size_t scheme_end = url.find("://");
  std::string_view scheme = url.substr(0, scheme_end);
  if (scheme_end == std::string_view::npos || (scheme != "http" && scheme != "https")) {
    Report(scope, entry, fmt::format("\"{}\" must start with http:// or https://", *s));
    return std::nullopt;
  }
  std::string_view rest = url.substr(scheme_end + 3);
  if (rest.empty() || rest[0] == '/' || rest.find_first_of(" \t\r\n") != std::string_view::npos) {
    Report(scope, entry,
           fmt::format("\"{}\" is not a valid URL (expected e.g. "
                       "https://api.example.com/v1)",
                       *s));
    return std::nullopt;
  }
  return std::string(url);
}

std::optional<std::string> ReadBaseUrl(const Scope& scope, const Node& entry) {
  std::optional<std::string> url = ReadUrl(scope, entry);
  while (url && url->ends_with('/')) {
    url->pop_back();
  }
  return url;
}

}  // namespace modelwatch::config
