#include "sim/server.h"

#include <arpa/inet.h>
#include <fmt/format.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "sim/http_loop.h"
#include "sim/responder.h"

namespace modelwatch::sim {
namespace {

// A bound, listening, non-blocking socket, or an error naming host:port.
Result<int> Listen(const std::string& host, int port) {
  std::string where = fmt::format("{}:{}", host, port);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  std::string ip = host == "localhost" ? "127.0.0.1" : host;
  if (port < 0 || port > 65535 || ::inet_pton(AF_INET, ip.c_str(), &addr.sin_addr) != 1) {
    return Status::InvalidArgument(where + ": expected an IPv4 address and a port 0..65535");
  }
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    return Status::Unavailable(where + ": socket: " + std::strerror(errno));
  }
  int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      ::listen(fd, SOMAXCONN) != 0) {
    Status s = Status::Unavailable(where + ": " + std::strerror(errno));
    ::close(fd);
    return s;
  }
  return fd;
}

int BoundPort(int fd) {
  sockaddr_in addr{};
  socklen_t len = sizeof(addr);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  return ntohs(addr.sin_port);
}

}  // namespace

Server::Server(std::string host, int port, std::unique_ptr<Scenario> scenario)
    : host_(std::move(host)), port_(port), scenario_(std::move(scenario)) {}

Result<std::unique_ptr<Server>> Server::Start(std::string host, int port, Scenario scenario) {
  Result<int> fd = Listen(host, port);
  if (!fd) {
    return fd.error();
  }
  int bound = BoundPort(*fd);
  std::unique_ptr<Server> server(
      new Server(std::move(host), bound, std::make_unique<Scenario>(std::move(scenario))));
  server->responder_ =
      std::make_unique<Responder>(*server->scenario_, server->clock_, server->host_, server->port_);
  server->loop_ = std::make_unique<HttpLoop>(*fd, *server->responder_, server->clock_);
  Status started = server->loop_->Start();
  if (!started.ok()) {
    return started;
  }
  return server;
}

Server::~Server() { Stop(); }

void Server::Stop() {
  std::lock_guard lock(stop_mu_);
  if (loop_) {
    loop_->Stop();
  }
}

uint64_t Server::requests(RouteKind route) const { return responder_->requests(route); }

uint64_t Server::total_requests() const { return responder_->total_requests(); }

size_t Server::open_connections() const { return loop_->open_connections(); }

uint64_t Server::accepted_connections() const { return loop_->accepted_connections(); }

}  // namespace modelwatch::sim
