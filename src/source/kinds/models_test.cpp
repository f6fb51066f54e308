#include "source/kinds/models.h"

#include <gtest/gtest.h>

#include "sim/responder.h"

namespace modelwatch::source {
namespace {

using namespace std::chrono_literals;

WallTime Day(int y, unsigned m, unsigned d) {
  return std::chrono::sys_days(std::chrono::year(y) / std::chrono::month(m) / std::chrono::day(d));
}

net::Response Ok(std::string body) {
  net::Response r;
  r.http_status = 200;
  r.body = std::move(body);
  return r;
}

SourcePtr Make(std::string_view provider, std::vector<std::string> models, std::string base = "") {
  auto s =
      MakeModelsSource(provider, std::move(base), Secret("sk-test-secret-key"), std::move(models));
  EXPECT_TRUE(s.has_value()) << s.error().message();
  return s.has_value() ? std::move(*s) : nullptr;
}

// GET /v1/models as formats/openai-images.md describes it.
const char* kOpenAiList = R"({"object":"list","data":[
  {"id":"gpt-image-2","object":"model","created":1760000000,"owned_by":"system","shutdown_date":null},
  {"id":"gpt-image-1.5","object":"model","created":1745000000,"owned_by":"system","shutdown_date":"2026-12-01"}]})";

TEST(ModelsSource, OpenAiRequestCarriesTheKeyAsBearer) {
  SourcePtr s = Make("openai", {"gpt-image-2"});
  auto reqs = s->BuildRequests();
  ASSERT_EQ(reqs.size(), 1u);
  EXPECT_EQ(reqs[0].url, "https://api.openai.com/v1/models");
  EXPECT_EQ(reqs[0].method, "GET");
  bool bearer = false;
  for (auto& [k, v] : reqs[0].headers) {
    bearer = bearer || (k == "Authorization" && v == "Bearer sk-test-secret-key");
  }
  EXPECT_TRUE(bearer);
}

TEST(ModelsSource, OpenAiShutdownDateIsKept) {
  SourcePtr s = Make("openai", {"gpt-image-1.5", "gpt-image-2"});
  Snapshot snap = s->Parse({Ok(kOpenAiList)}, Day(2026, 11, 1));
  EXPECT_EQ(snap.kind, "models");
  EXPECT_EQ(snap.health, Health::kOperational);
  ASSERT_EQ(snap.models.size(), 2u);
  EXPECT_TRUE(snap.models[0].listed);
  ASSERT_TRUE(snap.models[0].shutdown.has_value());
  EXPECT_EQ(*snap.models[0].shutdown, Day(2026, 12, 1));
  EXPECT_FALSE(snap.models[1].shutdown.has_value());
}

TEST(ModelsSource, AModelMissingFromTheListIsNotListed) {
  SourcePtr s = Make("openai", {"dall-e-3"});
  Snapshot snap = s->Parse({Ok(kOpenAiList)}, Day(2026, 11, 1));
  EXPECT_EQ(snap.health, Health::kOperational);
  ASSERT_EQ(snap.models.size(), 1u);
  EXPECT_FALSE(snap.models[0].listed);
  EXPECT_NE(snap.why.find("not listed: dall-e-3"), std::string::npos) << snap.why;
}

TEST(ModelsSource, GeminiMatchesNamesWithOrWithoutThePrefix) {
  SourcePtr s = Make("gemini", {"gemini-3-pro-image", "models/gemini-2.5-flash-image"});
  auto reqs = s->BuildRequests();
  EXPECT_EQ(reqs[0].url, "https://generativelanguage.googleapis.com/v1beta/models?pageSize=1000");
  Snapshot snap = s->Parse(
      {Ok(R"({"models":[{"name":"models/gemini-3-pro-image","displayName":"Nano Banana Pro",
             "supportedGenerationMethods":["generateContent"]},
             {"name":"models/gemini-2.5-flash-image"}]})")},
      Day(2026, 11, 1));
  ASSERT_EQ(snap.models.size(), 2u);
  EXPECT_TRUE(snap.models[0].listed);
  EXPECT_TRUE(snap.models[1].listed);
}

