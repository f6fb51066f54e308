#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <queue>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "core/clock.h"
#include "core/status.h"
#include "sim/http_request.h"
#include "sim/response.h"

namespace modelwatch::sim {

class Responder;

// The epoll event loop behind Server: accepts connections, parses requests,
// asks the Responder, and delivers its answer now, later (timer heap), slowly
// (drip), never (hang) or as a TCP RST. Everything but Start/Stop and the
// connection count runs on the loop's one thread.
class HttpLoop {
 public:
  // Takes `listen_fd` (bound, listening, non-blocking). `responder` and
  // `clock` must outlive the loop.
  HttpLoop(int listen_fd, Responder& responder, const Clock& clock);
  ~HttpLoop();  // Stop()s and closes every socket
  HttpLoop(const HttpLoop&) = delete;
  HttpLoop& operator=(const HttpLoop&) = delete;

  // Creates the epoll and wake-up descriptors and starts the thread.
  Status Start();
  // Idempotent; joins the thread. Not from the loop thread.
  void Stop();

  size_t open_connections() const { return open_.load(std::memory_order_relaxed); }
  uint64_t accepted_connections() const { return accepted_.load(std::memory_order_relaxed); }

 private:
  struct Conn;
  struct Timer {
    MonoTime at;
    uint64_t conn_id;  // kResumeAcceptId: re-arm the listener
    bool operator>(const Timer& o) const { return at > o.at; }
  };

  void Run();
  void Accept();
  void OnReadable(Conn& c);
  void TryParse(Conn& c);
  void Dispatch(Conn& c, HttpRequest&& request);
  void Deliver(Conn& c);
  void DripTick(Conn& c);
  void Flush(Conn& c);
  void FinishResponse(Conn& c);
  void Close(Conn& c, bool reset);
  void WatchWrites(Conn& c, bool on);
  void Schedule(uint64_t conn_id, MonoTime at);
  void RunTimers();
  int NextTimeoutMs() const;

  int listen_fd_;
  int epoll_fd_ = -1;
  int wake_fd_ = -1;
  Responder& responder_;
  const Clock& clock_;
  std::thread thread_;
  std::atomic<bool> stop_{false};
  bool stopped_ = false;
  std::atomic<size_t> open_{0};
  std::atomic<uint64_t> accepted_{0};

  uint64_t next_id_ = 2;  // 0: wake-up, 1: listener
  std::unordered_map<uint64_t, std::unique_ptr<Conn>> conns_;
  std::vector<uint64_t> dead_;  // closed during this turn; freed after it
  std::priority_queue<Timer, std::vector<Timer>, std::greater<Timer>> timers_;
};

}  // namespace modelwatch::sim
