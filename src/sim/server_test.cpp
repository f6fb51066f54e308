// The server over real loopback sockets: framing, keep-alive, timing and the
// socket-level behaviours (reset, hang, drip) that a pure test cannot see.
#include "sim/server.h"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <nlohmann/json.hpp>
#include <thread>

#include "core/base64.h"
#include "sim/test_http_client.h"

namespace modelwatch::sim {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using testing::BuildRequest;
using testing::Connect;
using testing::Fetch;
using testing::ReadResponse;
using testing::SendAll;
using Steady = std::chrono::steady_clock;

const std::string kOpenAiBody = R"({"model":"gpt-image-1","prompt":"a red fox"})";
const std::string kGeminiBody = R"({"contents":[{"parts":[{"text":"a red fox"}]}]})";

std::unique_ptr<Server> StartWith(const std::string& yaml) {
  auto scenario = ParseScenario(yaml, "test.yaml");
  EXPECT_TRUE(scenario.has_value()) << scenario.error().message();
  auto server = Server::Start("127.0.0.1", 0, std::move(*scenario));
  EXPECT_TRUE(server.has_value()) << server.error().message();
  return std::move(server).value();
}

std::string OneRoute(const std::string& route, const std::string& steps) {
  return "routes:\n  - route: " + route + "\n    timeline:\n" + steps;
}

int PngWidth(const std::string& png) {
  auto b = [&](int i) { return static_cast<unsigned char>(png[i]); };
  return b(16) << 24 | b(17) << 16 | b(18) << 8 | b(19);
}

TEST(Server, ServesOpenAiWithKeepAliveAndRealPng) {
  auto server = StartWith(
      OneRoute("openai_images",
               "      - {behaviour: ok, image: {format: png, width: 1024, height: 1024}}\n"));
  ASSERT_GT(server->port(), 0);
  int fd = Connect(server->port());
  ASSERT_GE(fd, 0);
  for (const char* path : {"/v1/images/generations", "/v1/images/generations"}) {
    ASSERT_TRUE(SendAll(fd, BuildRequest("POST", path, kOpenAiBody)));
    auto r = ReadResponse(fd);
    ASSERT_TRUE(r.has_value()) << path;
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->headers["connection"], "keep-alive");
    auto png = DecodeBase64(json::parse(r->body)["data"][0]["b64_json"].get<std::string>());
    ASSERT_TRUE(png.has_value());
    EXPECT_EQ(PngWidth(*png), 1024);
  }
  ::close(fd);
  EXPECT_EQ(server->requests(RouteKind::kOpenAiImages), 2u);
}

TEST(Server, ServesGeminiByModelInThePath) {
  auto server = StartWith(
      "routes:\n"
      "  - route: gemini\n    model: gemini-3-pro-image\n"
      "    timeline: [{behaviour: unavailable}]\n"
      "  - route: gemini\n    timeline: [{behaviour: ok, image: {format: jpeg}}]\n");
  auto down =
      Fetch(server->port(),
            BuildRequest("POST", "/v1beta/models/gemini-3-pro-image:generateContent",
                         kGeminiBody));
  ASSERT_TRUE(down.has_value());
  EXPECT_EQ(down->status, 503);
  EXPECT_EQ(json::parse(down->body)["error"]["status"], "UNAVAILABLE");
  auto ok =
      Fetch(server->port(),
            BuildRequest("POST", "/v1beta/models/gemini-2.5-flash-image:generateContent?key=k",
                         kGeminiBody));
  ASSERT_TRUE(ok.has_value());
  json part = json::parse(ok->body)["candidates"][0]["content"]["parts"][1];
  EXPECT_EQ(part["inlineData"]["mimeType"], "image/jpeg");
  EXPECT_EQ(DecodeBase64(part["inlineData"]["data"].get<std::string>())->substr(0, 2), "\xff\xd8");
}

