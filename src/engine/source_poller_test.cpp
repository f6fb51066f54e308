// The poller against real HTTP over loopback: the simulator's changing
// feeds, and a cpp-httplib server for conditional requests and errors.
#include "engine/source_poller.h"

#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <mutex>
#include <thread>

#include "sim/scenario.h"
#include "sim/server.h"

namespace modelwatch::engine {
namespace {

using source::EventKind;
using source::Health;

config::StatusSource Gcp(int port) {
  config::StatusSource e;
  e.name = "gcp-vertex";
  e.kind = "google_cloud_status";
  e.url = "http://127.0.0.1:" + std::to_string(port) + "/incidents.json";
  e.products = {"Vertex Gemini API"};
  e.mark = {"cfg.yaml", 2, 5};
  return e;
}

// Owns a loop on the test's thread; Poll() runs one poll of every source.
class Harness {
 public:
  explicit Harness(std::vector<config::StatusSource> entries) : loop_(clock_) {
    auto p = SourcePoller::Create(loop_, entries, [this](std::vector<source::SourceEvent>&& ev) {
      for (auto& e : ev) {
        events_.push_back(std::move(e));
      }
    });
    EXPECT_TRUE(p) << p.error().message();
    poller_ = std::move(p).value();
  }
  ~Harness() { poller_.reset(); }
  void Poll() {
    poller_->PollOnce([this] { loop_.Stop(); });
    loop_.Run();
  }
  SourcePoller& poller() { return *poller_; }
  std::vector<EventKind> TakeKinds() {
    std::vector<EventKind> k;
    for (const auto& e : events_) {
      k.push_back(e.kind);
    }
    events_.clear();
    return k;
  }

