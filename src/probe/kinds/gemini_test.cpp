#include <gtest/gtest.h>

#include "probe/json_body.h"
#include "probe/probe.h"
#include "probe/test_fixtures.h"

namespace modelwatch::probe {
namespace {

using std::chrono::milliseconds;

ProbePtr Make(const config::Monitor& m) {
  auto p = MakeProbe(m);
  EXPECT_TRUE(p.has_value()) << (p.has_value() ? "" : p.error().message());
  return std::move(p).value();
}

config::Monitor Monitor() {
  config::Monitor m = testing::ImageMonitor("gemini");
  m.model = "gemini-3-pro-image";
  return m;
}

Verdict Interpret(int status, std::string body) {
  net::Response r;
  r.http_status = status;
  r.body = std::move(body);
  return Make(Monitor())->Interpret(r, 0, milliseconds(12'000));
}

std::string Parts(const std::string& parts, const std::string& extra = R"("finishReason":"STOP")") {
  return R"({"candidates":[{"content":{"role":"model","parts":[)" + parts + "]}," + extra + "}]}";
}

TEST(Gemini, BuildsTheRequest) {
  config::Monitor m = Monitor();
  m.aspect_ratio = "16:9";
  net::Request r = Make(m)->BuildRequest();
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.url,
            "https://generativelanguage.googleapis.com/v1beta/models/"
            "gemini-3-pro-image:generateContent");
  EXPECT_EQ(r.headers, (net::Headers{{"x-goog-api-key", "test-key-0123456789"},
                                     {"Content-Type", "application/json"}}));
  EXPECT_EQ(*ParseJson(r.body), Json::parse(R"({
      "contents":[{"parts":[{"text":"a red fox"}]}],
      "generationConfig":{"responseModalities":["TEXT","IMAGE"],
                          "imageConfig":{"aspectRatio":"16:9"}}})"));
}

TEST(Gemini, SizeIsSentAsImageSize) {
  config::Monitor m = Monitor();
  m.size = "1K";
  EXPECT_EQ((*ParseJson(Make(m)->BuildRequest().body))["generationConfig"]["imageConfig"],
            Json::parse(R"({"imageSize":"1K"})"));
}

TEST(Gemini, SuccessCarriesTheAnswersUsage) {
  net::Response r;
  r.http_status = 200;
  r.body = testing::ReadSample("gemini-generatecontent-image-response-2025-11-09.json");
  Verdict v = Make(Monitor())->Interpret(r, 0, std::chrono::milliseconds(0));
  ASSERT_EQ(v.status, CheckStatus::kSuccess) << v.error;
  ASSERT_TRUE(v.usage);
  EXPECT_EQ(v.usage->input_tokens, 323);
  EXPECT_EQ(v.usage->image_output_tokens, 1290);
}

TEST(Gemini, RequestWithoutAspectRatioAndWithPrefixedModelAndVersionedBase) {
  config::Monitor m = Monitor();
  m.model = "models/gemini-2.5-flash-image";
  m.base_url = "http://127.0.0.1:8080/v1beta/";
  net::Request r = Make(m)->BuildRequest();
  EXPECT_EQ(r.url, "http://127.0.0.1:8080/v1beta/models/gemini-2.5-flash-image:generateContent");
  EXPECT_FALSE((*ParseJson(r.body))["generationConfig"].contains("imageConfig"));
}

TEST(Gemini, RealSampleIsASuccessWithItsPngHeader) {
  Verdict v =
      Interpret(200, testing::ReadSample("gemini-generatecontent-image-response-2025-11-09.json"));
  EXPECT_EQ(v.status, CheckStatus::kSuccess);
  EXPECT_EQ(v.error, "");
  ASSERT_TRUE(v.image.has_value());
  EXPECT_EQ(v.image->format, ImageFormat::kPng);
  EXPECT_EQ(v.image->width, 1184);
  EXPECT_EQ(v.image->height, 864);
}

TEST(Gemini, InterpretsAnswers) {
  const std::string png = testing::PngBase64(1024, 1024);
  const std::string jpeg = EncodeBase64(testing::Jpeg(2048, 2048));
  struct Case {
    std::string name;
    int status;
    std::string body;
    CheckStatus want;
    std::string error;
  };
  const Case cases[] = {
      {"image_after_text", 200,
       Parts(R"({"text":"Here"},{"inlineData":{"mimeType":"image/png","data":")" + png + R"("}})"),
       CheckStatus::kSuccess, ""},
      {"jpeg_with_thought_signature", 200,
       Parts(R"({"thoughtSignature":"abc","inlineData":{"mimeType":"image/jpeg","data":")" + jpeg +
             R"("}})"),
       CheckStatus::kSuccess, ""},
      {"snake_case_proxy", 200,
       Parts(R"({"inline_data":{"mime_type":"image/png","data":")" + png + R"("}})"),
       CheckStatus::kSuccess, ""},
      {"only_a_thought_image", 200,
       Parts(R"({"thought":true,"inlineData":{"mimeType":"image/png","data":")" + png + R"("}})"),
       CheckStatus::kInvalidResponse, "no image in response"},
      {"image_safety", 200, Parts("", R"("finishReason":"IMAGE_SAFETY")"),
       CheckStatus::kInvalidResponse, "no image: finishReason IMAGE_SAFETY"},
      {"prompt_blocked", 200, R"({"promptFeedback":{"blockReason":"SAFETY"}})",
       CheckStatus::kInvalidResponse, "no image: blockReason SAFETY"},
      {"text_only_stop", 200, Parts(R"({"text":"I can't draw that."})"),
       CheckStatus::kInvalidResponse, "no image in response (model said: I can't draw that.)"},
      {"no_candidates", 200, R"({"usageMetadata":{}})", CheckStatus::kInvalidResponse,
       "no image: no candidates in response"},
      {"bad_base64", 200, Parts(R"({"inlineData":{"mimeType":"image/png","data":"@@@"}})"),
       CheckStatus::kInvalidResponse, "image part: image data is not valid base64"},
      {"non_image_inline_data", 200,
       Parts(R"({"inlineData":{"mimeType":"audio/wav","data":"AAAA"}})"),
       CheckStatus::kInvalidResponse, "no image in response"},
      {"not_json", 200, "{", CheckStatus::kInvalidResponse, "response is not JSON"},
      {"api_key_invalid_sample", 400,
       testing::ReadSample("gemini-error-400-api-key-invalid-doc.json"), CheckStatus::kAuthError,
       "INVALID_ARGUMENT API_KEY_INVALID: API key not valid. Please pass a valid API key."},
      {"overloaded", 503,
       R"({"error":{"code":503,"message":"The model is overloaded. Please try again later.","status":"UNAVAILABLE"}})",
       CheckStatus::kServerError, "UNAVAILABLE: The model is overloaded. Please try again later."},
      {"leaked_key_echo", 403,
       R"({"error":{"code":403,"message":"Key test-key-0123456789 was reported as leaked.","status":"PERMISSION_DENIED"}})",
       CheckStatus::kAuthError, "PERMISSION_DENIED: Key *** was reported as leaked."},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    Verdict v = Interpret(c.status, c.body);
    EXPECT_EQ(ToString(v.status), ToString(c.want));
    EXPECT_EQ(v.error, c.error);
    EXPECT_EQ(v.image.has_value(), c.want == CheckStatus::kSuccess);
  }
}

TEST(Gemini, RequiresModelPromptAndKey) {
  config::Monitor m = Monitor();
  m.prompt.clear();
  m.mark = {"modelwatch.yaml", 12, 5};
  auto p = MakeProbe(m);
  ASSERT_FALSE(p.has_value());
  EXPECT_EQ(p.error().message(),
            "monitor \"img\" (modelwatch.yaml:12:5): kind gemini: missing prompt");
}

}  // namespace
}  // namespace modelwatch::probe
