#include <fmt/format.h>

#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>
#include <memory>
#include <string_view>

#include "config/config.h"
#include "config/diagnostics.h"
#include "config/fields.h"
#include "config/interpolate.h"
#include "config/sections.h"
#include "config/yaml_edge.h"

namespace modelwatch::config {

namespace {

constexpr std::array<std::string_view, 10> kTopKeys = {
    "monitors", "providers", "defaults", "storage", "alerts",
    "channels", "web",       "sources",  "prices",  "budget"};

struct FileCloser {
  void operator()(std::FILE* f) const noexcept { std::fclose(f); }
};

Result<std::string> ReadFile(const std::string& path) {
  std::unique_ptr<std::FILE, FileCloser> f(std::fopen(path.c_str(), "rb"));
  if (!f) {
    int err = errno;
    return Status::NotFound(
        fmt::format("{}: cannot open config file: {}", path, std::strerror(err)));
  }
  std::string text;
  char buf[65536];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f.get())) > 0) {
    text.append(buf, n);
  }
  if (std::ferror(f.get())) {
    int err = errno;
    return Status::Unavailable(
        fmt::format("{}: cannot read config file: {}", path, std::strerror(err)));
  }
  return text;
}

// Secret fields are never printed, but the same key can also sit in a
// field that is (a Gemini base_url with "?key=..."): mask every secret the
// file holds in the final text as well.
std::string RedactSecrets(std::string text, const Config& cfg) {
  std::vector<const Secret*> secrets;
  for (const Provider& p : cfg.providers) {
    secrets.push_back(&p.api_key);
  }
  for (const Monitor& m : cfg.monitors) {
    secrets.push_back(&m.api_key);
    secrets.push_back(&m.token);
    for (const auto& [name, value] : m.headers) {
      secrets.push_back(&value);
    }
  }
  secrets.push_back(&cfg.web.admin_token);
  Secret postgres(cfg.storage.postgres_url);
  secrets.push_back(&postgres);
  for (const Secret* s : secrets) {
    text = Redact(std::move(text), *s);
  }
  return text;
}

std::vector<Monitor> ParseMonitors(Diagnostics& diag, const Node& entry,
                                   const std::vector<ProviderEntry>& providers,
                                   const Defaults& defaults, const Alerts& alerts) {
  std::vector<Monitor> monitors;
  if (entry.IsNull() || entry.interpolation_failed) {
    return monitors;
  }
  if (!entry.IsSequence()) {
    diag.Add(entry.mark, fmt::format("monitors: must be a list (each item starting with "
                                     "\"- name: ...\"), not {}",
                                     Describe(entry.type)));
    return monitors;
  }
  std::map<std::string, size_t> first_by_name;
  for (size_t i = 0; i < entry.items.size(); ++i) {
    Monitor m = ParseMonitor(diag, entry.items[i], i, providers, defaults, alerts);
    if (!m.name.empty()) {
      auto [it, inserted] = first_by_name.emplace(m.name, i);
      if (!inserted) {
        const Node* here = entry.items[i].Find("name");
        const Node* there = entry.items[it->second].Find("name");
        diag.Add(here->mark, fmt::format("monitors[{}] \"{}\": name is already used by "
                                         "monitors[{}] at {}",
                                         i, m.name, it->second, there->mark.ToString()));
      }
    }
    monitors.push_back(std::move(m));
  }
  return monitors;
}

Result<Config> Build(const std::string& yaml, const std::string& path, const EnvLookup& env) {
  Result<Node> parsed = ParseYaml(yaml, path);
  if (!parsed) {
    return parsed.error();
  }
  Node& root = *parsed;
  Diagnostics diag;
  InterpolateTree(root, yaml, env, diag);
  if (root.IsNull()) {
    diag.Add(Mark{path, 1, 1}, "the file is empty (expected a map with a \"monitors\" list)");
    return Status::InvalidArgument(diag.ToString());
  }
  if (!root.IsMap()) {
    diag.Add(root.mark, fmt::format("the file must be a map with a \"monitors\" list, not {}",
                                    Describe(root.type)));
    return Status::InvalidArgument(diag.ToString());
  }
  Scope top(diag, "");
  CheckKeys(top, root, kTopKeys);

  Config cfg;
  cfg.path = path;
  if (const Node* n = root.Find("defaults")) {
    cfg.defaults = ParseDefaults(top, *n);
  }
  std::vector<ProviderEntry> providers;
  if (const Node* n = root.Find("providers")) {
    providers = ParseProviders(top, *n);
  }
  if (const Node* n = root.Find("storage")) {
    cfg.storage = ParseStorage(top, *n);
  }
  if (const Node* n = root.Find("alerts")) {
    cfg.alerts = ParseAlerts(top, *n);
  }
  if (const Node* n = root.Find("monitors")) {
    cfg.monitors = ParseMonitors(diag, *n, providers, cfg.defaults, cfg.alerts);
  }
  cfg.prices = BuiltinPrices();
  if (const Node* n = root.Find("prices")) {
    ParsePrices(top, *n, cfg.prices);
  }
  for (Monitor& m : cfg.monitors) {
    if (const Price* p = cfg.prices.Find(m.model); p != nullptr && !m.model.empty()) {
      m.price = *p;
    }
  }
  if (const Node* n = root.Find("budget")) {
    cfg.budget = ParseBudget(top, *n);
  }
  CheckAlertReferences(diag, cfg.monitors);
  if (const Node* n = root.Find("sources")) {
    cfg.sources = ParseSources(top, *n);
  }
  FillWatchedModels(diag, cfg.monitors, cfg.sources);
  CheckSourceReferences(diag, cfg.monitors, cfg.sources);
  if (const Node* n = root.Find("web")) {
    cfg.web = ParseWeb(top, *n);
  }
  for (ProviderEntry& p : providers) {
    cfg.providers.push_back(std::move(p.provider));
  }
  if (const Node* n = root.Find("channels")) {
    cfg.channels = *n;
  }
  if (!diag.empty()) {
    return Status::InvalidArgument(RedactSecrets(diag.ToString(), cfg));
  }
  return cfg;
}

}  // namespace

Result<Config> LoadFromString(const std::string& yaml, const std::string& path_for_messages) {
  return Build(yaml, path_for_messages, ProcessEnv());
}

Result<Config> Load(const std::string& path) {
  Result<std::string> text = ReadFile(path);
  if (!text) {
    return text.error();
  }
  Result<Config> cfg = Build(*text, path, ProcessEnv());
  // As Prometheus does with the paths in its config: a relative SQLite path
  // names a file beside the config, so every command finds the same
  // database from any working directory.
  if (cfg && cfg->storage.postgres_url.empty()) {
    std::filesystem::path db(cfg->storage.sqlite_path);
    if (db.is_relative()) {
      cfg->storage.sqlite_path =
          (std::filesystem::path(path).parent_path() / db).lexically_normal().string();
    }
  }
  return cfg;
}

}  // namespace modelwatch::config
