#include "sim/http_loop.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "sim/responder.h"

namespace modelwatch::sim {
namespace {

constexpr uint64_t kWakeId = 0;
constexpr uint64_t kListenId = 1;
constexpr uint64_t kResumeAcceptId = 0;  // in timers only: conn ids start at 2
// Past this, a client sending while we answer is not a client we serve.
constexpr size_t kMaxBuffered = kMaxHeaderBytes + kMaxBodyBytes;
// Drip ticks are at least this far apart, so a long body costs a bounded
// number of wake-ups rather than one per byte.
constexpr auto kMinDripTick = std::chrono::milliseconds(2);

}  // namespace

struct HttpLoop::Conn {
  enum class State { kReading, kWaiting, kWriting, kDripping, kHanging };
  int fd = -1;
  uint64_t id = 0;
  State state = State::kReading;
  bool closed = false;
  bool keep_alive = true;
  bool continue_sent = false;
  bool watching_writes = false;
  std::string in;
  std::string out;
  size_t out_pos = 0;
  SimResponse pending;
  size_t drip_sent = 0;
  MonoTime drip_start;
};

HttpLoop::HttpLoop(int listen_fd, Responder& responder, const Clock& clock)
    : listen_fd_(listen_fd), responder_(responder), clock_(clock) {}

HttpLoop::~HttpLoop() {
  Stop();
  for (auto& [id, c] : conns_) {
    if (!c->closed) {
      ::close(c->fd);
    }
  }
  for (int fd : {listen_fd_, epoll_fd_, wake_fd_}) {
    if (fd >= 0) {
      ::close(fd);
    }
  }
}

Status HttpLoop::Start() {
  epoll_fd_ = ::epoll_create1(EPOLL_CLOEXEC);
  wake_fd_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (epoll_fd_ < 0 || wake_fd_ < 0) {
    return Status::Internal(std::string("epoll/eventfd: ") + std::strerror(errno));
  }
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.u64 = kWakeId;
  ::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, wake_fd_, &ev);
  ev.data.u64 = kListenId;
  if (::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, listen_fd_, &ev) != 0) {
    return Status::Internal(std::string("epoll_ctl: ") + std::strerror(errno));
  }
  thread_ = std::thread([this] { Run(); });
  return Status::Ok();
}

void HttpLoop::Stop() {
  if (stopped_) {
    return;
  }
  stopped_ = true;
  stop_.store(true);
  if (wake_fd_ >= 0) {
    uint64_t one = 1;
    [[maybe_unused]] ssize_t n = ::write(wake_fd_, &one, sizeof(one));
  }
  if (thread_.joinable()) {
    thread_.join();
  }
  // Refuse new connections at once rather than leave them in the backlog.
  if (listen_fd_ >= 0) {
    ::close(listen_fd_);
    listen_fd_ = -1;
  }
}

void HttpLoop::Run() {
  epoll_event events[256];
  while (!stop_.load(std::memory_order_relaxed)) {
    int n = ::epoll_wait(epoll_fd_, events, 256, NextTimeoutMs());
    if (n < 0 && errno != EINTR) {
      break;
    }
    for (int i = 0; i < n; ++i) {
      uint64_t id = events[i].data.u64;
      if (id == kWakeId) {
        continue;
      }
      if (id == kListenId) {
        Accept();
        continue;
      }
      auto it = conns_.find(id);
      if (it == conns_.end() || it->second->closed) {
        continue;
      }
      Conn& c = *it->second;
      if (events[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR)) {
        OnReadable(c);
      }
      if (!c.closed && (events[i].events & EPOLLOUT)) {
        Flush(c);
      }
    }
    RunTimers();
    for (uint64_t id : dead_) {
      conns_.erase(id);
    }
    dead_.clear();
  }
  for (auto& [id, c] : conns_) {
    if (!c->closed) {
      Close(*c, false);
    }
  }
  conns_.clear();
}

