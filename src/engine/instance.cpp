#include "engine/instance.h"

#include <fmt/format.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <thread>

#include "alert/engine.h"
#include "alert/lifecycle.h"
#include "core/check_result_json.h"
#include "core/duration.h"
#include "diagnose/diagnosis.h"
#include "engine/budget_keeper.h"
#include "engine/config_check.h"
#include "engine/recorder.h"
#include "engine/scheduler.h"
#include "engine/source_poller.h"
#include "net/descriptor_limit.h"
#include "net/loop.h"
#include "notify/notifier.h"
#include "store/instance_lock.h"
#include "store/windows.h"
#include "web/live.h"
#include "web/server.h"

namespace modelwatch::engine {
namespace {

constexpr auto kWindowsEvery = std::chrono::seconds(60);
constexpr auto kSilencesEvery = std::chrono::seconds(5);
constexpr auto kCanaryEvery = std::chrono::seconds(30);
constexpr auto kTickEvery = std::chrono::seconds(1);
constexpr auto kPublishEvery = std::chrono::seconds(1);
// How often the alert engine reads the sources' snapshots (official
// incidents, model lifecycle); a source polls on its own interval.
constexpr auto kSourcesEvery = std::chrono::seconds(5);

store::Thresholds ToStore(const config::Thresholds& t) {
  store::Thresholds s;
  s.availability_warning = t.availability_warning;
  s.availability_alert = t.availability_alert;
  s.latency_warning = t.latency_warning;
  s.latency_alert = t.latency_alert;
  s.error_rate_warning = t.error_rate_warning;
  s.error_rate_alert = t.error_rate_alert;
  s.rate_limits_per_hour_warning = t.rate_limits_per_hour_warning;
  s.rate_limits_per_hour_alert = t.rate_limits_per_hour_alert;
  return s;
}

std::string Hostname() {
  char buf[256] = {};
  gethostname(buf, sizeof buf - 1);
  return buf;
}

}  // namespace

// Reads the store off the loop thread, because its reads block: the
// silences every few seconds (the CLI and the API add them to the
// database) and the window figures for the alert rules every minute. Each
// is handed to the loop with Post.
class StorePoller {
 public:
  using OnSilences = std::function<void(std::vector<store::Silence>&&)>;
  using OnWindows = std::function<void(std::vector<store::MonitorWindows>&&)>;

  // Callbacks run on the loop thread. Everything borrowed must outlive the
  // poller; destroy it before the loop.
  StorePoller(const config::Config& cfg, store::Store& store, net::Loop& loop, const Clock& clock,
              OnSilences on_silences, OnWindows on_windows)
      : cfg_(cfg),
        store_(store),
        loop_(loop),
        clock_(clock),
        on_silences_(std::move(on_silences)),
        on_windows_(std::move(on_windows)) {
    thread_ = std::thread([this] { Run(); });
  }
  ~StorePoller() {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    wake_.notify_all();
    thread_.join();
  }
  StorePoller(const StorePoller&) = delete;
  StorePoller& operator=(const StorePoller&) = delete;

 private:
  store::Thresholds ThresholdsOf(const std::string& name) const {
    for (const config::Monitor& m : cfg_.monitors) {
      if (m.name == name) {
        return ToStore(m.thresholds);
      }
    }
    return ToStore(cfg_.defaults.thresholds);
  }

  void Run() {
    MonoTime next_windows = clock_.Now() + std::chrono::seconds(5);
    std::vector<std::string> names;
    for (const config::Monitor& m : cfg_.monitors) {
      names.push_back(m.name);
    }
    std::unique_lock lock(mu_);
    while (!stop_) {
      lock.unlock();
      if (auto silences = store_.Silences(clock_.WallNow())) {
        loop_.Post(
            [this, s = std::move(silences).value()]() mutable { on_silences_(std::move(s)); });
      }
      if (clock_.Now() >= next_windows) {
        next_windows = clock_.Now() + kWindowsEvery;
        auto windows =
            store::ComputeWindows(store_, names, clock_.WallNow(),
                                  [this](const std::string& n) { return ThresholdsOf(n); });
        if (windows) {
          loop_.Post(
              [this, w = std::move(windows).value()]() mutable { on_windows_(std::move(w)); });
        }
      }
      lock.lock();
      wake_.wait_for(lock, kSilencesEvery, [this] { return stop_; });
    }
  }

