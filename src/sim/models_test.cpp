// The simulator's model lists and its answer to an unknown model ID.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "sim/responder.h"

namespace modelwatch::sim {
namespace {

using nlohmann::json;

HttpRequest Request(std::string method, std::string path, std::string body = "",
                    std::string query = "") {
  HttpRequest r;
  r.method = std::move(method);
  r.path = std::move(path);
  r.body = std::move(body);
  r.query = std::move(query);
  return r;
}

Scenario Parse(const std::string& yaml) {
  auto s = ParseScenario(yaml, "test.yaml");
  EXPECT_TRUE(s.has_value()) << s.error().message();
  return s.has_value() ? *s : Scenario{};
}

const std::string kKnown = "models: [gpt-image-2, gemini-3-pro-image, google/gemini-3-pro-image]\n";

class SimModels : public ::testing::Test {
 protected:
  SimResponse Handle(const std::string& yaml, const HttpRequest& req) {
    scenario_ = Parse(yaml);
    responder_ = std::make_unique<Responder>(scenario_, clock_);
    return responder_->Handle(req);
  }
  FakeClock clock_;
  Scenario scenario_;
  std::unique_ptr<Responder> responder_;
};

TEST_F(SimModels, OpenAiAnswersAnUnknownModelWithModelNotFound) {
  SimResponse r = Handle(
      kKnown + "routes: []\n",
      Request("POST", "/v1/images/generations", R"({"model":"gpt-image-1","prompt":"a red fox"})"));
  ASSERT_EQ(r.reply.status, 404);
  json j = json::parse(r.reply.body);
  EXPECT_EQ(j["error"]["code"], "model_not_found");
  EXPECT_NE(j["error"]["message"].get<std::string>().find("gpt-image-1"), std::string::npos);
}

TEST_F(SimModels, GeminiAnswersAnUnknownModelWithNotFound) {
  SimResponse r =
      Handle(kKnown + "routes: []\n",
             Request("POST", "/v1beta/models/gemini-3-pro-image-preview:generateContent",
                     R"({"contents":[{"parts":[{"text":"fox"}]}]})"));
  ASSERT_EQ(r.reply.status, 404);
  json j = json::parse(r.reply.body);
  EXPECT_EQ(j["error"]["status"], "NOT_FOUND");
  EXPECT_NE(j["error"]["message"].get<std::string>().find("models/gemini-3-pro-image-preview"),
            std::string::npos);
}

TEST_F(SimModels, OpenRouterAnswersAnUnknownModelWithNoEndpointsFound) {
  SimResponse r = Handle(
      kKnown + "routes: []\n",
      Request("POST", "/api/v1/chat/completions",
              R"({"model":"google/gemini-9-image","messages":[{"role":"user","content":"x"}]})"));
  ASSERT_EQ(r.reply.status, 404);
  EXPECT_EQ(json::parse(r.reply.body)["error"]["message"],
            "No endpoints found for google/gemini-9-image.");
}

TEST_F(SimModels, AKnownModelStillGenerates) {
  SimResponse r = Handle(
      kKnown + "routes: []\n",
      Request("POST", "/v1/images/generations", R"({"model":"gpt-image-2","prompt":"a red fox"})"));
  EXPECT_EQ(r.reply.status, 200);
}

TEST_F(SimModels, WithoutAModelListEveryModelGenerates) {
  SimResponse r = Handle("routes: []\n", Request("POST", "/v1/images/generations",
                                                 R"({"model":"anything","prompt":"fox"})"));
  EXPECT_EQ(r.reply.status, 200);
}

TEST_F(SimModels, AnOpenAiPathWithoutV1Is404AsTheRealApiAnswers) {
  for (const char* path : {"/images/generations", "/models"}) {
    SimResponse r = Handle("routes: []\n", Request(path[1] == 'i' ? "POST" : "GET", path,
                                                   R"({"model":"gpt-image-2","prompt":"fox"})"));
    EXPECT_EQ(r.reply.status, 404) << path;
    json j = json::parse(r.reply.body);
    EXPECT_EQ(j["error"]["type"], "invalid_request_error") << path;
    EXPECT_NE(j["error"]["message"].get<std::string>().find("Invalid URL"), std::string::npos);
  }
}

TEST_F(SimModels, OpenAiListCarriesShutdownDates) {
  SimResponse r = Handle(
      "routes:\n  - route: openai_models\n    timeline:\n"
      "      - {behaviour: ok, models: [gpt-image-2, gpt-image-1.5], "
      "shutdown_dates: {gpt-image-1.5: \"2026-12-31\"}}\n",
      Request("GET", "/v1/models"));
  ASSERT_EQ(r.reply.status, 200);
  json j = json::parse(r.reply.body);
  ASSERT_EQ(j["data"].size(), 2u);
  EXPECT_EQ(j["data"][0]["id"], "gpt-image-2");
  EXPECT_TRUE(j["data"][0]["shutdown_date"].is_null());
  EXPECT_EQ(j["data"][1]["shutdown_date"], "2026-12-31");
}

TEST_F(SimModels, OpenRouterListCarriesExpirationDates) {
  SimResponse r = Handle(
      "routes:\n  - route: openrouter_models\n    timeline:\n"
      "      - {behaviour: ok, models: [google/a], shutdown_dates: {google/a: \"2027-01-05\"}}\n",
      Request("GET", "/api/v1/models"));
  json j = json::parse(r.reply.body);
  ASSERT_EQ(j["data"].size(), 1u);
  EXPECT_EQ(j["data"][0]["expiration_date"], "2027-01-05");
}

TEST_F(SimModels, GeminiListIsPagedWithNextPageToken) {
  const std::string yaml =
      "routes:\n  - route: gemini_models\n    timeline:\n"
      "      - {behaviour: ok, models: [a, b, c]}\n";
  SimResponse first = Handle(yaml, Request("GET", "/v1beta/models", "", "pageSize=2"));
  json j = json::parse(first.reply.body);
  ASSERT_EQ(j["models"].size(), 2u);
  EXPECT_EQ(j["models"][0]["name"], "models/a");
  ASSERT_TRUE(j.contains("nextPageToken"));
  std::string token = j["nextPageToken"];
  SimResponse second =
      responder_->Handle(Request("GET", "/v1beta/models", "", "pageSize=2&pageToken=" + token));
  json k = json::parse(second.reply.body);
  ASSERT_EQ(k["models"].size(), 1u);
  EXPECT_EQ(k["models"][0]["name"], "models/c");
  EXPECT_FALSE(k.contains("nextPageToken"));
}

TEST_F(SimModels, AListLosesAModelOverItsTimeline) {
  Handle(
      "routes:\n  - route: openai_models\n    timeline:\n"
      "      - {behaviour: ok, count: 1, models: [gpt-image-2, gpt-image-1.5]}\n"
      "      - {behaviour: ok, models: [gpt-image-2]}\n",
      Request("GET", "/v1/models"));
  SimResponse later = responder_->Handle(Request("GET", "/v1/models"));
  json j = json::parse(later.reply.body);
  ASSERT_EQ(j["data"].size(), 1u);
  EXPECT_EQ(j["data"][0]["id"], "gpt-image-2");
}

TEST_F(SimModels, DefaultListsNameTheScenarioModels) {
  SimResponse r = Handle(kKnown + "routes: []\n", Request("GET", "/v1beta/models"));
  json j = json::parse(r.reply.body);
  std::vector<std::string> names;
  for (const json& m : j["models"]) {
    names.push_back(m["name"]);
  }
  EXPECT_EQ(names, (std::vector<std::string>{"models/gpt-image-2", "models/gemini-3-pro-image"}));
}

TEST(SimModelsParse, ABadShutdownDateIsAnError) {
  auto s = ParseScenario(
      "routes:\n  - route: openai_models\n    timeline:\n"
      "      - {behaviour: ok, shutdown_dates: {x: soon}}\n",
      "t.yaml");
  ASSERT_FALSE(s.has_value());
  EXPECT_NE(s.error().message().find("t.yaml:4:"), std::string::npos) << s.error().message();
}

}  // namespace
}  // namespace modelwatch::sim
