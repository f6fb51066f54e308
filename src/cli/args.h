#pragma once

#include <chrono>
#include <optional>
#include <string>

namespace CLI {
class App;
}

namespace modelwatch::cli {

// Parses argv into `app`. Returns the exit code to stop with (0 after
// --help, 2 for bad flags, CLI11 having printed why), or nullopt to go on.
std::optional<int> ParseArgs(CLI::App& app, int argc, char** argv);

// Parses a duration flag such as --since; prints "modelwatch CMD: FLAG: why"
// and returns nullopt when it is not a duration.
std::optional<std::chrono::milliseconds> ParseDurationFlag(const std::string& command,
                                                           const std::string& flag,
                                                           const std::string& text);

}  // namespace modelwatch::cli