TEST(Server, FollowsTheTimelineOrderAndCounts) {
  auto server = StartWith(OneRoute("openai_images",
                                   "      - {behaviour: ok, count: 2}\n"
                                   "      - {behaviour: rate_limit, retry_after: 20s, count: 1}\n"
                                   "      - {behaviour: server_error, count: 1}\n"
                                   "      - {behaviour: auth}\n"));
  std::vector<int> codes;
  std::string retry_after;
  for (int i = 0; i < 6; ++i) {
    auto r = Fetch(server->port(), BuildRequest("POST", "/v1/images/generations", kOpenAiBody));
    ASSERT_TRUE(r.has_value());
    codes.push_back(r->status);
    if (r->status == 429) {
      retry_after = r->headers["retry-after"];
    }
  }
  EXPECT_EQ(codes, (std::vector<int>{200, 200, 429, 500, 401, 401}));
  EXPECT_EQ(retry_after, "20");
}

TEST(Server, LatencyIsScaledAndRequestsOverlap) {
  // 100 requests, each held 300 ms of real time (30 s scaled by 0.01), must
  // overlap: one event loop, no thread per connection.
  auto server = StartWith("time_scale: 0.01\n" +
                          OneRoute("openai_images", "      - {behaviour: ok, latency: 30s}\n"));
  std::vector<int> fds;
  auto start = Steady::now();
  for (int i = 0; i < 100; ++i) {
    int fd = Connect(server->port());
    ASSERT_GE(fd, 0);
    ASSERT_TRUE(SendAll(fd, BuildRequest("POST", "/v1/images/generations", kOpenAiBody)));
    fds.push_back(fd);
  }
  for (int fd : fds) {
    auto r = ReadResponse(fd);
    ASSERT_TRUE(r.has_value());
    EXPECT_EQ(r->status, 200);
    ::close(fd);
  }
  auto took = Steady::now() - start;
  EXPECT_GE(took, 300ms);
  EXPECT_LT(took, 2500ms);
}

TEST(Server, ResetSendsTcpRst) {
  auto server = StartWith(OneRoute("gemini", "      - {behaviour: reset}\n"));
  int fd = Connect(server->port());
  ASSERT_TRUE(SendAll(fd, BuildRequest("POST", "/v1beta/models/m:generateContent", kGeminiBody)));
  std::string got;
  ssize_t n = testing::RecvSome(fd, got, 3000ms);
  EXPECT_EQ(n, -1);
  EXPECT_EQ(errno, ECONNRESET);
  ::close(fd);
}

TEST(Server, HangHoldsUntilTheClientGivesUp) {
  auto server = StartWith(OneRoute("openrouter_chat", "      - {behaviour: hang}\n"));
  int fd = Connect(server->port());
  ASSERT_TRUE(SendAll(
      fd, BuildRequest("POST", "/api/v1/chat/completions", R"({"model":"a/b","messages":[]})")));
  std::string got;
  EXPECT_EQ(testing::RecvSome(fd, got, 500ms), -1);
  EXPECT_EQ(errno, ETIMEDOUT);
  EXPECT_TRUE(got.empty());
  EXPECT_EQ(server->open_connections(), 1u);
  ::close(fd);
  for (int i = 0; i < 100 && server->open_connections() > 0; ++i) {
    std::this_thread::sleep_for(10ms);
  }
  EXPECT_EQ(server->open_connections(), 0u);
}

TEST(Server, SlowDripSendsHeadersThenTheBodyOverTime) {
  auto server =
      StartWith(OneRoute("statuspage_summary", "      - {behaviour: slow_drip, drip: 400ms}\n"));
  int fd = Connect(server->port());
  ASSERT_TRUE(SendAll(fd, BuildRequest("GET", "/api/v2/summary.json")));
  auto start = Steady::now();
  std::string got;
  ASSERT_GT(testing::RecvSome(fd, got, 1000ms), 0);
  auto first = Steady::now() - start;
  EXPECT_LT(first, 200ms);
  size_t head_end = got.find("\r\n\r\n");
  ASSERT_NE(head_end, std::string::npos);
  EXPECT_LT(got.size() - head_end - 4, 200u) << "the body came all at once";
  ::close(fd);

  fd = Connect(server->port());
  ASSERT_TRUE(SendAll(fd, BuildRequest("GET", "/api/v2/summary.json")));
  start = Steady::now();
  auto full = ReadResponse(fd, 3000ms);
  ASSERT_TRUE(full.has_value());
  EXPECT_GE(Steady::now() - start, 300ms);
  EXPECT_TRUE(json::accept(full->body));
  ::close(fd);
}

