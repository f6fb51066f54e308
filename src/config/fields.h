#pragma once

#include <chrono>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "config/diagnostics.h"
#include "config/node.h"
#include "core/secret.h"

namespace modelwatch::config {

// Readers of typed values. Each takes the scope of the map holding `entry`
// and the entry itself (a map entry: its `key` names it in messages). A wrong
// value is reported at its place as "<scope>: <key>: <why>" and gives
// nullopt. A value whose ${VAR} interpolation failed gives nullopt silently:
// it has been reported already.

// Reports each key of `map` not in `allowed` (suggesting the nearest) and
// each key written twice.
void CheckKeys(const Scope& scope, const Node& map, std::span<const std::string_view> allowed);

// Reports a key written twice (CheckKeys does this too).
void CheckRepeatedKeys(const Scope& scope, const Node& map);

// Reports and returns false unless `node` is a map (a kNull counts as an
// empty map: `labels:` with nothing under it).
bool ExpectMap(const Scope& scope, const Node& node);

std::optional<std::string> ReadString(const Scope& scope, const Node& entry);

// Like ReadString, but no message ever holds the value.
std::optional<Secret> ReadSecret(const Scope& scope, const Node& entry);

// One of `allowed`, suggesting the nearest on a typo.
std::optional<std::string> ReadEnum(const Scope& scope, const Node& entry,
                                    std::span<const std::string_view> allowed);

std::optional<bool> ReadBool(const Scope& scope, const Node& entry);

// A number in [min, max]; with `percent`, a trailing "%" is allowed.
std::optional<double> ReadNumber(const Scope& scope, const Node& entry, double min, double max,
                                 bool percent);

// A duration of at least `min` ("90s", "5m", "1h").
std::optional<std::chrono::milliseconds> ReadDuration(const Scope& scope, const Node& entry,
                                                      std::chrono::milliseconds min);

// A size in bytes ("64MiB"), at least 1.
std::optional<size_t> ReadByteSize(const Scope& scope, const Node& entry);

// An http:// or https:// URL with a host, as written.
std::optional<std::string> ReadUrl(const Scope& scope, const Node& entry);

// A ReadUrl that later code appends paths to: trailing slashes removed, so
// "https://host/v1/" + "/images" does not double the slash.
std::optional<std::string> ReadBaseUrl(const Scope& scope, const Node& entry);

}  // namespace modelwatch::config
