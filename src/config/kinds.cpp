#include "config/kinds.h"

#include <algorithm>
#include <vector>

#include "config/suggest.h"

namespace modelwatch::config {

namespace {

constexpr std::array<KindInfo, 8> kKinds = {{
    {"openai_images", kOpenAi, "https://api.openai.com/v1"},
    {"gemini", kGemini, "https://generativelanguage.googleapis.com"},
    {"openrouter_image", kOpenRouter, "https://openrouter.ai"},
    {"stability", kStability, "https://api.stability.ai"},
    {"flux", kFlux, "https://api.bfl.ai"},
    // The host follows the location (probe/kinds/vertex.cpp): no fixed default.
    {"vertex", kVertex, ""},
    {"http", kHttp, ""},
    {"push", kPush, ""},
}};
constexpr std::array<std::string_view, 8> kKindNames = {
    "openai_images", "gemini", "openrouter_image", "stability", "flux", "vertex", "http", "push"};

constexpr std::array<KeyRule, 37> kKeyRules = {{
    {"name", kAny},         {"kind", kAny},       {"labels", kAny},
    {"tier", kAny},         {"interval", kAny},   {"timeout", kAny},
    {"max_body", kAny},     {"thresholds", kAny}, {"provider", kImage},
    {"base_url", kImage},   {"api_key", kKeyed | kVertex},  {"model", kImage | kPush},
    {"prompt", kImage},     {"size", kOpenAi | kGemini | kOpenRouter | kFlux | kVertex},
    {"aspect_ratio", kGemini | kOpenRouter | kStability | kVertex},
    {"fetch_url", kOpenAi}, {"url", kHttp},       {"method", kHttp},
    {"headers", kHttp},     {"body", kHttp},      {"conditions", kHttp},
    {"alerts", kAny},       {"maintenance", kAny}, {"depends_on", kAny},
    {"status_pages", kAny}, {"status_sources", kAny},
    {"token", kPush},
    {"tls", kImage | kHttp},
    {"endpoint", kStability}, {"accept", kStability},
    {"project", kVertex},     {"location", kVertex}, {"credentials_file", kVertex},
    {"poll", kFlux | kHttp},
    {"quality", kOpenAi},   {"cost_per_call", kImage | kHttp},
    {"full_every", kOpenAi | kGemini | kOpenRouter | kStability | kFlux},
}};

constexpr std::array<std::string_view, kKeyRules.size()> kAllKeys = [] {
  std::array<std::string_view, kKeyRules.size()> keys{};
  for (size_t i = 0; i < kKeyRules.size(); ++i) {
    keys[i] = kKeyRules[i].key;
  }
  return keys;
}();

}  // namespace

const KindInfo* FindKind(std::string_view name) {
  auto it =
      std::find_if(kKinds.begin(), kKinds.end(), [&](const KindInfo& k) { return k.name == name; });
  return it == kKinds.end() ? nullptr : &*it;
}

std::span<const std::string_view> KindNames() { return kKindNames; }

const KeyRule* FindMonitorKey(std::string_view key) {
  auto it = std::find_if(kKeyRules.begin(), kKeyRules.end(),
                         [&](const KeyRule& r) { return r.key == key; });
  return it == kKeyRules.end() ? nullptr : &*it;
}

std::span<const std::string_view> AllMonitorKeys() { return kAllKeys; }

std::string KindsOf(unsigned bits) {
  std::vector<std::string_view> names;
  for (const KindInfo& k : kKinds) {
    if ((bits & k.bit) != 0) {
      names.push_back(k.name);
    }
  }
  return OneOf(names);
}

}  // namespace modelwatch::config