  const config::Config& cfg_;
  store::Store& store_;
  net::Loop& loop_;
  const Clock& clock_;
  OnSilences on_silences_;
  OnWindows on_windows_;
  std::mutex mu_;
  std::condition_variable wake_;  // GUARDED_BY(mu_)
  bool stop_ = false;             // GUARDED_BY(mu_)
  std::thread thread_;            // last: starts once the rest exists
};

// Members in construction order: the loop outlives everything that starts
// transfers or timers on it; the store outlives the recorder.
struct Instance::Parts {
  const config::Config* cfg = nullptr;
  InstanceOptions options;
  SystemClock clock;
  store::StorePtr store;
  std::unique_ptr<Recorder> recorder;
  std::unique_ptr<net::Loop> loop;
  std::unique_ptr<store::InstanceLock> lock;  // posts to the loop: dies before it
  bool lock_lost = false;
  std::unique_ptr<Scheduler> scheduler;
  std::unique_ptr<SourcePoller> sources;  // when the config has `sources:`
  std::unique_ptr<BudgetKeeper> budget;  // with a `budget:` section
  std::map<std::string, notify::ChannelPtr> channels;
  std::unique_ptr<alert::Engine> alerts;
  std::unique_ptr<notify::Notifier> notifier;
  web::LiveState live;
  mutable std::mutex counters_mu;
  std::shared_ptr<const std::map<std::string, notify::Notifier::ChannelCounters>>
      counters;  // GUARDED_BY(counters_mu)
  std::map<std::string, CheckResult> last_results;
  std::map<std::string, MonoTime> last_push;  // push monitors: when each last reported
  uint64_t loop_iterations = 0;
  std::unique_ptr<web::Actions> actions;
  std::unique_ptr<web::Server> web;     // reads `live` and the store; stopped first
  std::unique_ptr<StorePoller> poller;  // after everything it posts to
  bool stopping = false;
  std::string last_store_error;
  uint64_t last_dropped = 0;
  // The alert tick's timer (0: none armed, or running now) and its time.
  net::Loop::TimerId tick_timer = 0;
  MonoTime tick_at{};

  void Log(const nlohmann::ordered_json& j) const { options.log(j); }

  void OnResult(CheckResult&& r) {
    if (options.log_results) {
      nlohmann::ordered_json j = {{"event", "result"}};
      j.update(ToJson(r));
      Log(j);
    }
    if (budget) {
      budget->OnResult(r);
    }
    if (r.mode == CheckMode::kLight) {  // stored and logged; alerts follow full checks
      recorder->Record(std::move(r));
      if (stopping && scheduler->in_flight() == 0) {
        loop->Stop();
      }
      return;
    }
    CheckResult copy = r;
    last_results[copy.monitor] = copy;
    recorder->Record(std::move(r));
    Commit(alerts->OnResult(copy, recorder->states(), clock.WallNow()));
    if (stopping && scheduler->in_flight() == 0) {
      loop->Stop();
    }
  }

  // Writes an alert change; its messages go to the notifier once committed
  // (the store calls back on its writer thread, the notifier lives on the
  // loop).
  // Every engine call's change comes here, so here the tick is moved to a
  // group the call opened.
  void Commit(store::AlertChange&& change) {
    PullTickEarlier();
    if (change.empty()) {
      return;
    }
    store->Commit(std::move(change), [this](std::vector<store::OutboxMessage>&& written) {
      if (written.empty()) {
        return;
      }
      loop->Post([this, w = std::move(written)]() mutable { notifier->Deliver(std::move(w)); });
    });
  }

  // A change of the budget's plan (its `budget` log line, said after the
  // keeper took the new plan) reaches the alert history and, when the
  // budget starts or stops acting, the channels (alert::Engine::OnBudget).
  void OnBudgetLine(const nlohmann::ordered_json& line) {
    if (!budget || !line.contains("message")) {
      return;
    }
    alert::BudgetNotice n;
    n.stretch = line.value("action", "stretch") == "stretch";
    n.constrained = n.stretch ? !budget->plan().stretched.empty() : budget->plan().over;
    n.monthly = line.value("monthly_usd", 0.0);
    n.spent = line.value("spent_usd", 0.0);
    n.projected = line.value("projected_usd", 0.0);
    n.planned = line.value("planned_usd", 0.0);
    if (n.stretch) {
      n.detail = line.value("message", "");
    }
    Commit(alerts->OnBudget(n, recorder->states(), clock.WallNow()));
  }