TEST(ModelsSource, GeminiModelNotOnTheFirstOfSeveralPagesIsUnknownNotGone) {
  SourcePtr s = Make("gemini", {"gemini-3-pro-image"});
  Snapshot snap = s->Parse({Ok(R"({"models":[{"name":"models/other"}],"nextPageToken":"abc"})")},
                           Day(2026, 11, 1));
  EXPECT_EQ(snap.health, Health::kUnknown);
  EXPECT_TRUE(snap.models.empty());
  EXPECT_NE(snap.why.find("more pages than the 1 read"), std::string::npos) << snap.why;
}

TEST(ModelsSource, GeminiAsksForTheNextPageByItsToken) {
  SourcePtr s = Make("gemini", {"gemini-3-pro-image"});
  auto next = s->NextPage(Ok(R"({"models":[{"name":"models/a"}],"nextPageToken":"x/y="})"));
  ASSERT_TRUE(next.has_value());
  EXPECT_EQ(next->url,
            "https://generativelanguage.googleapis.com/v1beta/models?pageSize=1000&pageToken="
            "x%2Fy%3D");
  EXPECT_FALSE(s->NextPage(Ok(R"({"models":[{"name":"models/a"}]})")).has_value());
}

TEST(ModelsSource, GeminiModelOnALaterPageIsListed) {
  SourcePtr s = Make("gemini", {"gemini-3-pro-image", "gone-model"});
  Snapshot snap = s->Parse({Ok(R"({"models":[{"name":"models/other"}],"nextPageToken":"1"})"),
                            Ok(R"({"models":[{"name":"models/gemini-3-pro-image"}]})")},
                           Day(2026, 11, 1));
  EXPECT_EQ(snap.health, Health::kOperational) << snap.why;
  ASSERT_EQ(snap.models.size(), 2u);
  EXPECT_TRUE(snap.models[0].listed);
  EXPECT_FALSE(snap.models[1].listed);  // every page read: it is gone
}

TEST(ModelsSource, GeminiUnreadableLaterPageIsUnknown) {
  SourcePtr s = Make("gemini", {"gemini-3-pro-image"});
  net::Response bad;
  bad.http_status = 503;
  bad.body = R"({"error":{"message":"try later"}})";
  Snapshot snap = s->Parse({Ok(R"({"models":[{"name":"models/other"}],"nextPageToken":"1"})"), bad},
                           Day(2026, 11, 1));
  EXPECT_EQ(snap.health, Health::kUnknown);
  EXPECT_NE(snap.why.find("cannot read page 2 of the model list: HTTP 503: try later"),
            std::string::npos)
      << snap.why;
}

TEST(ModelsSource, OpenRouterKeepsExpirationAndPricing) {
  SourcePtr s = Make("openrouter", {"google/gemini-3-pro-image"});
  EXPECT_EQ(s->BuildRequests()[0].url, "https://openrouter.ai/api/v1/models");
  Snapshot snap = s->Parse(
      {Ok(R"({"data":[{"id":"google/gemini-3-pro-image","canonical_slug":"google/gemini-3-pro-image",
             "pricing":{"prompt":"0.000002","completion":"0.000012","image":"0.000002"},
             "expiration_date":"2027-01-15"}]})")},
      Day(2026, 11, 1));
  ASSERT_EQ(snap.models.size(), 1u);
  ASSERT_TRUE(snap.models[0].shutdown.has_value());
  EXPECT_EQ(*snap.models[0].shutdown, Day(2027, 1, 15));
  EXPECT_EQ(snap.models[0].pricing, "prompt 0.000002, completion 0.000012, image 0.000002");
}

TEST(ModelsSource, BaseUrlWithItsPrefixIsTakenAsItIs) {
  EXPECT_EQ(Make("gemini", {"x"}, "http://127.0.0.1:9/v1beta/")->BuildRequests()[0].url,
            "http://127.0.0.1:9/v1beta/models?pageSize=1000");
  EXPECT_EQ(Make("openrouter", {"a/b"}, "http://127.0.0.1:9")->BuildRequests()[0].url,
            "http://127.0.0.1:9/api/v1/models");
  // OpenAI's base URL with or without /v1, as the openai_images kind takes it.
  EXPECT_EQ(Make("openai", {"x"}, "http://127.0.0.1:9")->BuildRequests()[0].url,
            "http://127.0.0.1:9/v1/models");
  EXPECT_EQ(Make("openai", {"x"}, "http://127.0.0.1:9/v1/")->BuildRequests()[0].url,
            "http://127.0.0.1:9/v1/models");
}

struct Hostile {
  std::string name;
  net::Response answer;
  std::string why_has;
};

