#include "probe/monitor_request.h"

#include <fmt/format.h>

namespace modelwatch::probe {

net::Request MonitorRequest(const config::Monitor& monitor, std::string method, std::string url) {
  net::Request r;
  r.method = std::move(method);
  r.url = std::move(url);
  r.timeout = monitor.timeout;
  r.max_body_bytes = monitor.max_body_bytes;
  r.ca_file = monitor.tls.ca_file;
  r.ca_path = monitor.tls.ca_path;
  return r;
}

std::string JoinUrl(std::string_view base, std::string_view fallback, std::string_view path_prefix,
                    std::string_view path) {
  if (base.empty()) {
    base = fallback;
  }
  while (base.ends_with('/')) {
    base.remove_suffix(1);
  }
  if (!path_prefix.empty() && base.ends_with(path_prefix)) {
    base.remove_suffix(path_prefix.size());
  }
  return fmt::format("{}{}{}", base, path_prefix, path);
}

Status RequireFields(const config::Monitor& monitor,
                     std::initializer_list<std::string_view> fields) {
  std::string missing;
  for (std::string_view f : fields) {
    bool empty = f == "model"     ? monitor.model.empty()
                 : f == "prompt"  ? monitor.prompt.empty()
                 : f == "api_key" ? monitor.api_key.empty()
                 : f == "url"     ? monitor.url.empty()
                                  : false;
    if (empty) {
      missing += missing.empty() ? "missing " : ", ";
      missing += f;
    }
  }
  return missing.empty() ? Status::Ok() : Status::InvalidArgument(missing);
}

std::string DescribeMonitor(const config::Monitor& monitor) {
  // Mark is formatted here rather than with Mark::ToString so the probe
  // module does not depend on the config loader's object code.
  if (monitor.mark.file.empty()) {
    return fmt::format("monitor \"{}\"", monitor.name);
  }
  return fmt::format("monitor \"{}\" ({}:{}:{})", monitor.name, monitor.mark.file,
                     monitor.mark.line, monitor.mark.col);
}

}  // namespace modelwatch::probe