  // The web server's view of live state, an immutable copy per second.
  void Publish() {
    auto snap = std::make_shared<web::LiveSnapshot>();
    snap->taken = clock.WallNow();
    snap->last_results = last_results;
    snap->states = recorder->states();
    snap->firing = alerts->Firing();
    if (sources) {
      snap->sources = sources->Snapshots();
    }
    snap->loop_iterations = ++loop_iterations;
    Status err = store->last_error();
    snap->store_ok = err.ok();
    snap->store_error = err.ok() ? "" : err.message();
    live.Publish(std::move(snap));
    auto c = std::make_shared<const std::map<std::string, notify::Notifier::ChannelCounters>>(
        notifier->counters());
    {
      std::lock_guard lock(counters_mu);
      counters = std::move(c);
    }
    loop->RunAt(clock.Now() + kPublishEvery, [this] { Publish(); });
  }

  // A push monitor that has not reported within 1.5 of its interval gets a
  // `timeout` result, so it alerts like a probe that stopped answering.
  void WatchPushes() {
    MonoTime now = clock.Now();
    for (const config::Monitor& m : cfg->monitors) {
      if (m.kind != "push") {
        continue;
      }
      auto [it, fresh] = last_push.try_emplace(m.name, now);
      if (fresh || now - it->second < m.interval * 3 / 2) {
        continue;
      }
      it->second = now;  // one missing-report result per interval, not one per second
      CheckResult r;
      r.monitor = m.name;
      r.status = CheckStatus::kTimeout;
      r.timestamp = clock.WallNow();
      r.latency = std::chrono::duration_cast<std::chrono::milliseconds>(m.interval);
      r.error = "no report pushed within " + FormatDuration(m.interval * 3 / 2);
      OnResult(std::move(r));
    }
    loop->RunAt(clock.Now() + std::chrono::seconds(1), [this] { WatchPushes(); });
  }

  std::string ExtraMetrics() const;

  // The snapshots of the sources `monitor` lists (status_sources).
  std::vector<source::Snapshot> SourcesOf(const config::Monitor& m) const {
    std::vector<source::Snapshot> out;
    for (const std::string& name : m.status_sources) {
      if (auto snap = sources->Snapshot(name)) {
        out.push_back(std::move(*snap));
      }
    }
    return out;
  }

  const config::Monitor* FindMonitor(const std::string& name) const {
    for (const config::Monitor& m : cfg->monitors) {
      if (m.name == name) {
        return &m;
      }
    }
    return nullptr;
  }

  // "Is it me or them?" for an alert's message, from the monitor's sources.
  std::string Diagnose(const std::string& monitor, const alert::FailureFacts& facts,
                       std::string_view language) const {
    const config::Monitor* m = FindMonitor(monitor);
    if (m == nullptr || !sources) {
      return "";
    }
    diagnose::Failure f{m->model, facts.status, facts.failing_phase, facts.http_status,
                        facts.error};
    return diagnose::OneLine(diagnose::Diagnose(f, SourcesOf(*m), clock.WallNow(), language));
  }

  // Official incidents on a monitor's listed sources become follow-ups of
  // its firing alert (and its detection lead); a monitored model with a
  // shutdown date or gone from its list gets lifecycle warnings. Both are
  // idempotent, so every snapshot is offered on every pass.
  void WatchSources() {
    WallTime now = clock.WallNow();
    const std::vector<source::Snapshot> all = sources->Snapshots();
    for (const config::Monitor& m : cfg->monitors) {
      for (const source::Snapshot& snap : SourcesOf(m)) {
        for (const source::Incident& incident : snap.incidents) {
          if (!incident.maintenance && !incident.ended) {
            Commit(alerts->OnOfficialIncident(m.name, snap.source, incident, recorder->states(),
                                              now));
          }
        }
      }
      if (const source::ModelListing* listing = alert::FindListing(all, m.model)) {
        Commit(alerts->OnModelLifecycle(m.name, *listing, recorder->states(), now));
      }
    }
    loop->RunAt(clock.Now() + kSourcesEvery, [this] { WatchSources(); });
  }

