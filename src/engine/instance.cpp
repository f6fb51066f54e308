#include "engine/instance.h"

#include <sys/signalfd.h>
#include <unistd.h>

#include <cstdint>
#include <string>

#include "core/check_result_json.h"
#include "engine/recorder.h"
#include "engine/scheduler.h"
#include "net/descriptor_limit.h"
#include "net/loop.h"

namespace modelwatch::engine {

// Members in construction order: the loop outlives everything that starts
// transfers or timers on it; the store outlives the recorder.
struct Instance::Parts {
  const config::Config* cfg = nullptr;
  InstanceOptions options;
  SystemClock clock;
  store::StorePtr store;
  std::unique_ptr<Recorder> recorder;
  std::unique_ptr<net::Loop> loop;
  std::unique_ptr<Scheduler> scheduler;
  bool stopping = false;
  std::string last_store_error;
  uint64_t last_dropped = 0;

  void Log(const nlohmann::ordered_json& j) const { options.log(j); }

  void OnResult(CheckResult&& r) {
    if (options.log_results) {
      nlohmann::ordered_json j = {{"event", "result"}};
      j.update(ToJson(r));
      Log(j);
    }
    recorder->Record(std::move(r));
    if (stopping && scheduler->in_flight() == 0) {
      loop->Stop();
    }
  }

  // Says when the store starts or stops failing and when results are
  // dropped, once per change rather than once per result.
  void WatchStore() {
    Status err = store->last_error();
    std::string text = err.ok() ? "" : err.message();
    uint64_t dropped = store->dropped();
    if (text != last_store_error || dropped != last_dropped) {
      Log({{"event", text.empty() ? "store_ok" : "store_error"},
           {"error", text},
           {"queued", store->queued()},
           {"dropped", dropped}});
      last_store_error = text;
      last_dropped = dropped;
    }
    loop->RunAt(clock.Now() + std::chrono::seconds(1), [this] { WatchStore(); });
  }

  void OnStopRequest(int stop_fd) {
    signalfd_siginfo info;
    while (read(stop_fd, &info, sizeof info) == sizeof info) {
    }
    if (stopping) {  // a second request: do not wait
      scheduler->CancelInFlight();
      loop->Stop();
      return;
    }
    stopping = true;
    scheduler->StopScheduling();
    Log({{"event", "stopping"},
         {"in_flight", scheduler->in_flight()},
         {"grace_ms", options.grace.count()}});
    if (scheduler->in_flight() == 0) {
      loop->Stop();
      return;
    }
    loop->RunAt(clock.Now() + options.grace, [this] {
      scheduler->CancelInFlight();
      loop->Stop();
    });
  }
};

Instance::Instance(std::unique_ptr<Parts> parts) : p_(std::move(parts)) {}
Instance::~Instance() = default;

Result<std::unique_ptr<Instance>> Instance::Create(const config::Config& cfg,
                                                   const store::Options& store_options,
                                                   InstanceOptions options) {
  auto p = std::make_unique<Parts>();
  p->cfg = &cfg;
  p->options = std::move(options);
  auto store = store::Open(store_options);
  if (!store) {
    return store.error();
  }
  p->store = std::move(store).value();
  p->recorder = std::make_unique<Recorder>(*p->store);
  net::RaiseDescriptorLimit();
  p->loop = std::make_unique<net::Loop>(p->clock);
  Parts* raw = p.get();
  auto scheduler = Scheduler::Create(*p->loop, cfg.monitors,
                                     [raw](CheckResult&& r) { raw->OnResult(std::move(r)); });
  if (!scheduler) {
    return scheduler.error();
  }
  p->scheduler = std::move(scheduler).value();
  return std::unique_ptr<Instance>(new Instance(std::move(p)));
}

int Instance::Run(int stop_fd) {
  Parts& p = *p_;
  p.loop->WatchFd(stop_fd, [&p, stop_fd] { p.OnStopRequest(stop_fd); });
  p.Log({{"event", "start"},
         {"monitors", p.cfg->monitors.size()},
         {"store", p.store->Describe()},
         {"config", p.cfg->path}});
  p.loop->RunAt(p.clock.Now() + std::chrono::seconds(1), [&p] { p.WatchStore(); });
  p.scheduler->Start();
  p.loop->Run();
  p.loop->RemoveFd(stop_fd);

  Status flushed = p.store->Flush();
  const auto& c = p.scheduler->counters();
  p.Log({{"event", "stopped"},
         {"checks", c.finished},
         {"cancelled", c.cancelled},
         {"skipped", c.skipped},
         {"store_dropped", p.store->dropped()},
         {"store_error", flushed.ok() ? "" : flushed.message()}});
  return flushed.ok() ? 0 : 1;
}

}  // namespace modelwatch::engine
