#include "source/diff.h"

#include <gtest/gtest.h>

#include "source/test_util.h"

namespace modelwatch::source {
namespace {

const WallTime kT0 = testing::At("2026-11-27T08:00:00Z");
const WallTime kT1 = testing::At("2026-11-27T08:01:00Z");

Snapshot Snap(Health h, WallTime polled = kT0) {
  Snapshot s;
  s.source = "gcp-vertex";
  s.kind = "google_cloud_status";
  s.health = h;
  s.polled = polled;
  s.page = "https://status.cloud.google.com/";
  return s;
}

Incident Inc(std::string id, std::string status = "SERVICE_DISRUPTION",
             std::string update = "investigating") {
  Incident i;
  i.id = std::move(id);
  i.title = "Elevated errors";
  i.severity = "medium";
  i.status = std::move(status);
  i.latest_update = std::move(update);
  i.link = "https://status.cloud.google.com/incidents/" + i.id;
  i.started = kT0;
  i.updated = kT0;
  return i;
}

Endpoint Ep(std::string provider, double uptime, bool degraded) {
  Endpoint e;
  e.provider = std::move(provider);
  e.uptime_5m = uptime;
  e.degraded = degraded;
  return e;
}

struct Case {
  const char* name;
  Snapshot before;
  Snapshot after;
  std::vector<EventKind> want;
};

std::vector<Case> Cases() {
  std::vector<Case> cases;
  auto op = [](std::vector<Incident> incs = {}) {
    Snapshot s = Snap(Health::kOperational);
    s.incidents = std::move(incs);
    if (!s.incidents.empty()) {
      s.health = Health::kDegraded;
    }
    return s;
  };
  auto later = [](Snapshot s) {
    s.polled = kT1;
    return s;
  };
  cases.push_back({"nothing changed", op({Inc("a")}), later(op({Inc("a")})), {}});
  cases.push_back({"first poll is the baseline", Snapshot{}, later(op({Inc("a")})), {}});
  cases.push_back({"incident opened", op(), later(op({Inc("a")})), {EventKind::kIncidentOpened}});
  cases.push_back(
      {"incident resolved", op({Inc("a")}), later(op()), {EventKind::kIncidentResolved}});
  cases.push_back({"incident status changed",
                   op({Inc("a")}),
                   later(op({Inc("a", "SERVICE_OUTAGE")})),
                   {EventKind::kIncidentUpdated}});
  cases.push_back({"incident update text changed",
                   op({Inc("a")}),
                   later(op({Inc("a", "SERVICE_DISRUPTION", "mitigated")})),
                   {EventKind::kIncidentUpdated}});
  cases.push_back({"one opens while another resolves",
                   op({Inc("a")}),
                   later(op({Inc("b")})),
                   {EventKind::kIncidentOpened, EventKind::kIncidentResolved}});
  cases.push_back({"became unknown",
                   op({Inc("a")}),
                   later(Snap(Health::kUnknown)),
                   {EventKind::kSourceUnknown}});
  cases.push_back({"readable again",
                   Snap(Health::kUnknown),
                   later(op({Inc("a")})),
                   {EventKind::kSourceReadable}});
  cases.push_back({"still unknown", Snap(Health::kUnknown), later(Snap(Health::kUnknown)), {}});
  {
    Snapshot b = Snap(Health::kOperational);
    b.components = {{"k8w3r06qmzrp", "Claude API", "operational"}};
    Snapshot a = later(b);
    a.components[0].status = "partial_outage";
    cases.push_back({"component status changed", b, a, {EventKind::kComponentChanged}});
    cases.push_back({"component unchanged", b, later(b), {}});
  }
  {
    Snapshot b = Snap(Health::kOperational);
    b.endpoints = {Ep("Google Vertex", 99.8, false), Ep("Google AI Studio", 80, true)};
    Snapshot a = later(b);
    a.endpoints = {Ep("Google Vertex", 90, true), Ep("Google AI Studio", 99, false)};
    cases.push_back({"uptime dropped and recovered",
                     b,
                     a,
                     {EventKind::kUptimeDropped, EventKind::kUptimeRecovered}});
    Snapshot c = later(b);
    c.endpoints = {Ep("Google Vertex", 99.0, false), Ep("Google AI Studio", 70, true)};
    cases.push_back({"uptime moves without crossing", b, c, {}});
    Snapshot d = later(b);
    d.endpoints.push_back(Ep("Simulated 3", 10, true));
    cases.push_back({"new provider already degraded", b, d, {EventKind::kUptimeDropped}});
  }
  return cases;
}

TEST(DiffSnapshots, Table) {
  for (const Case& c : Cases()) {
    std::vector<SourceEvent> got = DiffSnapshots(c.before, c.after);
    std::vector<EventKind> kinds;
    for (const SourceEvent& e : got) {
      kinds.push_back(e.kind);
      EXPECT_EQ(e.source, "gcp-vertex") << c.name;
      EXPECT_EQ(e.at, c.after.polled) << c.name;
    }
    EXPECT_EQ(kinds, c.want) << c.name;
  }
}

TEST(DiffSnapshots, OpenedEventCarriesTitleSeverityAndLink) {
  Snapshot b = Snap(Health::kOperational);
  Snapshot a = Snap(Health::kDegraded, kT1);
  a.incidents = {Inc("abc")};
  auto got = DiffSnapshots(b, a);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].subject, "abc");
  EXPECT_EQ(got[0].title, "Elevated errors");
  EXPECT_EQ(got[0].severity, "medium");
  EXPECT_EQ(got[0].link, "https://status.cloud.google.com/incidents/abc");
  EXPECT_EQ(Describe(got[0]),
            "gcp-vertex: incident opened: Elevated errors (medium) "
            "https://status.cloud.google.com/incidents/abc");
}

TEST(DiffSnapshots, UnknownEventSaysWhy) {
  Snapshot a = Snap(Health::kUnknown, kT1);
  a.why = "HTTP 503 (an HTML page)";
  auto got = DiffSnapshots(Snap(Health::kOperational), a);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(Describe(got[0]), "gcp-vertex: cannot read the source: HTTP 503 (an HTML page)");
}

TEST(DiffSnapshots, UptimeDropNamesProviderFiguresAndTheRateLimitNote) {
  Snapshot b = Snap(Health::kOperational);
  b.endpoints = {Ep("Google Vertex", 99.8, false)};
  Snapshot a = Snap(Health::kDegraded, kT1);
  a.endpoints = {Ep("Google Vertex", 62.5, true)};
  auto got = DiffSnapshots(b, a);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].from, "99.8%");
  EXPECT_EQ(got[0].to, "62.5%");
  EXPECT_NE(Describe(got[0]).find("excludes rate-limited requests"), std::string::npos);
}

}  // namespace
}  // namespace modelwatch::source
