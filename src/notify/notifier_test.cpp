#include "notify/notifier.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <condition_variable>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/notification.h"
#include "notify/render.h"

namespace modelwatch::notify {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr milliseconds kWait{5000};  // real time a test waits for something to happen

// Waits (real time) until `pred` holds under `mu`.
template <typename Pred>
bool WaitUntil(std::mutex& mu, std::condition_variable& cv, Pred pred) {
  std::unique_lock lock(mu);
  return cv.wait_for(lock, kWait, pred);
}

// The outbox bookkeeping the notifier calls, recorded. Everything else a
// Store does is out of scope here (the store's contract test covers it).
class FakeOutbox final : public store::Store {
 public:
  struct Failure {
    int64_t id;
    int attempts;
    WallTime next;
    std::string error;
  };
  struct Renewal {
    std::vector<int64_t> ids;
    std::string owner;
    WallTime until;
  };

  // store::Store, outbox
  Result<std::vector<store::OutboxMessage>> ClaimOutbox(const std::string& owner, WallTime now,
                                                        milliseconds lease, size_t limit) override {
    std::lock_guard lock(mu);
    ++claims;
    claimed_until.push_back(now);
    cv.notify_all();
    return std::exchange(claimable, {});
  }
  void OutboxDelivered(int64_t id, WallTime when) override {
    std::lock_guard lock(mu);
    delivered.push_back(id);
    cv.notify_all();
  }
  void OutboxFailed(int64_t id, int attempts, WallTime next, std::string error) override {
    std::lock_guard lock(mu);
    failures.push_back({id, attempts, next, std::move(error)});
    cv.notify_all();
  }
  void OutboxRenewClaims(std::vector<int64_t> ids, std::string owner, WallTime until) override {
    std::lock_guard lock(mu);
    renewals.push_back({std::move(ids), std::move(owner), until});
    cv.notify_all();
  }

  // store::Store, the rest: unused by the notifier.
  void Append(CheckResult) override {}
  void PutState(store::MonitorState) override {}
  Status Flush() override { return Status::Ok(); }
  Result<std::vector<CheckResult>> Results(const std::string&, WallTime) override {
    return std::vector<CheckResult>{};
  }
  Status ScanResults(const store::ResultQuery&, const store::ResultVisitor&) override {
    return Status::Ok();
  }
  Result<std::vector<store::ResultCount>> CountResults(const std::string&, CheckMode,
                                                       const std::vector<WallTime>& since,
                                                       WallTime) override {
    return std::vector<store::ResultCount>(since.size());
  }
  Status ScanRollups(store::Resolution, const std::vector<std::string>&, WallTime, WallTime,
                     const store::RollupVisitor&) override {
    return Status::Ok();
  }
  Result<std::vector<std::string>> Monitors() override { return std::vector<std::string>{}; }
  Result<std::vector<store::MonitorState>> States() override {
    return std::vector<store::MonitorState>{};
  }
  uint64_t dropped() const override { return 0; }
  size_t queued() const override { return 0; }
  Status last_error() const override { return Status::Ok(); }
  std::string Describe() const override { return "fake outbox"; }
  void Commit(store::AlertChange, MessagesWritten) override {}
  Result<std::vector<store::OutboxMessage>> Outbox(bool, size_t) override {
    return std::vector<store::OutboxMessage>{};
  }
  Result<std::vector<store::AlertEvent>> AlertEvents(const std::string&, WallTime,
                                                     size_t) override {
    return std::vector<store::AlertEvent>{};
  }
  Result<int64_t> AddSilence(const store::Silence&) override {
    return Status::Internal("not part of the notifier's test");
  }
  Status RemoveSilence(int64_t) override {
    return Status::Internal("not part of the notifier's test");
  }
  Result<std::vector<store::Silence>> Silences(WallTime) override {
    return std::vector<store::Silence>{};
  }

  template <typename Pred>
  bool Wait(Pred pred) {
    return WaitUntil(mu, cv, pred);
  }

