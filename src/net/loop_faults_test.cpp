// The loop against servers and proxies that misbehave: a gzip answer nobody
// asked for, broken chunked encoding, a proxy that is down or refuses
// CONNECT. Each server is a raw socket on loopback that sends fixed bytes.
#include <arpa/inet.h>
#include <curl/curl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "net/environment.h"
#include "net/loop.h"

namespace modelwatch::net {
namespace {

// Answers every connection with `reply` after reading the request head.
class RawServer {
 public:
  explicit RawServer(std::string reply) : reply_(std::move(reply)) {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a);
    listen(fd_, 16);
    socklen_t len = sizeof a;
    getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
    thread_ = std::thread([this] { Serve(); });
  }
  ~RawServer() {
    stop_ = true;
    shutdown(fd_, SHUT_RDWR);
    close(fd_);
    thread_.join();
  }
  int port() const { return port_; }
  std::string Url(const std::string& path = "/") const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }
  std::string request() const {
    std::lock_guard lock(mu_);
    return request_;
  }

 private:
  void Serve() {
    while (!stop_) {
      int c = accept(fd_, nullptr, nullptr);
      if (c < 0) {
        return;
      }
      std::string got;
      char buf[4096];
      while (got.find("\r\n\r\n") == std::string::npos) {
        ssize_t n = read(c, buf, sizeof buf);
        if (n <= 0) {
          break;
        }
        got.append(buf, static_cast<size_t>(n));
      }
      {
        std::lock_guard lock(mu_);
        request_ = got;
      }
      [[maybe_unused]] ssize_t w = write(c, reply_.data(), reply_.size());
      close(c);
    }
  }

  std::string reply_;
  int fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  mutable std::mutex mu_;
  std::string request_;
  std::thread thread_;
};

// Sets environment variables for the life of the object (the loop reads
// them when built), clearing every proxy variable first.
class ScopedEnv {
 public:
  ScopedEnv(std::initializer_list<std::pair<const char*, std::string>> vars) {
    for (const char* n : {"http_proxy", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY",
                          "no_proxy", "NO_PROXY"}) {
      Save(n);
      unsetenv(n);
    }
    for (const auto& [n, v] : vars) {
      Save(n);
      setenv(n, v.c_str(), 1);
    }
  }
  ~ScopedEnv() {
    for (const auto& [n, v] : saved_) {
      if (v) {
        setenv(n.c_str(), v->c_str(), 1);
      } else {
        unsetenv(n.c_str());
      }
    }
  }

 private:
  void Save(const char* n) {
    const char* v = std::getenv(n);
    saved_.emplace_back(n, v ? std::optional<std::string>(v) : std::nullopt);
  }
  std::vector<std::pair<std::string, std::optional<std::string>>> saved_;
};

class LoopFaults : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { curl_global_init(CURL_GLOBAL_DEFAULT); }

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

  SystemClock clock_;
};

// gzip of {"data":[{"b64_json":"iVBORw0KGgo="}]}
const std::string kGzipJson(
    "\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\x03\xab\x56\x4a\x49\x2c\x49\x54\xb2\x8a\xae\x56\x4a\x32"
    "\x33\x89\xcf\x2a\xce\xcf\x53\xb2\x52\xca\x0c\x73\xf2\x0f\x2a\x37\xf0\x76\x4f\xcf\xb7\x55\xaa"
    "\x8d\xad\x05\x00\x39\xe9\x9c\x6f\x26\x00\x00\x00",
    58);

TEST_F(LoopFaults, DecodesAGzipAnswerItDidNotAskFor) {
  RawServer server(
      "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\n"
      "Content-Length: 58\r\nConnection: close\r\n\r\n" +
      kGzipJson);
  Request req;
  req.url = server.Url("/v1/images");
  Response r = Fetch(req);
  ASSERT_EQ(r.error, TransferError::kNone) << r.error_message;
  EXPECT_EQ(r.body, R"({"data":[{"b64_json":"iVBORw0KGgo="}]})");
  EXPECT_NE(server.request().find("Accept-Encoding: identity"), std::string::npos)
      << server.request();
}

