#include "cli/args.h"

#include <CLI/CLI.hpp>
#include <cstdio>

#include "core/duration.h"

namespace modelwatch::cli {

std::optional<int> ParseArgs(CLI::App& app, int argc, char** argv) {
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  return std::nullopt;
}

std::optional<std::chrono::milliseconds> ParseDurationFlag(const std::string& command,
                                                           const std::string& flag,
                                                           const std::string& text) {
  auto d = ParseDuration(text);
  if (!d) {
    std::fprintf(stderr, "modelwatch %s: %s: %s\n", command.c_str(), flag.c_str(),
                 d.error().message().c_str());
    return std::nullopt;
  }
  return *d;
}

}  // namespace modelwatch::cli
