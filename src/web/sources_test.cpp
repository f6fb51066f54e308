// /api/v1/sources, /api/v1/incidents, the overview's official status,
// lifecycle and cost, the monitor page's one timeline, and the cached
// /api/v1/dashboard, over loopback.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "alert/detection_lead.h"
#include "alert/engine.h"
#include "web/cached_body.h"
#include "web/test_fixture.h"

namespace modelwatch::web {
namespace {

using json = nlohmann::json;
using std::chrono::hours;
using std::chrono::minutes;

using testing::kIncidentLink;
using testing::kSourcesConfig;

class SourcesTest : public testing::WebTest {
 protected:
  void SetUp() override {
    WebTest::SetUp();
    auto cfg = config::LoadFromString(kSourcesConfig, "cfg.yaml");
    ASSERT_TRUE(cfg) << cfg.error().message();
    cfg_ = std::move(*cfg);
  }

  void PublishSources() {
    auto snap = std::make_shared<LiveSnapshot>();
    snap->taken = now_;
    AddSources(*snap);
    live_.Publish(snap);
  }

  void StartWithSources() {
    PublishSources();
    StartServerOnly(true);
  }

  json GetJson(const std::string& path) {
    auto r = Get(path);
    EXPECT_TRUE(r);
    EXPECT_EQ(r->status, 200) << r->body;
    return json::parse(r->body);
  }
};

TEST_F(SourcesTest, SourcesListEveryConfiguredSourceWithStateAgeAndMonitors) {
  StartWithSources();
  json j = GetJson("/api/v1/sources");
  ASSERT_EQ(j["sources"].size(), 3u);
  const json& gcp = j["sources"][0];
  EXPECT_EQ(gcp["name"], "gcp-vertex");
  EXPECT_EQ(gcp["kind"], "google_cloud_status");
  EXPECT_EQ(gcp["state"], "outage");
  EXPECT_EQ(gcp["age_s"], 20);
  EXPECT_EQ(gcp["incidents"].size(), 2u);
  EXPECT_EQ(gcp["incidents"][0]["title"], testing::kHostile);
  EXPECT_EQ(gcp["monitors"], json::array({"beta"}));
  const json& orr = j["sources"][1];
  EXPECT_EQ(orr["state"], "degraded");
  EXPECT_EQ(orr["endpoints"][0]["uptime_5m"], 80.0);
  EXPECT_NE(orr["uptime_note"].get<std::string>().find("excludes rate-limited"), std::string::npos);
  const json& openai = j["sources"][2];
  EXPECT_EQ(openai["state"], "unknown");
  EXPECT_EQ(openai["why"], "not polled yet");
  EXPECT_TRUE(openai["age_s"].is_null());
  EXPECT_EQ(openai["monitors"], json::array({"alpha"}));
}

TEST_F(SourcesTest, SourcesUnderServeAreUnknownWithWhy) {
  StartServer(false, false);
  json j = GetJson("/api/v1/sources");
  ASSERT_EQ(j["sources"].size(), 3u);
  EXPECT_EQ(j["live"], false);
  EXPECT_EQ(j["sources"][0]["state"], "unknown");
  EXPECT_NE(j["sources"][0]["why"].get<std::string>().find("no live state"), std::string::npos);
}

TEST_F(SourcesTest, IncidentsListActiveOnesWithTheirDetectionLead) {
  StoreDetectionLead();
  StartWithSources();
  json j = GetJson("/api/v1/incidents");
  ASSERT_EQ(j["active"].size(), 2u);
  const json& a = j["active"][0];
  EXPECT_EQ(a["source"], "gcp-vertex");
  EXPECT_EQ(a["title"], testing::kHostile);
  EXPECT_EQ(a["monitors"], json::array({"beta"}));
  ASSERT_EQ(a["detection_leads"].size(), 1u);
  EXPECT_EQ(a["detection_leads"][0]["monitor"], "beta");
  EXPECT_EQ(a["detection_leads"][0]["lead_minutes"], 12);
  EXPECT_TRUE(j["active"][1]["detection_leads"].empty());
}

TEST_F(SourcesTest, IncidentsPageStoredEventsOldestFirstWithNextSince) {
  StoreSourceEvents();
  StartWithSources();
  json j = GetJson("/api/v1/incidents?since=1h&limit=4");
  ASSERT_EQ(j["events"].size(), 4u);
  EXPECT_EQ(j["events"][0]["kind"], "incident_opened");
  EXPECT_EQ(j["events"][3]["kind"], "incident_updated");
  ASSERT_TRUE(j["next_since"].is_number());
  json j2 =
      GetJson("/api/v1/incidents?limit=4&since=" + std::to_string(j["next_since"].get<int64_t>()));
  ASSERT_EQ(j2["events"].size(), 2u);
  EXPECT_EQ(j2["events"][1]["source"], "openai-status");
  EXPECT_TRUE(j2["next_since"].is_null());
}

TEST_F(SourcesTest, IncidentsOfAMonitorAreThoseOfItsSources) {
  StoreSourceEvents();
  StartWithSources();
  json j = GetJson("/api/v1/incidents?monitor=alpha");
  ASSERT_EQ(j["events"].size(), 1u);
  EXPECT_EQ(j["events"][0]["source"], "openai-status");
  EXPECT_TRUE(j["active"].empty());
  json g = GetJson("/api/v1/incidents?source=gcp-vertex");
  EXPECT_EQ(g["events"].size(), 5u);
  EXPECT_EQ(g["active"].size(), 2u);
}

TEST_F(SourcesTest, IncidentsRejectUnknownNamesAndBadPages) {
  StartWithSources();
  EXPECT_EQ(Get("/api/v1/incidents?source=nope")->status, 404);
  EXPECT_EQ(Get("/api/v1/incidents?monitor=nope")->status, 404);
  EXPECT_EQ(Get("/api/v1/incidents?limit=0")->status, 400);
  EXPECT_EQ(Get("/api/v1/incidents?since=later")->status, 400);
}

TEST_F(SourcesTest, OverviewShowsOfficialStatusWithHostileIncidentAsText) {
  StartWithSources();
  auto r = Get("/");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200);
  size_t strip = r->body.find("id=sources");
  ASSERT_NE(strip, std::string::npos);
  EXPECT_EQ(r->body.find("<script>alert"), std::string::npos);
  EXPECT_EQ(r->body.find("<img src=x"), std::string::npos);
  EXPECT_NE(r->body.find("&lt;script&gt;alert(&#39;x&#39;)"), std::string::npos);
  // A link that is not http(s) is shown as text, never an href.
  EXPECT_EQ(r->body.find("href=\"javascript:"), std::string::npos);
  EXPECT_NE(r->body.find(std::string("href=\"") + kIncidentLink + "\""), std::string::npos);
  EXPECT_NE(r->body.find("outage", strip), std::string::npos);
  EXPECT_NE(r->body.find("excludes rate-limited requests", strip), std::string::npos);
}

TEST_F(SourcesTest, OverviewWarnsOfAModelShuttingDown) {
  StartWithSources();
  auto r = Get("/");
  ASSERT_TRUE(r);
  size_t at = r->body.find("id=lifecycle");
  ASSERT_NE(at, std::string::npos);
  EXPECT_NE(r->body.find("gpt-image-1.5 shuts down in 5 days", at), std::string::npos);
}

TEST_F(SourcesTest, MonitorTimelineMergesOwnAlertsAndOfficialIncidentsWithTheLead) {
  StoreDetectionLead();
  StoreSourceEvents();
  StartWithSources();
  auto r = Get("/monitor/beta");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200);
  size_t at = r->body.find("id=timeline");
  ASSERT_NE(at, std::string::npos);
  std::string timeline = r->body.substr(at);
  EXPECT_NE(timeline.find("own alert"), std::string::npos);
  EXPECT_NE(timeline.find("beta is down"), std::string::npos);
  EXPECT_NE(timeline.find("official: gcp-vertex"), std::string::npos);
  EXPECT_NE(timeline.find("incident_opened"), std::string::npos);
  EXPECT_NE(timeline.find("probes saw it 12 min earlier"), std::string::npos);
  // openai-status is alpha's, not beta's.
  EXPECT_EQ(timeline.find("openai-status"), std::string::npos);
  EXPECT_EQ(timeline.find("<script>"), std::string::npos);
}

