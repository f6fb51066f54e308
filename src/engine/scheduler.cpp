#include "engine/scheduler.h"

#include <map>

#include "engine/schedule.h"

namespace modelwatch::engine {
namespace {

constexpr size_t kMaxLagSamples = size_t{1} << 20;

}  // namespace

Result<std::unique_ptr<Scheduler>> Scheduler::Create(net::Loop& loop,
                                                     const std::vector<config::Monitor>& monitors,
                                                     Sink sink) {
  std::unique_ptr<Scheduler> s(new Scheduler(loop, std::move(sink)));
  for (const config::Monitor& m : monitors) {
    if (m.kind == "push") {
      continue;  // the application reports its own calls (web: POST /api/v1/push)
    }
    auto probe = probe::MakeProbe(m);
    if (!probe) {
      return probe.error();  // names the monitor and where it is configured
    }
    auto slot = std::make_unique<Slot>();
    slot->monitor = &m;
    slot->interval = m.interval;
    slot->probe = std::move(probe).value();
    if (m.full_every > 1 && slot->probe->BuildLightRequest()) {
      slot->full_every = m.full_every;
    }
    s->slots_.push_back(std::move(slot));
  }
  return s;
}

void Scheduler::Start() {
  scheduling_ = true;
  MonoTime now = loop_.clock().Now();
  // Spread each group of monitors sharing an interval across that interval.
  std::map<std::chrono::milliseconds, std::vector<Slot*>> by_interval;
  for (auto& slot : slots_) {
    by_interval[slot->interval].push_back(slot.get());
  }
  for (auto& [interval, group] : by_interval) {
    for (size_t i = 0; i < group.size(); ++i) {
      group[i]->due = FirstDue(now, interval, i, group.size());
      Arm(*group[i]);
    }
  }
}

void Scheduler::Arm(Slot& slot) {
  slot.timer = loop_.RunAt(slot.due, [this, &slot] { Fire(slot); });
}

void Scheduler::Fire(Slot& slot) {
  slot.timer = 0;
  if (!scheduling_) {
    return;
  }
  MonoTime now = loop_.clock().Now();
  if (slot.running) {
    ++counters_.skipped;
  } else {
    int64_t lag = std::chrono::duration_cast<std::chrono::microseconds>(now - slot.due).count();
    if (lag_us_.size() < kMaxLagSamples) {
      lag_us_.push_back(lag);
    } else {
      lag_us_[lag_next_++ % kMaxLagSamples] = lag;
    }
    slot.confirmed = false;  // a new interval: one confirming check allowed again
    StartCheck(slot, NextMode(slot));
  }
  int64_t skipped = 0;
  slot.due = NextDue(slot.due, slot.interval, now, &skipped);
  counters_.skipped += skipped;
  Arm(slot);
}

CheckMode Scheduler::NextMode(Slot& slot) {
  if (slot.light_left > 0) {
    --slot.light_left;
    return CheckMode::kLight;
  }
  return CheckMode::kFull;
}

void Scheduler::StartCheck(Slot& slot, CheckMode mode) {
  slot.running = true;
  ++in_flight_;
  ++counters_.started;
  if (mode == CheckMode::kLight) {
    ++counters_.light;
  } else {
    slot.light_left = slot.full_every - 1;
  }
  runner_.Start(
      *slot.monitor, *slot.probe,
      [this, &slot](std::optional<CheckResult>&& r) {
        slot.running = false;
        --in_flight_;
        if (!r) {
          ++counters_.cancelled;
          return;
        }
        ++counters_.finished;
        bool confirm =
            slot.full_every > 1 && IsFailure(r->status) && !slot.confirmed && scheduling_;
        sink_(std::move(*r));
        if (confirm && !slot.running) {
          slot.confirmed = true;
          ++counters_.confirming;
          StartCheck(slot, CheckMode::kFull);
        }
      },
      mode);
}

Status Scheduler::RunNow(const std::string& monitor) {
  for (auto& slot : slots_) {
    if (slot->monitor->name != monitor) {
      continue;
    }
    if (!scheduling_) {
      return Status::Unavailable("stopping: no new checks are started");
    }
    if (!slot->running) {
      StartCheck(*slot);
    }
    return Status::Ok();
  }
  return Status::NotFound("no scheduled monitor named \"" + monitor + "\"");
}

Status Scheduler::SetInterval(const std::string& monitor, std::chrono::milliseconds interval) {
  for (auto& slot : slots_) {
    if (slot->monitor->name != monitor) {
      continue;
    }
    slot->interval = interval;
    MonoTime soonest = loop_.clock().Now() + interval;
    if (scheduling_ && slot->timer != 0 && slot->due > soonest) {
      loop_.CancelTimer(slot->timer);
      slot->due = soonest;
      Arm(*slot);
    }
    return Status::Ok();
  }
  return Status::NotFound("no scheduled monitor named \"" + monitor + "\"");
}

void Scheduler::StopScheduling() {
  scheduling_ = false;
  for (auto& slot : slots_) {
    if (slot->timer != 0) {
      loop_.CancelTimer(slot->timer);
      slot->timer = 0;
    }
  }
}

void Scheduler::CancelInFlight() { runner_.CancelAll(); }

Scheduler::~Scheduler() {
  // While every member is alive: the cancelled checks call back into slots.
  StopScheduling();
  CancelInFlight();
}

}  // namespace modelwatch::engine
