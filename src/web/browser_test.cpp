// The dashboard in a real browser: Debian's chromium, headless, against a
// server on loopback. Every assertion reads the DOM chromium built (after
// app.js ran), not the HTML the server sent. Each page is loaded once for
// the whole suite (its DOM and its screenshot under build/ in one run), so
// the suite costs three browser starts.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>

#include "web/test_fixture.h"

namespace modelwatch::web {
namespace {

using testing::WebTest;

// The hostile text as chromium serializes a text node holding it.
constexpr const char* kHostileAsText =
    "&lt;script&gt;alert('x')&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;";

std::string Chromium() {
  for (const char* c : {"chromium", "chromium-browser"}) {
    if (std::system((std::string("command -v ") + c + " >/dev/null 2>&1").c_str()) == 0) {
      return c;
    }
  }
  return "";
}

// The pages the suite looks at, with the screenshot each is saved as (1280
// wide, tall enough for the panels the tests read).
struct PageShot {
  const char* path;
  const char* screenshot;
  int height;
};
constexpr PageShot kOverview{"/", "screenshot-overview.png", 1300};
constexpr PageShot kMonitor{"/monitor/beta", "screenshot-monitor.png", 1900};
constexpr PageShot kCompare{"/compare?monitors=alpha,beta", "screenshot-compare.png", 900};

// One dashboard for the suite: WebTest's history under kSourcesConfig, live
// state with the firing alert and the sources (a hostile incident title),
// beta's detection lead and firing in the alert history, gcp-vertex's
// stored events, two costed checks of alpha.
class Dashboard : public WebTest {
 public:
  void TestBody() override {}

  void Start(const std::string& chromium) {
    chromium_ = chromium;
    WebTest::SetUp();
    auto cfg = config::LoadFromString(testing::kSourcesConfig, "cfg.yaml");
    ASSERT_TRUE(cfg) << cfg.error().message();
    cfg_ = std::move(*cfg);
    StoreDetectionLead();
    StoreSourceEvents();
    StoreCostedChecks();
    auto snap = FiringSnapshot();
    AddSources(*snap);
    live_.Publish(snap);
    StartServerOnly(true);
  }

  // The DOM of `page` after its scripts ran; saves its screenshot. Loaded
  // once.
  const std::string& Dom(const PageShot& page) {
    auto it = doms_.find(page.path);
    if (it != doms_.end()) {
      return it->second;
    }
    std::string shot = std::string(MODELWATCH_SOURCE_DIR) + "/build/" + page.screenshot;
    std::filesystem::remove(shot);
    std::string profile = dir_.path() + "/profile" + std::to_string(doms_.size());
    std::string cmd = chromium_ +
                      " --headless --no-sandbox --disable-gpu --disable-quic --no-first-run "
                      "--disable-background-networking --disable-component-update "
                      "--disable-sync --disable-dev-shm-usage --hide-scrollbars "
                      "--virtual-time-budget=3000 --dump-dom --window-size=1280," +
                      std::to_string(page.height) + " --screenshot=" + shot +
                      " --user-data-dir=" + profile + " '" + server_->url() + page.path +
                      "' 2>/dev/null";
    std::string out;
    FILE* p = popen(cmd.c_str(), "r");
    char buf[65536];
    size_t n;
    while (p != nullptr && (n = fread(buf, 1, sizeof buf, p)) > 0) {
      out.append(buf, n);
    }
    if (p != nullptr) {
      pclose(p);
    }
    return doms_[page.path] = std::move(out);
  }

 private:
  std::string chromium_;
  std::map<std::string, std::string> doms_;
};

class BrowserTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    std::string chromium = Chromium();
    if (chromium.empty()) {
      return;
    }
    dashboard_ = new Dashboard();
    dashboard_->Start(chromium);
  }
  static void TearDownTestSuite() {
    delete dashboard_;
    dashboard_ = nullptr;
  }
  void SetUp() override {
    if (dashboard_ == nullptr) {
      GTEST_SKIP() << "chromium is not installed (apt-get install -y chromium)";
    }
  }

