// Source events in both engines: written with the next batch, read newest
// first, pruned with the raw results.
#include <gtest/gtest.h>

#include "store/store.h"
#include "store/store_contract_fixture.h"

namespace modelwatch::store {
namespace {

using std::chrono::hours;

class SourceEventsContract : public testing::StoreContract {
 protected:
  SourceEvent Event(const std::string& kind, WallTime at) {
    SourceEvent e;
    e.source = "gcp-vertex";
    e.kind = kind;
    e.at = at;
    e.subject = "SimActiveGemini00001";
    e.title = "Elevated error rates for image generation";
    e.severity = "medium";
    e.from = "";
    e.to = "SERVICE_DISRUPTION";
    e.link = "https://status.cloud.google.com/incidents/SimActiveGemini00001";
    e.message = "gcp-vertex: incident opened";
    return e;
  }
};

TEST_P(SourceEventsContract, AppendedEventsAreReadBackNewestFirst) {
  auto store = OpenStore();
  ASSERT_TRUE(store);
  WallTime t = FromUnixMillis(ToUnixMillis(clock_.WallNow()));
  store->AppendSourceEvents(
      {Event("incident_opened", t - hours(1)), Event("incident_resolved", t)});
  ASSERT_TRUE(store->Flush().ok());
  auto got = store->SourceEvents(WallTime{}, 10);
  ASSERT_TRUE(got.has_value()) << got.error().message();
  ASSERT_EQ(got->size(), 2u);
  EXPECT_EQ((*got)[0].kind, "incident_resolved");
  EXPECT_EQ((*got)[1].kind, "incident_opened");
  EXPECT_GT((*got)[0].id, 0);
  EXPECT_EQ((*got)[1].at, t - hours(1));
  EXPECT_EQ((*got)[1].subject, "SimActiveGemini00001");
  EXPECT_EQ((*got)[1].severity, "medium");
  EXPECT_EQ((*got)[1].to, "SERVICE_DISRUPTION");
  EXPECT_EQ((*got)[1].link, "https://status.cloud.google.com/incidents/SimActiveGemini00001");
  EXPECT_EQ((*got)[1].message, "gcp-vertex: incident opened");
}

TEST_P(SourceEventsContract, SinceAndLimitBoundTheRead) {
  auto store = OpenStore();
  ASSERT_TRUE(store);
  WallTime t = FromUnixMillis(ToUnixMillis(clock_.WallNow()));
  store->AppendSourceEvents(
      {Event("a", t - hours(3)), Event("b", t - hours(2)), Event("c", t - hours(1))});
  ASSERT_TRUE(store->Flush().ok());
  auto since = store->SourceEvents(t - hours(2), 10);
  ASSERT_TRUE(since.has_value());
  EXPECT_EQ(since->size(), 2u);
  auto limited = store->SourceEvents(WallTime{}, 1);
  ASSERT_TRUE(limited.has_value());
  ASSERT_EQ(limited->size(), 1u);
  EXPECT_EQ((*limited)[0].kind, "c");
}

TEST_P(SourceEventsContract, EventsSurviveReopening) {
  {
    auto store = OpenStore();
    ASSERT_TRUE(store);
    store->AppendSourceEvents({Event("incident_opened", clock_.WallNow())});
  }  // the destructor writes what is queued
  auto store = OpenStore();
  ASSERT_TRUE(store);
  EXPECT_EQ(store->SourceEvents(WallTime{}, 10)->size(), 1u);
}

INSTANTIATE_TEST_SUITE_P(Engines, SourceEventsContract, ::testing::Values("sqlite", "postgres"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace modelwatch::store
