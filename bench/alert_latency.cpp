// Alert latency, end to end in-process: from the check result that crosses
// the threshold to the webhook received by a loopback receiver, through the
// parts `run` wires (engine/instance.cpp, Parts::OnResult and Commit): the
// Recorder, the alert engine, Store::Commit into a durable SQLite outbox,
// the notifier and the network loop, and the generic webhook channel.
// Debian's Alertmanager is measured in the same run (POST /api/v2/alerts to
// its webhook receiver, the same loopback receiver), alternating with ours.
// Then a provider-wide outage: many monitors fail at once, their alerts go
// out grouped by provider after group_wait.
//
//   bench_alert_latency [--alerts N] [--outage M] [--providers P]
//                       [--group-wait-ms W] [--dir DIR] [--no-alertmanager]
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "alert/engine.h"
#include "bench_util.h"
#include "config/config.h"
#include "engine/config_check.h"
#include "engine/recorder.h"
#include "net/loop.h"
#include "notify/notifier.h"
#include "store/store.h"

namespace mw = modelwatch;
using Steady = std::chrono::steady_clock;
using std::chrono::duration_cast;
using std::chrono::microseconds;
using std::chrono::milliseconds;

namespace {

constexpr const char* kAlertmanagerBin = "/usr/bin/prometheus-alertmanager";

// The loopback receiver: our webhook at /mw, Alertmanager's at /am. Records
// when each alert (by monitor name, or Alertmanager's `id` label) arrived.
class Receiver {
 public:
  Receiver() {
    server_.Post("/mw", [this](const httplib::Request& req, httplib::Response& res) {
      auto at = Steady::now();
      nlohmann::json j = nlohmann::json::parse(req.body, nullptr, false);
      std::lock_guard lock(mu_);
      ++messages_;
      message_times_.push_back(at);
      if (j.is_object() && j.contains("items")) {
        for (const auto& item : j["items"]) {
          arrived_.emplace(item.value("monitor", ""), at);
          ++items_;
        }
      }
      res.status = 200;
      cv_.notify_all();
    });
    server_.Post("/am", [this](const httplib::Request& req, httplib::Response& res) {
      auto at = Steady::now();
      nlohmann::json j = nlohmann::json::parse(req.body, nullptr, false);
      std::lock_guard lock(mu_);
      if (j.is_object() && j.contains("alerts")) {
        for (const auto& a : j["alerts"]) {
          arrived_.emplace("am/" + a["labels"].value("id", ""), at);
        }
      }
      res.status = 200;
      cv_.notify_all();
    });
    // A thread for each connection the notifier keeps alive: httplib's
    // default pool (8 threads) holds a kept-alive connection for its 5 s
    // keep-alive timeout, so a 9th concurrent connection (one message per
    // provider goes out at once) waited 5 s for a free thread. A real webhook
    // endpoint takes them in parallel.
    server_.new_task_queue = [] { return new httplib::ThreadPool(64); };
    // cpp-httplib listens with a backlog of 5: of the ten messages sent at
    // once, the connections past it lost their SYN and came back after the
    // kernel's 1 s retransmit (three or four of the ten a second late in two
    // runs of three). listen() again on the bound socket sets a real backlog,
    // as web::Server does and any production endpoint has.
    auto listener = std::make_shared<int>(-1);
    server_.set_socket_options([listener](int sock) {
      int yes = 1;
      setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
      *listener = sock;
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    if (*listener >= 0) {
      ::listen(*listener, 1024);
    }
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) {
      std::this_thread::sleep_for(milliseconds(1));
    }
  }
  ~Receiver() {
    server_.stop();
    thread_.join();
  }
  int port() const { return port_; }

  // When `key` arrived, waiting up to `timeout`.
  std::optional<Steady::time_point> WaitFor(const std::string& key, milliseconds timeout) {
    std::unique_lock lock(mu_);
    if (!cv_.wait_for(lock, timeout, [&] { return arrived_.count(key) != 0; })) {
      return std::nullopt;
    }
    return arrived_.at(key);
  }
  bool WaitForItems(size_t n, milliseconds timeout) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, timeout, [&] { return items_ >= n; });
  }
  size_t messages() {
    std::lock_guard lock(mu_);
    return messages_;
  }
  size_t items() {
    std::lock_guard lock(mu_);
    return items_;
  }
  // When each message arrived, in arrival order.
  std::vector<Steady::time_point> Messages() {
    std::lock_guard lock(mu_);
    return message_times_;
  }
  Steady::time_point First() {
    std::lock_guard lock(mu_);
    Steady::time_point first = Steady::time_point::max();
    for (const auto& [k, t] : arrived_) {
      first = std::min(first, t);
    }
    return first;
  }
  Steady::time_point Last() {
    std::lock_guard lock(mu_);
    Steady::time_point last{};
    for (const auto& [k, t] : arrived_) {
      last = std::max(last, t);
    }
    return last;
  }

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::map<std::string, Steady::time_point> arrived_;
  size_t messages_ = 0;
  std::vector<Steady::time_point> message_times_;
  size_t items_ = 0;
};

