#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/diagnostics.h"
#include "config/node.h"

namespace modelwatch::config {

// Looks up one environment variable; nullopt when it is not set.
using EnvLookup = std::function<std::optional<std::string>(const std::string& name)>;

// The process environment (getenv).
EnvLookup ProcessEnv();

struct InterpolationProblem {
  size_t offset = 0;  // of the "${" the problem is about, in the input text
  std::string message;
  bool unset_variable = false;  // ${VAR} without a default, VAR not set
};

// Set to "1" in the environment a tree is interpolated from (`validate
// --allow-missing-env` sets it in its own process), an unset ${VAR} without a
// default is no error: the scalar is marked interpolation_failed, so nothing
// checks or uses its value, and UnsetVariables lists it for a warning. For CI
// checking a production config without its keys.
inline constexpr const char* kAllowMissingEnv = "MODELWATCH_ALLOW_MISSING_ENV";

struct Interpolated {
  std::string text;
  std::vector<InterpolationProblem> problems;  // empty when it worked
};

// Replaces ${VAR} with the variable's value and ${VAR:-default} with the value,
// or `default` (itself interpolated) when VAR is unset or empty. "$$" is a
// literal "$"; any other "$" is kept as it is. Pure apart from `env`.
Interpolated Interpolate(std::string_view text, const EnvLookup& env);

// Interpolates every scalar value (not the keys) under `root` in place and
// reports each problem at its own line and column. `source` is the text the
// tree was parsed from: node offsets point into it, which is how the column
// of a "${" inside a scalar is found.
void InterpolateTree(Node& root, std::string_view source, const EnvLookup& env, Diagnostics& diag);

// "FILE:LINE:COL: warning: environment variable X is not set; checked without
// it (--allow-missing-env)" for each unset ${VAR} without a default under
// `root` (not yet interpolated), in file order. Pure apart from `env`.
std::vector<std::string> UnsetVariables(const Node& root, std::string_view source,
                                        const EnvLookup& env);

}  // namespace modelwatch::config
