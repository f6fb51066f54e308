#include <array>
#include <string_view>

#include "config/fields.h"
#include "config/sections.h"

namespace modelwatch::config {

namespace {

constexpr std::array<std::string_view, 6> kKeys = {"tier",     "interval",   "timeout",
                                                   "max_body", "thresholds", "tls"};

}  // namespace

Defaults ParseDefaults(const Scope& parent, const Node& entry) {
  Defaults d;
  if (!ExpectMap(parent, entry)) {
    return d;
  }
  Scope scope = parent.Child(entry.key);
  CheckKeys(scope, entry, kKeys);
  using std::chrono::milliseconds;
  using std::chrono::seconds;
  if (const Node* n = entry.Find("tier")) {
    if (auto name = ReadEnum(scope, *n, TierNames())) {
      d.tier = ParseTier(*name);
    }
  }
  if (const Node* n = entry.Find("interval")) {
    d.interval = ReadDuration(scope, *n, seconds(1));
    if (entry.Find("tier") != nullptr) {
      scope.Error(n->key_mark, "set either tier or interval, not both");
    }
  }
  if (const Node* n = entry.Find("timeout")) {
    d.timeout = ReadDuration(scope, *n, milliseconds(1)).value_or(d.timeout);
  }
  if (const Node* n = entry.Find("max_body")) {
    d.max_body_bytes = ReadByteSize(scope, *n).value_or(d.max_body_bytes);
  }
  if (const Node* n = entry.Find("thresholds")) {
    d.thresholds = ParseThresholds(scope, *n, d.thresholds);
  }
  if (const Node* n = entry.Find("tls")) {
    d.tls = ParseTls(scope, *n);
  }
  return d;
}

}  // namespace modelwatch::config