  std::mutex mu;
  std::condition_variable cv;
  std::vector<store::OutboxMessage> claimable;  // what the next ClaimOutbox returns
  int claims = 0;
  std::vector<WallTime> claimed_until;  // each ClaimOutbox's `now`: claims ending by then are taken
  std::vector<int64_t> delivered;
  std::vector<Failure> failures;
  std::vector<Renewal> renewals;
};

// A real HTTP receiver on a loopback port. Each POST to /hook/<token> is
// recorded and answered by `answer` (200 by default).
class Receiver {
 public:
  struct Hit {
    std::string token;
    std::string body;
    int status;
  };
  using Answer = std::function<void(size_t n, httplib::Response& res)>;  // n: 0-based hit

  Receiver() {
    server_.Post(R"(/hook/([^/]+))", [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard lock(mu_);
      res.status = 200;
      res.set_content("ok", "text/plain");
      if (answer_) {
        answer_(hits_.size(), res);
      }
      hits_.push_back({req.matches[1], req.body, res.status});
      cv_.notify_all();
    });
    // One request per connection: a kept-alive connection holds one of the
    // server's few threads (and its stop) for seconds.
    server_.set_keep_alive_max_count(1);
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    // A stop() before the listening thread runs is lost, and the destructor
    // then waits for ever: a test may end within milliseconds.
    while (!server_.is_running()) {
      SleepFor(milliseconds(1));
    }
  }
  ~Receiver() {
    server_.stop();
    thread_.join();
  }

  std::string base() const { return fmt::format("http://127.0.0.1:{}", port_); }
  void set_answer(Answer a) {
    std::lock_guard lock(mu_);
    answer_ = std::move(a);
  }
  size_t count() {
    std::lock_guard lock(mu_);
    return hits_.size();
  }
  std::vector<Hit> hits() {
    std::lock_guard lock(mu_);
    return hits_;
  }
  bool WaitForCount(size_t n) {
    return WaitUntil(mu_, cv_, [&] { return hits_.size() >= n; });
  }

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  std::mutex mu_;
  std::condition_variable cv_;
  Answer answer_;
  std::vector<Hit> hits_;
};

// A port nothing listens on: connections are refused.
int DeadPort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return ntohs(addr.sin_port);
}

// A webhook channel as the chat channels are: its token is in the URL path.
// POSTs {"title": ...}; 200 is delivered, 429 carries Retry-After seconds.
class TestChannel final : public Channel {
 public:
  TestChannel(std::string name, std::string base, std::string token, RateLimit limit = {})
      : name_(std::move(name)), base_(std::move(base)), token_(std::move(token)), limit_(limit) {}

  void set_base(std::string base) {
    std::lock_guard lock(mu_);
    base_ = std::move(base);
  }

  // notify::Channel
  const std::string& name() const override { return name_; }
  std::string_view kind() const override { return "test"; }
  Result<net::Request> Render(const Notification& n, WallTime now) const override {
    std::lock_guard lock(mu_);
    net::Request r;
    r.method = "POST";
    r.url = base_ + "/hook/" + token_.reveal();
    r.headers = {{"Content-Type", "application/json"}};
    // A merged message has no title of its own: its headline lists its alerts.
    r.body = nlohmann::json{{"title", n.title.empty() ? Headline(n) : n.title}}.dump();
    return r;
  }
  Delivery Check(const net::Response& response) const override {
    Delivery d;
    d.delivered = response.http_status == 200;
    if (!d.delivered) {
      d.error = fmt::format("HTTP {}: {}", response.http_status, response.body);
      d.permanent =
          response.http_status >= 400 && response.http_status < 500 && response.http_status != 429;
      if (auto ra = response.Header("retry-after")) {
        d.retry_after = seconds(std::stoi(*ra));
      }
    }
    return d;
  }
  RateLimit rate_limit() const override { return limit_; }
  std::vector<const Secret*> secrets() const override { return {&token_}; }

 private:
  std::string name_;
  mutable std::mutex mu_;
  std::string base_;
  Secret token_;
  RateLimit limit_;
};

store::OutboxMessage Message(int64_t id, std::string channel, std::string title) {
  Notification n;
  n.title = std::move(title);
  n.group = "provider=test";
  AlertItem item;
  item.monitor = "dalle";
  item.model = "dall-e-3";
  item.summary = "3 failures in a row (server_error)";
  n.items.push_back(item);
  store::OutboxMessage m;
  m.id = id;
  m.key = fmt::format("key-{}", id);
  m.channel = std::move(channel);
  m.payload = ToJson(n).dump();
  return m;
}

