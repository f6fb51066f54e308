#pragma once

#include <chrono>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>

#include "config/config.h"
#include "core/status.h"
#include "net/request.h"
#include "probe/probe.h"

namespace modelwatch::probe {

// What every kind's requests share with the monitor: method, URL, the
// monitor's timeout and body limit.
net::Request MonitorRequest(const config::Monitor& monitor, std::string method, std::string url);

// `base` (or `fallback` when `base` is empty) with trailing slashes removed,
// then `path`. When the base already ends with `path_prefix` (a user who
// wrote ".../api/v1" for OpenRouter), the prefix is not repeated.
std::string JoinUrl(std::string_view base, std::string_view fallback, std::string_view path_prefix,
                    std::string_view path);

// Ok when every named field of `monitor` is set; otherwise names all that are
// not: "missing model, api_key". Known names: model, prompt, api_key, url.
Status RequireFields(const config::Monitor& monitor,
                     std::initializer_list<std::string_view> fields);

// The factory of an image kind: model, prompt and api_key must be set.
template <typename KindProbe>
Result<ProbePtr> MakeImageProbe(const config::Monitor& monitor) {
  if (Status s = RequireFields(monitor, {"model", "prompt", "api_key"}); !s.ok()) {
    return s;
  }
  return ProbePtr(std::make_unique<KindProbe>(monitor));
}

// "monitor \"x\" (file:line:col)" for the front of a MakeProbe error.
std::string DescribeMonitor(const config::Monitor& monitor);

}  // namespace modelwatch::probe
