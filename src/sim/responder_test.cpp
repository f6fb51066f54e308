#include "sim/responder.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/base64.h"
#include "core/sample_file.h"
#include "sim/image.h"

namespace modelwatch::sim {
namespace {

using nlohmann::json;
using std::chrono::microseconds;

HttpRequest Post(std::string path, std::string body) {
  HttpRequest r;
  r.method = "POST";
  r.path = std::move(path);
  r.body = std::move(body);
  return r;
}

HttpRequest Get(std::string path) {
  HttpRequest r;
  r.method = "GET";
  r.path = std::move(path);
  return r;
}

Scenario Parse(const std::string& yaml) {
  auto s = ParseScenario(yaml, "test.yaml");
  EXPECT_TRUE(s.has_value()) << s.error().message();
  return s.has_value() ? *s : Scenario{};
}

std::string OneStep(const std::string& route, const std::string& step) {
  return "routes:\n  - route: " + route + "\n    timeline:\n      - " + step + "\n";
}

std::string OneRoute(const std::string& route, const std::string& steps) {
  return "routes:\n  - route: " + route + "\n    timeline:\n" + steps;
}

const std::string kOpenAiBody = R"({"model":"gpt-image-1","prompt":"a red fox"})";
const std::string kGeminiBody = R"({"contents":[{"role":"user","parts":[{"text":"a red fox"}]}]})";
const std::string kGeminiPath = "/v1beta/models/gemini-3-pro-image:generateContent";
const std::string kOpenRouterBody =
    R"({"model":"google/gemini-3-pro-image","messages":[{"role":"user","content":"fox"}],
        "modalities":["image","text"]})";

