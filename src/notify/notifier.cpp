#include "notify/notifier.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <utility>

#include "core/notification.h"
#include "core/secret.h"
#include "notify/log_text.h"

namespace modelwatch::notify {
namespace {

constexpr std::string_view kLogChannel = "log";

// A Retry-After is honoured up to this (or retry_max when longer): a bogus
// "wait a week" must not silence alerts for a week.
constexpr std::chrono::milliseconds kMaxRetryAfter{60 * 60'000};

int64_t UnixMillis(WallTime t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

}  // namespace

Notifier::Notifier(net::Loop& loop, store::Store& store,
                   const std::map<std::string, const Channel*>& channels, LogSink log,
                   const Clock& clock, NotifierOptions opts)
    : loop_(loop),
      store_(store),
      channels_(channels),
      log_(std::move(log)),
      clock_(clock),
      opts_(std::move(opts)),
      rng_(opts_.seed != 0 ? opts_.seed : std::random_device{}()) {
  for (const auto& [name, channel] : channels_) {
    state_[name];
  }
}

Notifier::~Notifier() {
  {
    std::lock_guard lock(sweep_mu_);
    sweep_stop_ = true;
  }
  sweep_cv_.notify_all();
  if (sweep_thread_.joinable()) {
    sweep_thread_.join();
  }
  // Callbacks left in the loop see the notifier gone from here on.
  alive_.reset();
  std::set<net::Loop::TransferId> transfers;  // a merged one is shared by its messages
  for (auto& [id, msg] : messages_) {
    if (msg.timer != 0) {
      loop_.CancelTimer(msg.timer);
    }
    if (msg.in_flight) {
      transfers.insert(msg.transfer);
    }
  }
  for (net::Loop::TransferId t : transfers) {
    loop_.Cancel(t);
  }
  for (auto& [name, cs] : state_) {
    if (cs.release_timer != 0) {
      loop_.CancelTimer(cs.release_timer);
    }
  }
  loop_.CancelTimer(renew_timer_);
  loop_.CancelTimer(sweep_timer_);
}

std::function<void()> Notifier::Guarded(std::function<void()> fn) const {
  return [alive = std::weak_ptr<bool>(alive_), fn = std::move(fn)] {
    if (!alive.expired()) {
      fn();
    }
  };
}

void Notifier::Start() {
  sweep_thread_ = std::thread([this, alive = std::weak_ptr<bool>(alive_)] { SweepThread(alive); });
  AskSweep();
  renew_timer_ = loop_.RunAt(clock_.Now() + opts_.lease / 3, Guarded([this] { RenewClaims(); }));
}

Result<const Notification*> Notifier::NotificationOf(store::OutboxMessage& m) {
  if (m.notification == nullptr) {
    Result<Notification> n = NotificationFromJson(m.payload);
    if (!n) {
      return n.error();
    }
    m.notification = std::make_shared<const Notification>(std::move(*n));  // for retries
  }
  return m.notification.get();
}

void Notifier::Deliver(std::vector<store::OutboxMessage>&& messages) {
  std::vector<int64_t> fresh;
  MonoTime now = clock_.Now();
  WallTime wall_now = clock_.WallNow();
  for (store::OutboxMessage& m : messages) {
    if (done_.contains(m.id) || messages_.contains(m.id)) {
      continue;
    }
    int64_t id = m.id;
    Message& msg = messages_[id];
    msg.m = std::move(m);
    // The store keeps wall time; the retry runs on the monotonic clock.
    msg.next = now + std::max(WallTime::duration::zero(), msg.m.next_attempt - wall_now);
    state_[msg.m.channel];
    fresh.push_back(id);
  }
  if (fresh.empty()) {
    return;
  }
  store_.OutboxRenewClaims(fresh, opts_.owner, wall_now + opts_.lease);
  // What is due goes out now, in the order given: a timer, even one due now,
  // waits for the loop's timer grid (up to net::Loop's slack of a few
  // milliseconds), which was most of an alert's latency. The rest waits for
  // its next_attempt.
  for (int64_t id : fresh) {
    auto it = messages_.find(id);
    if (it == messages_.end()) {
      continue;  // delivered (or dropped) by an earlier one's attempt
    }
    if (it->second.next <= now) {
      Attempt(it->second);
    } else {
      Schedule(it->second);
    }
  }
}

void Notifier::Schedule(Message& msg) {
  int64_t id = msg.m.id;
  msg.timer = loop_.RunAt(msg.next, Guarded([this, id] {
                            auto it = messages_.find(id);
                            if (it != messages_.end()) {
                              it->second.timer = 0;
                              Attempt(it->second);
                            }
                          }));
}

void Notifier::Attempt(Message& msg) {
  const std::string& name = msg.m.channel;
  if (name == kLogChannel) {
    DeliverToLog(msg);
    return;
  }
  auto ch = channels_.find(name);
  if (ch == channels_.end() || ch->second == nullptr) {
    if (!msg.missing_logged) {
      msg.missing_logged = true;
      log_({{"event", "notify_channel_missing"},
            {"channel", name},
            {"id", msg.m.id},
            {"error", fmt::format("channel \"{}\" is not configured: the message stays pending "
                                  "in the outbox until a configured channel of that name sends it",
                                  name)}});
    }
    return;  // pending, with no timer: kept, not retried
  }
  ChannelState& cs = state_[name];
  bool leads = cs.retrying == msg.m.id;
  // Behind the held ones and the one retrying, so a channel's messages keep
  // their order.
  if ((!leads && (cs.retrying != 0 || !cs.held.empty())) || RateLimited(*ch->second, cs)) {
    if (leads) {
      cs.retrying = 0;  // over the rate limit: first in the held queue instead
    }
    Hold(msg, name, cs);
    return;
  }
  Send(msg, *ch->second);
}

bool Notifier::RateLimited(const Channel& channel, ChannelState& cs) {
  RateLimit limit = channel.rate_limit();
  if (limit.messages <= 0) {
    return false;
  }
  MonoTime now = clock_.Now();
  while (!cs.sent_at.empty() && cs.sent_at.front() + limit.per <= now) {
    cs.sent_at.pop_front();
  }
  return cs.sent_at.size() >= static_cast<size_t>(limit.messages);
}

void Notifier::Hold(Message& msg, const std::string& name, ChannelState& cs) {
  if (cs.held.empty() && cs.retrying != 0) {
    log_({{"event", "notify_held"}, {"channel", name}, {"behind", cs.retrying}});
  } else if (cs.held.empty()) {
    RateLimit limit = channels_.at(name)->rate_limit();
    log_({{"event", "notify_held"},
          {"channel", name},
          {"limit", limit.messages},
          {"per_ms", limit.per.count()}});
  }
  msg.held = true;
  cs.held.insert(msg.m.id);
  ArmRelease(name, cs);
}

void Notifier::ArmRelease(const std::string& name, ChannelState& cs) {
  if (cs.release_timer != 0) {
    return;
  }
  RateLimit limit = channels_.at(name)->rate_limit();
  MonoTime when = cs.sent_at.empty() ? clock_.Now() : cs.sent_at.front() + limit.per;
  cs.release_timer = loop_.RunAt(when, Guarded([this, name] { Release(name); }));
}

void Notifier::Release(const std::string& name) {
  ChannelState& cs = state_[name];
  cs.release_timer = 0;
  if (cs.retrying != 0) {
    return;  // released when the one retrying is delivered
  }
  const Channel& channel = *channels_.at(name);
  while (!cs.held.empty() && !RateLimited(channel, cs)) {
    int limit = channel.rate_limit().messages;
    size_t free = limit > 0 ? static_cast<size_t>(limit) - cs.sent_at.size() : cs.held.size();
    if (cs.held.size() > free) {
      // More waiting than the window lets out: one message says them all.
      std::vector<int64_t> ids;
      while (!cs.held.empty() && ids.size() < kMaxMerged) {
        int64_t id = *cs.held.begin();
        cs.held.erase(cs.held.begin());
        if (auto it = messages_.find(id); it != messages_.end()) {
          it->second.held = false;
          ids.push_back(id);
        }
      }
      if (ids.size() > 1) {
        SendMerged(ids, channel);
      } else if (ids.size() == 1) {
        Send(messages_.at(ids[0]), channel);
      }
      continue;
    }
    int64_t id = *cs.held.begin();
    cs.held.erase(cs.held.begin());
    auto it = messages_.find(id);
    if (it == messages_.end()) {
      continue;
    }
    it->second.held = false;
    Send(it->second, channel);
  }
  if (!cs.held.empty()) {
    ArmRelease(name, cs);
  }
}

void Notifier::SendMerged(const std::vector<int64_t>& ids, const Channel& channel) {
  Notification merged;
  std::vector<int64_t> in;
  for (int64_t id : ids) {
    Message& msg = messages_.at(id);
    Result<const Notification*> n = NotificationOf(msg.m);
    if (!n) {
      Send(msg, channel);  // fails it, alone, as unreadable
      continue;
    }
    const Notification& one = **n;
    if (in.empty()) {
      merged = one;
    } else {
      merged.level = std::max(merged.level, one.level);
      if (merged.group != one.group) {
        merged.group.clear();
      }
      merged.items.insert(merged.items.end(), one.items.begin(), one.items.end());
    }
    in.push_back(id);
  }
  if (in.size() <= 1) {
    if (in.size() == 1) {
      Send(messages_.at(in[0]), channel);
    }
    return;
  }
  // The headline is made from the items ("[CRITICAL] 5 alerts: a, b, ...").
  merged.title.clear();
  merged.dedup_key = fmt::format("merged/{}", in.front());
  Result<net::Request> request = channel.Render(merged, clock_.WallNow());
  if (!request) {
    Delivery d;
    d.error = RedactFor(&channel, "render: " + request.error().message());
    d.permanent = true;
    for (int64_t id : in) {
      Failed(messages_.at(id), d);
    }
    return;
  }
  request->timeout = opts_.send_timeout;
  state_[channel.name()].sent_at.push_back(clock_.Now());
  net::Loop::TransferId transfer = loop_.Start(
      std::move(*request), [this, in, alive = std::weak_ptr<bool>(alive_)](net::Response&& r) {
        if (!alive.expired()) {
          OnMergedAnswer(in, std::move(r));
        }
      });
  for (int64_t id : in) {
    Message& msg = messages_.at(id);
    msg.in_flight = true;
    msg.transfer = transfer;
  }
}

void Notifier::OnMergedAnswer(const std::vector<int64_t>& ids, net::Response&& response) {
  const Channel* channel = nullptr;
  for (int64_t id : ids) {
    if (auto it = messages_.find(id); it != messages_.end()) {
      channel = channels_.at(it->second.m.channel);
      break;
    }
  }
  if (channel == nullptr) {
    return;
  }
  Delivery d = Judge(*channel, response);
  if (d.delivered) {
    log_({{"event", "notify_merged"}, {"channel", channel->name()}, {"ids", ids}});
  }
  for (int64_t id : ids) {
    auto it = messages_.find(id);
    if (it == messages_.end()) {
      continue;
    }
    Message& msg = it->second;
    msg.in_flight = false;
    msg.transfer = 0;
    if (d.delivered) {
      Delivered(msg, /*log_sent=*/true);
    } else {
      Failed(msg, d);
    }
  }
}

void Notifier::Send(Message& msg, const Channel& channel) {
  Result<const Notification*> n = NotificationOf(msg.m);
  if (!n) {
    Delivery d;
    d.error = "unreadable payload: " + n.error().message();
    d.permanent = true;
    Failed(msg, d);
    return;
  }
  Result<net::Request> request = channel.Render(**n, clock_.WallNow());
  if (!request) {
    Delivery d;
    d.error = RedactFor(&channel, "render: " + request.error().message());
    d.permanent = true;
    Failed(msg, d);
    return;
  }
  request->timeout = opts_.send_timeout;
  if (channel.rate_limit().messages > 0) {
    state_[msg.m.channel].sent_at.push_back(clock_.Now());
  }
  int64_t id = msg.m.id;
  msg.in_flight = true;
  msg.transfer = loop_.Start(std::move(*request),
                             [this, id, alive = std::weak_ptr<bool>(alive_)](net::Response&& r) {
                               if (!alive.expired()) {
                                 OnAnswer(id, std::move(r));
                               }
                             });
}

void Notifier::OnAnswer(int64_t id, net::Response&& response) {
  auto it = messages_.find(id);
  if (it == messages_.end()) {
    return;
  }
  Message& msg = it->second;
  msg.in_flight = false;
  msg.transfer = 0;
  Delivery d = Judge(*channels_.at(msg.m.channel), response);
  if (d.delivered) {
    Delivered(msg, /*log_sent=*/true);
  } else {
    Failed(msg, d);
  }
}

Delivery Notifier::Judge(const Channel& channel, const net::Response& response) const {
  Delivery d;
  if (response.error != net::TransferError::kNone && response.http_status == 0) {
    // No answer at all: the channel has nothing to read. (SMTP failures
    // carry the server's reply code, which the channel judges.)
    d.error = fmt::format("{}: {}", net::ToString(response.error), response.error_message);
  } else {
    d = channel.Check(response);
  }
  d.error = RedactFor(&channel, std::move(d.error));
  return d;
}

void Notifier::Delivered(Message& msg, bool log_sent) {
  int64_t id = msg.m.id;
  const std::string msg_channel = msg.m.channel;
  store_.OutboxDelivered(id, clock_.WallNow());
  ChannelState& cs = state_[msg_channel];
  ++cs.counters.sent;
  if (log_sent) {
    log_({{"event", "notify_sent"},
          {"channel", msg.m.channel},
          {"id", id},
          {"attempts", msg.m.attempts + 1}});
  }
  done_.insert(id);
  messages_.erase(id);
  if (cs.retrying == id) {
    cs.retrying = 0;
    if (!cs.held.empty()) {
      ArmRelease(msg_channel, cs);
    }
  }
}

void Notifier::Failed(Message& msg, const Delivery& d) {
  ++msg.m.attempts;
  std::chrono::milliseconds delay = Backoff(msg.m.attempts);
  if (d.retry_after) {
    delay = std::clamp(*d.retry_after, opts_.retry_min, std::max(opts_.retry_max, kMaxRetryAfter));
  }
  msg.next = clock_.Now() + delay;
  msg.m.next_attempt = clock_.WallNow() + delay;
  msg.m.last_error = d.error.empty() ? "not delivered" : d.error;
  store_.OutboxFailed(msg.m.id, msg.m.attempts, msg.m.next_attempt, msg.m.last_error);
  ++state_[msg.m.channel].counters.failed;
  if (msg.m.last_error != msg.last_logged) {
    msg.last_logged = msg.m.last_error;
    log_({{"event", "notify_failed"},
          {"channel", msg.m.channel},
          {"id", msg.m.id},
          {"attempt", msg.m.attempts},
          {"error", msg.m.last_error},
          {"permanent", d.permanent},
          {"retry_in_ms", delay.count()}});
  }
  // The oldest failed message of a channel leads its retries and the later
  // ones wait behind it; one that can never be sent retries on its own.
  auto ch = channels_.find(msg.m.channel);
  ChannelState& cs = state_[msg.m.channel];
  if (d.permanent || ch == channels_.end() || ch->second == nullptr) {
    Schedule(msg);
    return;
  }
  if (cs.retrying != 0 && cs.retrying != msg.m.id) {
    auto lead = messages_.find(cs.retrying);
    if (lead != messages_.end() && lead->second.m.id < msg.m.id) {
      Hold(msg, msg.m.channel, cs);
      return;
    }
    cs.retrying = msg.m.id;
    if (lead != messages_.end()) {  // this one is older: it leads instead
      loop_.CancelTimer(lead->second.timer);
      lead->second.timer = 0;
      Hold(lead->second, msg.m.channel, cs);
    }
  }
  cs.retrying = msg.m.id;
  Schedule(msg);
}

void Notifier::DeliverToLog(Message& msg) {
  nlohmann::ordered_json j = {{"event", "alert"}, {"channel", kLogChannel}, {"id", msg.m.id}};
  Result<const Notification*> got = NotificationOf(msg.m);
  if (got) {
    const Notification* n = *got;
    j["level"] = ToString(n->level);
    j["title"] = n->title;
    j["group"] = n->group;
    j["created_ms"] = UnixMillis(n->created);
    j["text"] = LogText(*n);
    j["items"] = nlohmann::ordered_json::parse(ToJson(*n)["items"].dump());
  } else {
    // Still told, as what was stored: an alert is never dropped.
    j["error"] = got.error().message();
    j["payload"] = msg.m.payload;
  }
  log_(j);
  Delivered(msg, /*log_sent=*/false);
}

std::chrono::milliseconds Notifier::Backoff(int attempts) {
  double base =
      static_cast<double>(opts_.retry_min.count()) * std::pow(2.0, std::min(attempts - 1, 40));
  base = std::min(base, static_cast<double>(opts_.retry_max.count()));
  std::uniform_real_distribution<double> spread(1.0 - opts_.jitter, 1.0 + opts_.jitter);
  double ms = std::min(base * spread(rng_), static_cast<double>(opts_.retry_max.count()));
  return std::chrono::milliseconds(std::max<int64_t>(1, std::llround(ms)));
}

void Notifier::RenewClaims() {
  std::vector<int64_t> ids;
  ids.reserve(messages_.size());
  for (const auto& [id, msg] : messages_) {
    ids.push_back(id);
  }
  if (!ids.empty()) {
    std::sort(ids.begin(), ids.end());
    store_.OutboxRenewClaims(std::move(ids), opts_.owner, clock_.WallNow() + opts_.lease);
  }
  renew_timer_ = loop_.RunAt(clock_.Now() + opts_.lease / 3, Guarded([this] { RenewClaims(); }));
}

void Notifier::AskSweep() {
  {
    std::lock_guard lock(sweep_mu_);
    sweep_asked_ = true;
  }
  sweep_cv_.notify_one();
  sweep_timer_ = loop_.RunAt(clock_.Now() + opts_.sweep_interval, Guarded([this] { AskSweep(); }));
}

void Notifier::SweepThread(std::weak_ptr<bool> alive) {
  bool first_sweep = true;
  std::unique_lock lock(sweep_mu_);
  while (true) {
    sweep_cv_.wait(lock, [this] { return sweep_asked_ || sweep_stop_; });
    if (sweep_stop_) {
      return;
    }
    sweep_asked_ = false;
    lock.unlock();
    // Also what falls due before the next sweep: a message in backoff when a
    // daemon died is held and sent at its next_attempt (Deliver schedules
    // it), not a whole sweep interval later. The first sweep may also take
    // over a gone sender's claims (NotifierOptions::takeover).
    std::chrono::milliseconds ahead = opts_.sweep_interval;
    if (first_sweep) {
      ahead = std::max(ahead, opts_.takeover);
      first_sweep = false;
    }
    Result<std::vector<store::OutboxMessage>> claimed =
        store_.ClaimOutbox(opts_.owner, clock_.WallNow() + ahead, opts_.lease, opts_.sweep_limit);
    std::string error = claimed ? "" : claimed.error().message();
    bool full = claimed && claimed->size() >= opts_.sweep_limit;
    std::vector<store::OutboxMessage> messages;
    if (claimed) {
      messages = std::move(*claimed);
    }
    loop_.Post([this, alive, error = std::move(error), messages = std::move(messages)]() mutable {
      if (alive.expired()) {
        return;
      }
      if (error != last_sweep_error_) {
        last_sweep_error_ = error;
        log_({{"event", error.empty() ? "notify_outbox_ok" : "notify_outbox_error"},
              {"error", error}});
      }
      Deliver(std::move(messages));
    });
    lock.lock();
    if (full) {
      sweep_asked_ = true;  // more are waiting: ask again at once
    }
  }
}

std::map<std::string, Notifier::ChannelCounters> Notifier::counters() const {
  std::map<std::string, ChannelCounters> out;
  for (const auto& [name, cs] : state_) {
    out[name] = cs.counters;
    out[name].pending = 0;
  }
  for (const auto& [id, msg] : messages_) {
    ++out[msg.m.channel].pending;
  }
  return out;
}

std::string Notifier::RedactFor(const Channel* channel, std::string text) const {
  if (channel == nullptr) {
    return text;
  }
  for (const Secret* s : channel->secrets()) {
    if (s != nullptr) {
      text = Redact(std::move(text), *s);
    }
  }
  return text;
}

}  // namespace modelwatch::notify
