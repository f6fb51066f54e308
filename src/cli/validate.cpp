// `modelwatch validate -c FILE`: loads the config as `run` would, without
// starting anything, and lists every problem found.
#include <fmt/format.h>
#include <stdlib.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "cli/args.h"
#include "cli/commands.h"
#include "cli/config_loading.h"
#include "cli/validate_conditions.h"
#include "config/config.h"
#include "config/interpolate.h"
#include "config/yaml_edge.h"
#include "cost/projection.h"
#include "engine/config_check.h"
#include "probe/probe.h"

namespace modelwatch::cli {
namespace {

std::vector<std::string> SplitLines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    lines.push_back(line);
  }
  return lines;
}

void PrintLines(const std::vector<std::string>& lines) {
  for (const std::string& l : lines) {
    std::fprintf(stderr, "%s\n", l.c_str());
  }
}

// A probe's error `monitor "h" (FILE:L:C): rest` as `FILE:L:C: monitor "h": rest`,
// the form of every other line.
std::string WithPlaceFirst(const std::string& message) {
  size_t open = message.find(" (");
  size_t close = message.find("): ", open == std::string::npos ? 0 : open);
  if (!message.starts_with("monitor \"") || open == std::string::npos ||
      close == std::string::npos) {
    return message;
  }
  return message.substr(open + 2, close - open - 2) + ": " + message.substr(0, open) +
         message.substr(close + 1);
}

}  // namespace

int RunValidate(int argc, char** argv) {
  CLI::App app("Check a config file and list every problem in it", "modelwatch validate");
  std::string path = "modelwatch.yaml";
  bool strict = false;
  bool allow_missing_env = false;
  app.add_option("-c,--config", path, "Config file")->capture_default_str();
  app.add_flag("--strict", strict, "warnings are errors (exit 2)");
  app.add_flag("--allow-missing-env", allow_missing_env,
               "an unset ${VAR} without a default is a warning, not an error, and its key is "
               "checked as if absent: for CI without the production keys");
  if (auto code = ParseArgs(app, argc, argv)) {
    return *code;
  }
  // The parsed tree, for what is checked beside the load (conditions) and
  // the unset variables --allow-missing-env turns into warnings. A syntax
  // error is left to the load, which reports it.
  std::ifstream in(path, std::ios::binary);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::vector<std::string> condition_problems;
  size_t env_warnings = 0;
  std::vector<int> unset_lines;                   // where the unset variables are written
  std::map<std::string, int> provider_key_lines;  // provider -> its api_key's line
  if (in) {
    if (Result<config::Node> root = config::ParseYaml(text, path); root.has_value()) {
      condition_problems = ConditionProblems(*root);
      if (const config::Node* providers = root->Find("providers")) {
        for (const config::Node& p : providers->items) {
          if (const config::Node* key = p.Find("api_key")) {
            provider_key_lines[p.key] = key->mark.line;
          }
        }
      }
      if (allow_missing_env) {
        std::vector<std::string> unset = config::UnsetVariables(*root, text, config::ProcessEnv());
        PrintLines(unset);
        env_warnings = unset.size();
        for (const std::string& u : unset) {  // "PATH:LINE:COL: ..."
          unset_lines.push_back(std::atoi(u.c_str() + path.size() + 1));
        }
      }
    }
  }
  if (allow_missing_env) {
    setenv(config::kAllowMissingEnv, "1", 1);  // read by the load's interpolation
  }
  Result<config::Config> cfg = config::Load(path);
  if (!cfg) {
    // One problem per line, each "FILE:LINE:COL: message", with the
    // conditions' in the same list.
    std::vector<std::string> lines = SplitLines(cfg.error().message());
    lines.insert(lines.end(), condition_problems.begin(), condition_problems.end());
    PrintLines(InFileOrder(std::move(lines)));
    return 2;
  }
  // What only a channel kind knows, channel names the alert levels use, and
  // the warnings: rules that can never fire, sections with no effect.
  auto checked = engine::CheckConfig(*cfg);
  if (!checked) {
    std::vector<std::string> lines = SplitLines(checked.error().message());
    lines.insert(lines.end(), condition_problems.begin(), condition_problems.end());
    PrintLines(InFileOrder(std::move(lines)));
    return 2;
  }
  PrintLines(checked->warnings);
  // What only a probe kind knows; conditions were checked above (a monitor
  // with a bad one is not built again, which would report it twice).
  std::vector<std::string> problems = condition_problems;
  for (size_t i = 0; i < cfg->monitors.size(); ++i) {
    const config::Monitor& m = cfg->monitors[i];
    // A key left out by --allow-missing-env is not missing from the file.
    int next = i + 1 < cfg->monitors.size() ? cfg->monitors[i + 1].mark.line : INT32_MAX;
    // ... nor one the monitor takes from its provider.
    auto provider_key = provider_key_lines.find(m.provider);
    bool key_unset = std::any_of(unset_lines.begin(), unset_lines.end(), [&](int l) {
      return (l >= m.mark.line && l < next) ||
             (provider_key != provider_key_lines.end() && l == provider_key->second);
    });
    bool bad_condition = false;
    for (const std::string& p : condition_problems) {
      bad_condition |= p.find(" \"" + m.name + "\": ") != std::string::npos;
    }
    if (bad_condition) {
      continue;
    }
    if (auto probe = probe::MakeProbe(m); !probe) {
      if (key_unset && probe.error().message().ends_with("missing api_key")) {
        continue;
      }
      problems.push_back(WithPlaceFirst(probe.error().message()));
    }
  }
  if (!problems.empty()) {
    PrintLines(InFileOrder(std::move(problems)));
    return 2;
  }
  size_t w = checked->warnings.size();
  if (strict && w > 0) {
    std::fprintf(stderr, "%s\n", StrictRefusal(w).c_str());
    return 2;
  }
  w += env_warnings;
  size_t n = cfg->monitors.size();
  std::printf("%s: OK (%zu monitor%s, %zu channel%s)%s\n", path.c_str(), n, n == 1 ? "" : "s",
              checked->channels.size(), checked->channels.size() == 1 ? "" : "s",
              w == 0 ? "" : fmt::format(", {} warning{} above", w, w == 1 ? "" : "s").c_str());
  // What the config will cost, before the first call (docs/cost.md).
  std::printf("\n%s", cost::FormatCostTable(cost::BuildCostTable(*cfg)).c_str());
  return 0;
}

}  // namespace modelwatch::cli