  void TickAlerts() {
    tick_timer = 0;
    WallTime now = clock.WallNow();
    std::optional<WallTime> next = alerts->NextTick();
    if (next && *next <= now) {
      Commit(alerts->Tick(recorder->states(), now));
      next = alerts->NextTick();
    }
    // At the end of the next group_wait (or cooldown), not on a 1 s grid.
    ArmTick(clock.Now() + alert::UntilNextTick(next, clock.WallNow(), kTickEvery));
  }
  void ArmTick(MonoTime at) {
    if (tick_timer != 0) {
      loop->CancelTimer(tick_timer);
    }
    tick_at = at;
    tick_timer = loop->RunAt(at, [this] { TickAlerts(); });
  }
  // A result that opened a group (or made a notice due) moves the tick to
  // that group's end, rather than leaving it to the timer armed before.
  void PullTickEarlier() {
    std::optional<WallTime> due = alerts->NextDue();
    if (!due || tick_timer == 0) {
      return;
    }
    MonoTime at = clock.Now() + alert::UntilNextTick(due, clock.WallNow(), kTickEvery);
    if (at < tick_at) {
      ArmTick(at);
    }
  }

  // Canaries: URLs that should always answer; when all fail, this host lost
  // its network and provider alerts are held.
  void ProbeCanary(std::string url) {
    net::Request req;
    req.url = url;
    req.timeout = std::chrono::seconds(10);
    loop->Start(std::move(req), [this, url](net::Response&& resp) {
      bool ok =
          resp.error == net::TransferError::kNone && resp.http_status > 0 && resp.http_status < 500;
      if (resp.error == net::TransferError::kCancelled) {
        return;
      }
      Commit(alerts->OnCanary(url, ok, recorder->states(), clock.WallNow()));
      if (!stopping) {
        loop->RunAt(clock.Now() + kCanaryEvery, [this, url] { ProbeCanary(url); });
      }
    });
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

  // Another instance holds the database (it was unreachable at start, or
  // this one's lease ran out while it was away): stop at once, exit 1.
  void OnLockLost(const Status& why) {
    lock_lost = true;
    Log({{"event", "instance_lock_lost"}, {"error", why.message()}});
    stopping = true;
    scheduler->StopScheduling();
    scheduler->CancelInFlight();
    loop->Stop();
  }

  void OnStopRequest(int stop_fd) {
    signalfd_siginfo info;
    bool stop = false;
    bool reload = false;
    while (read(stop_fd, &info, sizeof info) == sizeof info) {
      (info.ssi_signo == SIGHUP ? reload : stop) = true;
    }
    if (reload && budget) {  // SIGHUP: the budget: section again (docs/cost.md)
      (void)budget->Reload(cfg->path);
    }
    if (!stop) {
      return;
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

namespace {

// Run-now and push from the web server's threads, carried out on the loop.
class LoopActions final : public web::Actions {
 public:
  LoopActions(const config::Config& cfg, net::Loop& loop, std::function<void(std::string)> run,
              std::function<void(CheckResult)> push)
      : cfg_(cfg), loop_(loop), run_(std::move(run)), push_(std::move(push)) {}

  // web::Actions
  Status RunNow(const std::string& monitor) override {
    const config::Monitor* m = Find(monitor);
    if (m == nullptr) {
      return Status::NotFound("no monitor named \"" + monitor + "\"");
    }
    if (m->kind == "push") {
      return Status::InvalidArgument("\"" + monitor + "\" is a push monitor: it has no probe");
    }
    loop_.Post([this, monitor] { run_(monitor); });
    return Status::Ok();
  }
  Status Push(CheckResult result) override {
    const config::Monitor* m = Find(result.monitor);
    if (m == nullptr || m->kind != "push") {
      return Status::NotFound("no push monitor named \"" + result.monitor + "\"");
    }
    loop_.Post([this, r = std::move(result)]() mutable { push_(std::move(r)); });
    return Status::Ok();
  }

 private:
  const config::Monitor* Find(const std::string& name) const {
    for (const config::Monitor& m : cfg_.monitors) {
      if (m.name == name) {
        return &m;
      }
    }
    return nullptr;
  }
  const config::Config& cfg_;
  net::Loop& loop_;
  std::function<void(std::string)> run_;
  std::function<void(CheckResult)> push_;
};

std::string Label(std::string_view v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '"') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

// Called on the web server's threads: reads only the counters the loop
// thread publishes with the snapshot.
std::string Instance::Parts::ExtraMetrics() const {
  std::shared_ptr<const std::map<std::string, notify::Notifier::ChannelCounters>> c;
  {
    std::lock_guard lock(counters_mu);
    c = counters;
  }
  if (!c) {
    return "";
  }
  std::string out =
      "# HELP modelwatch_notifications_sent_total Alert messages delivered, by channel.\n"
      "# TYPE modelwatch_notifications_sent_total counter\n";
  for (const auto& [name, n] : *c) {
    out += fmt::format("modelwatch_notifications_sent_total{{channel=\"{}\"}} {}\n", Label(name),
                       n.sent);
  }
  out +=
      "# HELP modelwatch_notifications_failed_total Failed delivery attempts, by channel.\n"
      "# TYPE modelwatch_notifications_failed_total counter\n";
  for (const auto& [name, n] : *c) {
    out += fmt::format("modelwatch_notifications_failed_total{{channel=\"{}\"}} {}\n", Label(name),
                       n.failed);
  }
  out +=
      "# HELP modelwatch_notifications_pending Alert messages not yet delivered, by channel.\n"
      "# TYPE modelwatch_notifications_pending gauge\n";
  for (const auto& [name, n] : *c) {
    out += fmt::format("modelwatch_notifications_pending{{channel=\"{}\"}} {}\n", Label(name),
                       n.pending);
  }
  return out;
}

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
  auto checked = CheckConfig(cfg);
  if (!checked) {
    return checked.error();
  }
  for (const std::string& w : checked->warnings) {
    p->Log({{"event", "config_warning"}, {"warning", w}});
  }
  p->channels = std::move(checked->channels);
  net::RaiseDescriptorLimit();
  p->loop = std::make_unique<net::Loop>(p->clock);
  Parts* raw = p.get();
  store::InstanceLockOptions lock_options;
  lock_options.host = Hostname();
  lock_options.pid = getpid();
  lock_options.on_lost = [raw](const Status& why) {
    raw->loop->Post([raw, why] { raw->OnLockLost(why); });
  };
  auto lock = store::InstanceLock::Acquire(store_options, std::move(lock_options));
  if (!lock) {
    return lock.error();
  }
  p->lock = std::move(lock).value();
  p->alerts = std::make_unique<alert::Engine>(cfg, p->recorder->states());
  std::map<std::string, const notify::Channel*> channels;
  for (const auto& [name, channel] : p->channels) {
    channels.emplace(name, channel.get());
  }
  notify::NotifierOptions notify_options;
  notify_options.owner = fmt::format("{}:{}", Hostname(), getpid());
  // A sender's claims last a short lease (renewed every 10 s); the sweep
  // every 10 s takes what nobody holds (or what a gone sender held, once its
  // lease ended).
  notify_options.lease = std::chrono::seconds(30);
  notify_options.sweep_interval = std::chrono::seconds(10);
  // Holding the run lock, this daemon is the database's only sender: what a
  // predecessor still held when it died goes out first, at once.
  if (p->lock->held()) {
    notify_options.takeover = notify_options.lease;
  }
  p->notifier = std::make_unique<notify::Notifier>(*p->loop, *p->store, channels, p->options.log,
                                                   p->clock, notify_options);
  auto scheduler = Scheduler::Create(*p->loop, cfg.monitors,
                                     [raw](CheckResult&& r) { raw->OnResult(std::move(r)); });
  if (!scheduler) {
    return scheduler.error();
  }
  p->scheduler = std::move(scheduler).value();
  if (!cfg.sources.empty()) {
    auto sources = SourcePoller::Create(
        *p->loop, cfg.sources, [raw](std::vector<source::SourceEvent>&& events) {
          std::vector<store::SourceEvent> rows;
          for (const source::SourceEvent& e : events) {
            store::SourceEvent row = ToStoreEvent(e);
            raw->Log({{"event", "source_event"},
                      {"source", row.source},
                      {"kind", row.kind},
                      {"subject", row.subject},
                      {"message", row.message}});
            rows.push_back(std::move(row));
          }
          raw->store->AppendSourceEvents(std::move(rows));
        });
    if (!sources) {
      return sources.error();
    }
    p->sources = std::move(sources).value();
    p->alerts->SetDiagnosisHook(
        [raw](const std::string& monitor, const alert::FailureFacts& facts,
              std::string_view language) { return raw->Diagnose(monitor, facts, language); });
  }
  // The dashboard runs when the config has a `web:` section.
  if (cfg.web.mark.line > 0 && cfg.web.enabled) {
    if (!cfg.web.warning.empty()) {
      p->Log({{"event", "config_warning"}, {"warning", cfg.web.warning}});
    }
    p->actions = std::make_unique<LoopActions>(
        cfg, *p->loop, [raw](std::string monitor) { (void)raw->scheduler->RunNow(monitor); },
        [raw](CheckResult r) {
          raw->last_push[r.monitor] = raw->clock.Now();
          raw->OnResult(std::move(r));
        });
    auto web = web::Server::Start(cfg, *p->store, &p->live, p->actions.get(), p->clock);
    if (!web) {
      return web.error();
    }
    p->web = std::move(web).value();
    p->web->SetExtraMetrics([raw] { return raw->ExtraMetrics(); });
  }
  return std::unique_ptr<Instance>(new Instance(std::move(p)));
}

std::vector<source::Snapshot> Instance::SourceSnapshots() const {
  return p_->sources ? p_->sources->Snapshots() : std::vector<source::Snapshot>{};
}

// What monitoring will cost, logged before the first call; then the budget
// (docs/cost.md), re-planned every hour.
void Instance::StartBudget() {
  Parts& p = *p_;
  LogCostTable(*p.cfg, p.options.log);
  p.budget = std::make_unique<BudgetKeeper>(
      *p.cfg, p.clock,
      [&p](const std::string& monitor, std::chrono::milliseconds interval) {
        (void)p.scheduler->SetInterval(monitor, interval);
      },
      [&p](const nlohmann::ordered_json& line) {
        p.Log(line);
        p.OnBudgetLine(line);
      });
  // Kept without a budget too: SIGHUP may add one.
  (void)p.budget->Start(*p.store);
  struct Hourly {
    static void Arm(Parts& p) {
      p.loop->RunAt(p.clock.Now() + std::chrono::hours(1), [&p] {
        p.budget->Replan();
        Arm(p);
      });
    }
  };
  Hourly::Arm(p);
}

int Instance::Run(int stop_fd) {
  Parts& p = *p_;
  p.loop->WatchFd(stop_fd, [&p, stop_fd] { p.OnStopRequest(stop_fd); });
  p.Log({{"event", "start"},
         {"monitors", p.cfg->monitors.size()},
         {"store", p.store->Describe()},
         {"config", p.cfg->path},
         {"web", p.web ? p.web->url() : ""}});
  p.Publish();
  p.WatchPushes();
  p.loop->RunAt(p.clock.Now() + std::chrono::seconds(1), [&p] { p.WatchStore(); });
  p.notifier->Start();
  p.ArmTick(p.clock.Now() + kTickEvery);
  for (const std::string& url : p.cfg->alerts.canaries) {
    p.ProbeCanary(url);
  }
  p.poller = std::make_unique<StorePoller>(
      *p.cfg, *p.store, *p.loop, p.clock,
      [&p](std::vector<store::Silence>&& s) { p.alerts->SetSilences(std::move(s)); },
      [&p](std::vector<store::MonitorWindows>&& w) {
        p.Commit(p.alerts->OnWindows(w, p.recorder->states(), p.clock.WallNow()));
      });
  StartBudget();
  p.scheduler->Start();
  if (p.sources) {
    p.sources->Start();
    p.loop->RunAt(p.clock.Now() + kSourcesEvery, [&p] { p.WatchSources(); });
  }
  p.loop->Run();
  if (p.web) {
    p.web->Stop();
  }
  p.poller.reset();
  p.loop->RemoveFd(stop_fd);

  Status flushed = p.store->Flush();
  const auto& c = p.scheduler->counters();
  // Held results the store could not write now are lost with the process
  // (the store's last attempt at destruction rarely succeeds where Flush
  // failed): say how many.
  size_t unwritten = flushed.ok() ? 0 : p.store->queued();
  if (unwritten > 0 || p.store->dropped() > 0) {
    p.Log({{"event", "store_lost"},
           {"unwritten", unwritten},
           {"dropped", p.store->dropped()},
           {"error", flushed.ok() ? "" : flushed.message()}});
  }
  p.Log({{"event", "stopped"},
         {"checks", c.finished},
         {"cancelled", c.cancelled},
         {"skipped", c.skipped},
         {"store_dropped", p.store->dropped()},
         {"store_unwritten", unwritten},
         {"store_error", flushed.ok() ? "" : flushed.message()}});
  return flushed.ok() && !p.lock_lost ? 0 : 1;
}

}  // namespace modelwatch::engine
