#pragma once

// Reading the alert-scenario files (tests/scenarios/alerts/*.yaml), shared by
// their two runs: through the engine (src/alert/scenarios_test.cpp) and
// through the daemon (tests/alert_scenario_run_test.cpp). Test-only: a bad
// duration is a GoogleTest failure naming its place.

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "config/yaml_edge.h"
#include "core/duration.h"

namespace modelwatch::alert::scenario {

// The duration at `n` (0 when absent).
inline std::chrono::milliseconds Dur(const config::Node* n) {
  if (n == nullptr) {
    return std::chrono::milliseconds(0);
  }
  auto d = ParseDuration(n->value);
  EXPECT_TRUE(d.has_value()) << n->mark.ToString() << ": " << n->value;
  return d ? *d : std::chrono::milliseconds(0);
}

// A scalar or a list of scalars as strings (none when absent).
inline std::vector<std::string> Strings(const config::Node* n) {
  std::vector<std::string> out;
  if (n == nullptr) {
    return out;
  }
  if (n->IsScalar()) {
    out.push_back(n->value);
  }
  for (const config::Node& i : n->items) {
    out.push_back(i.value);
  }
  return out;
}

// The scalar at `key` of `map` ("" when absent).
inline std::string Text(const config::Node& map, std::string_view key) {
  const config::Node* n = map.Find(key);
  return n != nullptr ? n->value : "";
}

// The scenario files of `dir` (tests/scenarios/alerts), sorted by name.
inline std::vector<std::filesystem::path> Files(const std::filesystem::path& dir) {
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    if (e.path().extension() == ".yaml") {
      files.push_back(e.path());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace modelwatch::alert::scenario
