#include <cstdio>
#include <string>
#include <string_view>

#include "cli/commands.h"

namespace modelwatch::cli {
namespace {

struct Command {
  std::string_view name;
  int (*run)(int, char**);
  std::string_view help;
};

constexpr Command kCommands[] = {
    {"validate", RunValidate, "check a config file and print every problem"},
    {"check", RunCheck, "run monitors once and print their results"},
    {"run", RunDaemon, "run the monitors on their schedules and store the results"},
    {"simulate", RunSimulate, "serve simulated provider APIs and status feeds"},
    {"stats", RunStats, "availability, errors and latency per monitor over 1h..30d"},
    {"report", RunReport, "hourly history, anomalies and comparison of monitors"},
    {"export", RunExport, "raw results as CSV or JSON lines"},
    {"silence", RunSilence, "add, list or remove silences (works while run is running)"},
    {"notify", RunNotify, "notify test CHANNEL: send a sample alert through a channel"},
    {"serve", RunServe, "read-only dashboard, JSON API and /metrics over the store"},
    {"sources", RunSources, "poll every status source once and print what it says"},
    {"diagnose", RunDiagnose, "run one monitor and its sources once: whose fault is a failure?"},
    {"prices", RunPrices, "the price table: what one call of each model costs"},
};

void Usage(std::FILE* out) {
  std::fprintf(out,
               "usage: modelwatch <command> [options]   (modelwatch <command> --help)\n"
               "       modelwatch --version\n\n");
  for (const auto& c : kCommands) {
    std::fprintf(out, "  %-10.*s %.*s\n", static_cast<int>(c.name.size()), c.name.data(),
                 static_cast<int>(c.help.size()), c.help.data());
  }
}

}  // namespace

int Main(int argc, char** argv) {
  if (argc < 2) {
    Usage(stderr);
    return 2;
  }
  std::string_view name = argv[1];
  if (name == "--version" || name == "version") {
    std::printf("modelwatch %s\n", MODELWATCH_VERSION);
    return 0;
  }
  if (name == "-h" || name == "--help" || name == "help") {
    Usage(stdout);
    return 0;
  }
  for (const auto& c : kCommands) {
    if (c.name == name) {
      std::string program = "modelwatch " + std::string(name);
      argv[1] = program.data();
      return c.run(argc - 1, argv + 1);
    }
  }
  std::fprintf(stderr, "modelwatch: unknown command \"%s\"\n\n", argv[1]);
  Usage(stderr);
  return 2;
}

}  // namespace modelwatch::cli
