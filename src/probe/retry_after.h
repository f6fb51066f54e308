#pragma once

#include <chrono>
#include <optional>
#include <string_view>

#include "net/request.h"
#include "probe/provider_error.h"

namespace modelwatch::probe {

// How long the provider asked us to wait, from the first source that says:
// the Retry-After header, Google's RetryInfo detail, then a hint in the
// message text ("Please try again in 41.724s", "Please retry in 47.8s").
// `error` may be null.
std::optional<std::chrono::seconds> FindRetryAfter(const net::Response& response,
                                                   const ProviderError* error);

// A Retry-After value: delta-seconds, or an HTTP-date. The date is measured
// against the response's own Date header (`date_header`), because probes read
// no clock; without one, a date yields nullopt. Past dates give 0s.
std::optional<std::chrono::seconds> ParseRetryAfterHeader(std::string_view value,
                                                          std::string_view date_header);

// "... try again in 1m30s ..." / "... retry in 29.7s ..." -> rounded up.
std::optional<std::chrono::seconds> ParseRetryHint(std::string_view message);

}  // namespace modelwatch::probe