TEST_F(SourcesTest, MonitorTimelineShowsAnIncidentOpenBeforeTheFirstPoll) {
  StartWithSources();  // no stored events: the incident is only in the snapshot
  auto r = Get("/monitor/beta");
  ASSERT_TRUE(r);
  size_t at = r->body.find("id=timeline");
  ASSERT_NE(at, std::string::npos);
  EXPECT_NE(r->body.find("incident (active)", at), std::string::npos);
}

TEST_F(SourcesTest, CostThisMonthOnTheOverviewAndTheMonitorPage) {
  StoreCostedChecks();
  StartWithSources();
  json m = GetJson("/api/v1/monitors/alpha");
  EXPECT_NEAR(m["cost"]["month_to_date_usd"].get<double>(), 0.5, 1e-9);
  EXPECT_GE(m["cost"]["month_projected_usd"].get<double>(), 0.5);
  auto page = Get("/");
  size_t at = page->body.find("id=cost");
  ASSERT_NE(at, std::string::npos);
  EXPECT_NE(page->body.find("$0.5000", at), std::string::npos);
  auto mp = Get("/monitor/alpha");
  EXPECT_NE(mp->body.find("cost this month"), std::string::npos);
}

TEST_F(SourcesTest, DashboardJsonIsServedFromOneBodyWithAnEtag) {
  StartWithSources();
  auto a = Get("/api/v1/dashboard");
  ASSERT_TRUE(a);
  ASSERT_EQ(a->status, 200);
  std::string etag = a->get_header_value("ETag");
  ASSERT_FALSE(etag.empty());
  auto b = Get("/api/v1/dashboard");
  EXPECT_EQ(b->get_header_value("ETag"), etag);
  EXPECT_EQ(b->body, a->body);
  httplib::Headers h = {{"If-None-Match", etag}};
  auto c = client_->Get("/api/v1/dashboard", h);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->status, 304);
  EXPECT_TRUE(c->body.empty());
}