// A real Alertmanager routing every alert to the receiver, group_wait 0.
class Alertmanager {
 public:
  Alertmanager(const std::filesystem::path& dir, int hook_port) : dir_(dir / "am") {
    std::filesystem::create_directories(dir_);
    std::ofstream(dir_ / "am.yml") << "route:\n  receiver: hook\n  group_by: [id]\n"
                                      "  group_wait: 0s\n  group_interval: 1m\n"
                                      "  repeat_interval: 4h\n"
                                      "receivers:\n  - name: hook\n    webhook_configs:\n"
                                      "      - url: http://127.0.0.1:"
                                   << hook_port << "/am\n        send_resolved: false\n";
    {
      // A free port, released before Alertmanager binds it (a plain socket:
      // httplib::Server keeps a bound socket it never listened on).
      int fd = socket(AF_INET, SOCK_STREAM, 0);
      sockaddr_in addr{};
      addr.sin_family = AF_INET;
      addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      socklen_t len = sizeof addr;
      if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
          getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
        port_ = ntohs(addr.sin_port);
      }
      close(fd);
    }
    std::vector<std::string> args = {kAlertmanagerBin,
                                     "--config.file=" + (dir_ / "am.yml").string(),
                                     "--storage.path=" + (dir_ / "data").string(),
                                     "--web.listen-address=127.0.0.1:" + std::to_string(port_),
                                     "--cluster.listen-address=",
                                     "--log.level=warn"};
    std::vector<char*> argv;
    for (std::string& a : args) {
      argv.push_back(a.data());
    }
    argv.push_back(nullptr);
    if (posix_spawn(&pid_, kAlertmanagerBin, nullptr, nullptr, argv.data(), environ) != 0) {
      pid_ = -1;
    }
    client_ = std::make_unique<httplib::Client>("127.0.0.1", port_);
    client_->set_keep_alive(true);
  }
  ~Alertmanager() {
    client_.reset();
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      waitpid(pid_, nullptr, 0);
    }
  }
  bool WaitReady() {
    for (int i = 0; i < 200; ++i) {
      if (auto r = client_->Get("/-/ready"); r && r->status == 200) {
        return true;
      }
      std::this_thread::sleep_for(milliseconds(50));
    }
    return false;
  }
  bool Post(const std::string& id) {
    nlohmann::json alerts = nlohmann::json::array(
        {{{"labels", {{"alertname", "bench"}, {"id", id}, {"severity", "critical"}}},
          {"annotations", {{"summary", id + ": 1 failure (server_error)"}}}}});
    auto r = client_->Post("/api/v2/alerts", alerts.dump(), "application/json");
    return r && r->status == 200;
  }

 private:
  std::filesystem::path dir_;
  int port_ = 0;
  pid_t pid_ = -1;
  std::unique_ptr<httplib::Client> client_;
};

std::string Config(int monitors, int providers, int hook_port, int64_t group_wait_ms) {
  std::string y =
      "alerts:\n  consecutive_failures: 1\n  group_wait: " + std::to_string(group_wait_ms) +
      "ms\n  levels:\n"
      "    critical: {triggers: [server_error], channels: [hook]}\n"
      "channels:\n  hook: {kind: webhook, url: \"http://127.0.0.1:" +
      std::to_string(hook_port) + "/mw\"}\nmonitors:\n";
  for (int i = 0; i < monitors; ++i) {
    y += "  - {name: m" + std::to_string(i) +
         ", kind: http, url: \"http://127.0.0.1:9/\", interval: 1h";
    if (providers > 0) {
      y += ", labels: {provider: p" + std::to_string(i % providers) + "}";
    }
    y += "}\n";
  }
  return y;
}

