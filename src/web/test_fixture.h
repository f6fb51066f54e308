#pragma once

// A store filled with known results and a server on loopback, for the web
// tests (header-only, test code only).

#include <gtest/gtest.h>
#include <httplib.h>

#include <mutex>
#include <string>
#include <vector>

#include "alert/detection_lead.h"
#include "config/config.h"
#include "store/store.h"
#include "store/store_test_util.h"
#include "web/server.h"

namespace modelwatch::web::testing {

// The hostile text a provider might send back as an error body.
inline constexpr const char* kHostile =
    "<script>alert('x')</script><img src=x onerror=alert(1)> \"quoted\"";
// A stored monitor (not in the config) whose very name is hostile.
inline constexpr const char* kHostileName = "<img src=x onerror=alert(2)>";
inline constexpr const char* kAdminToken = "admin-token-0123456789";
inline constexpr const char* kPushToken = "push-token-0123456789";

inline constexpr const char* kConfig =
    "monitors:\n"
    "  - name: alpha\n"
    "    kind: openai_images\n"
    "    api_key: sk-secret-never-shown-1\n"
    "    model: gpt-image-1\n"
    "    labels: {provider: openai}\n"
    "    thresholds: {latency_alert: 20s}\n"
    "  - name: beta\n"
    "    kind: gemini\n"
    "    api_key: AIza-secret-never-shown-2\n"
    "    model: gemini-3-pro-image-preview\n"
    "    labels: {provider: google}\n"
    "  - name: app\n"
    "    kind: push\n"
    "    token: push-token-0123456789\n"
    "    interval: 5m\n"
    "    model: gpt-image-1\n"
    "    labels: {provider: openai}\n"
    "web:\n"
    "  listen: 127.0.0.1:0\n"
    "  admin_token: admin-token-0123456789\n"
    "  title: Test watch\n";

// kConfig's monitors with official status sources: alpha lists
// openai-status, beta gcp-vertex and openrouter-nbp.
inline constexpr const char* kSourcesConfig =
    "sources:\n"
    "  - {name: gcp-vertex, kind: google_cloud_status, products: [\"Vertex Gemini API\"]}\n"
    "  - {name: openrouter-nbp, kind: openrouter, model: google/gemini-3-pro-image}\n"
    "  - {name: openai-status, kind: statuspage, url: \"https://status.openai.com\"}\n"
    "monitors:\n"
    "  - name: alpha\n"
    "    kind: openai_images\n"
    "    api_key: sk-secret-never-shown-1\n"
    "    model: gpt-image-1.5\n"
    "    labels: {provider: openai}\n"
    "    status_sources: [openai-status]\n"
    "  - name: beta\n"
    "    kind: gemini\n"
    "    api_key: AIza-secret-never-shown-2\n"
    "    model: gemini-3-pro-image-preview\n"
    "    labels: {provider: google}\n"
    "    status_sources: [gcp-vertex, openrouter-nbp]\n"
    "web:\n"
    "  listen: 127.0.0.1:0\n";

inline constexpr const char* kIncidentLink = "https://status.cloud.google.com/incidents/abc";

// Records what the server asked the instance to do.
class RecordingActions : public Actions {
 public:
  Status RunNow(const std::string& monitor) override {
    std::lock_guard lock(mu_);
    if (monitor != "alpha" && monitor != "beta") {
      return Status::NotFound("no monitor " + monitor);
    }
    runs.push_back(monitor);
    return Status::Ok();
  }
  Status Push(CheckResult result) override {
    std::lock_guard lock(mu_);
    pushed.push_back(std::move(result));
    return Status::Ok();
  }
  std::mutex mu_;
  std::vector<std::string> runs;
  std::vector<CheckResult> pushed;
};

// alpha: 2 days of checks every 10 min, all up at 4 s but one failure with
// kHostile an hour ago; beta: the last 3 hours every 10 min, down for the
// last 30 min; kHostileName: one success.
class WebTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto cfg = config::LoadFromString(kConfig, "cfg.yaml");
    ASSERT_TRUE(cfg) << cfg.error().message();
    cfg_ = std::move(*cfg);
    store::Options o;
    o.sqlite_path = dir_.path() + "/mw.db";
    o.prune = false;
    auto s = store::Open(o);
    ASSERT_TRUE(s) << s.error().message();
    store_ = std::move(*s);
    now_ = clock_.WallNow();
    using std::chrono::minutes;
    for (int i = 1; i <= 2 * 144; ++i) {
      CheckResult r = store::testing::MakeResult("alpha", now_ - minutes(10 * i),
                                                 CheckStatus::kSuccess, std::chrono::seconds(4));
      if (i == 6) {
        r.status = CheckStatus::kServerError;
        r.http_status = 500;
        r.error = kHostile;
      }
      store_->Append(r);
    }
    for (int i = 1; i <= 18; ++i) {
      store_->Append(store::testing::MakeResult(
          "beta", now_ - minutes(10 * i), i <= 3 ? CheckStatus::kTimeout : CheckStatus::kSuccess,
          std::chrono::seconds(8)));
    }
    store_->Append(store::testing::MakeResult(kHostileName, now_ - minutes(5)));
    store::MonitorState st;
    st.monitor = "beta";
    st.consecutive_failures = 3;
    st.last_status = CheckStatus::kTimeout;
    st.last_check = now_ - minutes(10);
    store_->PutState(st);
    st.monitor = "alpha";
    st.consecutive_failures = 0;
    st.consecutive_successes = 5;
    st.last_status = CheckStatus::kSuccess;
    store_->PutState(st);
    ASSERT_TRUE(store_->Flush().ok());
  }

  // Starts the server (live state and actions optional).
  void StartServer(bool with_live, bool with_actions) {
    if (with_live) {
      live_.Publish(FiringSnapshot());
    }
    StartServerOnly(with_live, with_actions);
  }

  // Starts the server over what live_ holds (or without live state).
  void StartServerOnly(bool with_live, bool with_actions = false) {
    auto s = Server::Start(cfg_, *store_, with_live ? &live_ : nullptr,
                           with_actions ? &actions_ : nullptr, clock_);
    ASSERT_TRUE(s) << s.error().message();
    server_ = std::move(*s);
    client_ = std::make_unique<httplib::Client>("127.0.0.1", server_->port());
  }

  // A snapshot taken now: alpha's last result failed with kHostile, beta's
  // "down" alert fires with kHostile as its summary.
  std::shared_ptr<LiveSnapshot> FiringSnapshot() {
    auto snap = std::make_shared<LiveSnapshot>();
    snap->taken = now_;
    CheckResult last = store::testing::MakeResult("alpha", now_ - std::chrono::minutes(1),
                                                  CheckStatus::kServerError);
    last.error = kHostile;
    snap->last_results["alpha"] = last;
    alert::FiringAlert a;
    a.monitor = "beta";
    a.rule = "down";
    a.since = now_ - std::chrono::minutes(30);
    a.summary = kHostile;
    snap->firing.push_back(a);
    return snap;
  }

  // kSourcesConfig's sources into `snap`: gcp-vertex in outage with an
  // incident titled kHostile 40 min old (and one linking to javascript:);
  // openrouter with one degraded provider; openai-status never polled; a
  // models list saying alpha's model shuts down in 5 days.
  void AddSources(LiveSnapshot& snap) {
    using std::chrono::minutes;
    source::Snapshot gcp;
    gcp.source = "gcp-vertex";
    gcp.kind = "google_cloud_status";
    gcp.health = source::Health::kOutage;
    gcp.polled = now_ - std::chrono::seconds(20);
    source::Incident inc;
    inc.id = "abc";
    inc.title = kHostile;
    inc.severity = "high";
    inc.status = "SERVICE_OUTAGE";
    inc.latest_update = "We are investigating.";
    inc.link = kIncidentLink;
    inc.started = now_ - minutes(40);
    inc.updated = now_ - minutes(10);
    gcp.incidents.push_back(inc);
    source::Incident evil = inc;
    evil.id = "evil";
    evil.title = "second incident";
    evil.link = "javascript:alert(3)";
    gcp.incidents.push_back(evil);
    snap.sources.push_back(gcp);
    source::Snapshot orr;
    orr.source = "openrouter-nbp";
    orr.kind = "openrouter";
    orr.health = source::Health::kDegraded;
    orr.polled = now_ - std::chrono::seconds(50);
    source::Endpoint e;
    e.provider = "Google Vertex";
    e.uptime_5m = 80.0;
    e.degraded = true;
    orr.endpoints.push_back(e);
    snap.sources.push_back(orr);
    source::Snapshot models;
    models.source = "openai-models";
    models.kind = "models";
    models.health = source::Health::kOperational;
    models.models.push_back({"gpt-image-1.5", true, now_ + std::chrono::hours(24 * 5), ""});
    snap.sources.push_back(models);
  }

  // beta's own probes failed 12 minutes before the gcp incident opened: a
  // detection_lead event and beta's "down" firing 50 min ago.
  void StoreDetectionLead() {
    using std::chrono::minutes;
    alert::DetectionLead d;
    d.monitor = "beta";
    d.source = "gcp-vertex";
    d.incident = kHostile;
    d.link = kIncidentLink;
    d.opened = now_ - minutes(40);
    d.lead_minutes = 12;
    store::AlertChange change;
    store::AlertEvent ev;
    ev.monitor = "beta";
    ev.rule = std::string(alert::kDetectionLead);
    ev.level = "info";
    ev.kind = "detection_lead";
    ev.at = now_ - minutes(39);
    ev.message = alert::DetectionLeadMessage(d);
    change.events.push_back(ev);
    ev.rule = "down";
    ev.kind = "firing";
    ev.level = "critical";
    ev.at = now_ - minutes(50);
    ev.message = "beta is down";
    change.events.push_back(ev);
    store_->Commit(std::move(change), nullptr);
    ASSERT_TRUE(store_->Flush().ok());
  }

  // Five stored events of gcp-vertex a minute apart (the first the hostile
  // incident's opening) and one of openai-status.
  void StoreSourceEvents() {
    using std::chrono::minutes;
    std::vector<store::SourceEvent> rows;
    for (int i = 0; i < 5; ++i) {
      store::SourceEvent e;
      e.source = "gcp-vertex";
      e.kind = i == 0 ? "incident_opened" : "incident_updated";
      e.at = now_ - minutes(40 - i);
      e.subject = "abc";
      e.title = kHostile;
      e.severity = "high";
      e.link = kIncidentLink;
      e.message = std::string("gcp-vertex: ") + kHostile;
      rows.push_back(e);
    }
    store::SourceEvent other;
    other.source = "openai-status";
    other.kind = "component_changed";
    other.at = now_ - minutes(30);
    other.subject = "Images";
    other.title = "Images";
    other.from = "operational";
    other.to = "partial_outage";
    other.message = "openai-status: Images operational -> partial_outage";
    rows.push_back(other);
    store_->AppendSourceEvents(std::move(rows));
    ASSERT_TRUE(store_->Flush().ok());
  }

  // Two checks of alpha in the last minutes costing $0.25 each.
  void StoreCostedChecks() {
    CheckResult r = store::testing::MakeResult("alpha", now_ - std::chrono::minutes(3));
    r.cost = 0.25;
    store_->Append(r);
    r.timestamp = now_ - std::chrono::minutes(2);
    store_->Append(r);
    ASSERT_TRUE(store_->Flush().ok());
  }

  httplib::Result Get(const std::string& path, const std::string& token = "") {
    httplib::Headers h;
    if (!token.empty()) {
      h.emplace("Authorization", "Bearer " + token);
    }
    return client_->Get(path.c_str(), h);
  }
  httplib::Result Post(const std::string& path, const std::string& body,
                       const std::string& token = "") {
    httplib::Headers h;
    if (!token.empty()) {
      h.emplace("Authorization", "Bearer " + token);
    }
    return client_->Post(path.c_str(), h, body, "application/json");
  }

  store::testing::TempDir dir_;
  FakeClock clock_;
  WallTime now_;
  config::Config cfg_;
  store::StorePtr store_;
  LiveState live_;
  RecordingActions actions_;
  std::unique_ptr<Server> server_;
  std::unique_ptr<httplib::Client> client_;
};

}  // namespace modelwatch::web::testing
