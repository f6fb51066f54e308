#pragma once

namespace modelwatch::cli {

// Parses the command line and runs one subcommand; returns the exit code.
int Main(int argc, char** argv);

// Each subcommand gets argv as if it were its own program (argv[0] is
// "modelwatch <name>", then the subcommand's flags, ready for CLI11's
// app.parse(argc, argv)) and returns the process exit code.
// One file each: cli/<name>.cpp.
int RunValidate(int argc, char** argv);
int RunCheck(int argc, char** argv);
int RunDaemon(int argc, char** argv);  // `run`
int RunSimulate(int argc, char** argv);
int RunReport(int argc, char** argv);
int RunExport(int argc, char** argv);
int RunStats(int argc, char** argv);
int RunSilence(int argc, char** argv);  // `silence add|list|remove`
int RunNotify(int argc, char** argv);  // `notify test`
int RunServe(int argc, char** argv);
int RunSources(int argc, char** argv);
int RunDiagnose(int argc, char** argv);
int RunPrices(int argc, char** argv);

}  // namespace modelwatch::cli