 private:
  SystemClock clock_;
  net::Loop loop_;
  std::unique_ptr<SourcePoller> poller_;
  std::vector<source::SourceEvent> events_;
};

std::unique_ptr<sim::Server> StartSim(const std::string& yaml) {
  auto scenario = sim::ParseScenario(yaml, "test.yaml");
  EXPECT_TRUE(scenario) << scenario.error().message();
  auto server = sim::Server::Start("127.0.0.1", 0, std::move(scenario).value());
  EXPECT_TRUE(server) << server.error().message();
  return std::move(server).value();
}

TEST(SourcePoller, SeesAnIncidentOpenUpdateAndResolveOnTheSimulatorsTimeline) {
  auto sim = StartSim(R"(
routes:
  - route: gcp_incidents
    timeline:
      - {behaviour: ok, incident: none, count: 1}
      - {behaviour: ok, incident: active, count: 1}
      - {behaviour: ok, incident: updated, count: 1}
      - {behaviour: ok, incident: resolved}
)");
  Harness h({Gcp(sim->port())});
  h.Poll();
  EXPECT_EQ(h.poller().Snapshots()[0].health, Health::kOperational);
  EXPECT_TRUE(h.TakeKinds().empty());  // the first poll is the baseline
  h.Poll();
  auto snap = h.poller().Snapshot("gcp-vertex");
  ASSERT_TRUE(snap);
  EXPECT_EQ(snap->health, Health::kDegraded);
  ASSERT_EQ(snap->incidents.size(), 1u);
  EXPECT_EQ(snap->incidents[0].severity, "medium");
  EXPECT_EQ(h.TakeKinds(), std::vector<EventKind>{EventKind::kIncidentOpened});
  h.Poll();
  EXPECT_EQ(h.TakeKinds(), std::vector<EventKind>{EventKind::kIncidentUpdated});
  h.Poll();
  EXPECT_EQ(h.TakeKinds(), std::vector<EventKind>{EventKind::kIncidentResolved});
  EXPECT_EQ(h.poller().Snapshots()[0].health, Health::kOperational);
}

TEST(SourcePoller, HtmlErrorPageMakesTheSourceUnknownAndThenReadableAgain) {
  auto sim = StartSim(R"(
routes:
  - route: gcp_incidents
    timeline:
      - {behaviour: ok, incident: none, count: 1}
      - {behaviour: server_error, count: 1}
      - {behaviour: ok, incident: active}
)");
  Harness h({Gcp(sim->port())});
  h.Poll();
  h.Poll();
  auto snap = h.poller().Snapshots()[0];
  EXPECT_EQ(snap.health, Health::kUnknown);
  EXPECT_EQ(snap.why, "HTTP 500 (an HTML page)");
  EXPECT_EQ(h.TakeKinds(), std::vector<EventKind>{EventKind::kSourceUnknown});
  h.Poll();
  // What opened while it could not be read is compared with the last readable copy.
  EXPECT_EQ(h.TakeKinds(),
            (std::vector<EventKind>{EventKind::kSourceReadable, EventKind::kIncidentOpened}));
}

TEST(SourcePoller, GeminiModelListIsReadPageByPage) {
  // 1,500 models: the simulator answers 1,000 a page, and the watched model
  // is on the second page.
  std::string models = "models: [";
  for (int i = 0; i < 1500; ++i) {
    models += (i == 0 ? "" : ", ") +
              (i == 1200 ? std::string("gemini-3-pro-image") : "filler-" + std::to_string(i));
  }
  auto sim = StartSim(models + "]\nroutes: []\n");
  config::StatusSource e;
  e.name = "gemini-models";
  e.kind = "models";
  e.provider = "gemini";
  e.base_url = "http://127.0.0.1:" + std::to_string(sim->port());
  e.api_key = Secret("AIza-test-key");
  e.models = {"gemini-3-pro-image", "gemini-9-gone"};
  Harness h({e});
  h.Poll();
  auto snap = h.poller().Snapshots()[0];
  EXPECT_EQ(snap.health, Health::kOperational) << snap.why;
  ASSERT_EQ(snap.models.size(), 2u);
  EXPECT_TRUE(snap.models[0].listed);
  EXPECT_FALSE(snap.models[1].listed);
  EXPECT_NE(snap.why.find("(1500 in the list)"), std::string::npos) << snap.why;
  EXPECT_EQ(sim->requests(sim::RouteKind::kGeminiModels), 2u);
}

TEST(SourcePoller, OpenRouterModelAndEndpointsFromTheSimulator) {
  auto sim = StartSim(R"(
routes:
  - route: openrouter_endpoints
    model: google/gemini-3-pro-image
    timeline:
      - {behaviour: ok, uptime: 99.8, count: 1}
      - {behaviour: ok, uptime: 60}
)");
  config::StatusSource e;
  e.name = "openrouter-nbp";
  e.kind = "openrouter";
  e.base_url = "http://127.0.0.1:" + std::to_string(sim->port());
  e.model = "google/gemini-3-pro-image";
  Harness h({e});
  h.Poll();
  auto snap = h.poller().Snapshots()[0];
  EXPECT_EQ(snap.health, Health::kOperational) << snap.why;
  ASSERT_EQ(snap.endpoints.size(), 2u);
  ASSERT_EQ(snap.models.size(), 1u);
  EXPECT_TRUE(snap.models[0].listed);
  h.Poll();
  snap = h.poller().Snapshots()[0];
  EXPECT_EQ(snap.health, Health::kDegraded) << snap.why;
  EXPECT_EQ(h.TakeKinds(),
            (std::vector<EventKind>{EventKind::kUptimeDropped, EventKind::kUptimeDropped}));
}

TEST(SourcePoller, AtomFeedFromTheSimulator) {
  auto sim = StartSim(R"(
routes:
  - route: gcp_feed
    timeline:
      - {behaviour: ok, incident: active}
)");
  config::StatusSource e;
  e.name = "gcp-feed";
  e.kind = "feed";
  e.url = "http://127.0.0.1:" + std::to_string(sim->port()) + "/en/feed.atom";
  Harness h({e});
  h.Poll();
  auto snap = h.poller().Snapshots()[0];
  EXPECT_EQ(snap.health, Health::kDegraded) << snap.why;
  ASSERT_EQ(snap.incidents.size(), 1u);
  EXPECT_EQ(snap.incidents[0].id, "SimActiveGemini00001");
}

// A server that answers incidents.json with an ETag and honours If-None-Match.
class ConditionalServer {
 public:
  ConditionalServer() {
    server_.Get("/incidents.json", [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard lock(mu_);
      if_none_match_.push_back(req.get_header_value("If-None-Match"));
      if (req.get_header_value("If-None-Match") == "\"v1\"") {
        res.status = 304;
        return;
      }
      res.set_header("ETag", "\"v1\"");
      res.set_content(
          R"([{"id":"a","begin":"2026-11-27T08:00:00+00:00","severity":"high",)"
          R"("status_impact":"SERVICE_OUTAGE","external_desc":"Down",)"
          R"("affected_products":[{"title":"Vertex Gemini API","id":"Z0FZJAMvEB4j3NbCJs6B"}]}])",
          "application/json");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) {
      SleepFor(std::chrono::milliseconds(1));
    }
  }
  ~ConditionalServer() {
    server_.stop();
    thread_.join();
  }
  int port() const { return port_; }
  std::vector<std::string> if_none_match() {
    std::lock_guard lock(mu_);
    return if_none_match_;
  }

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  std::mutex mu_;
  std::vector<std::string> if_none_match_;
};

TEST(SourcePoller, NotModifiedKeepsTheSnapshotWithANewPollTime) {
  ConditionalServer server;
  Harness h({Gcp(server.port())});
  h.Poll();
  auto first = h.poller().Snapshots()[0];
  ASSERT_EQ(first.health, Health::kOutage) << first.why;
  SleepFor(std::chrono::milliseconds(5));
  h.Poll();
  auto second = h.poller().Snapshots()[0];
  EXPECT_EQ(server.if_none_match(), (std::vector<std::string>{"", "\"v1\""}));
  EXPECT_EQ(second.health, Health::kOutage);
  ASSERT_EQ(second.incidents.size(), 1u);
  EXPECT_EQ(second.incidents[0].title, "Down");
  EXPECT_GT(second.polled, first.polled);
  EXPECT_TRUE(h.TakeKinds().empty());
}

int DeadPort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  close(fd);  // nothing listens there now
  return ntohs(a.sin_port);
}

TEST(SourcePoller, SourceOnADeadPortIsUnknownNotOutage) {
  Harness h({Gcp(DeadPort())});
  h.Poll();
  auto snap = h.poller().Snapshots()[0];
  EXPECT_EQ(snap.health, Health::kUnknown);
  EXPECT_EQ(snap.why.rfind("cannot reach it: ", 0), 0u) << snap.why;
}

TEST(SourcePoller, SnapshotBeforeTheFirstPollSaysSo) {
  Harness h({Gcp(DeadPort())});
  auto snaps = h.poller().Snapshots();
  ASSERT_EQ(snaps.size(), 1u);
  EXPECT_EQ(snaps[0].health, Health::kUnknown);
  EXPECT_EQ(snaps[0].why, "not polled yet");
  EXPECT_FALSE(h.poller().Snapshot("nope").has_value());
}

TEST(SourcePoller, StoreRowCarriesKindAndMessage) {
  source::SourceEvent e;
  e.kind = EventKind::kIncidentResolved;
  e.source = "gcp-vertex";
  e.title = "Down";
  e.link = "https://x/incidents/a";
  store::SourceEvent row = ToStoreEvent(e);
  EXPECT_EQ(row.kind, "incident_resolved");
  EXPECT_EQ(row.message, "gcp-vertex: incident resolved: Down https://x/incidents/a");
}

}  // namespace
}  // namespace modelwatch::engine
