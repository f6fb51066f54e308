#include <fmt/format.h>
#include <gtest/gtest.h>

#include "core/sample_file.h"
#include "source/test_util.h"

namespace modelwatch::source {
namespace {

using testing::Answer;
using testing::At;
using testing::Entry;
using testing::ParseWith;

const WallTime kNow = At("2026-11-27T10:00:00Z");

// One incident in Google's shape; `end` empty: ongoing (key absent).
std::string IncidentJson(std::string_view id, std::string_view product_id,
                         std::string_view end = "", std::string_view impact = "SERVICE_DISRUPTION",
                         std::string_view location = "us-central1") {
  return fmt::format(
      R"({{"id":"{0}","number":"15267780622191605299","begin":"2026-11-27T08:00:00+00:00",)"
      R"("created":"2026-11-27T08:12:00+00:00","modified":"2026-11-27T09:00:00+00:00",{1})"
      R"("external_desc":"Elevated error rates\non {2}","status_impact":"{3}","severity":"medium",)"
      R"("most_recent_update":{{"text":"We are investigating.","status":"{3}","when":"2026-11-27T09:00:00+00:00"}},)"
      R"("affected_products":[{{"title":"Vertex Gemini API","id":"{2}"}}],"uri":"incidents/{0}",)"
      R"("currently_affected_locations":[{{"title":"x","id":"{4}"}}]}})",
      id, end.empty() ? std::string() : fmt::format(R"("end":"{}",)", end), product_id, impact,
      location);
}

config::StatusSource Vertex() {
  config::StatusSource e = Entry("google_cloud_status");
  e.products = {"Vertex Gemini API", "sdXM79fz1FS6ekNpu37K"};
  return e;
}

TEST(GoogleCloudStatus, RealCaptureOf157IncidentsIsReadable) {
  std::string body = modelwatch::testing::ReadFormatsFile("samples/gcp-incidents-2022-07-01.json");
  Snapshot s = ParseWith(Entry("google_cloud_status"), {Answer(body)}, kNow);
  EXPECT_NE(s.health, Health::kUnknown) << s.why;
  EXPECT_EQ(s.page, "https://status.cloud.google.com/");
}

TEST(GoogleCloudStatus, OngoingIncidentOfTheCheckmkSampleIsActive) {
  std::string body =
      modelwatch::testing::ReadFormatsFile("samples/gcp-incidents-checkmk-test-edited.json");
  Snapshot s = ParseWith(Entry("google_cloud_status"), {Answer(body)}, kNow);
  ASSERT_EQ(s.incidents.size(), 1u) << s.why;
  const Incident& i = s.incidents[0];
  EXPECT_EQ(i.id, "mLBHeCxhRia17anXCSX1");
  EXPECT_EQ(i.severity, "medium");
  EXPECT_EQ(i.status, "SERVICE_DISRUPTION");
  EXPECT_EQ(i.title, "Secret Manager experienced service unavailability in europe-west2");
  EXPECT_EQ(i.link, "https://status.cloud.google.com/incidents/mLBHeCxhRia17anXCSX1");
  EXPECT_EQ(i.started, At("2022-07-19T14:17:00+00:00"));
  EXPECT_NE(i.latest_update.find("Secret Manager"), std::string::npos);
  EXPECT_EQ(s.health, Health::kDegraded);
}

TEST(GoogleCloudStatus, IncidentOfAnotherProductIsLeftOut) {
  std::string body =
      modelwatch::testing::ReadFormatsFile("samples/gcp-incidents-checkmk-test-edited.json");
  Snapshot s = ParseWith(Vertex(), {Answer(body)}, kNow);
  EXPECT_EQ(s.health, Health::kOperational) << s.why;
  EXPECT_TRUE(s.incidents.empty());
}

TEST(GoogleCloudStatus, MatchesProductByIdAndByTitle) {
  std::string body = "[" + IncidentJson("a", "Z0FZJAMvEB4j3NbCJs6B") + "," +
                     IncidentJson("b", "sdXM79fz1FS6ekNpu37K") + "]";
  Snapshot s = ParseWith(Vertex(), {Answer(body)}, kNow);
  ASSERT_EQ(s.incidents.size(), 2u);
  EXPECT_EQ(s.incidents[0].affected, std::vector<std::string>{"Vertex Gemini API"});
}

TEST(GoogleCloudStatus, ResolvedIncidentIsNotActive) {
  std::string body =
      "[" + IncidentJson("a", "sdXM79fz1FS6ekNpu37K", "2026-11-27T09:35:00+00:00") + "]";
  Snapshot s = ParseWith(Vertex(), {Answer(body)}, kNow);
  EXPECT_EQ(s.health, Health::kOperational);
  EXPECT_TRUE(s.incidents.empty());
}

TEST(GoogleCloudStatus, NullOrEmptyEndMeansOngoing) {
  std::string a = IncidentJson("a", "sdXM79fz1FS6ekNpu37K");
  std::string b = IncidentJson("b", "sdXM79fz1FS6ekNpu37K");
  a.insert(1, R"("end":null,)");
  b.insert(1, R"("end":"",)");
  Snapshot s = ParseWith(Vertex(), {Answer("[" + a + "," + b + "]")}, kNow);
  EXPECT_EQ(s.incidents.size(), 2u);
}

TEST(GoogleCloudStatus, OutageImpactIsOutage) {
  std::string body = "[" + IncidentJson("a", "sdXM79fz1FS6ekNpu37K", "", "SERVICE_OUTAGE") + "]";
  EXPECT_EQ(ParseWith(Vertex(), {Answer(body)}, kNow).health, Health::kOutage);
}

TEST(GoogleCloudStatus, UnknownImpactValueCountsAsDegraded) {
  std::string body =
      "[" + IncidentJson("a", "sdXM79fz1FS6ekNpu37K", "", "SERVICE_APOCALYPSE") + "]";
  Snapshot s = ParseWith(Vertex(), {Answer(body)}, kNow);
  EXPECT_EQ(s.health, Health::kDegraded);
  ASSERT_EQ(s.incidents.size(), 1u);
  EXPECT_EQ(s.incidents[0].status, "SERVICE_APOCALYPSE");
}

TEST(GoogleCloudStatus, LocationFilterKeepsMatchingAndGlobalIncidents) {
  config::StatusSource e = Vertex();
  e.locations = {"europe-west4"};
  std::string body =
      "[" + IncidentJson("here", "sdXM79fz1FS6ekNpu37K", "", "SERVICE_OUTAGE", "europe-west4") +
      "," + IncidentJson("there", "sdXM79fz1FS6ekNpu37K") + "," +
      IncidentJson("everywhere", "sdXM79fz1FS6ekNpu37K", "", "SERVICE_OUTAGE", "global") + "]";
  Snapshot s = ParseWith(e, {Answer(body)}, kNow);
  ASSERT_EQ(s.incidents.size(), 2u);
  EXPECT_NE(s.incidents[0].id, "there");
  EXPECT_NE(s.incidents[1].id, "there");
}

TEST(GoogleCloudStatus, EmptyArrayIsOperational) {
  Snapshot s = ParseWith(Vertex(), {Answer("[]")}, kNow);
  EXPECT_EQ(s.health, Health::kOperational);
}

TEST(GoogleCloudStatus, TenThousandIncidentsAreAllRead) {
  std::string body = "[";
  for (int i = 0; i < 10'000; ++i) {
    body += (i ? "," : "") + IncidentJson(fmt::format("inc{:05d}", i), "sdXM79fz1FS6ekNpu37K");
  }
  body += "]";
  Snapshot s = ParseWith(Vertex(), {Answer(body)}, kNow);
  EXPECT_EQ(s.incidents.size(), 10'000u);
}

TEST(GoogleCloudStatus, IncidentWithoutIdMakesTheSourceUnknown) {
  Snapshot s = ParseWith(Vertex(), {Answer(R"([{"begin":"2026-11-27T08:00:00+00:00"}])")}, kNow);
  EXPECT_EQ(s.health, Health::kUnknown);
  EXPECT_EQ(s.why, "incidents[0] has no id");
}

TEST(GoogleCloudStatus, MissingOptionalFieldsAreTolerated) {
  Snapshot s = ParseWith(Entry("google_cloud_status"),
                         {Answer(R"([{"id":"x","begin":"2026-11-27T08:00:00+00:00"}])")}, kNow);
  EXPECT_NE(s.health, Health::kUnknown) << s.why;
}

TEST(GoogleCloudStatus, InvalidJsonIsUnknown) {
  Snapshot s = ParseWith(Vertex(), {Answer(R"([{"id": "a", )")}, kNow);
  EXPECT_EQ(s.health, Health::kUnknown);
  EXPECT_EQ(s.why, "invalid JSON");
}

TEST(GoogleCloudStatus, HtmlPageInsteadOfJsonIsUnknown) {
  Snapshot s = ParseWith(Vertex(), {Answer("<!DOCTYPE html><html><body>hi</body></html>")}, kNow);
  EXPECT_EQ(s.health, Health::kUnknown);
  EXPECT_EQ(s.why, "an HTML page instead of JSON");
}

TEST(GoogleCloudStatus, HttpErrorPageIsUnknownNotOutage) {
  Snapshot s = ParseWith(Vertex(), {Answer("<html><body>Error 503</body></html>", 503)}, kNow);
  EXPECT_EQ(s.health, Health::kUnknown);
  EXPECT_EQ(s.why, "HTTP 503 (an HTML page)");
}

TEST(GoogleCloudStatus, ObjectInsteadOfListIsUnknown) {
  EXPECT_EQ(ParseWith(Vertex(), {Answer(R"({"incidents":[]})")}, kNow).health, Health::kUnknown);
}

}  // namespace
}  // namespace modelwatch::source
