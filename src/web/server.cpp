#include "web/server.h"

#include <fmt/format.h>
#include <httplib.h>
#include <sys/resource.h>
#include <unistd.h>

#include <exception>

#include "web/connection_pool.h"

namespace modelwatch::web {

namespace {

constexpr size_t kMaxBody = 64 * 1024;  // silences and push reports are small JSON
// The server's threads yield the CPU to the probe loop: a burst of
// dashboard clients must not delay checks (bench/README.md, web_load).
constexpr int kThreadNice = 5;

// Lowers the calling thread's priority (Linux: PRIO_PROCESS with a thread
// id is that thread alone). A failure only leaves it as it was.
void LowerThreadPriority() {
  (void)setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), kThreadNice);
}

// cpp-httplib's task queue over our pool: one task per accepted connection.
class PoolQueue : public httplib::TaskQueue {
 public:
  PoolQueue() : pool_(kMinConnectionThreads, kMaxConnectionThreads, LowerThreadPriority) {}
  void enqueue(std::function<void()> fn) override { pool_.Enqueue(std::move(fn)); }
  void shutdown() override { pool_.Shutdown(); }

 private:
  ConnectionPool pool_;
};

void Serve(Routes& routes, const httplib::Request& in, httplib::Response& out) {
  Request req;
  req.method = in.method;
  req.path = in.path;
  for (const auto& [k, v] : in.params) {
    req.query.emplace(k, v);  // the first of a repeated parameter wins
  }
  req.body = in.body;
  req.authorization = in.get_header_value("Authorization");
  req.remote = in.remote_addr;
  req.accept_encoding = in.get_header_value("Accept-Encoding");
  req.if_none_match = in.get_header_value("If-None-Match");
  Response r;
  try {
    r = routes.Handle(req);
  } catch (const std::exception& e) {
    r = JsonError(500, std::string("internal error: ") + e.what());
  }
  out.status = r.status;
  for (auto& [k, v] : r.headers) {
    out.set_header(k, v);
  }
  out.set_header("X-Content-Type-Options", "nosniff");
  out.set_header("Referrer-Policy", "no-referrer");
  if (r.content_type.starts_with("text/html")) {
    out.set_header("Cache-Control", "no-store");
  }
  if (r.shared_body) {
    // Written straight from the shared body; the provider holds it.
    std::shared_ptr<const std::string> body = std::move(r.shared_body);
    size_t size = body->size();
    out.set_content_provider(
        size, r.content_type, [body](size_t offset, size_t length, httplib::DataSink& sink) {
          return sink.write(body->data() + offset, std::min(length, body->size() - offset));
        });
    return;
  }
  out.set_content(std::move(r.body), r.content_type.c_str());
}

}  // namespace

Result<std::unique_ptr<Server>> Server::Start(const config::Config& cfg, store::Store& store,
                                              const LiveState* live, Actions* actions,
                                              const Clock& clock) {
  return StartOn(cfg, store, live, actions, clock, cfg.web.host, cfg.web.port);
}

Result<std::unique_ptr<Server>> Server::StartOn(const config::Config& cfg, store::Store& store,
                                                const LiveState* live, Actions* actions,
                                                const Clock& clock, const std::string& host,
                                                int port) {
  std::unique_ptr<Server> s(new Server());
  s->routes_ = std::make_unique<Routes>(cfg, store, live, actions, clock);
  s->http_ = std::make_unique<httplib::Server>();
  s->host_ = host;
  httplib::Server& h = *s->http_;
  h.new_task_queue = [] { return new PoolQueue(); };
  h.set_payload_max_length(kMaxBody);
  h.set_read_timeout(10, 0);
  h.set_write_timeout(10, 0);
  h.set_keep_alive_max_count(kRequestsPerConnection);
  h.set_keep_alive_timeout(kKeepAliveSeconds);
  // Headers and body go out as separate writes: with Nagle's algorithm the
  // body of a small answer waited for the client's delayed ACK (40 ms per
  // request on a kept-alive connection). Accepted sockets inherit it.
  h.set_tcp_nodelay(true);
  // cpp-httplib's default adds SO_REUSEPORT, which would let a second
  // server share a busy port silently; a busy port must be an error. The
  // last socket given here is the one bound (cpp-httplib closes the others).
  auto listener = std::make_shared<int>(-1);
  h.set_socket_options([listener](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    *listener = sock;
  });
  Routes* routes = s->routes_.get();
  auto handler = [routes](const httplib::Request& in, httplib::Response& out) {
    Serve(*routes, in, out);
  };
  h.Get(".*", handler);
  h.Post(".*", handler);
  h.Delete(".*", handler);
  h.set_error_handler([](const httplib::Request& in, httplib::Response& out) {
    if (out.status == 413) {
      Response r = JsonError(413, "request body too large (at most 64 KiB)");
      out.set_content(r.body, r.content_type.c_str());
    } else if (out.body.empty() && out.status >= 400) {
      Response r = JsonError(out.status, "bad request");
      out.set_content(r.body, r.content_type.c_str());
    }
  });
  std::string address = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  if (port == 0) {
    int bound = h.bind_to_any_port(host);
    if (bound < 0) {
      return Status::Unavailable(fmt::format("web: cannot listen on {}:0 (any port)", address));
    }
    s->port_ = bound;
  } else {
    if (!h.bind_to_port(host, port)) {
      return Status::Unavailable(fmt::format(
          "web: cannot listen on {}:{}: the port is in use or the address is not this host's "
          "(change web.listen)",
          address, port));
    }
    s->port_ = port;
  }
  // listen() again on a listening socket only sets its backlog (Linux).
  // Failing leaves cpp-httplib's 5: slower under bursts, still serving.
  if (*listener >= 0) {
    (void)::listen(*listener, kListenBacklog);
  }
  s->thread_ = std::thread([srv = s->http_.get()] { srv->listen_after_bind(); });
  // Stop() before the listener runs would be lost: wait until it does.
  for (int i = 0; i < 2000 && !h.is_running(); ++i) {
    SleepFor(std::chrono::milliseconds(1));
  }
  return s;
}

Server::~Server() { Stop(); }

std::string Server::url() const {
  std::string host = host_ == "0.0.0.0" ? "127.0.0.1" : host_ == "::" ? "::1" : host_;
  if (host.find(':') != std::string::npos) {
    host = "[" + host + "]";
  }
  return fmt::format("http://{}:{}", host, port_);
}

void Server::Stop() {
  if (http_) {
    http_->stop();
  }
  if (thread_.joinable()) {
    thread_.join();
  }
}

}  // namespace modelwatch::web