class NotifierTest : public ::testing::Test {
 protected:
  NotifierTest() : loop_(clock_) {
    loop_thread_ = std::thread([this] { loop_.Run(); });
  }
  ~NotifierTest() override {
    OnLoop([this] { notifier_.reset(); });
    loop_.Stop();
    loop_thread_.join();
  }

  // Runs `fn` on the loop thread and waits for it.
  void OnLoop(std::function<void()> fn) {
    std::promise<void> done;
    loop_.Post([&] {
      fn();
      done.set_value();
    });
    done.get_future().wait();
  }

  void Make(std::map<std::string, const Channel*> channels, NotifierOptions opts = {}) {
    opts.owner = "test-owner";
    if (opts.seed == 0) {
      opts.seed = 42;
    }
    OnLoop([&] {
      notifier_ = std::make_unique<Notifier>(
          loop_, store_, channels,
          [this](const nlohmann::ordered_json& j) {
            std::lock_guard lock(log_mu_);
            logs_.push_back(j);
            log_cv_.notify_all();
          },
          clock_, opts);
    });
  }

  void Deliver(std::vector<store::OutboxMessage> messages) {
    OnLoop([&] { notifier_->Deliver(std::move(messages)); });
  }

  // Moves simulated time and wakes the loop so its timers see it.
  void Advance(std::chrono::nanoseconds d) {
    clock_.Advance(d);
    OnLoop([] {});
  }

  std::vector<nlohmann::ordered_json> Logs(std::string_view event) {
    std::lock_guard lock(log_mu_);
    std::vector<nlohmann::ordered_json> out;
    for (const auto& j : logs_) {
      if (j.value("event", "") == event) {
        out.push_back(j);
      }
    }
    return out;
  }
  std::string AllLogs() {
    std::lock_guard lock(log_mu_);
    std::string out;
    for (const auto& j : logs_) {
      out += j.dump() + "\n";
    }
    return out;
  }
  bool WaitForLog(std::string_view event) {
    return WaitUntil(log_mu_, log_cv_, [&] {
      for (const auto& j : logs_) {
        if (j.value("event", "") == event) {
          return true;
        }
      }
      return false;
    });
  }

  size_t Delivered() {
    std::lock_guard lock(store_.mu);
    return store_.delivered.size();
  }
  size_t Failures() {
    std::lock_guard lock(store_.mu);
    return store_.failures.size();
  }
  FakeOutbox::Failure FailureAt(size_t i) {
    std::lock_guard lock(store_.mu);
    return store_.failures.at(i);
  }
  // Nothing more happens for a short real while (for "not sent" checks).
  void Settle() { SleepFor(milliseconds(150)); }

  FakeClock clock_;
  net::Loop loop_;
  FakeOutbox store_;
  Receiver receiver_;
  std::mutex log_mu_;
  std::condition_variable log_cv_;
  std::vector<nlohmann::ordered_json> logs_;
  std::unique_ptr<Notifier> notifier_;
  std::thread loop_thread_;
};

TEST_F(NotifierTest, DeliversOnceOnSuccess) {
  TestChannel ops("ops", receiver_.base(), "tok-ops-1");
  Make({{"ops", &ops}});
  Deliver({Message(1, "ops", "DALL-E down")});

  ASSERT_TRUE(store_.Wait([&] { return store_.delivered.size() == 1; }));
  Settle();
  EXPECT_EQ(receiver_.count(), 1u);
  EXPECT_EQ(receiver_.hits()[0].body, R"({"title":"DALL-E down"})");
  EXPECT_EQ(store_.delivered, std::vector<int64_t>{1});
  EXPECT_EQ(Failures(), 0u);
  ASSERT_EQ(Logs("notify_sent").size(), 1u);
  EXPECT_EQ(Logs("notify_sent")[0]["attempts"], 1);
  OnLoop([&] {
    EXPECT_EQ(notifier_->pending(), 0u);
    EXPECT_EQ(notifier_->counters().at("ops").sent, 1u);
  });
}

