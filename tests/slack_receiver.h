#pragma once

// A Slack incoming webhook on loopback for the daemon's end-to-end tests:
// answers "ok" (or 500 with Slack's `rollup_error` while down), keeps every
// message it accepted.

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

namespace modelwatch::testing {

class SlackReceiver {
 public:
  SlackReceiver() {
    server_.Post(kPath, [this](const httplib::Request& req, httplib::Response& res) {
      if (down_) {
        res.status = 500;
        res.set_content("rollup_error", "text/plain");
        return;
      }
      nlohmann::json m = nlohmann::json::parse(req.body, nullptr, false);
      std::lock_guard lock(mu_);
      texts_.push_back(m.is_discarded() ? req.body : m.dump());
      res.set_content("ok", "text/plain");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  }
  ~SlackReceiver() {
    server_.stop();
    thread_.join();
  }
  // The webhook URL (a secret: its path is the token).
  std::string Url() const { return "http://127.0.0.1:" + std::to_string(port_) + kPath; }
  // Every accepted message, as JSON text, in arrival order.
  std::vector<std::string> Texts() {
    std::lock_guard lock(mu_);
    return texts_;
  }
  void SetDown(bool down) { down_ = down; }

  static constexpr const char* kPath = "/services/T000/B000/XXXX";

 private:
  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
  std::atomic<bool> down_{false};
  std::mutex mu_;
  std::vector<std::string> texts_;
};

}  // namespace modelwatch::testing