// The daemon's alert path, assembled as engine/instance.cpp does.
class AlertPath {
 public:
  static std::unique_ptr<AlertPath> Make(const std::string& yaml, const std::string& db) {
    auto p = std::unique_ptr<AlertPath>(new AlertPath());
    auto cfg = mw::config::LoadFromString(yaml, "bench.yaml");
    if (!cfg) {
      std::fprintf(stderr, "config: %s\n", cfg.error().message().c_str());
      return nullptr;
    }
    p->cfg_ = std::make_unique<mw::config::Config>(std::move(*cfg));
    auto checked = mw::engine::CheckConfig(*p->cfg_);
    if (!checked) {
      std::fprintf(stderr, "config: %s\n", checked.error().message().c_str());
      return nullptr;
    }
    p->channels_ = std::move(checked->channels);
    mw::store::Options so;
    so.sqlite_path = db;
    auto store = mw::store::Open(so);
    if (!store) {
      std::fprintf(stderr, "store: %s\n", store.error().message().c_str());
      return nullptr;
    }
    p->store_ = std::move(*store);
    p->recorder_ = std::make_unique<mw::engine::Recorder>(*p->store_);
    p->loop_ = std::make_unique<mw::net::Loop>(p->clock_);
    p->engine_ = std::make_unique<mw::alert::Engine>(*p->cfg_, p->recorder_->states());
    std::map<std::string, const mw::notify::Channel*> channels;
    for (const auto& [name, c] : p->channels_) {
      channels.emplace(name, c.get());
    }
    mw::notify::NotifierOptions no;
    no.owner = "bench";
    no.lease = std::chrono::seconds(30);
    no.sweep_interval = std::chrono::seconds(10);
    AlertPath* raw = p.get();
    p->notifier_ = std::make_unique<mw::notify::Notifier>(
        *p->loop_, *p->store_, channels,
        [raw](const nlohmann::ordered_json& j) {
          if (j.value("event", "") == "notify_failed") {
            ++raw->failed_;
          }
        },
        p->clock_, no);
    p->notifier_->Start();
    p->loop_->Post([raw] { raw->TickAlerts(); });
    p->thread_ = std::thread([raw] { raw->loop_->Run(); });
    return p;
  }
  ~AlertPath() {
    OnLoop([this] { notifier_.reset(); });
    loop_->Stop();
    thread_.join();
  }

  // One failing result for `monitor`, handed to the loop as the scheduler does.
  void Fail(const std::string& monitor) {
    loop_->Post([this, monitor] {
      mw::CheckResult r;
      r.monitor = monitor;
      r.timestamp = clock_.WallNow();
      r.status = mw::CheckStatus::kServerError;
      r.http_status = 503;
      r.error = "HTTP 503: upstream connect error";
      r.latency = milliseconds(40);
      mw::CheckResult copy = r;
      recorder_->Record(std::move(r));
      Commit(engine_->OnResult(copy, recorder_->states(), clock_.WallNow()));
      results_done_ = Steady::now();
    });
  }
  // Where the outage's time goes, on the loop thread and the store's: when
  // the last result was handled, when the tick that flushed the groups
  // started and ended, and when the store had committed its messages.
  struct Phases {
    Steady::time_point results_done, flush_start, flush_end, committed;
    int flush_ticks = 0;  // ticks that sent messages
  };
  Phases phases() {
    Phases p;
    OnLoop([&] { p = {results_done_, flush_start_, flush_end_, committed_, flush_ticks_}; });
    return p;
  }
  size_t Pending() {
    size_t n = 0;
    OnLoop([&] { n = notifier_->pending(); });
    return n;
  }
  size_t OutboxUndelivered() {
    auto rows = store_->Outbox(/*pending_only=*/true, 1'000'000);
    return rows ? rows->size() : SIZE_MAX;
  }
  int failed() const { return failed_; }

 private:
  AlertPath() = default;