// A committed message goes out from Deliver itself, not from a loop timer
// (which waits for the loop's timer grid: most of an alert's latency).
TEST_F(NotifierTest, CommittedMessageIsSentFromDeliverWithoutWaitingForATimer) {
  TestChannel ops("ops", receiver_.base(), "tok-ops-1");
  Make({{"ops", &ops}});
  size_t in_flight_after = 0;
  OnLoop([&] {
    notifier_->Deliver({Message(1, "ops", "DALL-E down")});
    in_flight_after = loop_.in_flight();
  });
  EXPECT_EQ(in_flight_after, 1u);
  ASSERT_TRUE(store_.Wait([&] { return store_.delivered.size() == 1; }));
  EXPECT_EQ(receiver_.count(), 1u);
}

// A committed message carries the engine's Notification: it is rendered
// from that, its payload (the stored text) is not parsed again.
TEST_F(NotifierTest, CommittedMessageIsRenderedFromItsNotificationNotItsPayload) {
  TestChannel ops("ops", receiver_.base(), "tok-ops-1");
  Make({{"ops", &ops}});
  store::OutboxMessage m = Message(1, "ops", "DALL-E down");
  auto parsed = NotificationFromJson(m.payload);
  ASSERT_TRUE(parsed.has_value());
  m.notification = std::make_shared<const Notification>(std::move(*parsed));
  m.payload = "not read";
  Deliver({std::move(m)});
  ASSERT_TRUE(store_.Wait([&] { return store_.delivered.size() == 1; }));
  EXPECT_EQ(receiver_.hits()[0].body, R"({"title":"DALL-E down"})");
  EXPECT_EQ(Failures(), 0u);
}

// One due later (a retry claimed from the store) still waits for its time.
TEST_F(NotifierTest, MessageDueLaterIsNotSentFromDeliver) {
  TestChannel ops("ops", receiver_.base(), "tok-ops-1");
  Make({{"ops", &ops}});
  store::OutboxMessage m = Message(1, "ops", "DALL-E down");
  m.next_attempt = clock_.WallNow() + seconds(30);
  size_t in_flight_after = 1;
  OnLoop([&] {
    notifier_->Deliver({m});
    in_flight_after = loop_.in_flight();
  });
  EXPECT_EQ(in_flight_after, 0u);
  Settle();
  EXPECT_EQ(receiver_.count(), 0u);
  Advance(seconds(31));
  ASSERT_TRUE(store_.Wait([&] { return store_.delivered.size() == 1; }));
}

