#include "alert/grouping.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>

namespace modelwatch::alert {

std::string GroupKey(const config::Monitor& m, const std::string& group_by) {
  if (auto it = m.labels.find(group_by); it != m.labels.end() && !it->second.empty()) {
    return fmt::format("{}={}", group_by, it->second);
  }
  if (group_by == "provider" && !m.provider.empty()) {
    return fmt::format("provider={}", m.provider);
  }
  return fmt::format("monitor={}", m.name);
}

std::string NoticeId(const std::string& monitor, const std::string& rule, int seq,
                     AlertEventKind event, int repeat) {
  std::string id = fmt::format("{}/{}/{}/{}", monitor, rule, seq, ToString(event));
  if (event == AlertEventKind::kRepeat) {
    id += fmt::format("/{}", repeat);
  }
  return id;
}

std::string MessageKey(const std::string& group, std::vector<std::string> ids,
                       const std::string& channel) {
  if (ids.size() == 1) {
    return fmt::format("{}/{}", ids[0], channel);
  }
  std::sort(ids.begin(), ids.end());
  uint64_t h = 1469598103934665603ull;  // FNV-1a
  for (const std::string& id : ids) {
    for (unsigned char c : id) {
      h = (h ^ c) * 1099511628211ull;
    }
    h = (h ^ 0xff) * 1099511628211ull;
  }
  return fmt::format("{}/{}x{:016x}/{}", group, ids.size(), h, channel);
}

}  // namespace modelwatch::alert
