#pragma once

#include <string>
#include <vector>

namespace modelwatch::cli {

// Parses the command line and runs one subcommand; returns the exit code.
int Main(int argc, char** argv);

// Each subcommand gets its own arguments (after the subcommand's name) and
// returns the process exit code. One file each: cli/<name>.cpp.
int RunValidate(std::vector<std::string> args);
int RunCheck(std::vector<std::string> args);
int RunDaemon(std::vector<std::string> args);  // `run`
int RunSimulate(std::vector<std::string> args);
int RunReport(std::vector<std::string> args);
int RunExport(std::vector<std::string> args);
int RunStats(std::vector<std::string> args);

}  // namespace modelwatch::cli
