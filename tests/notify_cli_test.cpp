// `modelwatch notify test` as a real process against a loopback receiver
// that answers like Feishu.
#include <gtest/gtest.h>
#include <httplib.h>
#include <stdlib.h>

#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "subprocess.h"

namespace modelwatch {
namespace {

using testing::Binary;
using testing::RunProcess;
using testing::TempDir;
using testing::WriteFile;

constexpr char kToken[] = "c0ffee00-1234-5678-9abc-def012345678";

class FeishuReceiver {
 public:
  explicit FeishuReceiver(std::string answer) : answer_(std::move(answer)) {
    server_.Post(".*", [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard<std::mutex> lock(mu_);
      path_ = req.path;
      body_ = req.body;
      res.set_content(answer_, "application/json");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  }
  ~FeishuReceiver() {
    server_.stop();
    thread_.join();
  }
  std::string Base() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::string body() {
    std::lock_guard<std::mutex> lock(mu_);
    return body_;
  }
  std::string path() {
    std::lock_guard<std::mutex> lock(mu_);
    return path_;
  }

 private:
  httplib::Server server_;
  std::string answer_;
  int port_ = 0;
  std::thread thread_;
  std::mutex mu_;
  std::string path_, body_;
};

std::string Config(const FeishuReceiver& rx) {
  std::string path = TempDir() + "/notify.yaml";
  WriteFile(path, "channels:\n  ops:\n    kind: feishu\n    url: \"" + rx.Base() +
                      "/open-apis/bot/v2/hook/${MW_TEST_FEISHU_TOKEN}\"\n    secret: "
                      "\"${MW_TEST_FEISHU_SECRET}\"\n");
  setenv("MW_TEST_FEISHU_TOKEN", kToken, 1);
  setenv("MW_TEST_FEISHU_SECRET", "sek-ret-value", 1);
  return path;
}

TEST(NotifyCli, DeliversASignedSampleCard) {
  FeishuReceiver rx(R"({"code":0,"msg":"success","data":{}})");
  auto r = RunProcess({Binary(), "notify", "test", "-c", Config(rx), "ops"});
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("delivered in"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find(kToken), std::string::npos) << r.out;
  EXPECT_EQ(rx.path(), std::string("/open-apis/bot/v2/hook/") + kToken);
  nlohmann::json b = nlohmann::json::parse(rx.body());
  EXPECT_EQ(b["msg_type"], "interactive");
  EXPECT_EQ(b["card"]["header"]["template"], "red");
  EXPECT_TRUE(b.contains("sign"));
  std::string title = b["card"]["header"]["title"]["content"];
  EXPECT_NE(title.find("nano-banana-pro: server error (HTTP 503)"), std::string::npos) << title;
}

TEST(NotifyCli, RejectedDeliveryExitsOneWithTheAnswer) {
  FeishuReceiver rx(
      R"({"code":19021,"data":{},"msg":"sign match fail or timestamp is not within one hour from current time"})");
  auto r = RunProcess({Binary(), "notify", "test", "-c", Config(rx), "ops", "--language", "zh"});
  EXPECT_EQ(r.code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("NOT delivered: HTTP 200: code 19021: sign match fail"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("check its url, secret"), std::string::npos);
  EXPECT_EQ(r.out.find(kToken), std::string::npos);
  EXPECT_NE(nlohmann::json::parse(rx.body())["card"]["header"]["title"]["content"]
                .get<std::string>()
                .find("服务端错误"),
            std::string::npos);
}

TEST(NotifyCli, UnknownChannelSuggestsTheNearest) {
  FeishuReceiver rx("{}");
  auto r = RunProcess({Binary(), "notify", "test", "-c", Config(rx), "opz"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("no channel \"opz\""), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("did you mean \"ops\"?"), std::string::npos) << r.err;
}

TEST(NotifyCli, BadChannelConfigExitsTwoWithItsPlace) {
  std::string path = TempDir() + "/bad.yaml";
  WriteFile(path, "channels:\n  ops: {kind: feishu, url: \"https://x/y\", fromat: text}\n");
  auto r = RunProcess({Binary(), "notify", "test", "-c", path, "ops"});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find(path + ":2:43: channels.ops: unknown key \"fromat\" (did you mean "
                              "\"format\"?)"),
            std::string::npos)
      << r.err;
}

}  // namespace
}  // namespace modelwatch