  void Commit(mw::store::AlertChange&& change) {
    PullTickEarlier();
    if (change.empty()) {
      return;
    }
    store_->Commit(std::move(change), [this](std::vector<mw::store::OutboxMessage>&& written) {
      if (!written.empty()) {
        auto at = Steady::now();
        loop_->Post([this, at, w = std::move(written)]() mutable {
          if (committed_ == Steady::time_point{}) {
            committed_ = at;
          }
          notifier_->Deliver(std::move(w));
        });
      }
    });
  }
  // group_wait and cooldowns: the engine is ticked at its NextTick, at
  // least every second, and the tick is moved earlier when a result opens a
  // group (Engine::NextDue), as instance.cpp does (kTickEvery).
  void TickAlerts() {
    tick_timer_ = 0;
    auto now = clock_.WallNow();
    std::optional<mw::WallTime> next = engine_->NextTick();
    if (next && *next <= now) {
      auto start = Steady::now();
      mw::store::AlertChange change = engine_->Tick(recorder_->states(), now);
      if (!change.messages.empty()) {
        if (flush_start_ == Steady::time_point{}) {
          flush_start_ = start;
          flush_end_ = Steady::now();
        }
        ++flush_ticks_;
      }
      Commit(std::move(change));
      next = engine_->NextTick();
    }
    ArmTick(clock_.Now() + mw::alert::UntilNextTick(next, clock_.WallNow(), kTickEvery));
  }
  void ArmTick(mw::MonoTime at) {
    if (tick_timer_ != 0) {
      loop_->CancelTimer(tick_timer_);
    }
    tick_at_ = at;
    tick_timer_ = loop_->RunAt(at, [this] { TickAlerts(); });
  }
  void PullTickEarlier() {
    std::optional<mw::WallTime> due = engine_->NextDue();
    if (!due || tick_timer_ == 0) {
      return;
    }
    mw::MonoTime at = clock_.Now() + mw::alert::UntilNextTick(due, clock_.WallNow(), kTickEvery);
    if (at < tick_at_) {
      ArmTick(at);
    }
  }
  static constexpr std::chrono::milliseconds kTickEvery{1000};
  void OnLoop(std::function<void()> fn) {
    std::promise<void> done;
    loop_->Post([&] {
      fn();
      done.set_value();
    });
    done.get_future().wait();
  }

  mw::SystemClock clock_;
  std::unique_ptr<mw::config::Config> cfg_;
  std::map<std::string, mw::notify::ChannelPtr> channels_;
  mw::store::StorePtr store_;
  std::unique_ptr<mw::engine::Recorder> recorder_;
  std::unique_ptr<mw::net::Loop> loop_;
  std::unique_ptr<mw::alert::Engine> engine_;
  std::unique_ptr<mw::notify::Notifier> notifier_;
  std::atomic<int> failed_{0};
  mw::net::Loop::TimerId tick_timer_ = 0;
  mw::MonoTime tick_at_{};
  // Phases (loop thread only).
  Steady::time_point results_done_, flush_start_, flush_end_, committed_;
  int flush_ticks_ = 0;
  std::thread thread_;
};

void PrintFigures(const char* what, std::vector<int64_t> us, int lost) {
  std::printf("%-36s n=%zu lost=%d p50=%.3f ms p99=%.3f ms max=%.3f ms\n", what, us.size(), lost,
              mw::bench::Percentile(us, 0.50) / 1000.0, mw::bench::Percentile(us, 0.99) / 1000.0,
              mw::bench::Percentile(us, 1.0) / 1000.0);
}

}  // namespace

