#include "net/loop.h"

#include <curl/curl.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "sim/server.h"

namespace modelwatch::net {
namespace {

// A real HTTP server on a free loopback port, run on its own thread.
class Receiver {
 public:
  Receiver() {
    server_.Get("/hello", [](const httplib::Request&, httplib::Response& res) {
      res.set_header("X-Thing", "42");
      res.set_content("hello", "text/plain");
    });
    server_.Post("/echo", [](const httplib::Request& req, httplib::Response& res) {
      res.status = 201;
      res.set_content(req.body + "|" + req.get_header_value("Authorization"), "text/plain");
    });
    server_.Get("/slow", [](const httplib::Request&, httplib::Response& res) {
      std::this_thread::sleep_for(std::chrono::milliseconds(600));
      res.set_content("late", "text/plain");
    });
    server_.Get("/big", [](const httplib::Request&, httplib::Response& res) {
      res.set_content(std::string(100'000, 'x'), "text/plain");
    });
    server_.Get("/image-json", [](const httplib::Request&, httplib::Response& res) {
      res.set_content(R"({"data":[{"b64_json":")" + std::string(3'000'000, 'A') + R"("}]})",
                      "application/json; charset=utf-8");
    });
    server_.Get("/image-json-unlabelled", [](const httplib::Request&, httplib::Response& res) {
      res.set_content("\n  [{\"b64_json\":\"" + std::string(3'000'000, 'A') + "\"}]", "text/plain");
    });
    // A valid image answer followed by six million small values.
    server_.Get("/image-json-many-values", [](const httplib::Request&, httplib::Response& res) {
      std::string body = R"({"data":[{"b64_json":")" + std::string(1'000'000, 'A') + R"("}],"x":[)";
      body.reserve(body.size() + 12'000'010);
      for (int i = 0; i < 6'000'000; ++i) {
        body += "1,";
      }
      body += "1]}";
      res.set_content(body, "application/json");
    });
    // What arrived: method, body and Authorization header.
    auto echo_method = [](const httplib::Request& req, httplib::Response& res) {
      res.set_content(
          req.method + " " + req.body + " auth=" + req.get_header_value("Authorization"),
          "text/plain");
    };
    server_.Get("/method", echo_method);
    server_.Post("/method", echo_method);
    server_.Put("/method", echo_method);
    server_.Delete("/method", echo_method);
    server_.Get("/accept-encoding", [](const httplib::Request& req, httplib::Response& res) {
      res.set_content("[" + req.get_header_value("Accept-Encoding") + "]", "text/plain");
    });
    server_.Get("/redirect", [](const httplib::Request&, httplib::Response& res) {
      res.set_redirect("/hello");
    });
    // httplib holds a pool thread per kept-alive connection; one request per
    // connection lets a few threads serve hundreds of concurrent clients.
    server_.set_keep_alive_max_count(1);
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  }
  ~Receiver() {
    server_.stop();
    thread_.join();
  }
  std::string Url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
};

class LoopTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { curl_global_init(CURL_GLOBAL_DEFAULT); }

  // Runs one request on a fresh loop and returns its response.
  Response Fetch(Request req) {
    Loop loop(clock_);
    Response out;
    loop.Start(std::move(req), [&](Response&& r) {
      out = std::move(r);
      loop.Stop();
    });
    loop.Run();
    return out;
  }

  // The simulator on a free loopback port, playing `scenario_yaml`; null
  // (and the test failed) when it does not start.
  static std::unique_ptr<sim::Server> StartSimulator(const std::string& scenario_yaml) {
    auto scenario = sim::ParseScenario(scenario_yaml, "t");
    if (!scenario.has_value()) {
      ADD_FAILURE() << scenario.error().message();
      return nullptr;
    }
    auto server = sim::Server::Start("127.0.0.1", 0, std::move(scenario).value());
    if (!server.has_value()) {
      ADD_FAILURE() << server.error().message();
      return nullptr;
    }
    return std::move(server).value();
  }

  // Runs the requests one after another on one loop, so each reuses the
  // handle the one before it left.
  std::vector<Response> FetchInTurn(std::vector<Request> reqs) {
    Loop loop(clock_);
    std::vector<Response> out;
    std::function<void()> next = [&] {
      if (out.size() == reqs.size()) {
        loop.Stop();
        return;
      }
      loop.Start(reqs[out.size()], [&](Response&& r) {
        out.push_back(std::move(r));
        next();
      });
    };
    next();
    loop.Run();
    return out;
  }

  SystemClock clock_;
  Receiver receiver_;
};

TEST_F(LoopTest, GetReturnsBodyHeadersAndPhases) {
  Request req;
  req.url = receiver_.Url("/hello");
  Response r = Fetch(req);
  EXPECT_EQ(r.error, TransferError::kNone) << r.error_message;
  EXPECT_EQ(r.http_status, 200);
  EXPECT_EQ(r.body, "hello");
  EXPECT_EQ(r.Header("x-thing").value_or(""), "42");
  EXPECT_GT(r.phases.total.count(), 0);
  EXPECT_LE(r.phases.first_byte, r.phases.total);
  EXPECT_LE(r.phases.connect, r.phases.first_byte);
}

TEST_F(LoopTest, PostSendsBodyAndHeaders) {
  Request req;
  req.method = "POST";
  req.url = receiver_.Url("/echo");
  req.body = R"({"a":1})";
  req.headers = {{"Authorization", "Bearer k"}, {"Content-Type", "application/json"}};
  Response r = Fetch(req);
  EXPECT_EQ(r.http_status, 201);
  EXPECT_EQ(r.body, R"({"a":1}|Bearer k)");
}

TEST_F(LoopTest, ReusedHandleKeepsNothingOfTheRequestBefore) {
  auto make = [&](std::string method, std::string path, std::string body = "") {
    Request req;
    req.method = std::move(method);
    req.url = receiver_.Url(path);
    req.body = std::move(body);
    return req;
  };
  Request post = make("POST", "/method", "a");
  post.headers = {{"Authorization", "Bearer k"}};
  Request capped = make("GET", "/big");
  capped.max_body_bytes = 1000;
  capped.timeout = std::chrono::milliseconds(2000);
  std::vector<Response> got =
      FetchInTurn({post, make("GET", "/method"), make("HEAD", "/method"), make("GET", "/method"),
                   make("PUT", "/method", "b"), make("POST", "/method", "c"),
                   make("DELETE", "/method"), capped, make("GET", "/big")});
  ASSERT_EQ(got.size(), 9u);
  EXPECT_EQ(got[0].body, "POST a auth=Bearer k");
  EXPECT_EQ(got[1].body, "GET  auth=");  // no body, no header of the POST before
  EXPECT_EQ(got[2].http_status, 200);
  EXPECT_EQ(got[2].body, "");            // HEAD
  EXPECT_EQ(got[3].body, "GET  auth=");  // not HEAD again
  EXPECT_EQ(got[4].body, "PUT b auth=");
  EXPECT_EQ(got[5].body, "POST c auth=");  // not PUT again
  EXPECT_EQ(got[6].body, "DELETE  auth=");
  EXPECT_EQ(got[7].error, TransferError::kBodyTooLarge);
  EXPECT_EQ(got[8].error, TransferError::kNone)
      << got[8].error_message;  // the cap was the GET's own
  EXPECT_EQ(got[8].body.size(), 100'000u);
}

// Image answers are base64 of compressed pixels: inflating them would cost
// more CPU than the bytes it saves.
TEST_F(LoopTest, AsksForNoCompression) {
  Request req;
  req.url = receiver_.Url("/accept-encoding");
  Response r = Fetch(req);
  EXPECT_EQ(r.body, "[identity]");  // asked for none; a compressed answer is still decoded
}

TEST_F(LoopTest, TimesOutSlowAnswer) {
  Request req;
  req.url = receiver_.Url("/slow");
  req.timeout = std::chrono::milliseconds(150);
  Response r = Fetch(req);
  EXPECT_EQ(r.error, TransferError::kTimeout);
  EXPECT_LT(r.phases.total, std::chrono::milliseconds(550));
}

TEST_F(LoopTest, CapsBodySize) {
  Request req;
  req.url = receiver_.Url("/big");
  req.max_body_bytes = 1000;
  Response r = Fetch(req);
  EXPECT_EQ(r.error, TransferError::kBodyTooLarge);
  EXPECT_NE(r.error_message.find("1000 bytes"), std::string::npos);
}

TEST_F(LoopTest, KeepBytesClipsLongJsonStrings) {
  Request req;
  req.url = receiver_.Url("/image-json");
  req.keep_bytes = 4096;
  Response r = Fetch(req);
  EXPECT_EQ(r.error, TransferError::kNone) << r.error_message;
  EXPECT_EQ(r.body, R"({"data":[{"b64_json":")" + std::string(4096, 'A') + R"("}]})");
  EXPECT_EQ(r.body_bytes, 3'000'000u + 26);
  ASSERT_EQ(r.clipped.size(), 1u);
  EXPECT_EQ(r.clipped[0].length, 3'000'000u);
  ASSERT_NE(r.ClippedFor(std::string(4096, 'A')), nullptr);
  EXPECT_EQ(r.ClippedFor(std::string(4095, 'A')), nullptr);

  // JSON is told by its first byte, whatever the Content-Type says.
  req.url = receiver_.Url("/image-json-unlabelled");
  r = Fetch(req);
  EXPECT_EQ(r.body, "\n  [{\"b64_json\":\"" + std::string(4096, 'A') + "\"}]");
  ASSERT_EQ(r.clipped.size(), 1u);

  req.url = receiver_.Url("/image-json");
  req.keep_bytes = 0;  // the whole body by default
  r = Fetch(req);
  EXPECT_EQ(r.body.size(), 3'000'000u + 26);
  EXPECT_TRUE(r.clipped.empty());
}

TEST_F(LoopTest, KeepBytesStopsReadingAJsonAnswerOfMillionsOfValues) {
  Request req;
  req.url = receiver_.Url("/image-json-many-values");
  req.keep_bytes = 4096;
  Response r = Fetch(req);
  EXPECT_EQ(r.error, TransferError::kBodyTooLarge);
  EXPECT_NE(r.error_message.find("more than 4194304 bytes besides its long strings"),
            std::string::npos)
      << r.error_message;
  // Stopped once the bound was passed, not after the 13 MB were read.
  EXPECT_LT(r.body_bytes, 7'000'000u);
  EXPECT_LE(r.body.size(), req.max_kept_bytes + 1'000'000u);
}

TEST_F(LoopTest, KeepBytesKeepsTheStartOfOtherBodies) {
  Request req;
  req.url = receiver_.Url("/big");  // text/plain
  req.keep_bytes = 1000;
  Response r = Fetch(req);
  EXPECT_EQ(r.error, TransferError::kNone) << r.error_message;
  EXPECT_EQ(r.body, std::string(1000, 'x'));
  EXPECT_EQ(r.body_bytes, 100'000u);
  // The size cap still counts every byte received.
  req.max_body_bytes = 50'000;
  EXPECT_EQ(Fetch(req).error, TransferError::kBodyTooLarge);
}

TEST_F(LoopTest, FollowsRedirectsWithinLimit) {
  Request req;
  req.url = receiver_.Url("/redirect");
  Response r = Fetch(req);
  EXPECT_EQ(r.http_status, 200);
  EXPECT_EQ(r.body, "hello");
  req.max_redirects = 0;
  EXPECT_EQ(Fetch(req).http_status, 302);
}

TEST_F(LoopTest, RefusedConnectionIsConnectError) {
  // Bind a socket and close it, so nothing listens on that port.
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  Request req;
  req.url = "http://127.0.0.1:" + std::to_string(ntohs(addr.sin_port)) + "/";
  EXPECT_EQ(Fetch(req).error, TransferError::kConnect);
}

TEST_F(LoopTest, ManyConcurrentTransfersOnOneThread) {
  // The simulator holds every answer for a second, so all transfers must be
  // open at once for the run to finish.
  auto server = StartSimulator(
      "routes: [{route: openrouter_models, timeline: [{behaviour: ok, latency: 1s}]}]");
  ASSERT_NE(server, nullptr);
  Loop loop(clock_);
  constexpr int kCount = 200;
  // Two rounds: the second must find the first's kept-alive connections,
  // whichever libcurl multi handle each is cached in.
  for (int round = 0; round < 2; ++round) {
    int done = 0;
    size_t open_at_half_time = 0;
    for (int i = 0; i < kCount; ++i) {
      Request req;
      req.url = "http://127.0.0.1:" + std::to_string(server->port()) + "/api/v1/models";
      loop.Start(std::move(req), [&](Response&& r) {
        EXPECT_EQ(r.http_status, 200) << r.error_message;
        if (++done == kCount) {
          loop.Stop();
        }
      });
    }
    EXPECT_EQ(loop.in_flight(), static_cast<size_t>(kCount));
    loop.RunAt(clock_.Now() + std::chrono::milliseconds(500),
               [&] { open_at_half_time = server->open_connections(); });
    loop.Run();
    EXPECT_EQ(done, kCount);
    EXPECT_EQ(loop.in_flight(), 0u);
    EXPECT_EQ(open_at_half_time, static_cast<size_t>(kCount)) << "round " << round;
    EXPECT_EQ(server->accepted_connections(), static_cast<uint64_t>(kCount)) << "round " << round;
  }
  // No more than 64 transfers share one connection cache (libcurl walks all
  // of a host's connections to find one to reuse).
  EXPECT_EQ(loop.shard_count(), 4u);
}

TEST_F(LoopTest, TransfersOneAtATimeShareOneConnection) {
  auto server = StartSimulator("routes: [{route: openrouter_models, timeline: [{behaviour: ok}]}]");
  ASSERT_NE(server, nullptr);
  Request req;
  req.url = "http://127.0.0.1:" + std::to_string(server->port()) + "/api/v1/models";
  std::vector<Response> got = FetchInTurn(std::vector<Request>(20, req));
  ASSERT_EQ(got.size(), 20u);
  for (const Response& r : got) {
    EXPECT_EQ(r.http_status, 200) << r.error_message;
  }
  EXPECT_EQ(server->accepted_connections(), 1u);
}

TEST_F(LoopTest, CancelCallsBackWithCancelled) {
  Loop loop(clock_);
  Request req;
  req.url = receiver_.Url("/slow");
  Response out;
  Loop::TransferId id = loop.Start(std::move(req), [&](Response&& r) { out = std::move(r); });
  loop.RunAt(clock_.Now() + std::chrono::milliseconds(50), [&] {
    loop.Cancel(id);
    loop.Stop();
  });
  loop.Run();
  EXPECT_EQ(out.error, TransferError::kCancelled);
  EXPECT_EQ(loop.in_flight(), 0u);
}

TEST_F(LoopTest, TimersFireInOrderAndCancelledOnesDoNot) {
  Loop loop(clock_);
  std::vector<int> fired;
  MonoTime t0 = clock_.Now();
  loop.RunAt(t0 + std::chrono::milliseconds(30), [&] { fired.push_back(3); });
  loop.RunAt(t0 + std::chrono::milliseconds(10), [&] { fired.push_back(1); });
  Loop::TimerId gone = loop.RunAt(t0 + std::chrono::milliseconds(20), [&] { fired.push_back(2); });
  loop.CancelTimer(gone);
  loop.RunAt(t0 + std::chrono::milliseconds(40), [&] { loop.Stop(); });
  loop.Run();
  EXPECT_EQ(fired, (std::vector<int>{1, 3}));
  EXPECT_GE(clock_.Now() - t0, std::chrono::milliseconds(40));
}

TEST_F(LoopTest, ATimerThatReArmsForNowCannotStarveAStop) {
  Loop loop(clock_);
  int64_t fired = 0;
  std::function<void()> storm = [&] {
    ++fired;
    loop.RunAt(clock_.Now(), storm);
  };
  loop.RunAt(clock_.Now(), storm);
  std::thread other([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    loop.Stop();
  });
  loop.Run();  // returns: a never-ending pass would hang here
  other.join();
  EXPECT_GT(fired, 1);
}

TEST_F(LoopTest, PostFromAnotherThreadRunsOnLoop) {
  Loop loop(clock_);
  std::atomic<std::thread::id> ran_on{};
  std::thread other([&] {
    loop.Post([&] {
      ran_on = std::this_thread::get_id();
      loop.Stop();
    });
  });
  loop.Run();
  other.join();
  EXPECT_EQ(ran_on.load(), std::this_thread::get_id());
}

}  // namespace
}  // namespace modelwatch::net
