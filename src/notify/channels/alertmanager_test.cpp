#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "core/check_result.h"
#include "notify/channels/channel_test_util.h"
#include "notify/channels/channels.h"

extern char** environ;

namespace modelwatch::notify {
namespace {

using namespace testing;

constexpr char kAlertmanager[] = "/usr/bin/prometheus-alertmanager";

TEST(Alertmanager, OneAlertPerItemWithStableLabels) {
  ChannelPtr ch = MakeFromYaml(MakeAlertmanagerChannel, "{url: \"http://am.example:9093/\"}");
  Result<net::Request> req = ch->Render(SampleNotification(TestNow()), TestNow());
  EXPECT_EQ(req->url, "http://am.example:9093/api/v2/alerts");
  nlohmann::json b = BodyJson(*req);
  ASSERT_TRUE(b.is_array());
  ASSERT_EQ(b.size(), 1u);
  const nlohmann::json& a = b[0];
  EXPECT_EQ(a["labels"], (nlohmann::json{{"alertname", "ModelwatchConsecutiveFailures"},
                                         {"monitor", "nano-banana-pro"},
                                         {"rule", "consecutive_failures"},
                                         {"severity", "critical"},
                                         {"provider", "google"},
                                         {"model", "gemini-3-pro-image"}}));
  EXPECT_EQ(a["startsAt"], FormatIso8601(TestNow() - std::chrono::minutes(3)));
  EXPECT_EQ(a["endsAt"], FormatIso8601(TestNow() + std::chrono::hours(24)));
  EXPECT_EQ(a["annotations"]["summary"], Headline(SampleNotification(TestNow())));
  EXPECT_EQ(a["annotations"]["error"], "The model is overloaded. Please try again later.");
}

TEST(Alertmanager, ResolvedEndsNowWithTheSameLabels) {
  ChannelPtr ch = MakeFromYaml(MakeAlertmanagerChannel, "{url: \"http://am.example:9093\"}");
  nlohmann::json fire = BodyJson(*ch->Render(SampleNotification(TestNow()), TestNow()));
  nlohmann::json res = BodyJson(*ch->Render(SampleResolved(TestNow()), TestNow()));
  EXPECT_EQ(res[0]["labels"], fire[0]["labels"]);
  EXPECT_EQ(res[0]["endsAt"], FormatIso8601(TestNow()));
}

TEST(Alertmanager, SuccessIs200) {
  ChannelPtr ch = MakeFromYaml(MakeAlertmanagerChannel, "{url: \"http://am.example:9093\"}");
  EXPECT_TRUE(ch->Check(Answer(200, "")).delivered);
  Delivery d = ch->Check(Answer(400, "start time must be before end time"));
  EXPECT_TRUE(d.permanent);
  EXPECT_EQ(d.error, "HTTP 400: start time must be before end time");
}

int FreePort() {
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

// A real Alertmanager on 127.0.0.1, no clustering, storage in a temp dir.
class RealAlertmanager {
 public:
  RealAlertmanager() {
    dir_ = std::filesystem::temp_directory_path() /
           ("mw-am-" + std::to_string(getpid()) + "-" + std::to_string(FreePort()));
    std::filesystem::create_directories(dir_);
    std::ofstream(dir_ / "am.yml") << "route:\n  receiver: none\n  group_wait: 1h\n"
                                      "receivers:\n  - name: none\n";
    port_ = FreePort();
    std::vector<std::string> args = {kAlertmanager,
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
    if (posix_spawn(&pid_, kAlertmanager, nullptr, nullptr, argv.data(), environ) != 0) {
      pid_ = -1;
    }
  }
  ~RealAlertmanager() {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      waitpid(pid_, nullptr, 0);
    }
    std::filesystem::remove_all(dir_);
  }
  std::string Url(const std::string& path = "") const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }
  bool WaitReady() const {
    for (int i = 0; i < 200; ++i) {
      net::Request req;
      req.url = Url("/-/ready");
      req.timeout = std::chrono::milliseconds(500);
      if (Send(req).http_status == 200) {
        return true;
      }
      SleepFor(std::chrono::milliseconds(50));
    }
    return false;
  }
  // The alerts it holds as active (resolved ones are not listed).
  nlohmann::json Alerts() const {
    net::Request req;
    req.url = Url("/api/v2/alerts");
    net::Response r = Send(req);
    nlohmann::json j = nlohmann::json::parse(r.body, nullptr, false);
    return j.is_discarded() ? nlohmann::json::array() : j;
  }

 private:
  std::filesystem::path dir_;
  int port_ = 0;
  pid_t pid_ = -1;
};

TEST(Alertmanager, RealAlertmanagerHoldsTheAlertThenEndsIt) {
  if (access(kAlertmanager, X_OK) != 0) {
    GTEST_SKIP()
        << kAlertmanager
        << " is missing: apt-get install prometheus-alertmanager (scripts/install-deps.sh)";
  }
  RealAlertmanager am;
  ASSERT_TRUE(am.WaitReady()) << "Alertmanager did not become ready at " << am.Url();
  ChannelPtr ch = MakeFromYaml(MakeAlertmanagerChannel, "{url: \"" + am.Url() + "\"}");
  SystemClock clock;
  WallTime now = clock.WallNow();
  net::Response posted = Send(*ch->Render(SampleNotification(now), now));
  ASSERT_TRUE(ch->Check(posted).delivered) << posted.http_status << " " << posted.body;

  nlohmann::json alerts = am.Alerts();
  ASSERT_EQ(alerts.size(), 1u) << alerts.dump();
  const nlohmann::json& a = alerts[0];
  EXPECT_EQ(a["labels"]["alertname"], "ModelwatchConsecutiveFailures");
  EXPECT_EQ(a["labels"]["monitor"], "nano-banana-pro");
  EXPECT_EQ(a["labels"]["rule"], "consecutive_failures");
  EXPECT_EQ(a["labels"]["severity"], "critical");
  EXPECT_EQ(a["labels"]["provider"], "google");
  EXPECT_EQ(a["status"]["state"], "active");
  EXPECT_EQ(a["annotations"]["error"], "The model is overloaded. Please try again later.");

  WallTime later = clock.WallNow();
  net::Response resolved = Send(*ch->Render(SampleResolved(later), later));
  ASSERT_TRUE(ch->Check(resolved).delivered) << resolved.body;
  // Alertmanager lists only alerts whose endsAt has not passed.
  nlohmann::json after;
  for (int i = 0; i < 40; ++i) {
    after = am.Alerts();
    if (after.empty()) {
      break;
    }
    SleepFor(std::chrono::milliseconds(50));
  }
  EXPECT_TRUE(after.empty()) << after.dump();
}

}  // namespace
}  // namespace modelwatch::notify
