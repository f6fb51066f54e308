#pragma once

// The web server: dashboard, JSON API, /metrics, badges, push ingest,
// /healthz and /readyz, over cpp-httplib on its own bounded thread pool.
// It never touches the network loop or the store writer: it reads the
// newest LiveSnapshot and the store's read side (docs/web.md).

#include <memory>
#include <string>
#include <thread>

#include "config/config.h"
#include "core/clock.h"
#include "core/status.h"
#include "store/store.h"
#include "web/live.h"
#include "web/routes.h"

namespace httplib {
class Server;
}

namespace modelwatch::web {

// How the server shares its threads between connections. cpp-httplib gives
// an open connection one thread until it closes, so:
// - the pool grows on demand to a thread for each of this many connections
//   open at once (threads at nice 5, so the probe loop wins the CPU);
//   connections past it wait in arrival order;
inline constexpr size_t kMaxConnectionThreads = 64;
inline constexpr size_t kMinConnectionThreads = 4;
// - a kept-alive connection is closed after this many requests, or after
//   this long without one, so an idle or greedy client hands its thread
//   back and a waiting connection gets its turn;
inline constexpr size_t kRequestsPerConnection = 100;
inline constexpr int kKeepAliveSeconds = 1;
// - the kernel queues this many connections not yet accepted (cpp-httplib
//   listens with 5: a burst of new connections overflowed it, and each
//   dropped one waited a 1 s SYN-ACK retransmit). Capped by
//   net.core.somaxconn.
inline constexpr int kListenBacklog = 1024;

class Server {
 public:
  // Binds cfg.web.host:cfg.web.port (port 0: any free port) and starts
  // serving on a pool of threads (the constants above). `cfg`, `store`, `live` (nullable: no live
  // state, under `serve`), `actions` (nullable: run and push answer 503)
  // and `clock` are borrowed and must outlive the server. A busy port or a
  // bad address is an Unavailable error naming the address.
  static Result<std::unique_ptr<Server>> Start(const config::Config& cfg, store::Store& store,
                                               const LiveState* live, Actions* actions,
                                               const Clock& clock);
  // As Start, listening on `host`:`port` instead of cfg.web's.
  static Result<std::unique_ptr<Server>> StartOn(const config::Config& cfg, store::Store& store,
                                                 const LiveState* live, Actions* actions,
                                                 const Clock& clock, const std::string& host,
                                                 int port);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // "http://127.0.0.1:8080" (with the port actually bound).
  std::string url() const;
  int port() const { return port_; }
  // Text appended to every /metrics scrape; thread-safe, any time.
  void SetExtraMetrics(ExtraMetrics fn) { routes_->SetExtraMetrics(std::move(fn)); }
  // Stops accepting, finishes requests in flight, joins the threads.
  // Idempotent; the destructor calls it.
  void Stop();

 private:
  Server() = default;

  std::unique_ptr<Routes> routes_;
  std::unique_ptr<httplib::Server> http_;
  std::thread thread_;
  std::string host_;
  int port_ = 0;
};

}  // namespace modelwatch::web
