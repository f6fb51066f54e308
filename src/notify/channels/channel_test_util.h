#pragma once

// Test-only helpers for the channel tests (header-only, not in mw_notify):
// a channel built from YAML, a real HTTP receiver on 127.0.0.1:0, and one
// exchange through a real net::Loop.

#include <curl/curl.h>
#include <gtest/gtest.h>
#include <httplib.h>

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "config/interpolate.h"
#include "config/yaml_edge.h"
#include "core/clock.h"
#include "net/loop.h"
#include "notify/channel.h"
#include "notify/render.h"
#include "notify/sample.h"

namespace modelwatch::notify::testing {

// A fixed wall time that every rendered test message is signed at.
inline WallTime TestNow() { return WallTime(std::chrono::seconds(1'791'379'504)); }

// A tree of `yaml` with ${VAR} from `env`; problems go to `diag`.
inline config::Node ParseNode(const std::string& yaml, config::Diagnostics& diag,
                              const std::map<std::string, std::string>& env = {}) {
  Result<config::Node> node = config::ParseYaml(yaml, "cfg.yaml");
  if (!node) {
    ADD_FAILURE() << node.error().message();
    return {};
  }
  config::InterpolateTree(
      *node, yaml,
      [&](const std::string& k) -> std::optional<std::string> {
        auto it = env.find(k);
        return it == env.end() ? std::nullopt : std::optional<std::string>(it->second);
      },
      diag);
  return *node;
}

// A channel named "test" from the map `yaml`; fails the test on a problem.
inline ChannelPtr MakeFromYaml(ChannelFactory make, const std::string& yaml) {
  config::Diagnostics diag;
  config::Node node = ParseNode(yaml, diag);
  ChannelPtr ch = make(config::Scope(diag, "channels.test"), "test", node);
  EXPECT_TRUE(diag.empty()) << diag.ToString();
  EXPECT_NE(ch, nullptr);
  return ch;
}

// The problems a factory reports for `yaml` (empty when it builds).
inline std::string ProblemsOf(ChannelFactory make, const std::string& yaml,
                              const std::map<std::string, std::string>& env = {}) {
  config::Diagnostics diag;
  config::Node node = ParseNode(yaml, diag, env);
  ChannelPtr ch = make(config::Scope(diag, "channels.test"), "test", node);
  EXPECT_EQ(ch == nullptr, !diag.empty());
  return diag.ToString();
}

inline nlohmann::json BodyJson(const net::Request& r) { return nlohmann::json::parse(r.body); }

inline net::Response Answer(int status, std::string body, net::Headers headers = {}) {
  net::Response r;
  r.http_status = status;
  r.body = std::move(body);
  r.headers = std::move(headers);
  return r;
}

struct Received {
  std::string method;
  std::string path;
  std::string query;                           // raw, as sent
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;
};

// A real HTTP server on a free loopback port that records each request and
// gives the scripted answer.
class Receiver {
 public:
  Receiver() {
    auto handle = [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard<std::mutex> lock(mu_);
      Received r{req.method, req.path, "", {}, req.body};
      if (size_t q = req.target.find('?'); q != std::string::npos) {
        r.query = req.target.substr(q + 1);
      }
      for (const auto& [k, v] : req.headers) {
        std::string lower;
        for (char c : k) {
          lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        }
        r.headers[lower] = v;
      }
      got_.push_back(std::move(r));
      res.status = status_;
      for (const auto& [k, v] : headers_) {
        res.set_header(k, v);
      }
      if (!body_.empty()) {
        res.set_content(body_, content_type_);
      }
    };
    server_.Post(".*", handle);
    server_.Get(".*", handle);
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
  void Answer(int status, std::string body, std::string content_type = "application/json",
              std::vector<std::pair<std::string, std::string>> headers = {}) {
    std::lock_guard<std::mutex> lock(mu_);
    status_ = status;
    body_ = std::move(body);
    content_type_ = std::move(content_type);
    headers_ = std::move(headers);
  }
  std::string Url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }
  std::vector<Received> got() const {
    std::lock_guard<std::mutex> lock(mu_);
    return got_;
  }

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  mutable std::mutex mu_;
  int status_ = 200;
  std::string body_;
  std::string content_type_ = "application/json";
  std::vector<std::pair<std::string, std::string>> headers_;
  std::vector<Received> got_;
};

// One exchange on a fresh net::Loop.
inline net::Response Send(net::Request req) {
  static const bool curl_ready = [] {
    curl_global_init(CURL_GLOBAL_DEFAULT);
    return true;
  }();
  (void)curl_ready;
  SystemClock clock;
  net::Loop loop(clock);
  net::Response out;
  loop.Start(std::move(req), [&](net::Response&& r) {
    out = std::move(r);
    loop.Stop();
  });
  loop.Run();
  return out;
}

// The sample alert with a hostile provider error: markup, markdown
// characters, a NUL, invalid UTF-8 and 10 KB of text.
inline Notification HostileNotification() {
  Notification n = SampleNotification(TestNow());
  std::string error = "<script>alert(1)</script> *bold* _it_ ~strike~ `code` [x](http://evil) ";
  error += std::string("nul:") + '\0' + "after \xff\xfe ";
  error += "</font>&amp; @everyone ";
  while (error.size() < 10'000) {
    error += "overloaded 过载 ";
  }
  n.items[0].error = error;
  n.items[0].monitor = "nano_banana*pro<b>";
  return n;
}

}  // namespace modelwatch::notify::testing
