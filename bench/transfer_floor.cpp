// What one probe's exchange costs below the engine: the same openai_images
// request the probe engine sends, at the same rate, against the same
// simulator answer, with less and less of modelwatch around it.
//
//   raw     a minimal HTTP/1.1 client written for this benchmark: keep-alive
//           sockets on epoll, the request's bytes composed once, the answer
//           read into one buffer until Content-Length. What the kernel's
//           loopback TCP and the wake-ups cost, and little else.
//   loop    net::Loop (libcurl's multi socket interface on epoll) with the
//           probe's request; the answer is received (and clipped, as for the
//           probe) but not read.
//   probe   loop, plus the kind's reading of the answer (JSON, image header,
//           classification). No scheduler, no results, no store.
//
// The probe engine benchmark (bench/probe_engine.cpp) adds the scheduler,
// the check results and the store on top of `probe`.
//
//   build/bench_transfer_floor --mode raw --rate 1000 --seconds 30
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <CLI/CLI.hpp>
#include <curl/curl.h>

#include "bench_util.h"
#include "core/clock.h"
#include "core/text.h"
#include "net/descriptor_limit.h"
#include "net/loop.h"
#include "probe/probe.h"

namespace modelwatch {
namespace {

constexpr auto kTick = std::chrono::milliseconds(4);  // as the loop's timer grid

struct Counts {
  uint64_t ok = 0;      // complete answers with status 200 (probe: success)
  uint64_t failed = 0;  // anything else
  size_t peak_in_flight = 0;
};

// The HTTP/1.1 request libcurl sends for `r` (same header set and order).
std::string RequestBytes(const net::Request& r, int port) {
  std::string_view url = r.url;
  size_t path = url.find('/', url.find("//") + 2);
  std::string out = r.method + " " + std::string(url.substr(path)) + " HTTP/1.1\r\n";
  out += "Host: 127.0.0.1:" + std::to_string(port) + "\r\n";
  out += "User-Agent: modelwatch/0.1\r\nAccept: */*\r\n";
  for (const auto& [k, v] : r.headers) {
    out += k + ": " + v + "\r\n";
  }
  out += "Content-Length: " + std::to_string(r.body.size()) + "\r\n\r\n";
  out += r.body;
  return out;
}

// The raw client: one request at a time per connection, idle connections
// kept for the next request.
class RawClient {
 public:
  RawClient(std::string request, int port, Counts& counts)
      : request_(std::move(request)), counts_(counts) {
    epoll_ = epoll_create1(EPOLL_CLOEXEC);
    addr_.sin_family = AF_INET;
    addr_.sin_port = htons(static_cast<uint16_t>(port));
    inet_pton(AF_INET, "127.0.0.1", &addr_.sin_addr);
  }
  ~RawClient() {
    for (auto& c : conns_) {
      if (c) {
        close(c->fd);
      }
    }
    close(epoll_);
  }

  // Runs `rate` exchanges a second for `warmup` then `measure`; returns the
  // process CPU seconds spent in `measure` and the exchanges it completed.
  std::pair<double, uint64_t> Run(int rate, std::chrono::seconds warmup,
                                  std::chrono::seconds measure) {
    using Clock = std::chrono::steady_clock;
    auto t0 = Clock::now();
    auto measure_from = t0 + warmup;
    auto end = measure_from + measure;
    uint64_t started = 0;
    bool measuring = false;
    double cpu0 = 0;
    uint64_t done0 = 0;
    epoll_event events[256];
    auto next_tick = t0;
    while (true) {
      auto now = Clock::now();
      if (!measuring && now >= measure_from) {
        measuring = true;
        cpu0 = bench::CpuSeconds();
        done0 = counts_.ok + counts_.failed;
      }
      if (now >= end) {
        return {bench::CpuSeconds() - cpu0, counts_.ok + counts_.failed - done0};
      }
      if (now >= next_tick) {
        auto due = static_cast<uint64_t>(std::chrono::duration<double>(now - t0).count() * rate);
        while (started < due) {
          Start();
          ++started;
        }
        next_tick += kTick;
      }
      auto wait = std::chrono::ceil<std::chrono::milliseconds>(next_tick - Clock::now());
      int n = epoll_wait(epoll_, events, 256, std::max<int>(0, static_cast<int>(wait.count())));
      for (int i = 0; i < n; ++i) {
        OnEvent(conns_[events[i].data.u32].get(), events[i].events);
      }
    }
  }

 private:
  struct Conn {
    int fd = -1;
    uint32_t slot = 0;
    bool busy = false;
    bool connecting = false;
    size_t sent = 0;
    std::string in;
    size_t header_end = 0;  // 0 until the blank line arrived
    size_t need = 0;        // header + Content-Length
    int status = 0;
  };