void HttpLoop::Accept() {
  while (true) {
    int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
        // Out of descriptors: stop listening for a moment instead of spinning
        // on a listener that stays readable.
        epoll_event ev{};
        ev.data.u64 = kListenId;
        ::epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, listen_fd_, &ev);
        Schedule(kResumeAcceptId, clock_.Now() + std::chrono::milliseconds(50));
      }
      return;
    }
    int one = 1;
    // Small answers and drip chunks must leave at once, not wait for Nagle.
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    auto conn = std::make_unique<Conn>();
    conn->fd = fd;
    conn->id = next_id_++;
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.u64 = conn->id;
    if (::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &ev) != 0) {
      ::close(fd);
      continue;
    }
    open_.fetch_add(1, std::memory_order_relaxed);
    accepted_.fetch_add(1, std::memory_order_relaxed);
    conns_.emplace(conn->id, std::move(conn));
  }
}

void HttpLoop::OnReadable(Conn& c) {
  char buf[64 * 1024];
  while (true) {
    ssize_t n = ::recv(c.fd, buf, sizeof(buf), 0);
    if (n > 0) {
      c.in.append(buf, static_cast<size_t>(n));
      if (c.in.size() > kMaxBuffered) {
        Close(c, false);
        return;
      }
      continue;
    }
    if (n == 0) {
      // The client closed (a hang ends here: the client gave up).
      Close(c, false);
      return;
    }
    if (errno == EINTR) {
      continue;
    }
    if (errno != EAGAIN && errno != EWOULDBLOCK) {
      Close(c, false);
      return;
    }
    break;
  }
  if (c.state == Conn::State::kReading) {
    TryParse(c);
  }
}

void HttpLoop::TryParse(Conn& c) {
  ParseOutcome o = ParseHttpRequest(c.in);
  switch (o.state) {
    case ParseState::kNeedMore:
      if (o.expects_continue && !c.continue_sent) {
        c.continue_sent = true;
        c.out += "HTTP/1.1 100 Continue\r\n\r\n";
        Flush(c);
      }
      return;
    case ParseState::kError: {
      c.pending = SimResponse{};
      c.pending.reply.status = 400;
      c.pending.reply.headers = {{"Content-Type", "text/plain"}};
      c.pending.reply.body = o.error + "\n";
      c.keep_alive = false;
      c.in.clear();
      Deliver(c);
      return;
    }
    case ParseState::kDone:
      c.in.erase(0, o.consumed);
      c.continue_sent = false;
      Dispatch(c, std::move(o.request));
      return;
  }
}

void HttpLoop::Dispatch(Conn& c, HttpRequest&& request) {
  c.keep_alive = request.keep_alive;
  try {
    c.pending = responder_.Handle(request);
  } catch (const std::exception& e) {
    // A bug in a renderer must cost one answer, not the whole loop thread.
    c.pending = SimResponse{};
    c.pending.reply.status = 500;
    c.pending.reply.headers = {{"Content-Type", "text/plain"}};
    c.pending.reply.body = std::string("simulator: ") + e.what() + "\n";
  }
  if (c.pending.action == Action::kHang) {
    c.state = Conn::State::kHanging;
    return;
  }
  if (c.pending.delay.count() > 0) {
    c.state = Conn::State::kWaiting;
    Schedule(c.id, clock_.Now() + c.pending.delay);
    return;
  }
  Deliver(c);
}

void HttpLoop::Deliver(Conn& c) {
  SimResponse& r = c.pending;
  switch (r.action) {
    case Action::kReset:
      Close(c, true);
      return;
    case Action::kDrip:
      c.out += SerializeHead(r.reply, c.keep_alive);
      c.state = Conn::State::kDripping;
      c.drip_sent = 0;
      c.drip_start = clock_.Now();
      DripTick(c);
      return;
    default:
      c.out += SerializeHead(r.reply, c.keep_alive);
      c.out += r.reply.body;
      r.reply.body.clear();
      c.state = Conn::State::kWriting;
      Flush(c);
      return;
  }
}