TEST_F(NotifierTest, OutageOfManyHoursEndsInExactlyOneDelivery) {
  TestChannel ops("ops", receiver_.base(), "tok-ops-1");
  NotifierOptions opts;
  opts.retry_min = seconds(1);
  opts.retry_max = seconds(60);
  opts.jitter = 0.2;
  Make({{"ops", &ops}}, opts);
  // 500 for the first 5 attempts, then refused for 10, then up again.
  receiver_.set_answer([](size_t n, httplib::Response& res) {
    if (n < 5) {
      res.status = 500;
      res.set_content("internal error", "text/plain");
    }
  });
  Deliver({Message(1, "ops", "DALL-E down")});

  const int kFailures = 15;
  milliseconds prev{0};
  for (int k = 1; k <= kFailures; ++k) {
    ASSERT_TRUE(store_.Wait([&] { return store_.failures.size() >= static_cast<size_t>(k); }))
        << "attempt " << k;
    FakeOutbox::Failure f = FailureAt(k - 1);
    EXPECT_EQ(f.id, 1);
    EXPECT_EQ(f.attempts, k);
    auto delay = std::chrono::duration_cast<milliseconds>(f.next - clock_.WallNow());
    double base = std::min(1000.0 * (1 << (k - 1)), 60'000.0);
    EXPECT_GE(delay.count(), base * 0.8) << "attempt " << k;
    EXPECT_LE(delay.count(), std::min(base * 1.2, 60'000.0)) << "attempt " << k;
    if (base < 60'000.0 / 2) {
      EXPECT_GT(delay, prev) << "backoff grows, attempt " << k;
    }
    prev = delay;
    if (k <= 5) {
      EXPECT_EQ(f.error, "HTTP 500: internal error");
    } else {
      EXPECT_NE(f.error.find("connect"), std::string::npos) << f.error;
    }
    if (k == 5) {
      ops.set_base(fmt::format("http://127.0.0.1:{}", DeadPort()));
    }
    if (k == kFailures) {
      ops.set_base(receiver_.base());
    }
    Advance(delay);
  }

  ASSERT_TRUE(store_.Wait([&] { return !store_.delivered.empty(); }));
  ASSERT_TRUE(WaitForLog("notify_sent"));
  Advance(std::chrono::hours(1));
  Settle();
  EXPECT_EQ(store_.delivered, std::vector<int64_t>{1});
  EXPECT_EQ(Failures(), static_cast<size_t>(kFailures));
  std::vector<Receiver::Hit> hits = receiver_.hits();
  ASSERT_EQ(hits.size(), 6u);  // 5 failures and the one delivery
  EXPECT_EQ(hits.back().status, 200);
  // One log line per change of error, not one per attempt.
  EXPECT_EQ(Logs("notify_failed").size(), 2u);
  EXPECT_EQ(Logs("notify_sent").at(0)["attempts"], kFailures + 1);
}

// While a channel's message waits for its retry, a later one waits behind
// it: the channel, back up, gets "firing" before "resolved" even when the
// later one's backoff would end first.
TEST_F(NotifierTest, AChannelsMessagesKeepTheirOrderThroughItsRetries) {
  TestChannel ops("ops", receiver_.base(), "tok-ops-1");
  NotifierOptions opts;
  opts.retry_min = seconds(1);
  opts.retry_max = seconds(60);
  opts.jitter = 0;
  Make({{"ops", &ops}}, opts);
  receiver_.set_answer([](size_t n, httplib::Response& res) {
    if (n < 3) {
      res.status = 500;
      res.set_content("down", "text/plain");
    }
  });
  Deliver({Message(1, "ops", "firing")});
  ASSERT_TRUE(store_.Wait([&] { return store_.failures.size() == 1; }));  // retry in 1 s
  Advance(milliseconds(500));
  Deliver({Message(2, "ops", "resolved")});  // its own first try would end first
  ASSERT_TRUE(WaitForLog("notify_held")) << AllLogs();
  Advance(milliseconds(500));
  ASSERT_TRUE(store_.Wait([&] { return store_.failures.size() == 2; }));  // then in 2 s
  Advance(seconds(2));
  ASSERT_TRUE(store_.Wait([&] { return store_.failures.size() == 3; }));  // then in 4 s
  Advance(seconds(4));
  ASSERT_TRUE(store_.Wait([&] { return store_.delivered.size() == 2; })) << AllLogs();

  EXPECT_EQ(store_.delivered, (std::vector<int64_t>{1, 2}));
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(FailureAt(i).id, 1) << "failure " << i;
  }
  std::vector<Receiver::Hit> hits = receiver_.hits();
  ASSERT_EQ(hits.size(), 5u);  // the first one's 3 failures, then each once
  EXPECT_EQ(hits[3].body, R"({"title":"firing"})");
  EXPECT_EQ(hits[4].body, R"({"title":"resolved"})");
  EXPECT_EQ(Logs("notify_held").at(0)["behind"], 1);
}

TEST_F(NotifierTest, HonoursRetryAfter) {
  TestChannel ops("ops", receiver_.base(), "tok-ops-1");
  Make({{"ops", &ops}});
  receiver_.set_answer([](size_t n, httplib::Response& res) {
    if (n == 0) {
      res.status = 429;
      res.set_header("Retry-After", "120");
    }
  });
  Deliver({Message(1, "ops", "DALL-E down")});

  ASSERT_TRUE(store_.Wait([&] { return store_.failures.size() == 1; }));
  EXPECT_EQ(FailureAt(0).next - clock_.WallNow(), seconds(120));
  Advance(seconds(119));
  Settle();
  EXPECT_EQ(receiver_.count(), 1u);
  Advance(seconds(1));
  ASSERT_TRUE(store_.Wait([&] { return store_.delivered.size() == 1; }));
  EXPECT_EQ(receiver_.count(), 2u);
}

TEST_F(NotifierTest, RateLimitHoldsTheTwentyFirstUntilTheMinutePasses) {
  TestChannel ding("ding", receiver_.base(), "tok-ding-1", RateLimit{20, seconds(60)});
  Make({{"ding", &ding}});
  std::vector<store::OutboxMessage> batch;
  for (int i = 1; i <= 21; ++i) {
    batch.push_back(Message(i, "ding", fmt::format("alert {}", i)));
  }
  Deliver(std::move(batch));

  ASSERT_TRUE(receiver_.WaitForCount(20));
  Settle();
  EXPECT_EQ(receiver_.count(), 20u);
  EXPECT_EQ(Logs("notify_held").size(), 1u);
  OnLoop([&] { EXPECT_EQ(notifier_->counters().at("ding").pending, 1u); });
  Advance(seconds(59));
  Settle();
  EXPECT_EQ(receiver_.count(), 20u);
  Advance(seconds(1));
  ASSERT_TRUE(receiver_.WaitForCount(21));
  std::vector<Receiver::Hit> hits = receiver_.hits();
  EXPECT_EQ(hits.back().body, R"({"title":"alert 21"})");
  ASSERT_TRUE(store_.Wait([&] { return store_.delivered.size() == 21; }));
}

store::OutboxMessage MessageFor(int64_t id, const std::string& monitor) {
  store::OutboxMessage m = Message(id, "ding", monitor + " down");
  Notification n = NotificationFromJson(m.payload).value();
  n.items[0].monitor = monitor;
  m.payload = ToJson(n).dump();
  return m;
}

TEST_F(NotifierTest, HeldMessagesAreMergedIntoOneWhenTheWindowFrees) {
  TestChannel ding("ding", receiver_.base(), "tok-ding-1", RateLimit{2, seconds(60)});
  Make({{"ding", &ding}});
  std::vector<store::OutboxMessage> batch;
  for (int i = 1; i <= 5; ++i) {
    batch.push_back(MessageFor(i, fmt::format("m{}", i)));
  }
  Deliver(std::move(batch));

  ASSERT_TRUE(store_.Wait([&] { return store_.delivered.size() == 2; }));
  Settle();
  EXPECT_EQ(receiver_.count(), 2u);
  Advance(seconds(60));
  ASSERT_TRUE(store_.Wait([&] { return store_.delivered.size() == 5; }));
  Settle();
  std::vector<Receiver::Hit> hits = receiver_.hits();
  ASSERT_EQ(hits.size(), 3u) << "three held messages went out as one";
  EXPECT_EQ(hits[2].body, R"({"title":"[CRITICAL] 3 alerts · provider=test: m3, m4, m5"})");
  std::vector<int64_t> delivered = store_.delivered;
  std::sort(delivered.begin(), delivered.end());
  EXPECT_EQ(delivered, (std::vector<int64_t>{1, 2, 3, 4, 5}));
  ASSERT_EQ(Logs("notify_merged").size(), 1u);
  EXPECT_EQ(Logs("notify_merged")[0]["ids"].dump(), "[3,4,5]");
}

TEST_F(NotifierTest, AFailedMergedMessageMarksNoneOfItsRowsDelivered) {
  TestChannel ding("ding", receiver_.base(), "tok-ding-1", RateLimit{1, seconds(60)});
  NotifierOptions opts;
  opts.retry_min = seconds(1);
  opts.jitter = 0;
  Make({{"ding", &ding}}, opts);
  receiver_.set_answer([](size_t n, httplib::Response& res) {
    if (n == 1) {
      res.status = 500;  // the merged message
    }
  });
  Deliver({MessageFor(1, "m1"), MessageFor(2, "m2"), MessageFor(3, "m3")});
  ASSERT_TRUE(store_.Wait([&] { return store_.delivered.size() == 1; }));
  Advance(seconds(60));
  ASSERT_TRUE(store_.Wait([&] { return store_.failures.size() == 2; }));
  Settle();
  EXPECT_EQ(store_.delivered, std::vector<int64_t>{1});
  EXPECT_EQ(FailureAt(0).id, 2);
  EXPECT_EQ(FailureAt(1).id, 3);
  // Retried a second later, held again behind the window, merged again when
  // it frees, delivered once each.
  Advance(seconds(1));
  Settle();
  EXPECT_EQ(receiver_.count(), 2u);
  Advance(seconds(59));
  ASSERT_TRUE(store_.Wait([&] { return store_.delivered.size() == 3; }));
  Advance(seconds(120));
  Settle();
  std::vector<Receiver::Hit> hits = receiver_.hits();
  ASSERT_EQ(hits.size(), 3u);
  EXPECT_EQ(hits[2].body, R"({"title":"[CRITICAL] 2 alerts · provider=test: m2, m3"})");
  EXPECT_EQ(store_.delivered, (std::vector<int64_t>{1, 2, 3}));
}

TEST_F(NotifierTest, SameIdGivenTwiceIsSentOnce) {
  TestChannel ops("ops", receiver_.base(), "tok-ops-1");
  Make({{"ops", &ops}});
  Deliver({Message(1, "ops", "a"), Message(1, "ops", "a")});
  Deliver({Message(1, "ops", "a")});
  ASSERT_TRUE(store_.Wait([&] { return store_.delivered.size() == 1; }));
  Deliver({Message(1, "ops", "a")});  // again, after it was delivered
  Settle();
  EXPECT_EQ(receiver_.count(), 1u);
  EXPECT_EQ(Delivered(), 1u);
}

TEST_F(NotifierTest, NoSecretReachesLogsOrTheStore) {
  const std::string token = "s3cr3t-token-XYZ";
  TestChannel ops("ops", receiver_.base(), token);
  Make({{"ops", &ops}});
  // The receiver echoes what it was sent to, as some chat APIs do.
  receiver_.set_answer([token](size_t n, httplib::Response& res) {
    res.status = 403;
    res.set_content("bad token " + token + " for /hook/" + token, "text/plain");
  });
  Deliver({Message(1, "ops", "a")});
  ASSERT_TRUE(store_.Wait([&] { return store_.failures.size() == 1; }));
  ASSERT_TRUE(WaitForLog("notify_failed"));

  EXPECT_EQ(FailureAt(0).error, "HTTP 403: bad token *** for /hook/***");
  EXPECT_EQ(AllLogs().find(token), std::string::npos) << AllLogs();
  EXPECT_EQ(AllLogs().find("127.0.0.1"), std::string::npos) << "no URL in logs";
  nlohmann::ordered_json line = Logs("notify_failed").at(0);
  EXPECT_EQ(line["channel"], "ops");
  EXPECT_EQ(line["attempt"], 1);
  EXPECT_EQ(line["permanent"], true);
}

TEST_F(NotifierTest, LogChannelWritesOneAlertLine) {
  Make({});
  Deliver({Message(3, "log", "DALL-E down")});
  ASSERT_TRUE(store_.Wait([&] { return store_.delivered.size() == 1; }));
  std::vector<nlohmann::ordered_json> alerts = Logs("alert");
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0]["id"], 3);
  EXPECT_EQ(alerts[0]["title"], "DALL-E down");
  EXPECT_EQ(alerts[0]["level"], "critical");
  EXPECT_NE(alerts[0]["text"].get<std::string>().find("dalle (dall-e-3)"), std::string::npos);
  EXPECT_EQ(alerts[0]["items"].at(0)["monitor"], "dalle");
  EXPECT_EQ(store_.delivered, std::vector<int64_t>{3});
}

