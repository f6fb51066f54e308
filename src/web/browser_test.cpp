// The dashboard in a real browser: Debian's chromium, headless, against a
// server on loopback. Saves screenshots under build/.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <filesystem>

#include "web/test_fixture.h"

namespace modelwatch::web {
namespace {

using testing::WebTest;

std::string Chromium() {
  for (const char* c : {"chromium", "chromium-browser"}) {
    if (std::system((std::string("command -v ") + c + " >/dev/null 2>&1").c_str()) == 0) {
      return c;
    }
  }
  return "";
}

class BrowserTest : public WebTest {
 protected:
  void SetUp() override {
    chromium_ = Chromium();
    if (chromium_.empty()) {
      GTEST_SKIP() << "chromium is not installed (apt-get install -y chromium)";
    }
    WebTest::SetUp();
    StartServer(true, false);
  }

  // Runs headless chromium with `args` on `path`; its stdout.
  std::string Browse(const std::string& args, const std::string& path) {
    std::string profile = dir_.path() + "/profile" + std::to_string(runs_++);
    std::string cmd = chromium_ +
                      " --headless --no-sandbox --disable-gpu --disable-quic --no-first-run "
                      "--disable-background-networking --disable-component-update "
                      "--disable-sync --disable-dev-shm-usage --user-data-dir=" +
                      profile + " " + args + " '" + server_->url() + path + "' 2>/dev/null";
    std::string out;
    FILE* p = popen(cmd.c_str(), "r");
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0) {
      out.append(buf, n);
    }
    pclose(p);
    return out;
  }

  void Screenshot(const std::string& path, const std::string& file) {
    std::string out = std::string(MODELWATCH_SOURCE_DIR) + "/build/" + file;
    std::filesystem::remove(out);
    Browse("--screenshot=" + out + " --window-size=1280,900 --hide-scrollbars", path);
    EXPECT_TRUE(std::filesystem::exists(out)) << out;
    EXPECT_GT(std::filesystem::file_size(out), 10'000u) << out;
  }

  std::string chromium_;
  int runs_ = 0;
};

TEST_F(BrowserTest, OverviewShowsMonitorsBarsAndHostileTextAsText) {
  std::string dom = Browse("--dump-dom --virtual-time-budget=3000", "/");
  ASSERT_FALSE(dom.empty());
  EXPECT_NE(dom.find("href=\"/monitor/alpha\""), std::string::npos);
  EXPECT_NE(dom.find("href=\"/monitor/beta\""), std::string::npos);
  EXPECT_NE(dom.find("<svg class=\"bars\""), std::string::npos);
  // The hostile texts are text: escaped in the DOM, never elements.
  EXPECT_NE(dom.find("&lt;script&gt;alert('x')&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(dom.find("&lt;img src=x onerror=alert(2)&gt;"), std::string::npos);
  EXPECT_EQ(dom.find("<img"), std::string::npos);
  EXPECT_EQ(dom.find("<script>alert"), std::string::npos);
  // The only script is ours, and it ran (it stamps the update time).
  EXPECT_NE(dom.find("updated "), std::string::npos);
}

TEST_F(BrowserTest, MonitorPageHasTheLatencyChart) {
  std::string dom = Browse("--dump-dom", "/monitor/alpha?range=7d");
  EXPECT_NE(dom.find("<svg class=\"chart\""), std::string::npos);
  EXPECT_NE(dom.find("class=\"p95\""), std::string::npos);
  EXPECT_EQ(dom.find("<img"), std::string::npos);
}

TEST_F(BrowserTest, SavesScreenshots) {
  Screenshot("/", "screenshot-overview.png");
  Screenshot("/monitor/alpha?range=7d", "screenshot-monitor.png");
  Screenshot("/compare?monitors=alpha,beta,app", "screenshot-compare.png");
}

}  // namespace
}  // namespace modelwatch::web