  void Start() {
    Conn* c = nullptr;
    if (!idle_.empty()) {
      c = idle_.back();
      idle_.pop_back();
    } else {
      c = Open();
      if (c == nullptr) {
        ++counts_.failed;
        return;
      }
    }
    c->busy = true;
    c->sent = 0;
    c->in.clear();
    c->header_end = 0;
    c->need = 0;
    ++in_flight_;
    counts_.peak_in_flight = std::max(counts_.peak_in_flight, in_flight_);
    if (!c->connecting) {
      Send(c);
    }
  }

  Conn* Open() {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
      return nullptr;
    }
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (connect(fd, reinterpret_cast<sockaddr*>(&addr_), sizeof addr_) != 0 &&
        errno != EINPROGRESS) {
      close(fd);
      return nullptr;
    }
    auto c = std::make_unique<Conn>();
    c->fd = fd;
    c->connecting = true;
    c->slot = static_cast<uint32_t>(conns_.size());
    epoll_event ev{};
    ev.events = EPOLLIN | EPOLLOUT;
    ev.data.u32 = c->slot;
    epoll_ctl(epoll_, EPOLL_CTL_ADD, fd, &ev);
    conns_.push_back(std::move(c));
    return conns_.back().get();
  }

  void Send(Conn* c) {
    while (c->sent < request_.size()) {
      ssize_t n = send(c->fd, request_.data() + c->sent, request_.size() - c->sent, MSG_NOSIGNAL);
      if (n < 0) {
        if (errno == EAGAIN) {
          Watch(c, EPOLLIN | EPOLLOUT);
          return;
        }
        Fail(c);
        return;
      }
      c->sent += static_cast<size_t>(n);
    }
  }

  void Watch(Conn* c, uint32_t what) {
    epoll_event ev{};
    ev.events = what;
    ev.data.u32 = c->slot;
    epoll_ctl(epoll_, EPOLL_CTL_MOD, c->fd, &ev);
  }

  void OnEvent(Conn* c, uint32_t what) {
    if (c == nullptr) {
      return;
    }
    if (what & EPOLLOUT) {
      Watch(c, EPOLLIN);
      c->connecting = false;
      if (c->busy) {
        Send(c);
      }
    }
    if (what & (EPOLLIN | EPOLLHUP | EPOLLERR)) {
      Receive(c);
    }
  }

  void Receive(Conn* c) {
    char buf[16 * 1024];  // libcurl's default receive buffer
    while (true) {
      ssize_t n = recv(c->fd, buf, sizeof buf, 0);
      if (n == 0 || (n < 0 && errno != EAGAIN)) {
        Fail(c);
        return;
      }
      if (n < 0) {
        return;
      }
      if (!c->busy) {
        continue;  // bytes on an idle connection: ignore
      }
      c->in.append(buf, static_cast<size_t>(n));
      if (c->header_end == 0) {
        size_t end = c->in.find("\r\n\r\n");
        if (end == std::string::npos) {
          continue;
        }
        c->header_end = end + 4;
        c->status = std::atoi(c->in.c_str() + 9);  // "HTTP/1.1 200"
        std::string head = AsciiLower(std::string_view(c->in).substr(0, end));
        size_t cl = head.find("\r\ncontent-length:");
        size_t length =
            cl == std::string::npos ? 0 : std::strtoull(head.c_str() + cl + 17, nullptr, 10);
        c->need = c->header_end + length;
        c->in.reserve(c->need);
      }
      if (c->in.size() >= c->need) {
        c->status == 200 ? ++counts_.ok : ++counts_.failed;
        c->busy = false;
        --in_flight_;
        idle_.push_back(c);
        return;
      }
    }
  }

  void Fail(Conn* c) {
    if (c->busy) {
      ++counts_.failed;
      --in_flight_;
    }
    std::erase(idle_, c);
    epoll_ctl(epoll_, EPOLL_CTL_DEL, c->fd, nullptr);
    close(c->fd);
    conns_[c->slot].reset();
  }

