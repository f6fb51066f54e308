#include <fmt/format.h>
#include <gtest/gtest.h>

#include "source/test_util.h"

namespace modelwatch::source {
namespace {

using testing::Answer;
using testing::At;
using testing::Entry;
using testing::ParseWith;

const WallTime kNow = At("2026-11-27T10:00:00Z");

std::string Models(std::string_view id = "google/gemini-3-pro-image") {
  return fmt::format(
      R"({{"data":[{{"id":"openai/gpt-5-image","pricing":{{"prompt":"0.00001"}}}},)"
      R"({{"id":"{}","canonical_slug":"{}","pricing":{{"prompt":"0.000002","completion":"0.000012",)"
      R"("request":"0","image":"0.000002"}},"expiration_date":"2027-01-15"}}]}})",
      id, id);
}

std::string Endpoint(std::string_view provider, std::string uptime, std::string status = "0") {
  return fmt::format(
      R"({{"name":"{0} | google/gemini-3-pro-image","provider_name":"{0}","tag":"google-vertex",)"
      R"("status":{1},"uptime_last_5m":{2},"uptime_last_30m":{2},"uptime_last_1d":99.5,)"
      R"("latency_last_30m":{{"p50":1200.5,"p90":3000}}}})",
      provider, status, uptime);
}

std::string Endpoints(const std::vector<std::string>& eps) {
  std::string list;
  for (const std::string& e : eps) {
    list += (list.empty() ? "" : ",") + e;
  }
  return fmt::format(R"({{"data":{{"id":"google/gemini-3-pro-image","endpoints":[{}]}}}})", list);
}

Snapshot Parse(std::string models, std::string endpoints) {
  return ParseWith(Entry("openrouter"), {Answer(std::move(models)), Answer(std::move(endpoints))},
                   kNow);
}

TEST(OpenRouterSource, AsksForTheModelListAndTheEndpointsWithTheSlugEscaped) {
  config::StatusSource e = Entry("openrouter");
  e.model = "nex-agi/x:free";
  auto s = MakeSource(e);
  ASSERT_TRUE(s);
  auto reqs = (*s)->BuildRequests();
  ASSERT_EQ(reqs.size(), 2u);
  EXPECT_EQ(reqs[0].url, "https://openrouter.ai/api/v1/models");
  EXPECT_EQ(reqs[1].url, "https://openrouter.ai/api/v1/models/nex-agi/x%3Afree/endpoints");
}

TEST(OpenRouterSource, HealthyProvidersAreOperationalWithUptimeAndLatency) {
  Snapshot s =
      Parse(Models(),
            Endpoints({Endpoint("Google Vertex", "99.8"), Endpoint("Google AI Studio", "100")}));
  EXPECT_EQ(s.health, Health::kOperational) << s.why;
  ASSERT_EQ(s.endpoints.size(), 2u);
  EXPECT_EQ(s.endpoints[0].provider, "Google Vertex");
  EXPECT_EQ(s.endpoints[0].status, "0");
  EXPECT_DOUBLE_EQ(*s.endpoints[0].uptime_5m, 99.8);
  EXPECT_DOUBLE_EQ(*s.endpoints[0].uptime_1d, 99.5);
  EXPECT_DOUBLE_EQ(*s.endpoints[0].latency_ms, 1200.5);
  EXPECT_FALSE(s.endpoints[0].degraded);
  ASSERT_EQ(s.models.size(), 1u);
  EXPECT_TRUE(s.models[0].listed);
  EXPECT_EQ(s.models[0].pricing, "completion 0.000012, image 0.000002, prompt 0.000002");
  EXPECT_EQ(*s.models[0].shutdown, At("2027-01-15T00:00:00Z"));
}

TEST(OpenRouterSource, EveryProviderUnderTheThresholdIsDegraded) {
  Snapshot s = Parse(Models(), Endpoints({Endpoint("Google Vertex", "80", "-2"),
                                          Endpoint("Google AI Studio", "94.9")}));
  EXPECT_EQ(s.health, Health::kDegraded);
  EXPECT_TRUE(s.endpoints[0].degraded);
  EXPECT_TRUE(s.endpoints[1].degraded);
  EXPECT_EQ(s.endpoints[0].status, "-2");
  EXPECT_NE(s.why.find("excludes rate-limited requests"), std::string::npos);
}

TEST(OpenRouterSource, OneProviderUnderTheThresholdIsFlaggedButTheModelIsOperational) {
  Snapshot s = Parse(
      Models(), Endpoints({Endpoint("Google Vertex", "80"), Endpoint("Google AI Studio", "99")}));
  EXPECT_EQ(s.health, Health::kOperational);
  EXPECT_TRUE(s.endpoints[0].degraded);
  EXPECT_FALSE(s.endpoints[1].degraded);
  EXPECT_EQ(s.why, "1 of 2 providers under 95.0% uptime");
}

TEST(OpenRouterSource, ThresholdComesFromConfig) {
  config::StatusSource e = Entry("openrouter");
  e.uptime_below = 99.9;
  Snapshot s = ParseWith(
      e, {Answer(Models()), Answer(Endpoints({Endpoint("Google Vertex", "99.8")}))}, kNow);
  EXPECT_EQ(s.health, Health::kDegraded);
}

TEST(OpenRouterSource, NullUptimesAndStringStatusAreTolerated) {
  Snapshot s = Parse(Models(), Endpoints({Endpoint("Google Vertex", "null", "\"default\"")}));
  EXPECT_EQ(s.health, Health::kOperational) << s.why;
  ASSERT_EQ(s.endpoints.size(), 1u);
  EXPECT_EQ(s.endpoints[0].status, "default");
  EXPECT_FALSE(s.endpoints[0].uptime_5m.has_value());
  EXPECT_DOUBLE_EQ(*s.endpoints[0].uptime_1d, 99.5);  // the figure used
}

TEST(OpenRouterSource, EmptyEndpointsListIsOutage) {
  Snapshot s = Parse(Models(), Endpoints({}));
  EXPECT_EQ(s.health, Health::kOutage);
  EXPECT_EQ(s.why, "no provider serves the model on OpenRouter");
}

TEST(OpenRouterSource, ModelMissingFromTheListIsNotListed) {
  Snapshot s = Parse(
      Models("google/other"),
      R"({"error":{"message":"No endpoints found for google/gemini-3-pro-image.","code":404}})");
  ASSERT_EQ(s.models.size(), 1u);
  EXPECT_FALSE(s.models[0].listed);
  EXPECT_EQ(s.health, Health::kOutage);
}

TEST(OpenRouterSource, ModelListThatIsNotJsonIsUnknown) {
  Snapshot s = Parse("<html>Bad gateway</html>", Endpoints({}));
  EXPECT_EQ(s.health, Health::kUnknown);
  EXPECT_EQ(s.why, "model list: an HTML page instead of JSON");
}

TEST(OpenRouterSource, EndpointsWithoutDataIsUnknown) {
  Snapshot s = Parse(Models(), R"({"data":[]})");
  EXPECT_EQ(s.health, Health::kUnknown);
  EXPECT_EQ(s.why, "endpoints: no data.endpoints list");
}

}  // namespace
}  // namespace modelwatch::source
