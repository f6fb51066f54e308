// /metrics against the real Prometheus tools: promtool's linter, and a
// Prometheus server on loopback scraping the server and answering a query.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>

#include "web/test_fixture.h"

extern char** environ;

namespace modelwatch::web {
namespace {

using testing::WebTest;

bool HaveTool(const char* name) {
  std::string cmd = std::string("command -v ") + name + " >/dev/null 2>&1";
  return std::system(cmd.c_str()) == 0;
}

// Runs `cmd` through the shell; its exit code and combined output.
std::pair<int, std::string> RunShell(const std::string& cmd) {
  std::string out;
  FILE* p = popen((cmd + " 2>&1").c_str(), "r");
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) {
    out.append(buf, n);
  }
  int rc = pclose(p);
  return {WIFEXITED(rc) ? WEXITSTATUS(rc) : -1, out};
}

int FreePort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  close(fd);
  return ntohs(a.sin_port);
}

TEST_F(WebTest, MetricsPassPromtoolCheck) {
  if (!HaveTool("promtool")) {
    GTEST_SKIP() << "promtool is not installed (apt-get install -y prometheus)";
  }
  StartServer(true, false);
  auto r = Get("/metrics");
  ASSERT_TRUE(r);
  std::string path = dir_.path() + "/scrape.txt";
  std::ofstream(path) << r->body;
  auto [rc, out] = RunShell("promtool check metrics < " + path);
  EXPECT_EQ(rc, 0) << out;
  EXPECT_EQ(out.find("error"), std::string::npos) << out;
}

TEST(PrometheusExamples, AlertingRulesPassPromtool) {
  if (!HaveTool("promtool")) {
    GTEST_SKIP() << "promtool is not installed (apt-get install -y prometheus)";
  }
  auto [rc, out] = RunShell(std::string("promtool check rules ") + MODELWATCH_SOURCE_DIR +
                            "/examples/prometheus/modelwatch-rules.yml");
  EXPECT_EQ(rc, 0) << out;
}

TEST(PrometheusExamples, GrafanaDashboardIsJsonOnOurMetrics) {
  std::ifstream in(std::string(MODELWATCH_SOURCE_DIR) +
                   "/examples/prometheus/grafana-dashboard.json");
  ASSERT_TRUE(in) << "examples/prometheus/grafana-dashboard.json is missing";
  nlohmann::json j = nlohmann::json::parse(in, nullptr, false);
  ASSERT_FALSE(j.is_discarded());
  EXPECT_NE(j.dump().find("modelwatch_availability_ratio"), std::string::npos);
}

TEST_F(WebTest, RealPrometheusScrapesAndAnswersAQuery) {
  if (!HaveTool("prometheus")) {
    GTEST_SKIP() << "prometheus is not installed (apt-get install -y prometheus)";
  }
  StartServer(false, false);
  int prom_port = FreePort();
  std::string cfg_path = dir_.path() + "/prometheus.yml";
  std::ofstream(cfg_path) << "global: {scrape_interval: 1s, evaluation_interval: 1s}\n"
                             "scrape_configs:\n"
                             "  - job_name: modelwatch\n"
                             "    static_configs: [{targets: ['127.0.0.1:"
                          << server_->port() << "']}]\n";
  std::string data = "--storage.tsdb.path=" + dir_.path() + "/tsdb";
  std::string conf = "--config.file=" + cfg_path;
  std::string listen = "--web.listen-address=127.0.0.1:" + std::to_string(prom_port);
  std::string log = "--log.level=warn";
  std::vector<char*> argv = {const_cast<char*>("prometheus"),
                             conf.data(),
                             data.data(),
                             listen.data(),
                             log.data(),
                             nullptr};
  pid_t pid = 0;
  ASSERT_EQ(posix_spawnp(&pid, "prometheus", nullptr, nullptr, argv.data(), environ), 0);
  httplib::Client prom("127.0.0.1", prom_port);
  std::string value;
  for (int i = 0; i < 150 && value.empty(); ++i) {
    SleepFor(std::chrono::milliseconds(200));
    auto r = prom.Get(
        "/api/v1/query?query=modelwatch_checks_total%7Bmonitor%3D%22alpha%22%2Cstatus%3D%22"
        "success%22%7D");
    if (!r || r->status != 200) {
      continue;
    }
    auto j = nlohmann::json::parse(r->body, nullptr, false);
    if (!j.is_discarded() && !j["data"]["result"].empty()) {
      value = j["data"]["result"][0]["value"][1].get<std::string>();
    }
  }
  kill(pid, SIGTERM);
  int status = 0;
  waitpid(pid, &status, 0);
  EXPECT_EQ(value, "287");
}

}  // namespace
}  // namespace modelwatch::web
