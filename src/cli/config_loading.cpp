#include "cli/config_loading.h"

#include <cstdio>

#include "engine/config_check.h"

namespace modelwatch::cli {

std::optional<config::Config> LoadConfigOrExplain(const std::string& path) {
  auto cfg = config::Load(path);
  if (!cfg) {
    std::fprintf(stderr, "%s\n", cfg.error().message().c_str());
    return std::nullopt;
  }
  auto checked = engine::CheckConfig(*cfg);
  if (!checked) {
    std::fprintf(stderr, "%s\n", checked.error().message().c_str());
    return std::nullopt;
  }
  for (const std::string& w : checked->warnings) {
    std::fprintf(stderr, "%s\n", w.c_str());
  }
  return std::move(cfg).value();
}

std::vector<const config::Monitor*> SelectMonitors(const config::Config& cfg,
                                                   const std::vector<std::string>& names) {
  std::vector<const config::Monitor*> out;
  if (names.empty()) {
    for (const auto& m : cfg.monitors) {
      out.push_back(&m);
    }
    return out;
  }
  for (const std::string& name : names) {
    const config::Monitor* found = nullptr;
    for (const auto& m : cfg.monitors) {
      if (m.name == name) {
        found = &m;
      }
    }
    if (found == nullptr) {
      std::fprintf(stderr, "%s: no monitor named \"%s\"\n", cfg.path.c_str(), name.c_str());
    } else {
      out.push_back(found);
    }
  }
  return out;
}

}  // namespace modelwatch::cli