  std::string request_;
  Counts& counts_;
  int epoll_ = -1;
  sockaddr_in addr_{};
  std::vector<std::unique_ptr<Conn>> conns_;
  std::vector<Conn*> idle_;
  size_t in_flight_ = 0;
};

// `loop` and `probe`: the engine's own loop, paced by its timers.
std::pair<double, uint64_t> RunLoop(const probe::Probe& p, bool interpret, int rate,
                                    std::chrono::seconds warmup, std::chrono::seconds measure,
                                    Counts& counts) {
  SystemClock clock;
  net::Loop loop(clock);
  MonoTime t0 = clock.Now();
  uint64_t started = 0;
  double cpu0 = 0;
  uint64_t done0 = 0;
  double cpu = 0;
  uint64_t done = 0;
  auto finished = [&](net::Response&& r) {
    if (r.error == net::TransferError::kCancelled) {
      return;  // still in flight at the end
    }
    bool ok = r.error == net::TransferError::kNone && r.http_status == 200;
    if (ok && interpret) {
      auto elapsed = std::chrono::milliseconds(20);
      ok = !probe::ClassifyTransfer(r) &&
           p.Interpret(r, 0, elapsed).status == CheckStatus::kSuccess;
    }
    ok ? ++counts.ok : ++counts.failed;
  };
  std::function<void()> tick = [&] {
    auto due = static_cast<uint64_t>(
        std::chrono::duration<double>(clock.Now() - t0).count() * rate);
    while (started < due) {
      loop.Start(p.BuildRequest(), finished);
      ++started;
    }
    counts.peak_in_flight = std::max(counts.peak_in_flight, loop.in_flight());
    loop.RunAt(clock.Now() + kTick, tick);
  };
  loop.RunAt(t0, tick);
  loop.RunAt(t0 + warmup, [&] {
    cpu0 = bench::CpuSeconds();
    done0 = counts.ok + counts.failed;
  });
  loop.RunAt(t0 + warmup + measure, [&] {
    cpu = bench::CpuSeconds() - cpu0;
    done = counts.ok + counts.failed - done0;
    loop.Stop();
  });
  loop.Run();
  loop.CancelAll();
  return {cpu, done};
}

}  // namespace
}  // namespace modelwatch

int main(int argc, char** argv) {
  using namespace modelwatch;
  CLI::App app("cost of one probe exchange below the engine");
  std::string mode = "raw";
  int rate = 1000;
  int seconds = 30;
  int warmup = 3;
  std::string latency = "20ms";
  int image_side = 64;
  std::string binary = std::filesystem::path(argv[0]).parent_path() / "modelwatch";
  app.add_option("--mode", mode, "raw, loop or probe")
      ->check(CLI::IsMember({"raw", "loop", "probe"}));
  app.add_option("--rate", rate, "exchanges started per second");
  app.add_option("--seconds", seconds, "measured time, after the warm-up");
  app.add_option("--warmup", warmup, "seconds before measuring");
  app.add_option("--latency", latency, "simulated generation time");
  app.add_option("--image", image_side, "side of the square PNG the simulator returns (pixels)");
  app.add_option("--binary", binary, "the modelwatch binary (runs the simulator)");
  CLI11_PARSE(app, argc, argv);

  curl_global_init(CURL_GLOBAL_DEFAULT);
  net::RaiseDescriptorLimit();
  bench::TempDir tmp("mwfloor");
  bench::Simulator sim(binary, tmp.path(), latency, image_side);
  if (sim.port() == 0) {
    std::fprintf(stderr, "simulator did not start (binary %s)\n", binary.c_str());
    return 1;
  }
  config::Monitor m;
  m.name = "floor";
  m.kind = "openai_images";
  m.base_url = "http://127.0.0.1:" + std::to_string(sim.port()) + "/v1";
  m.api_key = Secret("sk-bench");
  m.model = "gpt-image-1";
  m.prompt = "bench";
  m.size = "1024x1024";
  m.interval = std::chrono::seconds(10);
  m.timeout = std::chrono::seconds(30);
  auto p = probe::MakeProbe(m);
  if (!p) {
    std::fprintf(stderr, "%s\n", p.error().message().c_str());
    return 1;
  }

  Counts counts;
  std::pair<double, uint64_t> got;
  if (mode == "raw") {
    RawClient client(RequestBytes((*p)->BuildRequest(), sim.port()), sim.port(), counts);
    got = client.Run(rate, std::chrono::seconds(warmup), std::chrono::seconds(seconds));
  } else {
    got = RunLoop(**p, mode == "probe", rate, std::chrono::seconds(warmup),
                  std::chrono::seconds(seconds), counts);
  }
  auto [cpu, done] = got;
  std::printf("mode %s, %d/s, simulated latency %s, image %dx%d PNG, %d s measured, libcurl %s\n",
              mode.c_str(), rate, latency.c_str(), image_side, image_side, seconds,
              curl_version_info(CURLVERSION_NOW)->version);
  std::printf("exchanges/s          %.0f\n", done / static_cast<double>(seconds));
  std::printf("CPU us per exchange  %.1f\n", done ? cpu * 1e6 / done : 0.0);
  std::printf("peak in flight       %zu\n", counts.peak_in_flight);
  std::printf("ok / failed          %llu / %llu\n", static_cast<unsigned long long>(counts.ok),
              static_cast<unsigned long long>(counts.failed));
  std::printf("peak RSS             %.1f MB\n", bench::PeakRssMb());
  curl_global_cleanup();
  return counts.failed == 0 ? 0 : 1;
}
