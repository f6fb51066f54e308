#pragma once

// The simulator's HTTP/1.1 server, for `modelwatch simulate`, tests and
// benchmarks.
//
// Why not cpp-httplib, the project's preferred HTTP library: it serves each
// connection on a pool thread, so the benchmark's 2,000 requests in flight,
// each held 2 s, would need 2,000 threads; and it owns its sockets, so it
// cannot send a TCP RST, hold a request unanswered, or dribble a body byte by
// byte. This server is one epoll loop on one thread with a timer heap: a
// delayed answer is a heap entry, not a blocked thread. It speaks just enough
// HTTP/1.1: keep-alive, Content-Length request bodies, Expect: 100-continue.

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

#include "core/clock.h"
#include "core/status.h"
#include "sim/scenario.h"

namespace modelwatch::sim {

class HttpLoop;
class Responder;

class Server {
 public:
  // Binds `host` (an IPv4 address or "localhost"; use 127.0.0.1 unless other
  // machines must reach it) and `port` (0 picks a free one), then serves
  // `scenario` on its own thread. Returns once connections are accepted.
  static Result<std::unique_ptr<Server>> Start(std::string host, int port, Scenario scenario);

  ~Server();  // Stop()s
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  int port() const { return port_; }
  const std::string& host() const { return host_; }
  const Scenario& scenario() const { return *scenario_; }

  // Closes the listener and every connection, then joins the loop thread.
  // Idempotent; callable from any thread but the loop's own.
  void Stop();

  // Requests routed to `route` since Start, whatever the answer (hang and reset
  // included). Unrouted paths are not counted. Callable from any thread.
  uint64_t requests(RouteKind route) const;
  uint64_t total_requests() const;
  // Connections currently open, and accepted since Start. Callable from any
  // thread.
  size_t open_connections() const;
  uint64_t accepted_connections() const;

 private:
  Server(std::string host, int port, std::unique_ptr<Scenario> scenario);

  std::string host_;
  int port_;
  // Declaration order is teardown order reversed: the loop goes first, since
  // it calls the responder, which reads the scenario.
  std::unique_ptr<Scenario> scenario_;
  SystemClock clock_;
  std::unique_ptr<Responder> responder_;
  std::unique_ptr<HttpLoop> loop_;
  std::mutex stop_mu_;
};

}  // namespace modelwatch::sim