TEST_F(NotifierTest, MessageForAnUnconfiguredChannelStaysPending) {
  Make({});
  Deliver({Message(4, "gone", "a")});
  ASSERT_TRUE(WaitForLog("notify_channel_missing"));
  Advance(std::chrono::hours(1));
  Settle();
  EXPECT_EQ(Logs("notify_channel_missing").size(), 1u);
  EXPECT_EQ(Delivered(), 0u);
  EXPECT_EQ(Failures(), 0u);
  OnLoop([&] {
    EXPECT_EQ(notifier_->pending(), 1u);
    EXPECT_EQ(notifier_->counters().at("gone").pending, 1u);
  });
}

TEST_F(NotifierTest, StartSendsWhatTheStoreHeldPending) {
  TestChannel ops("ops", receiver_.base(), "tok-ops-1");
  store::OutboxMessage m = Message(7, "ops", "from before the restart");
  m.attempts = 3;
  m.next_attempt = clock_.WallNow();
  {
    std::lock_guard lock(store_.mu);
    store_.claimable.push_back(m);
  }
  Make({{"ops", &ops}});
  OnLoop([&] { notifier_->Start(); });
  ASSERT_TRUE(store_.Wait([&] { return store_.delivered.size() == 1; }));
  ASSERT_TRUE(WaitForLog("notify_sent"));
  EXPECT_EQ(store_.delivered, std::vector<int64_t>{7});
  EXPECT_EQ(Logs("notify_sent").at(0)["attempts"], 4);
}

