// `modelwatch serve`: the read-only dashboard, API and /metrics over an
// existing store (no probes, no live state, no admin actions).
#include <fmt/format.h>
#include <signal.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <string>

#include "cli/commands.h"
#include "cli/config_loading.h"
#include "cli/store_options.h"
#include "web/server.h"

namespace modelwatch::cli {

int RunServe(int argc, char** argv) {
  CLI::App app("Serve the dashboard, JSON API and /metrics over an existing store (read-only)",
               argv[0]);
  std::string config_path = "modelwatch.yaml";
  std::string listen;
  app.add_option("-c,--config", config_path, "config file");
  app.add_option("--listen", listen, "HOST:PORT to listen on (default: web.listen)");
  CLI11_PARSE(app, argc, argv);

  std::optional<config::Config> cfg = LoadConfigOrExplain(config_path);
  if (!cfg) {
    return 2;
  }
  std::string host = cfg->web.host;
  int port = cfg->web.port;
  if (!listen.empty()) {
    auto parsed = config::ParseListen(listen);
    if (!parsed) {
      std::fprintf(stderr, "modelwatch serve: --listen \"%s\" is not HOST:PORT\n", listen.c_str());
      return 2;
    }
    host = parsed->first;
    port = parsed->second;
    if (!config::IsLoopbackHost(host) && cfg->web.admin_token.empty()) {
      std::fprintf(stderr,
                   "warning: listening on %s beyond loopback: the dashboard, API and /metrics "
                   "are readable by anyone who can reach it\n",
                   listen.c_str());
    }
  } else if (!cfg->web.warning.empty()) {
    std::fprintf(stderr, "warning: %s\n", cfg->web.warning.c_str());
  }
  store::StorePtr store = OpenStoreForReading(*cfg);
  if (!store) {
    return 1;
  }
  // Block the signals before any thread starts, so only sigwait sees them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  SystemClock clock;
  auto server = web::Server::StartOn(*cfg, *store, nullptr, nullptr, clock, host, port);
  if (!server) {
    std::fprintf(stderr, "modelwatch serve: %s\n", server.error().message().c_str());
    return 1;
  }
  std::printf("modelwatch serve: dashboard at %s/ (read-only, %s)\n", (*server)->url().c_str(),
              store->Describe().c_str());
  std::fflush(stdout);
  int sig = 0;
  sigwait(&signals, &sig);
  std::printf("modelwatch serve: stopping (signal %d)\n", sig);
  (*server)->Stop();
  return 0;
}

}  // namespace modelwatch::cli
