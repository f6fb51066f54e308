#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <queue>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "core/clock.h"
#include "net/environment.h"
#include "net/request.h"

namespace modelwatch::net {

// The one network thread. Every HTTP transfer (probes, source polls,
// notifications) and every timer runs on it, through libcurl's multi socket
// interface and epoll, so ten thousand slow image generations in flight cost
// sockets, not threads.
//
// Threading: Run() is called on the thread that becomes the loop thread.
// Post() and Stop() may be called from any thread (Stop also from a signal
// handler's watched fd callback). Everything else, and every callback, runs
// on the loop thread only.
class Loop {
 public:
  using TransferId = uint64_t;
  using TimerId = uint64_t;
  using Callback = std::function<void(Response&&)>;

  explicit Loop(const Clock& clock);
  ~Loop();
  Loop(const Loop&) = delete;
  Loop& operator=(const Loop&) = delete;

  // Runs until Stop(). Transfers still in flight when it returns stay in
  // flight until CancelAll() or destruction.
  void Run();
  // Makes Run() return after the current iteration. Thread-safe.
  void Stop();
  // Runs `fn` on the loop thread soon. Thread-safe.
  void Post(std::function<void()> fn);

  // Starts a transfer; `done` is called exactly once on the loop thread with
  // its response (error kCancelled if cancelled), never from inside Start.
  TransferId Start(Request request, Callback done);
  // Cancels a transfer in flight; its callback gets kCancelled. No-op if done.
  void Cancel(TransferId id);
  // Cancels every transfer in flight.
  void CancelAll();
  size_t in_flight() const { return transfers_.size(); }
  // libcurl multi handles in use so far (see Shard); for tests.
  size_t shard_count() const { return shards_.size(); }

  // Runs `fn` once at `when` (or soon after, if `when` has passed).
  TimerId RunAt(MonoTime when, std::function<void()> fn);
  void CancelTimer(TimerId id);

  // Calls `on_readable` whenever `fd` is readable (e.g. a signalfd). The loop
  // does not own `fd`; it must stay open until RemoveFd.
  void WatchFd(int fd, std::function<void()> on_readable);
  void RemoveFd(int fd);

  const Clock& clock() const { return clock_; }

 private:
  struct Transfer;
  // One libcurl multi handle, with its own connection cache. libcurl looks
  // for a connection to reuse by walking every connection open to the host,
  // busy ones included: with thousands of slow generations in flight on one
  // provider that walk was the largest cost of starting a transfer. A shard
  // takes at most kShardTransfers transfers while another has room, so the
  // walk stays short; a few transfers at a time all use the first shard and
  // share its kept-alive connections as before. Past kMaxShards full shards
  // (4,096 transfers) a new transfer goes to the least busy one.
  struct Shard {
    Loop* loop = nullptr;
    void* multi = nullptr;  // CURLM*
    uint32_t index = 0;     // in shards_; the high half of its sockets' epoll data
    size_t in_flight = 0;
    bool timer_armed = false;
    MonoTime deadline{};
  };
  static constexpr size_t kShardTransfers = 64;
  static constexpr size_t kMaxShards = 64;
  struct Timer {
    MonoTime when;
    TimerId id;
    bool operator>(const Timer& o) const { return when > o.when || (when == o.when && id > o.id); }
  };

  static int OnSocket(void* easy, int fd, int what, void* shard, void* socket_data) noexcept;
  static int OnCurlTimer(void* multi, long timeout_ms, void* shard) noexcept;
  Shard& ShardForNewTransfer();
  void SocketAction(Shard& shard, int fd, int ev_bitmask);
  void ReadCompletions(Shard& shard);
  void Finish(Transfer* t, int curl_code);
  // For a transfer that carries credentials and got a redirect: restarts it
  // at the new URL when that is on the same origin and returns true; else
  // notes why not in its response and returns false.
  bool FollowByHand(Transfer* t);
  // smtp:// and smtps:// URLs: the envelope, login, TLS and upload of the
  // message, set after the request's other options; reset for the next
  // transfer on the handle when it finishes. No-ops for other URLs.
  void SetMailOptions(Transfer* t);
  void ResetMailOptions(Transfer* t);
  void* NewEasy();  // a CURL* with the options every transfer shares
  void FireTimers();
  void DrainPosted();
  int WaitMillis() const;

  const Clock& clock_;
  NetEnvironment env_;  // CA and proxy settings of the environment, read at construction
  int epoll_fd_ = -1;
  int wake_fd_ = -1;
  // Cleaned up last, after every transfer left them. Never shrinks.
  std::vector<std::unique_ptr<Shard>> shards_;
  std::unordered_map<TransferId, std::unique_ptr<Transfer>> transfers_;
  std::vector<void*> idle_easy_;  // CURL* handles kept for reuse
  TransferId next_transfer_ = 1;

  std::priority_queue<Timer, std::vector<Timer>, std::greater<>> timer_heap_;
  std::unordered_map<TimerId, std::function<void()>> timers_;
  TimerId next_timer_ = 1;

  std::unordered_map<int, std::function<void()>> watched_;
  std::unordered_set<int> parked_;  // idle curl sockets still in the epoll set

  std::mutex posted_mu_;
  std::vector<std::function<void()>> posted_;  // guarded by posted_mu_
  bool stop_ = false;                          // guarded by posted_mu_
};

}  // namespace modelwatch::net
