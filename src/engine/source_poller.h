#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "config/sources.h"
#include "core/status.h"
#include "net/loop.h"
#include "source/diff.h"
#include "source/source.h"
#include "store/store.h"

namespace modelwatch::engine {

// Polls every configured status source on its own interval through the one
// network loop, with conditional requests (a remembered ETag is sent as
// If-None-Match, a Last-Modified as If-Modified-Since). A 304 keeps the last
// snapshot with a new `polled` time (when only some of a poll's answers are
// 304, their remembered bodies are parsed again with the new ones). A
// transfer or parse failure gives a kUnknown snapshot with why; the last
// readable snapshot is remembered, so what changed while the source could
// not be read is reported once it can be again.
//
// Threading: Create, Start, PollOnce and destruction on the loop thread (or
// before the loop runs / after it stopped). Snapshots() and Snapshot() are
// thread-safe (a copy under a mutex) for the web server and the alert
// engine. The event callback runs on the loop thread.
class SourcePoller {
 public:
  // Called with the events of one poll of one source, never empty.
  using OnEvents = std::function<void(std::vector<source::SourceEvent>&&)>;

  // Builds a source per entry; fails (naming the entry) when one cannot be
  // built. `loop` must outlive the poller.
  static Result<std::unique_ptr<SourcePoller>> Create(
      net::Loop& loop, const std::vector<config::StatusSource>& entries, OnEvents on_events);
  ~SourcePoller();  // cancels its timers and transfers
  SourcePoller(const SourcePoller&) = delete;
  SourcePoller& operator=(const SourcePoller&) = delete;

  // Polls each source now, then every `interval` after each poll finishes.
  void Start();
  // Polls each source once (no rescheduling); `done` runs on the loop
  // thread when every poll has finished. For `modelwatch sources`.
  void PollOnce(std::function<void()> done);

  // The latest snapshot of every source, in config order; a source not
  // polled yet is kUnknown with why "not polled yet". Thread-safe.
  std::vector<source::Snapshot> Snapshots() const;
  // The latest snapshot of the source named `name`; nullopt for no such
  // source. Thread-safe.
  std::optional<source::Snapshot> Snapshot(const std::string& name) const;

  // Polls finished so far (for tests). Thread-safe.
  uint64_t polls() const;

 private:
  struct Cached {  // the last 2xx answer of one request, for 304s
    std::string etag;
    std::string last_modified;
    net::Response response;
  };
  struct Entry {
    config::StatusSource config;
    source::SourcePtr source;
    std::vector<Cached> cache;  // per request of BuildRequests()
    std::optional<source::Snapshot> last;
    std::optional<source::Snapshot> last_readable;
    bool in_flight = false;
    net::Loop::TimerId timer = 0;
    std::vector<net::Loop::TransferId> transfers;
  };

  SourcePoller(net::Loop& loop, OnEvents on_events);
  void Poll(size_t index, std::function<void()> done);
  // One poll's answers as they arrive: per request, then any further pages.
  struct PollState {
    std::vector<net::Response> answers;
    std::vector<net::Response> pages;
    size_t remaining = 0;
    std::function<void()> done;
  };
  // Keeps the answer to request `r` (or, with `page`, a further page of it),
  // sends the next page when the source asks for one, and finishes the poll
  // after the last answer.
  void OnAnswer(size_t index, size_t r, bool page, net::Response&& resp,
                const std::shared_ptr<PollState>& st);
  void Finish(size_t index, std::vector<net::Response>&& answers);
  void Schedule(size_t index);
  void Publish(size_t index, const source::Snapshot& s);

  net::Loop& loop_;
  OnEvents on_events_;
  std::vector<Entry> entries_;  // loop thread only
  bool repeating_ = false;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);

  mutable std::mutex mu_;
  std::vector<source::Snapshot> published_;  // GUARDED_BY(mu_), config order
  uint64_t polls_ = 0;                       // GUARDED_BY(mu_)
};

// The store's row for `e` (kind as text, source::Describe as message).
store::SourceEvent ToStoreEvent(const source::SourceEvent& e);

}  // namespace modelwatch::engine