  static const std::string& Dom(const PageShot& page) { return dashboard_->Dom(page); }

  // The part of `dom` from the element with id `id` to the end of its
  // card (the next "</div></div>" or "</table>" closing, whichever `end`
  // names); empty when there is no such element.
  static std::string Section(const std::string& dom, const std::string& id,
                             const std::string& end) {
    size_t at = dom.find("id=\"" + id + "\"");
    if (at == std::string::npos) {
      return "";
    }
    size_t stop = dom.find(end, at);
    return dom.substr(at, stop == std::string::npos ? std::string::npos : stop - at);
  }

  static Dashboard* dashboard_;
};

Dashboard* BrowserTest::dashboard_ = nullptr;

TEST_F(BrowserTest, OverviewShowsMonitorsBarsAndHostileTextAsText) {
  const std::string& dom = Dom(kOverview);
  ASSERT_FALSE(dom.empty());
  EXPECT_NE(dom.find("href=\"/monitor/alpha\""), std::string::npos);
  EXPECT_NE(dom.find("href=\"/monitor/beta\""), std::string::npos);
  EXPECT_NE(dom.find("<svg class=\"bars\""), std::string::npos);
  // The hostile texts are text: escaped in the DOM, never elements.
  EXPECT_NE(dom.find(kHostileAsText), std::string::npos);
  EXPECT_NE(dom.find("&lt;img src=x onerror=alert(2)&gt;"), std::string::npos);
  EXPECT_EQ(dom.find("<img"), std::string::npos);
  EXPECT_EQ(dom.find("<script>alert"), std::string::npos);
  // The only script is ours, and it ran (it stamps the update time).
  EXPECT_NE(dom.find("updated "), std::string::npos);
}

TEST_F(BrowserTest, OverviewShowsTheFiringAlert) {
  std::string firing = Section(Dom(kOverview), "firing", "</table>");
  ASSERT_FALSE(firing.empty()) << "no #firing";
  EXPECT_NE(firing.find("href=\"/monitor/beta\""), std::string::npos);
  EXPECT_NE(firing.find(">down<"), std::string::npos);
  EXPECT_NE(firing.find(kHostileAsText), std::string::npos);
}

TEST_F(BrowserTest, OverviewShowsTheOfficialStatusOfEachSource) {
  std::string strip = Section(Dom(kOverview), "sources", "</table>");
  ASSERT_FALSE(strip.empty()) << "no #sources";
  size_t gcp = strip.find("gcp-vertex");
  size_t orr = strip.find("openrouter-nbp");
  size_t openai = strip.find("openai-status");
  ASSERT_NE(gcp, std::string::npos);
  ASSERT_NE(orr, std::string::npos);
  ASSERT_NE(openai, std::string::npos);
  EXPECT_LT(gcp, orr);  // config order
  EXPECT_LT(orr, openai);
  EXPECT_NE(strip.find("class=\"h-alert\">outage<", gcp), std::string::npos);
  EXPECT_NE(strip.find("class=\"h-warning\">degraded<", orr), std::string::npos);
  EXPECT_NE(strip.find("Google Vertex 80", orr), std::string::npos);
  EXPECT_NE(strip.find("class=\"h-unknown\">unknown<", openai), std::string::npos);
  EXPECT_NE(strip.find("not polled yet", openai), std::string::npos);
}

TEST_F(BrowserTest, OverviewShowsAHostileIncidentTitleAsTextAndNoScriptLink) {
  std::string strip = Section(Dom(kOverview), "sources", "</table>");
  ASSERT_FALSE(strip.empty()) << "no #sources";
  EXPECT_NE(strip.find(std::string("href=\"") + testing::kIncidentLink + "\">" + kHostileAsText +
                       " \"quoted\"</a>"),
            std::string::npos)
      << strip;
  EXPECT_EQ(strip.find("<img"), std::string::npos);
  EXPECT_EQ(strip.find("<script"), std::string::npos);
  EXPECT_EQ(strip.find("href=\"javascript:"), std::string::npos);
  EXPECT_NE(strip.find("second incident"), std::string::npos);
}

