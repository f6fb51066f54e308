#pragma once

// Drives an Engine the way the wiring does, for the alert tests (header-only:
// not part of mw_alert). The outbox is a map by key, so a key made twice is
// counted as a duplicate, as the store would refuse it.

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "alert/engine.h"
#include "config/config.h"
#include "core/check_result.h"

namespace modelwatch::alert::testing {

// 2026-12-01T00:00:00Z (08:00 in Asia/Shanghai).
inline WallTime Base() { return FromUnixMillis(1'796'083'200'000); }

// One message as a person sees it: one Notification and the channels it went to.
struct Sent {
  Notification n;
  std::vector<std::string> channels;
  std::vector<std::string> keys;
};

class Harness {
 public:
  explicit Harness(const std::string& yaml) {
    Result<config::Config> cfg = config::LoadFromString(yaml, "cfg.yaml");
    if (!cfg) {
      ADD_FAILURE() << cfg.error().message();
      cfg_ = std::make_unique<config::Config>();
    } else {
      cfg_ = std::make_unique<config::Config>(std::move(*cfg));
    }
    engine_ = std::make_unique<Engine>(*cfg_, states_);
  }

  const config::Config& cfg() const { return *cfg_; }
  Engine& engine() { return *engine_; }
  States& states() { return states_; }

  // Ticks the engine at every NextTick up to `t`, as the wiring's timer does.
  void RunUntil(WallTime t) {
    for (int guard = 0; guard < 10'000; ++guard) {
      std::optional<WallTime> next = engine_->NextTick();
      if (!next || *next > t) {
        return;
      }
      Take(engine_->Tick(states_, std::max(*next, now_)));
      now_ = std::max(*next, now_);
    }
    ADD_FAILURE() << "NextTick does not move on";
  }

  void Check(const std::string& monitor, CheckStatus status, WallTime t,
             const std::string& error = "") {
    RunUntil(t);
    now_ = t;
    CheckResult r;
    r.monitor = monitor;
    r.status = status;
    r.timestamp = t;
    r.error = error;
    r.http_status = status == CheckStatus::kServerError ? 503 : 0;
    Take(engine_->OnResult(r, states_, t));
  }

  void Canary(const std::string& url, bool ok, WallTime t) {
    RunUntil(t);
    now_ = t;
    Take(engine_->OnCanary(url, ok, states_, t));
  }

  void Windows(const std::vector<store::MonitorWindows>& w, WallTime t) {
    RunUntil(t);
    now_ = t;
    Take(engine_->OnWindows(w, states_, t));
  }

  void Budget(const BudgetNotice& n, WallTime t) {
    RunUntil(t);
    now_ = t;
    Take(engine_->OnBudget(n, states_, t));
  }

  // A restart: only what was committed survives; the engine is built anew.
  void Restart() {
    States committed = committed_;
    states_ = committed;
    engine_ = std::make_unique<Engine>(*cfg_, states_);
    engine_->SetSilences(silences_);
  }
  // A crash before the last change was committed: its states and messages
  // are lost.
  void DropLastChange() {
    committed_ = before_last_;
    for (const std::string& k : last_keys_) {
      keys_.erase(k);
    }
    sent_.resize(sent_before_last_);
  }

  void SetSilences(std::vector<store::Silence> s) {
    silences_ = s;
    engine_->SetSilences(std::move(s));
  }

  const std::vector<Sent>& sent() const { return sent_; }
  const std::vector<store::AlertEvent>& events() const { return events_; }
  int duplicates() const { return duplicates_; }

 private:
  void Take(store::AlertChange&& c) {
    if (c.empty()) {
      return;
    }
    before_last_ = committed_;
    last_keys_.clear();
    sent_before_last_ = sent_.size();
    for (const store::MonitorState& s : c.states) {
      committed_[s.monitor] = s;
    }
    for (store::AlertEvent& e : c.events) {
      events_.push_back(std::move(e));
    }
    std::map<std::string, size_t> by_payload;
    for (store::OutboxMessage& m : c.messages) {
      if (!keys_.insert(m.key).second) {
        ++duplicates_;
        continue;
      }
      last_keys_.push_back(m.key);
      auto [it, inserted] = by_payload.emplace(m.payload, sent_.size());
      if (inserted) {
        Result<Notification> n = NotificationFromJson(m.payload);
        EXPECT_TRUE(n.has_value());
        sent_.push_back({n ? *n : Notification{}, {}, {}});
      }
      sent_[it->second].channels.push_back(m.channel);
      sent_[it->second].keys.push_back(m.key);
    }
  }

  std::unique_ptr<config::Config> cfg_;
  States states_;
  States committed_;
  States before_last_;
  std::unique_ptr<Engine> engine_;
  std::vector<store::Silence> silences_;
  std::vector<Sent> sent_;
  std::vector<store::AlertEvent> events_;
  std::set<std::string> keys_;
  std::vector<std::string> last_keys_;
  size_t sent_before_last_ = 0;
  int duplicates_ = 0;
  WallTime now_{};
};

}  // namespace modelwatch::alert::testing