void HttpLoop::DripTick(Conn& c) {
  const std::string& body = c.pending.reply.body;
  const size_t total = body.size();
  auto elapsed = clock_.Now() - c.drip_start;
  size_t target = total;
  if (c.pending.drip.count() > 0 && elapsed < c.pending.drip) {
    double frac = std::chrono::duration<double>(elapsed) / c.pending.drip;
    target = static_cast<size_t>(frac * static_cast<double>(total));
  }
  target = std::min(total, std::max(target, c.drip_sent + 1));
  c.out.append(body, c.drip_sent, target - c.drip_sent);
  c.drip_sent = target;
  if (c.drip_sent >= total) {
    c.state = Conn::State::kWriting;
    Flush(c);
    return;
  }
  Flush(c);
  if (c.closed) {
    return;
  }
  auto per_byte = std::chrono::duration_cast<std::chrono::nanoseconds>(c.pending.drip) /
                  static_cast<int64_t>(std::max<size_t>(total, 1));
  Schedule(c.id, clock_.Now() + std::max<std::chrono::nanoseconds>(per_byte, kMinDripTick));
}

void HttpLoop::Flush(Conn& c) {
  while (c.out_pos < c.out.size()) {
    ssize_t n = ::send(c.fd, c.out.data() + c.out_pos, c.out.size() - c.out_pos, MSG_NOSIGNAL);
    if (n > 0) {
      c.out_pos += static_cast<size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      WatchWrites(c, true);
      return;
    }
    Close(c, false);
    return;
  }
  c.out.clear();
  c.out_pos = 0;
  WatchWrites(c, false);
  if (c.state == Conn::State::kWriting) {
    FinishResponse(c);
  }
}

void HttpLoop::FinishResponse(Conn& c) {
  c.pending = SimResponse{};
  if (!c.keep_alive) {
    Close(c, false);
    return;
  }
  c.state = Conn::State::kReading;
  if (!c.in.empty()) {
    TryParse(c);
  }
}

void HttpLoop::WatchWrites(Conn& c, bool on) {
  if (c.watching_writes == on) {
    return;
  }
  c.watching_writes = on;
  epoll_event ev{};
  ev.events = on ? (EPOLLIN | EPOLLOUT) : EPOLLIN;
  ev.data.u64 = c.id;
  ::epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, c.fd, &ev);
}

void HttpLoop::Close(Conn& c, bool reset) {
  if (c.closed) {
    return;
  }
  if (reset) {
    // Zero linger makes close() send RST instead of FIN.
    linger lg{1, 0};
    ::setsockopt(c.fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
  }
  ::close(c.fd);
  c.closed = true;
  dead_.push_back(c.id);
  open_.fetch_sub(1, std::memory_order_relaxed);
}

void HttpLoop::Schedule(uint64_t conn_id, MonoTime at) { timers_.push({at, conn_id}); }

void HttpLoop::RunTimers() {
  MonoTime now = clock_.Now();
  while (!timers_.empty() && timers_.top().at <= now) {
    Timer t = timers_.top();
    timers_.pop();
    if (t.conn_id == kResumeAcceptId) {
      epoll_event ev{};
      ev.events = EPOLLIN;
      ev.data.u64 = kListenId;
      ::epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, listen_fd_, &ev);
      continue;
    }
    auto it = conns_.find(t.conn_id);
    if (it == conns_.end() || it->second->closed) {
      continue;
    }
    Conn& c = *it->second;
    if (c.state == Conn::State::kWaiting) {
      Deliver(c);
    } else if (c.state == Conn::State::kDripping) {
      DripTick(c);
    }
  }
}

int HttpLoop::NextTimeoutMs() const {
  if (timers_.empty()) {
    return -1;
  }
  auto wait = timers_.top().at - clock_.Now();
  if (wait <= std::chrono::nanoseconds(0)) {
    return 0;
  }
  // Round up, so a timer is never woken for early and then slept past.
  return static_cast<int>(
      (std::chrono::duration_cast<std::chrono::microseconds>(wait).count() + 999) / 1000);
}

}  // namespace modelwatch::sim