TEST_F(BrowserTest, OverviewWarnsOfTheModelShuttingDown) {
  std::string lifecycle = Section(Dom(kOverview), "lifecycle", "</div></div>");
  ASSERT_FALSE(lifecycle.empty()) << "no #lifecycle";
  EXPECT_NE(lifecycle.find("href=\"/monitor/alpha\">alpha</a>"), std::string::npos);
  EXPECT_NE(lifecycle.find("gpt-image-1.5 shuts down in 5 days"), std::string::npos);
  EXPECT_NE(lifecycle.find("class=\"h-alert\""), std::string::npos);  // within 7 days
}

TEST_F(BrowserTest, OverviewShowsTheMonthsCost) {
  std::string cost = Section(Dom(kOverview), "cost", "</div></div>");
  ASSERT_FALSE(cost.empty()) << "no #cost";
  EXPECT_NE(cost.find("<b>$0.5000</b>to date"), std::string::npos) << cost;
  EXPECT_NE(cost.find("projected month"), std::string::npos);
  EXPECT_NE(cost.find("href=\"/monitor/alpha\">alpha</a>"), std::string::npos);
}

TEST_F(BrowserTest, MonitorPageHasTheLatencyChart) {
  const std::string& dom = Dom(kMonitor);
  EXPECT_NE(dom.find("<svg class=\"chart\""), std::string::npos);
  EXPECT_NE(dom.find("class=\"p95\""), std::string::npos);
}

TEST_F(BrowserTest, MonitorTimelineMergesOwnAlertsAndOfficialIncidentsWithTheLead) {
  std::string timeline = Section(Dom(kMonitor), "timeline", "</table>");
  ASSERT_FALSE(timeline.empty()) << "no #timeline";
  size_t own = timeline.find("own alert");
  size_t official = timeline.find("official: gcp-vertex");
  ASSERT_NE(own, std::string::npos);
  ASSERT_NE(official, std::string::npos);
  EXPECT_NE(timeline.find("beta is down"), std::string::npos);
  EXPECT_LT(official, timeline.find("beta is down"));  // newest first: the incident is younger
  size_t opened = timeline.find("incident_opened");
  ASSERT_NE(opened, std::string::npos);
  EXPECT_NE(timeline.find("probes saw it 12 min earlier", opened), std::string::npos);
  EXPECT_EQ(timeline.find("openai-status"), std::string::npos);  // alpha's source
}

TEST_F(BrowserTest, MonitorTimelineShowsAHostileIncidentTitleAsText) {
  std::string timeline = Section(Dom(kMonitor), "timeline", "</table>");
  ASSERT_FALSE(timeline.empty()) << "no #timeline";
  EXPECT_NE(timeline.find(kHostileAsText), std::string::npos);
  EXPECT_EQ(timeline.find("<img"), std::string::npos);
  EXPECT_EQ(timeline.find("<script"), std::string::npos);
  EXPECT_EQ(Dom(kMonitor).find("<img"), std::string::npos);
}

TEST_F(BrowserTest, ComparePageListsTheMonitors) {
  const std::string& dom = Dom(kCompare);
  EXPECT_NE(dom.find("href=\"/monitor/alpha\""), std::string::npos);
  EXPECT_NE(dom.find("href=\"/monitor/beta\""), std::string::npos);
}

TEST_F(BrowserTest, SavesScreenshotsOfTheOverviewAMonitorAndTheComparePage) {
  for (const PageShot& page : {kOverview, kMonitor, kCompare}) {
    Dom(page);
    std::string shot = std::string(MODELWATCH_SOURCE_DIR) + "/build/" + page.screenshot;
    ASSERT_TRUE(std::filesystem::exists(shot)) << shot;
    EXPECT_GT(std::filesystem::file_size(shot), 10'000u) << shot;
  }
}

}  // namespace
}  // namespace modelwatch::web