int main(int argc, char** argv) {
  int alerts = 1000;
  int outage = 10000;
  int providers = 10;
  int64_t group_wait_ms = 2000;
  bool with_am = access(kAlertmanagerBin, X_OK) == 0;
  std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("mw-bench-alert-" + std::to_string(getpid()));
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&] { return i + 1 < argc ? std::string(argv[++i]) : std::string(); };
    if (a == "--alerts") {
      alerts = std::atoi(next().c_str());
    } else if (a == "--outage") {
      outage = std::atoi(next().c_str());
    } else if (a == "--providers") {
      providers = std::atoi(next().c_str());
    } else if (a == "--group-wait-ms") {
      group_wait_ms = std::atoll(next().c_str());
    } else if (a == "--dir") {
      dir = next();
    } else if (a == "--no-alertmanager") {
      with_am = false;
    } else {
      std::fprintf(stderr, "unknown flag %s\n", a.c_str());
      return 2;
    }
  }
  std::filesystem::create_directories(dir);
  Receiver receiver;

  // 1. Latency, one alert at a time, ours and Alertmanager's alternately.
  if (alerts > 0) {
    auto path = AlertPath::Make(Config(alerts, 0, receiver.port(), 0), (dir / "lat.db").string());
    if (!path) {
      return 1;
    }
    std::unique_ptr<Alertmanager> am;
    if (with_am) {
      am = std::make_unique<Alertmanager>(dir, receiver.port());
      if (!am->WaitReady()) {
        std::fprintf(stderr, "alertmanager did not become ready\n");
        am.reset();
      }
    }
    std::vector<int64_t> ours, theirs;
    int ours_lost = 0, theirs_lost = 0;
    for (int i = 0; i < alerts; ++i) {
      std::string m = "m" + std::to_string(i);
      auto t0 = Steady::now();
      path->Fail(m);
      if (auto at = receiver.WaitFor(m, milliseconds(5000))) {
        ours.push_back(duration_cast<microseconds>(*at - t0).count());
      } else {
        ++ours_lost;
      }
      if (am) {
        std::string id = "a" + std::to_string(i);
        auto t1 = Steady::now();
        if (am->Post(id)) {
          if (auto at = receiver.WaitFor("am/" + id, milliseconds(5000))) {
            theirs.push_back(duration_cast<microseconds>(*at - t1).count());
          } else {
            ++theirs_lost;
          }
        } else {
          ++theirs_lost;
        }
      }
      std::this_thread::sleep_for(milliseconds(2));
    }
    PrintFigures("modelwatch result -> webhook", ours, ours_lost);
    if (am) {
      PrintFigures("alertmanager POST -> webhook", theirs, theirs_lost);
    }
    std::printf("notify_failed=%d outbox undelivered after=%zu\n", path->failed(),
                path->OutboxUndelivered());
  }

  // 2. A provider-wide outage: every monitor fails at once.
  if (outage > 0) {
    double rss_before = mw::bench::PeakRssMb();
    Receiver hooks;
    auto path = AlertPath::Make(Config(outage, providers, hooks.port(), group_wait_ms),
                                (dir / "outage.db").string());
    if (!path) {
      return 1;
    }
    double rss_built = mw::bench::PeakRssMb();
    double cpu0 = mw::bench::CpuSeconds();
    auto t0 = Steady::now();
    for (int i = 0; i < outage; ++i) {
      path->Fail("m" + std::to_string(i));
    }
    bool all = hooks.WaitForItems(static_cast<size_t>(outage), milliseconds(60'000));
    auto last = hooks.Last();
    auto drained_deadline = Steady::now() + std::chrono::seconds(30);
    while ((path->Pending() != 0 || path->OutboxUndelivered() != 0) &&
           Steady::now() < drained_deadline) {
      std::this_thread::sleep_for(milliseconds(20));
    }
    auto drained = Steady::now();
    AlertPath::Phases ph = path->phases();
    auto ms = [&](Steady::time_point t) {
      return t == Steady::time_point{} ? -1.0
                                       : duration_cast<microseconds>(t - t0).count() / 1000.0;
    };
    std::printf(
        "outage phases after the first result: results handled %.0f ms; groups flushed by the "
        "tick %.0f-%.0f ms (%d ticks sent messages); messages committed %.0f ms; received",
        ms(ph.results_done), ms(ph.flush_start), ms(ph.flush_end), ph.flush_ticks,
        ms(ph.committed));
    for (Steady::time_point t : hooks.Messages()) {
      std::printf(" %.0f", ms(t));
    }
    std::printf(" ms\n");
    std::printf(
        "outage: %d monitors, %d providers, group_wait %lld ms: %zu messages, %zu alerts%s; "
        "first message %.0f ms, last %.0f ms after the first result (bound %lld ms); outbox "
        "drained after %.0f ms (pending %zu, undelivered rows %zu); cpu %.2f s; peak RSS %.0f MB "
        "before, %.0f MB built, %.0f MB after\n",
        outage, providers, static_cast<long long>(group_wait_ms), hooks.messages(), hooks.items(),
        all ? "" : " (NOT ALL)", duration_cast<microseconds>(hooks.First() - t0).count() / 1000.0,
        duration_cast<microseconds>(last - t0).count() / 1000.0,
        static_cast<long long>(group_wait_ms + 1000),
        duration_cast<microseconds>(drained - t0).count() / 1000.0, path->Pending(),
        path->OutboxUndelivered(), mw::bench::CpuSeconds() - cpu0, rss_before, rss_built,
        mw::bench::PeakRssMb());
  }
  std::filesystem::remove_all(dir);
  return 0;
}