TEST_F(LoopFaults, KeepsLibcurlsDetailForBrokenChunkedEncoding) {
  RawServer server(
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\nzz\r\nab\r\n");
  Request req;
  req.url = server.Url();
  Response r = Fetch(req);
  ASSERT_NE(r.error, TransferError::kNone);
  EXPECT_NE(r.error_message.find("Illegal or missing hexadecimal sequence in chunked-encoding"),
            std::string::npos)
      << r.error_message;
}

TEST_F(LoopFaults, ProxyRefusingConnectIsAProxyFailure) {
  RawServer proxy("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
  ScopedEnv env({{"https_proxy", "http://127.0.0.1:" + std::to_string(proxy.port())}});
  Request req;
  req.url = "https://provider.example/v1/images";
  Response r = Fetch(req);
  EXPECT_EQ(r.error, TransferError::kProxy) << r.error_message;
  EXPECT_NE(r.error_message.find("403"), std::string::npos) << r.error_message;
  EXPECT_NE(proxy.request().find("CONNECT provider.example:443"), std::string::npos);
}

TEST_F(LoopFaults, ProxyThatIsDownIsAProxyFailure) {
  int port;
  {
    RawServer gone("");
    port = gone.port();
  }  // closed: connections to it are refused
  ScopedEnv env({{"https_proxy", "http://127.0.0.1:" + std::to_string(port)}});
  Request req;
  req.url = "https://provider.example/v1/images";
  Response r = Fetch(req);
  EXPECT_EQ(r.error, TransferError::kProxy) << r.error_message;
}

// A host name with a 64-character label is not a DNS name (RFC 1035: 63 at
// most), so the resolver refuses it without sending a query: an unresolvable
// proxy without leaving the machine.
TEST_F(LoopFaults, ProxyWhoseNameDoesNotResolveIsAProxyFailure) {
  const std::string host = std::string(64, 'p') + ".invalid";
  ScopedEnv env({{"https_proxy", "http://" + host + ":3128"}});
  Request req;
  req.url = "https://provider.example/v1/images";
  Response r = Fetch(req);
  EXPECT_EQ(r.error, TransferError::kProxy) << r.error_message;
  EXPECT_NE(r.error_message.find("Could not resolve proxy"), std::string::npos)
      << r.error_message;
}

TEST_F(LoopFaults, RefusedConnectionWithoutAProxyIsTheServers) {
  int port;
  {
    RawServer gone("");
    port = gone.port();
  }
  ScopedEnv env({});
  Request req;
  req.url = "http://127.0.0.1:" + std::to_string(port) + "/";
  Response r = Fetch(req);
  EXPECT_EQ(r.error, TransferError::kConnect) << r.error_message;
}

TEST(ProxyApplies, FollowsSchemeAndNoProxy) {
  ProxyEnvironment env;
  env.https = "http://proxy:3128";
  EXPECT_TRUE(ProxyApplies(env, "https://api.openai.com/v1"));
  EXPECT_FALSE(ProxyApplies(env, "http://api.openai.com/v1"));  // no http_proxy
  env.no_proxy = "localhost, .internal.example,10.0.0.1";
  EXPECT_FALSE(ProxyApplies(env, "https://gw.internal.example/v1"));
  EXPECT_FALSE(ProxyApplies(env, "https://internal.example/v1"));
  EXPECT_TRUE(ProxyApplies(env, "https://notinternal.example/v1"));
  EXPECT_FALSE(ProxyApplies(env, "https://10.0.0.1:8443/"));
  env.no_proxy = "*";
  EXPECT_FALSE(ProxyApplies(env, "https://api.openai.com/v1"));
}

TEST(NetEnvironment, CaVariablesAreUsedWhenSet) {
  ScopedEnv env(
      {{"SSL_CERT_FILE", "/x/ca.pem"}, {"SSL_CERT_DIR", "/x/certs"}, {"CURL_CA_BUNDLE", ""}});
  NetEnvironment e = ReadNetEnvironment({"/builtin.pem", ""});
  EXPECT_EQ(e.default_trust.ca_file, "/x/ca.pem");
  EXPECT_EQ(e.default_trust.ca_path, "/x/certs");
  setenv("CURL_CA_BUNDLE", "/y/bundle.pem", 1);
  e = ReadNetEnvironment({"/builtin.pem", ""});
  EXPECT_EQ(e.default_trust.ca_file, "/y/bundle.pem");
  EXPECT_EQ(e.default_trust.ca_path, "");
}

}  // namespace
}  // namespace modelwatch::net
