#include "config/alerts_templates.h"

#include <fmt/format.h>

#include <algorithm>

#include "config/fields.h"
#include "core/notification.h"

namespace modelwatch::config {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') {
    s.remove_prefix(1);
  }
  while (!s.empty() && s.back() == ' ') {
    s.remove_suffix(1);
  }
  return s;
}

constexpr std::array<std::string_view, 11> kKinds = {
    "firing",          "repeat",    "resolved", "flapping", "stable",   "host_network",
    "host_network_ok", "follow_up", "test",     "budget",   "budget_ok"};

}  // namespace

Result<std::vector<TemplatePart>> SplitTemplate(std::string_view text) {
  std::vector<TemplatePart> parts;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t open = text.find("{{", pos);
    if (open == std::string_view::npos) {
      parts.push_back({false, std::string(text.substr(pos))});
      break;
    }
    if (open > pos) {
      parts.push_back({false, std::string(text.substr(pos, open - pos))});
    }
    size_t close = text.find("}}", open + 2);
    if (close == std::string_view::npos) {
      return Status::InvalidArgument(
          fmt::format("\"{{{{\" at character {} is never closed with \"}}}}\"", open + 1));
    }
    std::string_view name = Trim(text.substr(open + 2, close - open - 2));
    if (std::find(kTemplatePlaceholders.begin(), kTemplatePlaceholders.end(), name) ==
        kTemplatePlaceholders.end()) {
      return Status::InvalidArgument(
          fmt::format("unknown placeholder {{{{{}}}}} at character {} (known: {})", name, open + 1,
                      fmt::join(kTemplatePlaceholders, ", ")));
    }
    parts.push_back({true, std::string(name)});
    pos = close + 2;
  }
  return parts;
}

Templates ParseTemplates(const Scope& parent, const Node& node) {
  Templates out;
  if (!ExpectMap(parent, node)) {
    return out;
  }
  Scope scope = parent.Child("templates");
  CheckKeys(scope, node, kKinds);
  for (const Node& entry : node.items) {
    if (std::find(kKinds.begin(), kKinds.end(), entry.key) == kKinds.end()) {
      continue;  // reported by CheckKeys
    }
    std::optional<std::string> text = ReadString(scope, entry);
    if (!text) {
      continue;
    }
    if (auto parts = SplitTemplate(*text); !parts) {
      scope.Child(entry.key).Error(entry.mark, parts.error().message());
      continue;
    }
    out[entry.key] = std::move(*text);
  }
  return out;
}

}  // namespace modelwatch::config