TEST_F(SourcesTest, DashboardJsonIsGzippedWhenTheClientAcceptsIt) {
  StartWithSources();
  client_->set_decompress(false);
  httplib::Headers h = {{"Accept-Encoding", "gzip, deflate"}};
  auto r = client_->Get("/api/v1/dashboard", h);
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200);
  EXPECT_EQ(r->get_header_value("Content-Encoding"), "gzip");
  ASSERT_GE(r->body.size(), 2u);
  EXPECT_EQ(static_cast<unsigned char>(r->body[0]), 0x1f);  // gzip magic
  EXPECT_EQ(static_cast<unsigned char>(r->body[1]), 0x8b);
  auto plain = Get("/api/v1/dashboard");
  EXPECT_LT(r->body.size(), plain->body.size());
  EXPECT_NO_THROW(json::parse(plain->body));
}

TEST(CachedJson, SharesTheCachedBodyInsteadOfCopyingIt) {
  auto cached = std::make_shared<CachedBody>();
  cached->body = std::string(100'000, 'x');
  cached->gzip = Gzip(cached->body);
  cached->etag = "W/\"1\"";
  Request plain;
  Response a = CachedJson(plain, cached);
  ASSERT_TRUE(a.shared_body);
  EXPECT_EQ(a.shared_body.get(), &cached->body);  // the cache's own bytes
  EXPECT_TRUE(a.body.empty());
  Request zipped;
  zipped.accept_encoding = "gzip";
  Response b = CachedJson(zipped, cached);
  ASSERT_TRUE(b.shared_body);
  EXPECT_EQ(b.shared_body.get(), &cached->gzip);
  // The answers keep the body alive after the cache dropped it.
  std::weak_ptr<const CachedBody> gone = cached;
  cached.reset();
  EXPECT_FALSE(gone.expired());
  EXPECT_EQ(a.sent_body().size(), 100'000u);
}

TEST(AcceptsGzip, ReadsCodingsAndQValues) {
  EXPECT_TRUE(AcceptsGzip("gzip"));
  EXPECT_TRUE(AcceptsGzip("deflate, GZIP;q=0.5, br"));
  EXPECT_TRUE(AcceptsGzip("*"));
  EXPECT_FALSE(AcceptsGzip(""));
  EXPECT_FALSE(AcceptsGzip("br, deflate"));
  EXPECT_FALSE(AcceptsGzip("gzip;q=0"));
  EXPECT_FALSE(AcceptsGzip("x-gzip"));
}

}  // namespace
}  // namespace modelwatch::web