TEST(ModelsSource, HostileAnswersAreUnknownWithWhy) {
  net::Response html = Ok("<html><title>502</title></html>");
  net::Response unauthorized;
  unauthorized.http_status = 401;
  unauthorized.body =
      R"({"error":{"message":"Incorrect API key provided: sk-test-secret-key.","code":"invalid_api_key"}})";
  net::Response down;
  down.error = net::TransferError::kConnect;
  down.error_message = "Failed to connect";
  net::Response not_modified;
  not_modified.http_status = 304;
  const std::vector<Hostile> cases = {
      {"html", html, "not JSON"},
      {"invalid_json", Ok("{\"data\":["), "not JSON"},
      {"no_array", Ok(R"({"data":{}})"), "no \"data\" array"},
      {"http_401", unauthorized, "HTTP 401: Incorrect API key provided"},
      {"unreachable", down, "Failed to connect"},
      {"not_modified", not_modified, "HTTP 304"},
  };
  SourcePtr s = Make("openai", {"gpt-image-2"});
  for (const Hostile& c : cases) {
    SCOPED_TRACE(c.name);
    Snapshot snap = s->Parse({c.answer}, Day(2026, 11, 1));
    EXPECT_EQ(snap.health, Health::kUnknown);
    EXPECT_NE(snap.why.find(c.why_has), std::string::npos) << snap.why;
    EXPECT_EQ(snap.why.find("sk-test-secret-key"), std::string::npos) << snap.why;
  }
}

TEST(ModelsSource, EntriesWithMissingFieldsAndBadDatesAreTolerated) {
  SourcePtr s = Make("openai", {"gpt-image-2"});
  Snapshot snap = s->Parse(
      {Ok(R"({"data":[{"object":"model"},42,{"id":"gpt-image-2","shutdown_date":"soon"}]})")},
      Day(2026, 11, 1));
  ASSERT_EQ(snap.models.size(), 1u);
  EXPECT_TRUE(snap.models[0].listed);
  EXPECT_FALSE(snap.models[0].shutdown.has_value());
}

TEST(ModelsSource, ConfigErrorsSayWhat) {
  EXPECT_NE(MakeModelsSource("anthropic", "", Secret("k"), {"x"})
                .error()
                .message()
                .find("not one of openai, gemini, openrouter"),
            std::string::npos);
  EXPECT_NE(MakeModelsSource("openai", "", Secret(), {"x"}).error().message().find("api_key"),
            std::string::npos);
  EXPECT_NE(MakeModelsSource("openai", "", Secret("k"), {}).error().message().find("models"),
            std::string::npos);
  EXPECT_NE(
      MakeModelsSource("openai", "ftp://x", Secret("k"), {"x"}).error().message().find("base_url"),
      std::string::npos);
  EXPECT_TRUE(MakeModelsSource("openrouter", "", Secret(), {"a/b"}).has_value());
}

// The simulator's list, losing a model over its timeline, read by the source.
TEST(ModelsSource, SeesAModelDisappearFromTheSimulatorsList) {
  auto scenario = sim::ParseScenario(
      "routes:\n  - route: openai_models\n    timeline:\n"
      "      - {behaviour: ok, count: 1, models: [gpt-image-2, gpt-image-1.5], "
      "shutdown_dates: {gpt-image-1.5: \"2026-12-01\"}}\n"
      "      - {behaviour: ok, models: [gpt-image-2]}\n",
      "t.yaml");
  ASSERT_TRUE(scenario.has_value()) << scenario.error().message();
  FakeClock clock;
  sim::Responder responder(*scenario, clock);
  SourcePtr s = Make("openai", {"gpt-image-1.5"}, "http://127.0.0.1:1/v1");
  auto poll = [&] {
    sim::HttpRequest req;
    req.method = "GET";
    req.path = "/v1/models";
    sim::SimResponse out = responder.Handle(req);
    net::Response r;
    r.http_status = out.reply.status;
    r.body = out.reply.body;
    return s->Parse({r}, Day(2026, 11, 1));
  };
  Snapshot first = poll();
  ASSERT_EQ(first.models.size(), 1u);
  EXPECT_TRUE(first.models[0].listed);
  EXPECT_EQ(first.models[0].shutdown, Day(2026, 12, 1));
  Snapshot second = poll();
  ASSERT_EQ(second.models.size(), 1u);
  EXPECT_FALSE(second.models[0].listed);
}

}  // namespace
}  // namespace modelwatch::source
