// Alert latency through the store: from Store::Commit (one state, one event,
// one outbox message) to its callback on the writer thread, i.e. until the
// message is durable in SQLite and the notifier may send it.
//
//   bench_outbox_commit [--commits N] [--load R] [--dir DIR]
// --load R appends R results a second meanwhile (as `run` does), so commits
// share transactions with result batches. PostgreSQL too when
// MODELWATCH_BENCH_PG_URL is set (a fresh schema is created and dropped).
#include <libpq-fe.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "bench_util.h"
#include "store/store.h"

namespace mw = modelwatch;
namespace store = modelwatch::store;
using Steady = std::chrono::steady_clock;

namespace {

struct Figures {
  int64_t p50_us, p99_us, max_us;
};

Figures Measure(store::Store& s, int commits, int load_per_s) {
  std::atomic<bool> stop{false};
  std::thread loader;
  if (load_per_s > 0) {
    loader = std::thread([&] {
      mw::WallTime base = mw::SystemClock().WallNow();
      auto next = Steady::now();
      for (int64_t i = 0; !stop; ++i) {
        mw::CheckResult r;
        r.monitor = "monitor-" + std::to_string(i % 1000);
        r.timestamp = base + std::chrono::milliseconds(i);
        r.latency = std::chrono::milliseconds(8000);
        r.http_status = 200;
        s.Append(std::move(r));
        next += std::chrono::microseconds(1'000'000 / load_per_s);
        std::this_thread::sleep_until(next);
      }
    });
  }
  std::mutex mu;
  std::condition_variable done;
  std::vector<int64_t> latencies;
  latencies.reserve(commits);
  for (int i = 0; i < commits; ++i) {
    mw::WallTime now = mw::SystemClock().WallNow();
    store::AlertChange c;
    store::MonitorState st;
    st.monitor = "monitor-" + std::to_string(i % 10);
    st.consecutive_failures = 3;
    st.last_alert = now;
    c.states.push_back(st);
    store::AlertEvent e;
    e.monitor = st.monitor;
    e.rule = "consecutive_failures";
    e.level = "critical";
    e.kind = "firing";
    e.at = now;
    e.message = st.monitor + ": 3 consecutive failures (server_error)";
    c.events.push_back(e);
    store::OutboxMessage m;
    m.key = "bench/" + std::to_string(getpid()) + "/" + std::to_string(i);
    m.channel = "ops";
    m.payload = std::string(600, 'x');  // about a Notification's JSON
    m.created = m.next_attempt = now;
    c.messages.push_back(m);
    bool got = false;
    auto t0 = Steady::now();
    s.Commit(std::move(c), [&](std::vector<store::OutboxMessage>&&) {
      auto us = std::chrono::duration_cast<std::chrono::microseconds>(Steady::now() - t0);
      std::lock_guard lock(mu);
      latencies.push_back(us.count());
      got = true;
      done.notify_one();
    });
    std::unique_lock lock(mu);
    done.wait(lock, [&] { return got; });
    lock.unlock();
    // Alerts come apart in time; this also lets result batches fall between.
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  stop = true;
  if (loader.joinable()) {
    loader.join();
  }
  return {mw::bench::Percentile(latencies, 0.50), mw::bench::Percentile(latencies, 0.99),
          mw::bench::Percentile(latencies, 1.0)};
}

void Report(const char* engine, int commits, int load, const Figures& f) {
  std::printf("%-8s commits=%d load=%d/s  commit->callback p50 %.2f ms  p99 %.2f ms  max %.2f ms\n",
              engine, commits, load, f.p50_us / 1000.0, f.p99_us / 1000.0, f.max_us / 1000.0);
}

}  // namespace

int main(int argc, char** argv) {
  int commits = 1000;
  int load = 0;
  std::string dir = std::filesystem::temp_directory_path().string();
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--commits") == 0) {
      commits = std::atoi(argv[i + 1]);
    } else if (std::strcmp(argv[i], "--load") == 0) {
      load = std::atoi(argv[i + 1]);
    } else if (std::strcmp(argv[i], "--dir") == 0) {
      dir = argv[i + 1];
    }
  }
  {
    std::string path = dir + "/bench_outbox_" + std::to_string(getpid()) + ".db";
    store::Options o;
    o.sqlite_path = path;
    auto s = store::Open(o);
    if (!s) {
      std::fprintf(stderr, "%s\n", s.error().message().c_str());
      return 1;
    }
    Report("sqlite", commits, load, Measure(**s, commits, load));
    s->reset();
    for (const char* suffix : {"", "-wal", "-shm"}) {
      std::filesystem::remove(path + suffix);
    }
  }
  if (const char* url = std::getenv("MODELWATCH_BENCH_PG_URL")) {
    std::string schema = "bench_outbox_" + std::to_string(getpid());
    store::Options o;
    o.postgres_url = url;
    o.postgres_schema = schema;
    {
      auto s = store::Open(o);
      if (!s) {
        std::fprintf(stderr, "%s\n", s.error().message().c_str());
        return 1;
      }
      Report("postgres", commits, load, Measure(**s, commits, load));
    }
    PGconn* c = PQconnectdb(url);
    PQclear(PQexec(
        c, ("SET client_min_messages = warning; DROP SCHEMA " + schema + " CASCADE").c_str()));
    PQfinish(c);
  }
  return 0;
}
