#include "engine/source_poller.h"

#include <fmt/format.h>

namespace modelwatch::engine {

store::SourceEvent ToStoreEvent(const source::SourceEvent& e) {
  store::SourceEvent r;
  r.source = e.source;
  r.kind = std::string(source::ToString(e.kind));
  r.at = e.at;
  r.subject = e.subject;
  r.title = e.title;
  r.severity = e.severity;
  r.from = e.from;
  r.to = e.to;
  r.link = e.link;
  r.message = source::Describe(e);
  return r;
}

SourcePoller::SourcePoller(net::Loop& loop, OnEvents on_events)
    : loop_(loop), on_events_(std::move(on_events)) {}

Result<std::unique_ptr<SourcePoller>> SourcePoller::Create(
    net::Loop& loop, const std::vector<config::StatusSource>& entries, OnEvents on_events) {
  std::unique_ptr<SourcePoller> p(new SourcePoller(loop, std::move(on_events)));
  for (const config::StatusSource& c : entries) {
    Result<source::SourcePtr> made = source::MakeSource(c);
    if (!made) {
      return made.error();
    }
    Entry e;
    e.config = c;
    e.source = std::move(made).value();
    p->entries_.push_back(std::move(e));
    source::Snapshot first;
    first.source = c.name;
    first.kind = c.kind;
    first.why = "not polled yet";
    p->published_.push_back(std::move(first));
  }
  return p;
}

SourcePoller::~SourcePoller() {
  *alive_ = false;
  for (Entry& e : entries_) {
    if (e.timer != 0) {
      loop_.CancelTimer(e.timer);
    }
    for (net::Loop::TransferId id : e.transfers) {
      loop_.Cancel(id);
    }
  }
}

void SourcePoller::Start() {
  repeating_ = true;
  for (size_t i = 0; i < entries_.size(); ++i) {
    Poll(i, nullptr);
  }
}

void SourcePoller::PollOnce(std::function<void()> done) {
  if (entries_.empty()) {
    loop_.Post(std::move(done));
    return;
  }
  auto remaining = std::make_shared<size_t>(entries_.size());
  for (size_t i = 0; i < entries_.size(); ++i) {
    Poll(i, [remaining, done] {
      if (--*remaining == 0 && done) {
        done();
      }
    });
  }
}

void SourcePoller::Poll(size_t index, std::function<void()> done) {
  Entry& e = entries_[index];
  if (e.in_flight) {
    if (done) {
      loop_.Post(std::move(done));
    }
    return;
  }
  e.in_flight = true;
  e.timer = 0;
  std::vector<net::Request> requests = e.source->BuildRequests();
  e.cache.resize(requests.size());
  auto st = std::make_shared<PollState>();
  st->answers.resize(requests.size());
  st->remaining = requests.size();
  st->done = std::move(done);
  std::weak_ptr<bool> alive = alive_;
  e.transfers.clear();
  for (size_t r = 0; r < requests.size(); ++r) {
    net::Request req = std::move(requests[r]);
    const Cached& c = e.cache[r];
    if (c.response.http_status != 0) {
      if (!c.etag.empty()) {
        req.headers.emplace_back("If-None-Match", c.etag);
      }
      if (!c.last_modified.empty()) {
        req.headers.emplace_back("If-Modified-Since", c.last_modified);
      }
    }
    e.transfers.push_back(
        loop_.Start(std::move(req), [this, alive, index, r, st](net::Response&& resp) {
          auto a = alive.lock();
          if (!a || !*a) {
            return;
          }
          OnAnswer(index, r, false, std::move(resp), st);
        }));
  }
}

void SourcePoller::OnAnswer(size_t index, size_t r, bool page, net::Response&& resp,
                            const std::shared_ptr<PollState>& st) {
  Entry& e = entries_[index];
  std::optional<net::Request> next;
  if (resp.error == net::TransferError::kNone && resp.http_status == 200 &&
      st->pages.size() < source::Source::kMaxPages) {
    next = e.source->NextPage(resp);
  }
  if (page) {
    st->pages.push_back(std::move(resp));
  } else {
    st->answers[r] = std::move(resp);
  }
  if (next) {
    std::weak_ptr<bool> alive = alive_;
    e.transfers.push_back(
        loop_.Start(std::move(*next), [this, alive, index, r, st](net::Response&& more) {
          auto a = alive.lock();
          if (!a || !*a) {
            return;
          }
          OnAnswer(index, r, true, std::move(more), st);
        }));
    return;
  }
  if (--st->remaining == 0) {
    std::vector<net::Response> answers = std::move(st->answers);
    for (net::Response& p : st->pages) {
      answers.push_back(std::move(p));
    }
    Finish(index, std::move(answers));
    if (st->done) {
      st->done();
    }
  }
}

void SourcePoller::Finish(size_t index, std::vector<net::Response>&& answers) {
  Entry& e = entries_[index];
  e.in_flight = false;
  e.transfers.clear();
  WallTime now = loop_.clock().WallNow();
  bool all_not_modified = true;
  for (const net::Response& a : answers) {
    all_not_modified =
        all_not_modified && a.error == net::TransferError::kNone && a.http_status == 304;
  }
  source::Snapshot snap;
  if (all_not_modified && e.last && e.last->health != source::Health::kUnknown) {
    snap = *e.last;
    snap.polled = now;
  } else {
    for (size_t r = 0; r < answers.size() && r < e.cache.size(); ++r) {  // not further pages
      net::Response& a = answers[r];
      Cached& c = e.cache[r];
      if (a.error != net::TransferError::kNone) {
        continue;
      }
      if (a.http_status == 304 && c.response.http_status != 0) {
        a = c.response;  // not modified: the remembered body
      } else if (a.http_status >= 200 && a.http_status <= 299) {
        c.etag = a.Header("etag").value_or("");
        c.last_modified = a.Header("last-modified").value_or("");
        if (c.etag.empty() && c.last_modified.empty()) {
          c = Cached{};  // nothing to validate against: keep no copy
        } else {
          c.response = a;
        }
      }
    }
    snap = e.source->Parse(answers, now);
  }
  source::Snapshot before;
  if (e.last) {
    before = *e.last;
  }
  std::vector<source::SourceEvent> events = source::DiffSnapshots(before, snap);
  bool readable = snap.health != source::Health::kUnknown;
  if (readable && e.last && e.last->health == source::Health::kUnknown && e.last_readable) {
    std::vector<source::SourceEvent> missed = source::DiffSnapshots(*e.last_readable, snap);
    events.insert(events.end(), missed.begin(), missed.end());
  }
  if (readable) {
    e.last_readable = snap;
  }
  e.last = snap;
  Publish(index, snap);
  if (!events.empty() && on_events_) {
    on_events_(std::move(events));
  }
  if (repeating_) {
    Schedule(index);
  }
}

void SourcePoller::Schedule(size_t index) {
  Entry& e = entries_[index];
  std::weak_ptr<bool> alive = alive_;
  e.timer = loop_.RunAt(loop_.clock().Now() + e.config.interval, [this, alive, index] {
    auto a = alive.lock();
    if (a && *a) {
      entries_[index].timer = 0;
      Poll(index, nullptr);
    }
  });
}

void SourcePoller::Publish(size_t index, const source::Snapshot& s) {
  std::lock_guard lock(mu_);
  published_[index] = s;
  ++polls_;
}

std::vector<source::Snapshot> SourcePoller::Snapshots() const {
  std::lock_guard lock(mu_);
  return published_;
}

std::optional<source::Snapshot> SourcePoller::Snapshot(const std::string& name) const {
  std::lock_guard lock(mu_);
  for (const source::Snapshot& s : published_) {
    if (s.source == name) {
      return s;
    }
  }
  return std::nullopt;
}

uint64_t SourcePoller::polls() const {
  std::lock_guard lock(mu_);
  return polls_;
}

}  // namespace modelwatch::engine
