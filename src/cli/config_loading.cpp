#include "cli/config_loading.h"

#include <fmt/format.h>

#include <cstdio>

#include "config/suggest.h"
#include "engine/config_check.h"

namespace modelwatch::cli {

std::string StrictRefusal(size_t warnings) {
  return warnings == 1 ? std::string("--strict: the warning above is an error")
                       : fmt::format("--strict: the {} warnings above are errors", warnings);
}

std::optional<config::Config> LoadConfigOrExplain(const std::string& path, bool strict) {
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
  if (strict && !checked->warnings.empty()) {
    std::fprintf(stderr, "%s\n", StrictRefusal(checked->warnings.size()).c_str());
    return std::nullopt;
  }
  return std::move(cfg).value();
}

std::string NoMonitorNamed(const std::string& config_path, const std::string& name,
                           const std::vector<std::string>& known) {
  std::vector<std::string_view> candidates(known.begin(), known.end());
  return config_path + ": no monitor named \"" + name + "\"" +
         config::DidYouMean(name, candidates);
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
      std::vector<std::string> known;
      for (const auto& m : cfg.monitors) {
        known.push_back(m.name);
      }
      std::fprintf(stderr, "%s\n", NoMonitorNamed(cfg.path, name, known).c_str());
    } else {
      out.push_back(found);
    }
  }
  return out;
}

}  // namespace modelwatch::cli