class ResponderTest : public ::testing::Test {
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

TEST_F(ResponderTest, OpenAiOkCarriesARealPngOfTheConfiguredSize) {
  SimResponse r = Handle(
      OneStep("openai_images", "{behaviour: ok, image: {format: png, width: 32, height: 16}}"),
      Post("/v1/images/generations", kOpenAiBody));
  ASSERT_EQ(r.reply.status, 200);
  json j = json::parse(r.reply.body);
  EXPECT_TRUE(j["created"].is_number_integer());
  EXPECT_EQ(j["size"], "32x16");
  EXPECT_EQ(j["output_format"], "png");
  EXPECT_TRUE(j["usage"].contains("input_tokens_details"));
  auto png = DecodeBase64(j["data"][0]["b64_json"].get<std::string>());
  ASSERT_TRUE(png.has_value());
  EXPECT_EQ(png->substr(1, 3), "PNG");
  EXPECT_EQ(static_cast<unsigned char>((*png)[19]), 32);
  EXPECT_EQ(static_cast<unsigned char>((*png)[23]), 16);
}

TEST_F(ResponderTest, OpenAiQuotaIsTheRealInsufficientQuotaShape) {
  SimResponse r = Handle(OneStep("openai_images", "{behaviour: quota}"),
                         Post("/v1/images/generations", kOpenAiBody));
  EXPECT_EQ(r.reply.status, 429);
  json e = json::parse(r.reply.body)["error"];
  EXPECT_EQ(e["type"], "insufficient_quota");
  EXPECT_EQ(e["code"], "insufficient_quota");
  EXPECT_TRUE(e["param"].is_null());
  EXPECT_EQ(e.size(), 4u);
}

TEST_F(ResponderTest, RateLimitSendsUnscaledRetryAfterButScaledDelay) {
  SimResponse r =
      Handle("time_scale: 0.01\n" +
                 OneStep("openai_images", "{behaviour: rate_limit, retry_after: 20s, latency: 2s}"),
             Post("/v1/images/generations", kOpenAiBody));
  EXPECT_EQ(r.reply.status, 429);
  bool found = false;
  for (const auto& [k, v] : r.reply.headers) {
    if (k == "Retry-After") {
      found = true;
      EXPECT_EQ(v, "20");
    }
  }
  EXPECT_TRUE(found);
  EXPECT_EQ(r.delay, microseconds(20'000));
  EXPECT_EQ(json::parse(r.reply.body)["error"]["code"], "rate_limit_exceeded");
}

TEST_F(ResponderTest, OpenAiSafetyBlockIsModerationBlocked) {
  SimResponse r = Handle(OneStep("openai_images", "{behaviour: safety_block}"),
                         Post("/v1/images/generations", kOpenAiBody));
  EXPECT_EQ(r.reply.status, 400);
  EXPECT_EQ(json::parse(r.reply.body)["error"]["code"], "moderation_blocked");
}

TEST_F(ResponderTest, GeminiOkHasTheSampleShape) {
  SimResponse r = Handle(OneStep("gemini", "{behaviour: ok}"), Post(kGeminiPath, kGeminiBody));
  ASSERT_EQ(r.reply.status, 200);
  json j = json::parse(r.reply.body);
  json sample = json::parse(modelwatch::testing::ReadFormatsFile(
      "samples/gemini-generatecontent-image-response-2025-11-09.json"));
  for (const auto& [key, _] : sample.items()) {
    EXPECT_TRUE(j.contains(key)) << key;
  }
  for (const auto& [key, _] : sample["usageMetadata"].items()) {
    EXPECT_TRUE(j["usageMetadata"].contains(key)) << key;
  }
  const json& cand = j["candidates"][0];
  EXPECT_EQ(cand["finishReason"], "STOP");
  EXPECT_EQ(cand["content"]["role"], "model");
  const json& inline_data = cand["content"]["parts"][1]["inlineData"];
  EXPECT_EQ(inline_data["mimeType"], "image/png");
  EXPECT_EQ(DecodeBase64(inline_data["data"].get<std::string>())->substr(1, 3), "PNG");
  EXPECT_EQ(j["modelVersion"], "gemini-3-pro-image");
}

TEST_F(ResponderTest, GeminiSafetyBlocksInBothPlaces) {
  SimResponse image =
      Handle(OneStep("gemini", "{behaviour: safety_block}"), Post(kGeminiPath, kGeminiBody));
  json j = json::parse(image.reply.body);
  EXPECT_EQ(image.reply.status, 200);
  EXPECT_EQ(j["candidates"][0]["finishReason"], "IMAGE_SAFETY");
  EXPECT_FALSE(j["candidates"][0].contains("content"));
  SimResponse prompt = Handle(OneStep("gemini", "{behaviour: safety_block, safety: prompt}"),
                              Post(kGeminiPath, kGeminiBody));
  j = json::parse(prompt.reply.body);
  EXPECT_EQ(j["promptFeedback"]["blockReason"], "PROHIBITED_CONTENT");
  EXPECT_FALSE(j.contains("candidates"));
}

TEST_F(ResponderTest, GeminiRateLimitAndQuotaNameTheirQuota) {
  SimResponse rl = Handle(OneStep("gemini", "{behaviour: rate_limit, retry_after: 47s}"),
                          Post(kGeminiPath, kGeminiBody));
  json e = json::parse(rl.reply.body)["error"];
  EXPECT_EQ(rl.reply.status, 429);
  EXPECT_EQ(e["code"], 429);
  EXPECT_EQ(e["status"], "RESOURCE_EXHAUSTED");
  EXPECT_EQ(e["details"][0]["violations"][0]["quotaId"],
            "GenerateRequestsPerMinutePerProjectPerModel");
  EXPECT_EQ(e["details"][2]["retryDelay"], "47s");
  SimResponse q = Handle(OneStep("gemini", "{behaviour: quota}"), Post(kGeminiPath, kGeminiBody));
  e = json::parse(q.reply.body)["error"];
  EXPECT_EQ(e["details"][0]["violations"][0]["quotaId"],
            "GenerateRequestsPerDayPerProjectPerModel");
}

TEST_F(ResponderTest, GeminiAuthIsTheRealApiKeyInvalidAnswer) {
  SimResponse r = Handle(OneStep("gemini", "{behaviour: auth}"), Post(kGeminiPath, kGeminiBody));
  EXPECT_EQ(r.reply.status, 400);
  EXPECT_EQ(json::parse(r.reply.body), json::parse(modelwatch::testing::ReadFormatsFile(
                                           "samples/gemini-error-400-api-key-invalid-doc.json")));
}

TEST_F(ResponderTest, OpenRouterOkPutsTheImageInMessageImages) {
  SimResponse r = Handle(OneStep("openrouter_chat", "{behaviour: ok, image: {format: webp}}"),
                         Post("/api/v1/chat/completions", kOpenRouterBody));
  ASSERT_EQ(r.reply.status, 200);
  json msg = json::parse(r.reply.body)["choices"][0]["message"];
  std::string url = msg["images"][0]["image_url"]["url"];
  const std::string prefix = "data:image/webp;base64,";
  ASSERT_EQ(url.rfind(prefix, 0), 0u);
  EXPECT_EQ(DecodeBase64(url.substr(prefix.size()))->substr(8, 4), "WEBP");
}

TEST_F(ResponderTest, OpenRouterQuotaIs402AndSafetyIsTextOnly) {
  SimResponse q = Handle(OneStep("openrouter_chat", "{behaviour: quota}"),
                         Post("/api/v1/chat/completions", kOpenRouterBody));
  EXPECT_EQ(q.reply.status, 402);
  EXPECT_EQ(json::parse(q.reply.body)["error"]["code"], 402);
  SimResponse s = Handle(OneStep("openrouter_chat", "{behaviour: safety_block}"),
                         Post("/api/v1/chat/completions", kOpenRouterBody));
  json msg = json::parse(s.reply.body)["choices"][0]["message"];
  EXPECT_EQ(s.reply.status, 200);
  EXPECT_FALSE(msg.contains("images"));
  EXPECT_TRUE(msg["content"].is_string());
}

TEST_F(ResponderTest, OpenRouterListsScenarioModelsAndEndpointHealth) {
  std::string yaml =
      "routes:\n"
      "  - route: openrouter_chat\n    model: acme/painter\n    timeline: [{behaviour: ok}]\n"
      "  - route: openrouter_endpoints\n    timeline:\n"
      "      - {behaviour: ok, uptime: 42.5, provider_status: -2, providers: 1}\n";
  SimResponse list = Handle(yaml, Get("/api/v1/models"));
  bool listed = false;
  json models = json::parse(list.reply.body);
  for (const auto& m : models["data"]) {
    listed = listed || m["id"] == "acme/painter";
    EXPECT_TRUE(m["architecture"]["output_modalities"].is_array());
  }
  EXPECT_TRUE(listed);
  SimResponse ep =
      responder_->Handle(Get("/api/v1/models/google/gemini-3-pro-image/endpoints"));
  json data = json::parse(ep.reply.body)["data"];
  ASSERT_EQ(data["endpoints"].size(), 1u);
  EXPECT_EQ(data["endpoints"][0]["status"], -2);
  EXPECT_EQ(data["endpoints"][0]["uptime_last_30m"], 42.5);
  EXPECT_EQ(data["endpoints"][0]["provider_name"], "Google Vertex");
}

TEST_F(ResponderTest, FeedsServeBuiltInIncidents) {
  SimResponse gcp =
      Handle(OneStep("gcp_incidents", "{behaviour: ok, incident: active}"), Get("/incidents.json"));
  json list = json::parse(gcp.reply.body);
  ASSERT_TRUE(list.is_array());
  EXPECT_FALSE(list[0].contains("end"));
  EXPECT_EQ(list[0]["affected_products"][0]["id"], "Z0FZJAMvEB4j3NbCJs6B");
  EXPECT_TRUE(list[1].contains("end"));
  SimResponse resolved =
      Handle(OneStep("gcp_incidents", "{behaviour: ok}"), Get("/incidents.json"));
  EXPECT_TRUE(json::parse(resolved.reply.body)[0].contains("end"));
  SimResponse sp = Handle(OneStep("statuspage_summary", "{behaviour: ok, incident: active}"),
                          Get("/api/v2/summary.json"));
  json s = json::parse(sp.reply.body);
  EXPECT_EQ(s["status"]["indicator"], "major");
  EXPECT_EQ(s["incidents"][0]["status"], "investigating");
  SimResponse down = Handle(OneStep("statuspage_summary", "{behaviour: unavailable}"),
                            Get("/api/v2/summary.json"));
  EXPECT_EQ(down.reply.status, 503);
}

TEST_F(ResponderTest, DeliveryBehavioursBecomeActions) {
  EXPECT_EQ(Handle(OneStep("gemini", "{behaviour: hang}"), Post(kGeminiPath, kGeminiBody)).action,
            Action::kHang);
  EXPECT_EQ(Handle(OneStep("gemini", "{behaviour: reset}"), Post(kGeminiPath, kGeminiBody)).action,
            Action::kReset);
  SimResponse drip =
      Handle("time_scale: 0.5\n" + OneStep("gemini", "{behaviour: slow_drip, drip: 4s}"),
             Post(kGeminiPath, kGeminiBody));
  EXPECT_EQ(drip.action, Action::kDrip);
  EXPECT_EQ(drip.drip, microseconds(2'000'000));
  EXPECT_TRUE(json::accept(drip.reply.body));
  SimResponse bad =
      Handle(OneStep("gemini", "{behaviour: malformed_json}"), Post(kGeminiPath, kGeminiBody));
  EXPECT_EQ(bad.reply.status, 200);
  EXPECT_FALSE(json::accept(bad.reply.body));
}

TEST_F(ResponderTest, BrokenRequestsGetTheProvidersBadRequest) {
  SimResponse r = Handle(OneStep("openai_images", "{behaviour: ok}"),
                         Post("/v1/images/generations", R"({"model":"gpt-image-1"})"));
  EXPECT_EQ(r.reply.status, 400);
  EXPECT_EQ(json::parse(r.reply.body)["error"]["message"], "Missing required parameter: 'prompt'.");
  SimResponse g = Handle(OneStep("gemini", "{behaviour: ok}"), Post(kGeminiPath, "{not json"));
  EXPECT_EQ(g.reply.status, 400);
  EXPECT_EQ(json::parse(g.reply.body)["error"]["status"], "INVALID_ARGUMENT");
}

TEST_F(ResponderTest, RequireAuthChecksTheKeyHeader) {
  std::string yaml = "require_auth: true\n" + OneStep("openai_images", "{behaviour: ok}");
  EXPECT_EQ(Handle(yaml, Post("/v1/images/generations", kOpenAiBody)).reply.status, 401);
  HttpRequest with_key = Post("/v1/images/generations", kOpenAiBody);
  with_key.headers.emplace_back("authorization", "Bearer sk-test");
  EXPECT_EQ(Handle(yaml, with_key).reply.status, 200);
}

TEST_F(ResponderTest, ModelSelectsTheTimelineAndLatencyIsSeeded) {
  std::string yaml =
      "seed: 99\nroutes:\n"
      "  - route: openai_images\n    model: dall-e-3\n    timeline: [{behaviour: unavailable}]\n"
      "  - route: openai_images\n    timeline: [{behaviour: ok, latency: 1s-9s}]\n";
  HttpRequest dalle = Post("/v1/images/generations", R"({"model":"dall-e-3","prompt":"x"})");
  EXPECT_EQ(Handle(yaml, dalle).reply.status, 503);
  std::vector<int64_t> first;
  std::vector<int64_t> second;
  for (auto* out : {&first, &second}) {
    Scenario s = Parse(yaml);
    Responder r(s, clock_);
    for (int i = 0; i < 20; ++i) {
      out->push_back(r.Handle(Post("/v1/images/generations", kOpenAiBody)).delay.count());
    }
  }
  EXPECT_EQ(first, second);
  EXPECT_NE(first[0], first[1]);
  for (int64_t d : first) {
    EXPECT_GE(d, 1'000'000);
    EXPECT_LE(d, 9'000'000);
  }
}

TEST_F(ResponderTest, BodyFileAndStatusOverride) {
  Scenario s = Parse(OneStep("gcp_incidents", "{behaviour: ok, http_status: 502}"));
  s.routes[0].steps[0].body = "[]";
  s.routes[0].steps[0].body_content_type = "application/json";
  Responder r(s, clock_);
  SimResponse out = r.Handle(Get("/incidents.json"));
  EXPECT_EQ(out.reply.status, 502);
  EXPECT_EQ(out.reply.body, "[]");
  EXPECT_EQ(r.requests(RouteKind::kGcpIncidents), 1u);
  EXPECT_EQ(r.Handle(Get("/nothing")).reply.status, 404);
  EXPECT_EQ(r.total_requests(), 1u);
}

TEST_F(ResponderTest, InvalidUtf8InAModelNameDoesNotThrow) {
  SimResponse r = Handle(OneStep("gemini", "{behaviour: not_found}"),
                         Post("/v1beta/models/bad%FFname:generateContent", kGeminiBody));
  EXPECT_EQ(r.reply.status, 404);
  EXPECT_TRUE(json::accept(r.reply.body));
}

// --- dall-e links (data[].url) and the image files behind them ---

const std::string kDallE3Body = R"({"model":"dall-e-3","prompt":"a red fox","n":1})";

HttpRequest WithHost(HttpRequest r, std::string host) {
  r.headers.emplace_back("host", std::move(host));
  return r;
}

std::string HeaderOf(const SimResponse& r, std::string_view name) {
  for (const auto& [k, v] : r.reply.headers) {
    if (k == name) {
      return v;
    }
  }
  return {};
}

TEST_F(ResponderTest, DallE3AnswersWithALinkInTheSamplesShape) {
  SimResponse r = Handle(
      OneStep("openai_images", "{behaviour: ok, image: {format: png, width: 32, height: 16}}"),
      WithHost(Post("/v1/images/generations", kDallE3Body), "sim.test:8089"));
  ASSERT_EQ(r.reply.status, 200);
  json j = json::parse(r.reply.body);
  json sample = json::parse(modelwatch::testing::ReadFormatsFile(
      "samples/openai-images-generations-url-doc-example-2024.json"));
  ASSERT_EQ(j.size(), sample.size()) << j.dump();  // created and data, nothing else
  for (const auto& [key, value] : sample.items()) {
    ASSERT_TRUE(j.contains(key)) << key;
    EXPECT_EQ(j[key].type(), value.type()) << key;
  }
  ASSERT_EQ(j["data"].size(), 1u);
  const json& item = j["data"][0];
  EXPECT_EQ(item["url"], "http://sim.test:8089/sim-images/img-0000000000000001-32x16.png");
  EXPECT_EQ(item["revised_prompt"], "a red fox");
  EXPECT_EQ(item.size(), 2u) << item.dump();  // no b64_json
}

TEST_F(ResponderTest, DallE2LinkHasNoRevisedPromptAndFallsBackToTheServersAddress) {
  scenario_ = Parse(OneStep("openai_images", "{behaviour: ok}"));
  Responder r(scenario_, clock_, "127.0.0.1", 8089);
  const std::string body = R"({"model":"dall-e-2","prompt":"x","response_format":"url"})";
  json no_host = json::parse(r.Handle(Post("/v1/images/generations", body)).reply.body);
  EXPECT_EQ(no_host["data"][0]["url"],
            "http://127.0.0.1:8089/sim-images/img-0000000000000001-64x64.png");
  EXPECT_FALSE(no_host["data"][0].contains("revised_prompt"));
  // A Host without a port means the port the request came in on.
  json bare_host =
      json::parse(r.Handle(WithHost(Post("/v1/images/generations", body), "localhost")).reply.body);
  EXPECT_EQ(bare_host["data"][0]["url"],
            "http://localhost:8089/sim-images/img-0000000000000002-64x64.png");
}

TEST_F(ResponderTest, DallEAnswersInBase64WhenAsked) {
  SimResponse r =
      Handle(OneStep("openai_images", "{behaviour: ok}"),
             Post("/v1/images/generations",
                  R"({"model":"dall-e-3","prompt":"a red fox","response_format":"b64_json"})"));
  ASSERT_EQ(r.reply.status, 200);
  json item = json::parse(r.reply.body)["data"][0];
  EXPECT_FALSE(item.contains("url"));
  EXPECT_EQ(DecodeBase64(item["b64_json"].get<std::string>())->substr(1, 3), "PNG");
  EXPECT_EQ(item["revised_prompt"], "a red fox");
}

TEST_F(ResponderTest, GptImageRefusesResponseFormatWhateverTheTimeline) {
  for (const char* format : {"b64_json", "url"}) {
    SimResponse r = Handle(
        OneStep("openai_images", "{behaviour: unavailable}"),
        Post("/v1/images/generations", std::string(R"({"model":"gpt-image-1","prompt":"x",)") +
                                           R"("response_format":")" + format + R"("})"));
    EXPECT_EQ(r.reply.status, 400) << format;
    json e = json::parse(r.reply.body)["error"];
    EXPECT_EQ(e["message"], "Unknown parameter: 'response_format'.");
    EXPECT_EQ(e["type"], "invalid_request_error");
    EXPECT_EQ(e["param"], "response_format");
    EXPECT_EQ(e["code"], "unknown_parameter");
  }
  // Without it, GPT image models answer in base64 as before.
  SimResponse ok = Handle(OneStep("openai_images", "{behaviour: ok}"),
                          Post("/v1/images/generations", kOpenAiBody));
  EXPECT_TRUE(json::parse(ok.reply.body)["data"][0].contains("b64_json"));
}

TEST_F(ResponderTest, DallERefusesAnUnknownResponseFormat) {
  SimResponse r = Handle(OneStep("openai_images", "{behaviour: ok}"),
                         Post("/v1/images/generations",
                              R"({"model":"dall-e-3","prompt":"x","response_format":"png"})"));
  EXPECT_EQ(r.reply.status, 400);
  json e = json::parse(r.reply.body)["error"];
  EXPECT_EQ(e["param"], "response_format");
  EXPECT_EQ(e["code"], "invalid_value");
}

TEST_F(ResponderTest, TheLinkServesADecodableImageOfTheStepsSize) {
  for (const char* format : {"png", "jpeg", "webp"}) {
    SCOPED_TRACE(format);
    SimResponse gen =
        Handle(OneStep("openai_images", std::string("{behaviour: ok, image: {format: ") + format +
                                            ", width: 48, height: 20}}"),
               WithHost(Post("/v1/images/generations", kDallE3Body), "h:1"));
    std::string url = json::parse(gen.reply.body)["data"][0]["url"];
    const std::string origin = "http://h:1";
    ASSERT_EQ(url.rfind(origin, 0), 0u) << url;
    SimResponse file = responder_->Handle(Get(url.substr(origin.size())));
    ASSERT_EQ(file.reply.status, 200);
    EXPECT_EQ(HeaderOf(file, "Content-Type"), std::string("image/") + format);
    const std::string& b = file.reply.body;
    auto u8 = [&](size_t i) { return static_cast<unsigned>(static_cast<unsigned char>(b[i])); };
    if (std::string(format) == "png") {
      EXPECT_EQ(b, EncodePng(48, 20));
      EXPECT_EQ(u8(16) << 24 | u8(17) << 16 | u8(18) << 8 | u8(19), 48u);
      EXPECT_EQ(u8(20) << 24 | u8(21) << 16 | u8(22) << 8 | u8(23), 20u);
    } else if (std::string(format) == "jpeg") {
      EXPECT_EQ(b, EncodeJpeg(48, 20));
    } else {
      EXPECT_EQ(b, EncodeWebp(48, 20));
    }
    EXPECT_EQ(responder_->requests(RouteKind::kOpenAiImageFiles), 1u);
  }
}

TEST_F(ResponderTest, AnUnknownImageFileIs404) {
  for (const char* path : {"/sim-images/nope.png", "/sim-images/img-0000000000000001-0x16.png"}) {
    SimResponse r = Handle(OneStep("openai_image_files", "{behaviour: ok}"), Get(path));
    EXPECT_EQ(r.reply.status, 404) << path;
    EXPECT_NE(r.reply.body.find("<Code>BlobNotFound</Code>"), std::string::npos) << r.reply.body;
    EXPECT_EQ(HeaderOf(r, "Content-Type"), "application/xml");
    EXPECT_EQ(responder_->requests(RouteKind::kOpenAiImageFiles), 1u);
  }
}

TEST_F(ResponderTest, ImageFilesFollowTheirOwnTimeline) {
  const std::string name = "/sim-images/img-0000000000000001-8x8.png";
  std::string yaml =
      OneRoute("openai_image_files",
               "      - {behaviour: not_found, count: 1}\n      - {behaviour: no_image, count: 1}\n"
               "      - {behaviour: auth}\n");
  EXPECT_EQ(Handle(yaml, Get(name)).reply.status, 404);
  SimResponse empty = responder_->Handle(Get(name));
  EXPECT_EQ(empty.reply.status, 200);
  EXPECT_TRUE(empty.reply.body.empty());
  SimResponse expired = responder_->Handle(Get(name));
  EXPECT_EQ(expired.reply.status, 403);
  EXPECT_NE(expired.reply.body.find("AuthenticationFailed"), std::string::npos);
}

TEST_F(ResponderTest, OpenRouterReportsCostWhenUsageAccountingIsAsked) {
  std::string body = kOpenRouterBody;
  body.insert(body.size() - 1, R"(,"usage":{"include":true})");
  SimResponse r = Handle(OneStep("openrouter_chat", "{behaviour: ok}"),
                         Post("/api/v1/chat/completions", body));
  ASSERT_EQ(r.reply.status, 200);
  json usage = json::parse(r.reply.body)["usage"];
  EXPECT_EQ(usage["completion_tokens_details"]["image_tokens"], 1120);
  ASSERT_TRUE(usage["cost"].is_number());
  EXPECT_NEAR(usage["cost"].get<double>(), 22 * 2e-6 + 9 * 12e-6 + 1120 * 120e-6, 1e-12);
  SimResponse plain = Handle(OneStep("openrouter_chat", "{behaviour: ok}"),
                             Post("/api/v1/chat/completions", kOpenRouterBody));
  EXPECT_FALSE(json::parse(plain.reply.body)["usage"].contains("cost"));
}

}  // namespace
}  // namespace modelwatch::sim