TEST_F(NotifierTest, SweepsTheStoreEveryInterval) {
  TestChannel ops("ops", receiver_.base(), "tok-ops-1");
  NotifierOptions opts;
  opts.sweep_interval = seconds(60);
  Make({{"ops", &ops}}, opts);
  OnLoop([&] { notifier_->Start(); });
  ASSERT_TRUE(store_.Wait([&] { return store_.claims == 1; }));
  {
    std::lock_guard lock(store_.mu);
    store_.claimable.push_back(Message(8, "ops", "left by a crashed sender"));
  }
  Advance(seconds(60));
  ASSERT_TRUE(store_.Wait([&] { return store_.delivered.size() == 1; }));
  EXPECT_EQ(store_.delivered, std::vector<int64_t>{8});
}

TEST_F(NotifierTest, OnlyTheFirstSweepTakesOverClaimsEndingWithinTheTakeover) {
  TestChannel ops("ops", receiver_.base(), "tok-ops-1");
  NotifierOptions opts;
  opts.sweep_interval = seconds(10);
  opts.takeover = seconds(30);
  Make({{"ops", &ops}}, opts);
  WallTime start = clock_.WallNow();
  OnLoop([&] { notifier_->Start(); });
  ASSERT_TRUE(store_.Wait([&] { return store_.claims == 1; }));
  Advance(seconds(10));
  ASSERT_TRUE(store_.Wait([&] { return store_.claims == 2; }));
  std::lock_guard lock(store_.mu);
  EXPECT_EQ(store_.claimed_until.at(0), start + seconds(30));
  EXPECT_EQ(store_.claimed_until.at(1), start + seconds(20));  // a plain sweep's reach
}

