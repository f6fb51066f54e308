#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "core/clock.h"
#include "net/loop.h"
#include "notify/channel.h"
#include "store/store.h"

namespace modelwatch::notify {

struct NotifierOptions {
  // Failed deliveries are retried after retry_min, doubling up to retry_max,
  // each delay multiplied by a random factor in [1 - jitter, 1 + jitter]
  // (and still at most retry_max). A channel's Retry-After replaces the delay.
  std::chrono::milliseconds retry_min{1000};
  std::chrono::milliseconds retry_max{10 * 60'000};
  double jitter = 0.2;
  uint64_t seed = 0;  // of the jitter; 0: random
  // Who claims outbox messages ("host:pid" or the instance's name), and for
  // how long. Claims of held messages are renewed every lease / 3.
  std::string owner = "modelwatch";
  std::chrono::milliseconds lease{5 * 60'000};
  std::chrono::milliseconds send_timeout{15'000};  // of one delivery attempt
  // How often the store is asked for messages nobody holds (written by a
  // sender that crashed, or whose claim expired). The first ask is at Start.
  std::chrono::milliseconds sweep_interval{60'000};
  size_t sweep_limit = 200;  // messages claimed per ask
  // The first sweep also takes the messages another sender holds when their
  // claims end within `takeover`. Only a sender that knows the others are
  // gone may set it: the daemon holding the database's run lock, whose
  // predecessor died holding messages, sets it to the lease, so they go out
  // at once and before anything newer, not one lease later and after it
  // (a "firing" arriving after its "resolved"). 0: claims are left to end.
  std::chrono::milliseconds takeover{0};
};

// The daemon's JSON log: one object per line.
using LogSink = std::function<void(const nlohmann::ordered_json&)>;

// Delivers committed outbox messages to their channels through the network
// loop, until each is acknowledged: retries with capped exponential backoff
// and jitter (or the channel's Retry-After), holds what would pass a
// channel's rate limit and sends it, in order, when the window allows. When
// more are held than the window lets out, the held ones (up to
// kMaxMerged at a time) go out as one merged message listing all their
// alerts; each of their outbox rows is marked delivered only when that
// merged message is acknowledged, and each is retried on its own if it is
// not. A channel's messages keep their order through a failure: while one of
// them waits for its retry, the later ones wait behind it (a "resolved"
// never arrives before its "firing" when a channel comes back), except
// behind a message that can never be sent (unreadable, not renderable),
// which retries on its own. Never drops a message: one that cannot be sent stays pending in the store and is
// logged (`notify_failed` once per change of its error, never with a URL or
// a secret).
//
// Messages for the built-in channel "log" become one `{"event":"alert",...}`
// log line. A message whose channel is not configured stays pending in the
// store (another instance, or this one after a config change, sends it) and
// is logged as `notify_channel_missing`.
//
// Store calls, and only these: OutboxDelivered, OutboxFailed and
// OutboxRenewClaims from the loop thread (all non-blocking), ClaimOutbox from
// the notifier's own sweep thread (blocking, never on the loop thread).
//
// Threading: every method, constructor and destructor included, runs on the
// loop thread (or before Loop::Run starts). Destroy it after the loop stopped
// running or on the loop thread; callbacks it left in the loop then do
// nothing. The loop, store, channels, log sink and clock are borrowed and
// must outlive it.
class Notifier {
 public:
  // The most held messages merged into one.
  static constexpr size_t kMaxMerged = 20;

  struct ChannelCounters {
    uint64_t sent = 0;     // messages delivered
    uint64_t failed = 0;   // failed attempts
    uint64_t pending = 0;  // held now: waiting, in flight, in backoff or over the rate limit
  };

  Notifier(net::Loop& loop, store::Store& store,
           const std::map<std::string, const Channel*>& channels, LogSink log, const Clock& clock,
           NotifierOptions opts);
  ~Notifier();
  Notifier(const Notifier&) = delete;
  Notifier& operator=(const Notifier&) = delete;

  // Starts the sweep: claims what the store holds undelivered (messages
  // pending after a restart) at once and then every sweep_interval, and the
  // claim renewal timer. Call once.
  void Start();

  // Takes messages to deliver: committed ones (from Store::Commit's callback,
  // posted to the loop) or claimed ones. A message whose id the notifier
  // already holds or has delivered is ignored, so nothing is sent twice.
  // Their claims are renewed for `owner` at once. Those due now (next_attempt
  // passed) are attempted before Deliver returns, in the order given: their
  // transfers are started (net::Loop::Start, which never calls back from
  // inside), or they are held for a rate limit; a message for the "log"
  // channel is logged and marked delivered at once. The others wait for
  // their next_attempt on a loop timer.
  void Deliver(std::vector<store::OutboxMessage>&& messages);

  // By channel name ("log" included), for metrics.
  std::map<std::string, ChannelCounters> counters() const;
  // Messages held, not yet acknowledged.
  size_t pending() const { return messages_.size(); }

 private:
  struct Message {
    store::OutboxMessage m;
    MonoTime next{};               // not sent before this
    net::Loop::TimerId timer = 0;  // the retry timer, 0 when none
    net::Loop::TransferId transfer = 0;
    bool in_flight = false;
    bool held = false;            // waits in its channel's rate-limit queue
    bool missing_logged = false;  // its channel's absence was logged
    std::string last_logged;      // the error last logged for it
  };
  struct ChannelState {
    std::deque<MonoTime> sent_at;  // attempts within the rate-limit window
    std::set<int64_t> held;        // ids over the rate limit or behind `retrying`, oldest first
    int64_t retrying = 0;          // the message the channel's others wait behind; 0: none
    net::Loop::TimerId release_timer = 0;
    ChannelCounters counters;
  };

  // The message's Notification: the engine's, handed over in memory, or its
  // payload parsed (then kept in `m` for the next attempt).
  static Result<const Notification*> NotificationOf(store::OutboxMessage& m);
  // `fn`, run only while the notifier lives (for timers and posts).
  std::function<void()> Guarded(std::function<void()> fn) const;
  void Schedule(Message& msg);
  void Attempt(Message& msg);
  void Send(Message& msg, const Channel& channel);
  // Sends the held messages `ids` of `channel` as one message.
  void SendMerged(const std::vector<int64_t>& ids, const Channel& channel);
  void OnAnswer(int64_t id, net::Response&& response);
  void OnMergedAnswer(const std::vector<int64_t>& ids, net::Response&& response);
  Delivery Judge(const Channel& channel, const net::Response& response) const;
  // Erases `msg`.
  void Delivered(Message& msg, bool log_sent);
  void Failed(Message& msg, const Delivery& d);
  void DeliverToLog(Message& msg);
  bool RateLimited(const Channel& channel, ChannelState& cs);
  void Hold(Message& msg, const std::string& channel, ChannelState& cs);
  void ArmRelease(const std::string& channel, ChannelState& cs);
  void Release(const std::string& channel);
  std::chrono::milliseconds Backoff(int attempts);
  void RenewClaims();
  void AskSweep();
  void SweepThread(std::weak_ptr<bool> alive);
  std::string RedactFor(const Channel* channel, std::string text) const;

  net::Loop& loop_;
  store::Store& store_;
  std::map<std::string, const Channel*> channels_;
  LogSink log_;
  const Clock& clock_;
  NotifierOptions opts_;
  std::mt19937_64 rng_;

  std::unordered_map<int64_t, Message> messages_;
  std::unordered_set<int64_t> done_;  // delivered by this notifier
  std::map<std::string, ChannelState> state_;
  net::Loop::TimerId renew_timer_ = 0;
  net::Loop::TimerId sweep_timer_ = 0;
  std::string last_sweep_error_;

  // Set to false by the destructor; the loop callbacks the notifier leaves
  // behind (posted sweep results) check it. Shared with those callbacks.
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);

  // The sweep thread waits for asks from the loop's sweep timer.
  std::mutex sweep_mu_;
  std::condition_variable sweep_cv_;
  bool sweep_asked_ = false;  // guarded by sweep_mu_
  bool sweep_stop_ = false;   // guarded by sweep_mu_
  std::thread sweep_thread_;
};

}  // namespace modelwatch::notify
