// The `sources:` section and a monitor's `status_sources` (config/sources.h).
#include "config/sources.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <map>

#include "config/config.h"
#include "config/fields.h"
#include "config/sections.h"
#include "config/suggest.h"

namespace modelwatch::config {

namespace {

// Keys as bits, so each kind names the set it takes.
enum SourceKey : unsigned {
  kUrl = 1,
  kBaseUrl = 2,
  kProducts = 4,
  kLocations = 8,
  kComponents = 16,
  kModel = 32,
  kUptimeBelow = 64,
  kProvider = 128,
  kModels = 256,
  kApiKey = 512,
};

struct SourceKindInfo {
  std::string_view name;
  unsigned keys;                 // besides name, kind and interval
  unsigned required;             // keys that must be written
  std::string_view default_url;  // url or base_url when not written
};

// The one table of source kinds config accepts; a kind here needs a
// factory line in source/registry.cpp.
constexpr std::array<SourceKindInfo, 5> kSourceKinds = {{
    {"google_cloud_status", kUrl | kProducts | kLocations, 0,
     "https://status.cloud.google.com/incidents.json"},
    {"statuspage", kUrl | kComponents, kUrl, ""},
    {"openrouter", kBaseUrl | kModel | kUptimeBelow, kModel, "https://openrouter.ai"},
    {"feed", kUrl, kUrl, ""},
    {"models", kBaseUrl | kProvider | kModels | kApiKey, kProvider, ""},
}};
constexpr std::array<std::string_view, kSourceKinds.size()> kKindNames = {
    "google_cloud_status", "statuspage", "openrouter", "feed", "models"};
constexpr std::array<std::string_view, 3> kModelLists = {"openai", "gemini", "openrouter"};

struct KeyName {
  SourceKey bit;
  std::string_view name;
};
constexpr std::array<KeyName, 10> kKeyNames = {{{kUrl, "url"},
                                               {kBaseUrl, "base_url"},
                                               {kProducts, "products"},
                                               {kLocations, "locations"},
                                               {kComponents, "components"},
                                               {kModel, "model"},
                                               {kUptimeBelow, "uptime_below"},
                                               {kProvider, "provider"},
                                               {kModels, "models"},
                                               {kApiKey, "api_key"}}};
constexpr std::array<std::string_view, 13> kAllKeys = {
    "name",  "kind",         "interval", "url",    "base_url", "products", "locations",
    "components", "model", "uptime_below", "provider", "models", "api_key"};

const SourceKindInfo* FindSourceKind(std::string_view name) {
  for (const SourceKindInfo& k : kSourceKinds) {
    if (k.name == name) {
      return &k;
    }
  }
  return nullptr;
}

// The kinds that take `bit`, for "applies only to" messages.
std::string KindsTaking(SourceKey bit) {
  std::vector<std::string_view> names;
  for (const SourceKindInfo& k : kSourceKinds) {
    if ((k.keys & bit) != 0) {
      names.push_back(k.name);
    }
  }
  return OneOf(names);
}

bool IsPrintableLine(const std::string& s) {
  return !s.empty() && s.front() != ' ' && s.back() != ' ' &&
         std::all_of(s.begin(), s.end(),
                     [](char c) { return static_cast<unsigned char>(c) >= 0x20 && c != 0x7f; });
}

// A list of non-empty strings; a single string is taken as a list of one.
std::vector<std::string> ReadNames(const Scope& scope, const Node& entry) {
  std::vector<std::string> out;
  if (entry.interpolation_failed) {
    return out;
  }
  if (entry.IsScalar()) {
    if (auto v = ReadString(scope, entry); v && !v->empty()) {
      out.push_back(*v);
    }
    return out;
  }
  if (!entry.IsSequence()) {
    scope.Child(entry.key).Error(
        entry.mark, fmt::format("must be a list of names, not {}", Describe(entry.type)));
    return out;
  }
  Scope list = scope.Child(entry.key);
  for (size_t i = 0; i < entry.items.size(); ++i) {
    Node item = entry.items[i];
    item.key = fmt::format("[{}]", i);
    if (auto v = ReadString(list, item)) {
      if (v->empty()) {
        list.Child(item.key).Error(item.mark, "must not be empty");
      } else {
        out.push_back(*v);
      }
    }
  }
  return out;
}

// A statuspage url naming the page (no .json document) reads its summary.
std::string SummaryUrl(std::string url) {
  size_t scheme = url.find("://");
  size_t path = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  std::string_view p = path == std::string::npos ? "" : std::string_view(url).substr(path);
  size_t q = p.find('?');
  if (q != std::string_view::npos) {
    p = p.substr(0, q);
  }
  if (p.ends_with(".json")) {
    return url;
  }
  while (url.ends_with('/')) {
    url.pop_back();
  }
  return url + "/api/v2/summary.json";
}

StatusSource ParseSource(Diagnostics& diag, const Node& node, size_t index) {
  StatusSource s;
  s.mark = node.mark;
  Scope scope(diag, fmt::format("sources[{}]", index));
  if (!node.IsMap()) {
    if (!node.interpolation_failed) {
      scope.Error(node.mark, fmt::format("must be a map with at least name and kind, not {}",
                                         Describe(node.type)));
    }
    return s;
  }
  if (const Node* n = node.Find("name")) {
    if (auto v = ReadString(scope, *n)) {
      if (IsPrintableLine(*v)) {
        s.name = *v;
        scope = Scope(diag, fmt::format("sources[{}] \"{}\"", index, s.name));
      } else {
        scope.Child("name").Error(
            n->mark, "must be a non-empty single line without leading or trailing spaces");
      }
    }
  } else {
    scope.Error(node.mark, "missing required key \"name\"");
  }
  CheckKeys(scope, node, kAllKeys);
  const SourceKindInfo* kind = nullptr;
  if (const Node* n = node.Find("kind")) {
    if (auto v = ReadEnum(scope, *n, kKindNames)) {
      kind = FindSourceKind(*v);
      s.kind = *v;
    }
  } else {
    scope.Error(node.mark, fmt::format("missing required key \"kind\" ({})", OneOf(kKindNames)));
  }
  if (kind != nullptr && kind->name == "models") {
    s.interval = std::chrono::hours(24);  // model lists change over weeks
  }
  if (const Node* n = node.Find("interval")) {
    s.interval = ReadDuration(scope, *n, std::chrono::seconds(10)).value_or(s.interval);
  }
  if (kind == nullptr) {
    return s;  // which keys apply is unknown
  }
  for (const KeyName& k : kKeyNames) {
    const Node* n = node.Find(k.name);
    if (n != nullptr && (kind->keys & k.bit) == 0) {
      scope.Child(std::string(k.name))
          .Error(n->key_mark, fmt::format("does not apply to kind {} (only to {})", kind->name,
                                          KindsTaking(k.bit)));
    } else if (n == nullptr && (kind->required & k.bit) != 0) {
      scope.Error(node.mark,
                  fmt::format("missing required key \"{}\" for kind {}", k.name, kind->name));
    }
  }
  if ((kind->keys & kUrl) != 0) {
    s.url = std::string(kind->default_url);
    if (const Node* n = node.Find("url")) {
      s.url = ReadUrl(scope, *n).value_or("");
    }
    if (kind->name == "statuspage" && !s.url.empty()) {
      s.url = SummaryUrl(s.url);
    }
  }
  if (const Node* n = node.Find("provider"); n != nullptr && (kind->keys & kProvider) != 0) {
    s.provider = ReadEnum(scope, *n, kModelLists).value_or("");
  }
  if (const Node* n = node.Find("models"); n != nullptr && (kind->keys & kModels) != 0) {
    s.models = ReadNames(scope, *n);
  }
  if (const Node* n = node.Find("api_key"); n != nullptr && (kind->keys & kApiKey) != 0) {
    s.api_key = ReadSecret(scope, *n).value_or(Secret());
  }
  if ((kind->keys & kBaseUrl) != 0) {
    s.base_url = std::string(kind->default_url);
    if (const Node* n = node.Find("base_url")) {
      s.base_url = ReadBaseUrl(scope, *n).value_or("");
    }
  }
  if (const Node* n = node.Find("products"); n != nullptr && (kind->keys & kProducts) != 0) {
    s.products = ReadNames(scope, *n);
  }
  if (const Node* n = node.Find("locations"); n != nullptr && (kind->keys & kLocations) != 0) {
    s.locations = ReadNames(scope, *n);
  }
  if (const Node* n = node.Find("components"); n != nullptr && (kind->keys & kComponents) != 0) {
    s.components = ReadNames(scope, *n);
  }
  if (const Node* n = node.Find("model"); n != nullptr && (kind->keys & kModel) != 0) {
    if (auto v = ReadString(scope, *n)) {
      size_t slash = v->find('/');
      if (slash == std::string::npos || slash == 0 || slash + 1 == v->size() ||
          v->find_first_of(" \t\r\n") != std::string::npos) {
        scope.Child("model").Error(
            n->mark, fmt::format("\"{}\" is not an OpenRouter model id (author/slug, e.g. "
                                 "google/gemini-3-pro-image)",
                                 *v));
      } else {
        s.model = *v;
      }
    }
  }
  if (const Node* n = node.Find("uptime_below"); n != nullptr && (kind->keys & kUptimeBelow) != 0) {
    s.uptime_below = ReadNumber(scope, *n, 0, 100, true).value_or(s.uptime_below);
  }
  return s;
}

}  // namespace

std::span<const std::string_view> StatusSourceKinds() { return kKindNames; }

std::vector<StatusSource> ParseSources(const Scope& scope, const Node& entry) {
  std::vector<StatusSource> out;
  if (entry.IsNull() || entry.interpolation_failed) {
    return out;
  }
  if (!entry.IsSequence()) {
    scope.Child(entry.key).Error(entry.mark, fmt::format("must be a list (each item starting with "
                                                         "\"- name: ...\"), not {}",
                                                         Describe(entry.type)));
    return out;
  }
  std::map<std::string, size_t> first_by_name;
  for (size_t i = 0; i < entry.items.size(); ++i) {
    StatusSource s = ParseSource(scope.diag(), entry.items[i], i);
    if (!s.name.empty()) {
      auto [it, inserted] = first_by_name.emplace(s.name, i);
      if (!inserted) {
        const Node* here = entry.items[i].Find("name");
        const Node* there = entry.items[it->second].Find("name");
        scope.diag().Add(
            here->mark, fmt::format("sources[{}] \"{}\": name is already used by sources[{}] at {}",
                                    i, s.name, it->second, there->mark.ToString()));
      }
    }
    out.push_back(std::move(s));
  }
  return out;
}

void ReadMonitorStatusSources(const Scope& scope, const Node& monitor, Monitor& m) {
  const Node* n = monitor.Find("status_sources");
  if (n == nullptr || n->interpolation_failed) {
    return;
  }
  if (n->IsScalar()) {  // one name written without brackets
    if (auto v = ReadString(scope, *n)) {
      m.status_sources.push_back(*v);
      m.status_source_marks.push_back(n->mark);
    }
    return;
  }
  if (!n->IsSequence()) {
    scope.Child("status_sources")
        .Error(n->mark, fmt::format("must be a list of source names, not {}", Describe(n->type)));
    return;
  }
  Scope list = scope.Child("status_sources");
  for (size_t i = 0; i < n->items.size(); ++i) {
    Node item = n->items[i];
    item.key = fmt::format("[{}]", i);
    if (auto v = ReadString(list, item)) {
      m.status_sources.push_back(*v);
      m.status_source_marks.push_back(item.mark);
    }
  }
}

void FillWatchedModels(Diagnostics& diag, const std::vector<Monitor>& monitors,
                       std::vector<StatusSource>& sources) {
  for (StatusSource& s : sources) {
    if (s.kind != "models" || s.provider.empty() || !s.models.empty()) {
      continue;
    }
    const std::string_view kind = s.provider == "openai"   ? "openai_images"
                                  : s.provider == "gemini" ? "gemini"
                                                           : "openrouter_image";
    for (const Monitor& m : monitors) {
      if (m.kind == kind && !m.model.empty() &&
          std::find(s.models.begin(), s.models.end(), m.model) == s.models.end()) {
        s.models.push_back(m.model);
      }
    }
    if (s.models.empty()) {
      diag.Add(s.mark, fmt::format("source \"{}\": no monitor of kind {} to watch; list the model "
                                   "IDs under `models:`",
                                   s.name, kind));
    }
  }
}

void CheckSourceReferences(Diagnostics& diag, const std::vector<Monitor>& monitors,
                           const std::vector<StatusSource>& sources) {
  std::vector<std::string_view> names;
  for (const StatusSource& s : sources) {
    if (!s.name.empty()) {
      names.push_back(s.name);
    }
  }
  for (const Monitor& m : monitors) {
    for (size_t i = 0; i < m.status_sources.size(); ++i) {
      const std::string& ref = m.status_sources[i];
      if (std::find(names.begin(), names.end(), ref) != names.end()) {
        continue;
      }
      diag.Add(m.status_source_marks[i],
               fmt::format("monitor \"{}\": status_sources: \"{}\" is not defined in "
                           "`sources:`{}",
                           m.name, ref,
                           names.empty() ? std::string(" (the file has no sources)")
                                         : DidYouMean(ref, names)));
    }
  }
}

}  // namespace modelwatch::config