TEST_F(NotifierTest, RenewsClaimsOfMessagesUnderRetryBeforeTheLeaseEnds) {
  TestChannel ops("ops", receiver_.base(), "tok-ops-1");
  receiver_.set_answer([](size_t, httplib::Response& res) { res.status = 500; });
  NotifierOptions opts;
  opts.lease = seconds(90);
  opts.retry_min = seconds(600);
  opts.retry_max = seconds(600);
  Make({{"ops", &ops}}, opts);
  OnLoop([&] { notifier_->Start(); });
  Deliver({Message(1, "ops", "a")});
  ASSERT_TRUE(store_.Wait([&] { return store_.failures.size() == 1; }));
  ASSERT_TRUE(store_.Wait([&] { return store_.renewals.size() == 1; }));
  WallTime until = store_.renewals.back().until;
  EXPECT_EQ(until, clock_.WallNow() + seconds(90));
  // Well before the claim ends (and long before the retry), it is renewed.
  for (int i = 2; i <= 5; ++i) {
    Advance(seconds(30));
    ASSERT_TRUE(store_.Wait([&] { return store_.renewals.size() == static_cast<size_t>(i); }));
    std::lock_guard lock(store_.mu);
    EXPECT_EQ(store_.renewals.back().ids, std::vector<int64_t>{1});
    EXPECT_EQ(store_.renewals.back().owner, "test-owner");
    EXPECT_LT(clock_.WallNow(), until) << "renewed before the previous claim ended";
    until = store_.renewals.back().until;
  }
  EXPECT_EQ(Failures(), 1u);
}

}  // namespace
}  // namespace modelwatch::notify