TEST(Server, AnswersExpectContinueAndUnknownPaths) {
  auto server = StartWith(OneRoute("openai_images", "      - {behaviour: ok}\n"));
  int fd = Connect(server->port());
  std::string head = "POST /v1/images/generations HTTP/1.1\r\nHost: x\r\nContent-Length: " +
                     std::to_string(kOpenAiBody.size()) + "\r\nExpect: 100-continue\r\n\r\n";
  ASSERT_TRUE(SendAll(fd, head));
  std::string got;
  ASSERT_GT(testing::RecvSome(fd, got, 2000ms), 0);
  EXPECT_EQ(got, "HTTP/1.1 100 Continue\r\n\r\n");
  ASSERT_TRUE(SendAll(fd, kOpenAiBody));
  auto r = ReadResponse(fd);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->status, 200);
  ASSERT_TRUE(SendAll(fd, BuildRequest("GET", "/nope")));
  r = ReadResponse(fd);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->status, 404);
  ::close(fd);
  EXPECT_EQ(server->total_requests(), 1u);
}

TEST(Server, StopIsIdempotentAndClosesConnections) {
  auto server = StartWith(OneRoute("gemini", "      - {behaviour: hang}\n"));
  int fd = Connect(server->port());
  ASSERT_TRUE(SendAll(fd, BuildRequest("POST", "/v1beta/models/m:generateContent", kGeminiBody)));
  std::string got;
  testing::RecvSome(fd, got, 100ms);
  server->Stop();
  server->Stop();
  EXPECT_EQ(testing::RecvSome(fd, got, 1000ms), 0);  // EOF
  ::close(fd);
  EXPECT_LT(Connect(server->port()), 0);
}

TEST(Server, DallELinkPointsBackAtTheServerAndServesThePng) {
  auto server = StartWith(OneRoute(
      "openai_images", "      - {behaviour: ok, image: {format: png, width: 300, height: 200}}\n"));
  const std::string origin = "http://127.0.0.1:" + std::to_string(server->port());
  // The test client sends "Host: 127.0.0.1"; the link adds the port it came in on.
  auto gen = Fetch(server->port(), BuildRequest("POST", "/v1/images/generations",
                                                R"({"model":"dall-e-3","prompt":"a fox"})"));
  ASSERT_TRUE(gen.has_value());
  ASSERT_EQ(gen->status, 200);
  std::string url = json::parse(gen->body)["data"][0]["url"];
  ASSERT_EQ(url.rfind(origin + "/sim-images/", 0), 0u) << url;
  auto file = Fetch(server->port(), BuildRequest("GET", url.substr(origin.size())));
  ASSERT_TRUE(file.has_value());
  EXPECT_EQ(file->status, 200);
  EXPECT_EQ(file->headers["content-type"], "image/png");
  EXPECT_EQ(PngWidth(file->body), 300);
  auto missing = Fetch(server->port(), BuildRequest("GET", "/sim-images/img-unknown.png"));
  ASSERT_TRUE(missing.has_value());
  EXPECT_EQ(missing->status, 404);
  EXPECT_EQ(server->requests(RouteKind::kOpenAiImages), 1u);
  EXPECT_EQ(server->requests(RouteKind::kOpenAiImageFiles), 2u);
}

TEST(Server, RejectsABadListenAddress) {
  auto s = Server::Start("not-an-ip", 0, Scenario{});
  ASSERT_FALSE(s.has_value());
  EXPECT_NE(s.error().message().find("not-an-ip:0"), std::string::npos);
}

}  // namespace
}  // namespace modelwatch::sim
