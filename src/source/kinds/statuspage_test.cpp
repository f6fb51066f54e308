#include <gtest/gtest.h>

#include "core/sample_file.h"
#include "source/test_util.h"

namespace modelwatch::source {
namespace {

using testing::Answer;
using testing::At;
using testing::Entry;
using testing::ParseWith;

const WallTime kNow = At("2026-10-07T22:00:00Z");

std::string Claude() {
  return modelwatch::testing::ReadFormatsFile("samples/statuspage-summary-claude-2026-10-07.json");
}

TEST(Statuspage, RealClaudeSummaryWithoutComponentsFollowsTheIndicator) {
  Snapshot s = ParseWith(Entry("statuspage"), {Answer(Claude())}, kNow);
  EXPECT_EQ(s.health, Health::kDegraded) << s.why;  // indicator: minor
  ASSERT_EQ(s.incidents.size(), 1u);
  EXPECT_EQ(s.incidents[0].title, "Elevated errors on platform.claude.com");
  EXPECT_EQ(s.incidents[0].status, "monitoring");
  EXPECT_EQ(s.incidents[0].severity, "major");
  EXPECT_FALSE(s.incidents[0].link.empty());
  EXPECT_NE(s.why.find("Partially Degraded Service"), std::string::npos);
}

TEST(Statuspage, ChosenComponentsByNameAndIdGiveTheirStatus) {
  config::StatusSource e = Entry("statuspage");
  e.components = {"Claude API (api.anthropic.com)", "0qbwn08sd68x"};
  Snapshot s = ParseWith(e, {Answer(Claude())}, kNow);
  ASSERT_EQ(s.components.size(), 2u);
  EXPECT_EQ(s.components[0].status, "operational");
  EXPECT_EQ(s.components[1].name, "Claude Console (platform.claude.com)");
  EXPECT_EQ(s.components[1].status, "degraded_performance");
  EXPECT_EQ(s.health, Health::kDegraded);
}

TEST(Statuspage, OperationalChosenComponentIsOperationalDespiteTheIndicator) {
  config::StatusSource e = Entry("statuspage");
  e.components = {"k8w3r06qmzrp"};
  Snapshot s = ParseWith(e, {Answer(Claude())}, kNow);
  EXPECT_EQ(s.health, Health::kOperational);
}

TEST(Statuspage, ComponentNotOnThePageIsUnknown) {
  config::StatusSource e = Entry("statuspage");
  e.components = {"Image API"};
  Snapshot s = ParseWith(e, {Answer(Claude())}, kNow);
  EXPECT_EQ(s.health, Health::kUnknown);
  EXPECT_EQ(s.why, "component \"Image API\" is not on this page");
}

TEST(Statuspage, IncidentIoStatusWithoutComponentsOrIncidentsIsOperational) {
  std::string body =
      modelwatch::testing::ReadFormatsFile("samples/incidentio-status-openai-2026-09-15.json");
  Snapshot s = ParseWith(Entry("statuspage"), {Answer(body)}, kNow);
  EXPECT_EQ(s.health, Health::kOperational) << s.why;
  EXPECT_EQ(s.page, "https://status.openai.com/");
}

TEST(Statuspage, UnknownIndicatorIsToleratedAndNamed) {
  Snapshot s =
      ParseWith(Entry("statuspage"),
                {Answer(R"({"status":{"indicator":"apocalyptic","description":"?"}})")}, kNow);
  EXPECT_EQ(s.health, Health::kDegraded);
  EXPECT_NE(s.why.find("unknown indicator \"apocalyptic\""), std::string::npos);
}

TEST(Statuspage, MaintenanceIndicatorIsMaintenance) {
  Snapshot s =
      ParseWith(Entry("statuspage"), {Answer(R"({"status":{"indicator":"maintenance"}})")}, kNow);
  EXPECT_EQ(s.health, Health::kMaintenance);
}

TEST(Statuspage, InProgressMaintenanceIsListedAndUpcomingIsNot) {
  std::string body = R"({"status":{"indicator":"none"},"incidents":[],"scheduled_maintenances":[
    {"id":"m1","name":"Database upgrade","status":"in_progress","impact":"maintenance",
     "scheduled_for":"2026-10-07T21:00:00Z","updated_at":"2026-10-07T21:00:00Z"},
    {"id":"m2","name":"Later","status":"scheduled","impact":"maintenance"}]})";
  Snapshot s = ParseWith(Entry("statuspage"), {Answer(body)}, kNow);
  ASSERT_EQ(s.incidents.size(), 1u);
  EXPECT_TRUE(s.incidents[0].maintenance);
  EXPECT_EQ(s.incidents[0].started, At("2026-10-07T21:00:00Z"));
  EXPECT_EQ(s.health, Health::kMaintenance);
}

TEST(Statuspage, LocalOffsetTimestampsAreParsed) {
  std::string body = R"({"status":{"indicator":"minor"},"incidents":[{"id":"i","name":"x",
    "status":"investigating","impact":"minor","created_at":"2019-02-20T12:00:19.418-06:00"}]})";
  Snapshot s = ParseWith(Entry("statuspage"), {Answer(body)}, kNow);
  ASSERT_EQ(s.incidents.size(), 1u);
  EXPECT_EQ(s.incidents[0].started, At("2019-02-20T18:00:19.418Z"));
}

TEST(Statuspage, MissingStatusIsUnknown) {
  Snapshot s = ParseWith(Entry("statuspage"), {Answer(R"({"page":{},"components":[]})")}, kNow);
  EXPECT_EQ(s.health, Health::kUnknown);
  EXPECT_EQ(s.why, "summary.json has no status.indicator");
}

TEST(Statuspage, CdnChallengePageIsUnknown) {
  Snapshot s = ParseWith(
      Entry("statuspage"),
      {Answer("<!DOCTYPE html><html><head></head><body>Request blocked.</body></html>", 405)},
      kNow);
  EXPECT_EQ(s.health, Health::kUnknown);
  EXPECT_EQ(s.why, "HTTP 405 (an HTML page)");
}

}  // namespace
}  // namespace modelwatch::source
