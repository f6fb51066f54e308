// `modelwatch simulate`: serves simulated provider APIs and status feeds
// from a scenario file until SIGINT or SIGTERM.
#include <signal.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <optional>
#include <string>

#include "cli/args.h"
#include "cli/commands.h"
#include "net/descriptor_limit.h"
#include "sim/scenario.h"
#include "sim/server.h"

namespace modelwatch::cli {
namespace {

struct Listen {
  std::string host;
  int port = 0;
};

std::optional<Listen> ParseListen(const std::string& text) {
  size_t colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == text.size()) {
    return std::nullopt;
  }
  Listen l;
  l.host = text.substr(0, colon);
  try {
    size_t used = 0;
    l.port = std::stoi(text.substr(colon + 1), &used);
    if (used != text.size() - colon - 1) {
      return std::nullopt;
    }
  } catch (const std::exception&) {
    return std::nullopt;
  }
  return l;
}

}  // namespace

int RunSimulate(int argc, char** argv) {
  CLI::App app{"Serve simulated provider APIs and status feeds (docs/simulator.md)"};
  std::string listen = "127.0.0.1:8089";
  std::string scenario_path;
  std::optional<double> time_scale;
  app.add_option("--listen", listen, "HOST:PORT to bind (port 0 picks a free one)")
      ->capture_default_str();
  app.add_option("--scenario", scenario_path, "scenario YAML file")->required();
  app.add_option("--time-scale", time_scale,
                 "multiply every latency, drip and phase length by this (overrides the file)");
  if (auto code = ParseArgs(app, argc, argv)) {
    return *code;
  }

  std::optional<Listen> where = ParseListen(listen);
  if (!where) {
    std::fprintf(stderr, "modelwatch simulate: --listen: expected HOST:PORT, got \"%s\"\n",
                 listen.c_str());
    return 2;
  }
  if (time_scale && !(*time_scale >= 0)) {
    std::fprintf(stderr, "modelwatch simulate: --time-scale: must be >= 0\n");
    return 2;
  }
  auto scenario = sim::LoadScenario(scenario_path);
  if (!scenario) {
    std::fprintf(stderr, "%s\n", scenario.error().message().c_str());
    return 2;  // bad input, as for a bad config
  }
  if (time_scale) {
    scenario->time_scale = *time_scale;
  }
  const double scale = scenario->time_scale;
  const size_t routes = scenario->routes.size();

  // Block the stop signals before the loop thread starts, so it inherits the
  // mask and this thread alone receives them, in sigwait.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  net::RaiseDescriptorLimit();

  auto server = sim::Server::Start(where->host, where->port, std::move(*scenario));
  if (!server) {
    std::fprintf(stderr, "modelwatch simulate: %s\n", server.error().message().c_str());
    return 1;
  }
  std::printf("listening on %s:%d\n", (*server)->host().c_str(), (*server)->port());
  std::fflush(stdout);
  std::fprintf(stderr, "scenario %s: %zu route timelines, time_scale %g\n", scenario_path.c_str(),
               routes, scale);

  int sig = 0;
  sigwait(&stop_signals, &sig);
  (*server)->Stop();
  std::fprintf(stderr, "stopped by signal %d after %llu requests:", sig,
               static_cast<unsigned long long>((*server)->total_requests()));
  for (int r = 0; r < sim::kRouteKindCount; ++r) {
    auto kind = static_cast<sim::RouteKind>(r);
    std::fprintf(stderr, " %.*s=%llu", static_cast<int>(sim::ToString(kind).size()),
                 sim::ToString(kind).data(),
                 static_cast<unsigned long long>((*server)->requests(kind)));
  }
  std::fprintf(stderr, "\n");
  return 0;
}

}  // namespace modelwatch::cli
