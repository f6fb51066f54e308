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
  config::Monitor m = testing::ImageMonitor("openrouter_image");
  m.model = "google/gemini-2.5-flash-image";
  return m;
}

std::string Choice(const std::string& message, const std::string& extra = "") {
  return R"({"id":"gen-1","choices":[{"message":)" + message + extra +
         R"(,"finish_reason":"stop"}]})";
}

TEST(OpenRouterImage, BuildsTheRequest) {
  config::Monitor m = Monitor();
  m.aspect_ratio = "1:1";
  net::Request r = Make(m)->BuildRequest();
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.url, "https://openrouter.ai/api/v1/chat/completions");
  EXPECT_EQ(r.headers, (net::Headers{{"Authorization", "Bearer test-key-0123456789"},
                                     {"Content-Type", "application/json"}}));
  EXPECT_EQ(*ParseJson(r.body), Json::parse(R"({"model":"google/gemini-2.5-flash-image",
      "messages":[{"role":"user","content":"a red fox"}],"modalities":["image","text"],
      "image_config":{"aspect_ratio":"1:1"},"usage":{"include":true}})"));
}

TEST(OpenRouterImage, SizeGoesToImageConfigAndUsageCostIsRead) {
  config::Monitor m = Monitor();
  m.size = "1K";
  EXPECT_EQ((*ParseJson(Make(m)->BuildRequest().body))["image_config"]["image_size"], "1K");
}

TEST(OpenRouterImage, BaseUrlWithApiV1IsNotDoubled) {
  for (std::string base : {"https://openrouter.ai/api/v1", "https://openrouter.ai/api/v1/",
                           "https://openrouter.ai/"}) {
    config::Monitor m = Monitor();
    m.base_url = base;
    net::Request r = Make(m)->BuildRequest();
    EXPECT_EQ(r.url, "https://openrouter.ai/api/v1/chat/completions") << base;
    EXPECT_FALSE(ParseJson(r.body)->contains("image_config"));
  }
}

TEST(OpenRouterImage, InterpretsAnswers) {
  const std::string data_url = "data:image/png;base64," + testing::PngBase64(1024, 1024);
  const std::string webp_url = "data:image/webp;base64," + EncodeBase64(testing::WebpVp8(512, 512));
  struct Case {
    std::string name;
    int status;
    std::string body;
    CheckStatus want;
    std::string error;
  };
  const Case cases[] = {
      {"images_array", 200,
       Choice(
           R"({"role":"assistant","content":"Here","images":[{"type":"image_url","image_url":{"url":")" +
           data_url + R"("}}]})"),
       CheckStatus::kSuccess, ""},
      {"camel_case_image_url", 200,
       Choice(R"({"role":"assistant","images":[{"imageUrl":{"url":")" + webp_url + R"("}}]})"),
       CheckStatus::kSuccess, ""},
      {"markdown_in_content", 200,
       Choice(R"({"role":"assistant","content":"Done: ![image](data:image/png;base64,)" +
              testing::PngBase64(8, 8) + R"x()"})x"),
       CheckStatus::kSuccess, ""},
      {"data_url_not_an_image", 200,
       Choice(R"({"images":[{"image_url":{"url":"data:image/png;base64,aGVsbG8="}}]})"),
       CheckStatus::kInvalidResponse,
       "message.images[0]: 5 bytes are not a readable PNG, JPEG, WebP or GIF image"},
      {"https_url_not_data", 200, Choice(R"({"images":[{"image_url":{"url":"https://x/y.png"}}]})"),
       CheckStatus::kInvalidResponse, "message.images[0]: image URL is not a data: URL"},
      {"refusal_without_images", 200,
       R"({"choices":[{"message":{"role":"assistant","content":"I can't."},"finish_reason":"content_filter","native_finish_reason":"IMAGE_SAFETY"}]})",
       CheckStatus::kInvalidResponse,
       "no image: finish_reason content_filter (IMAGE_SAFETY) (model said: I can't.)"},
      {"text_only_stop", 200, Choice(R"({"role":"assistant","content":"A fox."})"),
       CheckStatus::kInvalidResponse, "no image in response (model said: A fox.)"},
      {"no_choices", 200, R"({"choices":[]})", CheckStatus::kInvalidResponse,
       "no choices[0] in response"},
      {"error_in_200_body", 200,
       R"({"error":{"code":429,"message":"Rate limit exceeded: free-models-per-min"}})",
       CheckStatus::kRateLimited, "Rate limit exceeded: free-models-per-min"},
      {"error_in_choice", 200,
       R"({"choices":[{"error":{"code":502,"message":"Provider returned error","metadata":{"provider_name":"Google"}},"finish_reason":"error"}]})",
       CheckStatus::kServerError, "Provider returned error (Google)"},
      {"upstream_429_sample", 429,
       testing::ReadSample("openrouter-error-429-upstream-rate-limited.json"),
       CheckStatus::kRateLimited,
       "Provider returned error (DeepInfra): deepseek/deepseek-v4-pro-0813 is temporarily "
       "rate-limited upstream. Please retry shortly, or add your own key to accumulate your rate "
       "limits: https://openrouter.ai/settings/integrations"},
      {"credits", 402, R"({"error":{"message":"Insufficient credits","code":402}})",
       CheckStatus::kQuotaExhausted, "Insufficient credits"},
      {"bad_key_echoed", 401,
       R"({"error":{"message":"Invalid key sk-or-v1-deadbeefdeadbeef","code":401}})",
       CheckStatus::kAuthError, "Invalid key sk-***"},
      {"no_provider", 503, R"({"error":{"message":"No endpoints found","code":503}})",
       CheckStatus::kServerError, "No endpoints found"},
  };
  ProbePtr p = Make(Monitor());
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    net::Response r;
    r.http_status = c.status;
    r.body = c.body;
    Verdict v = p->Interpret(r, 0, milliseconds(9000));
    EXPECT_EQ(ToString(v.status), ToString(c.want));
    EXPECT_EQ(v.error, c.error);
    EXPECT_EQ(v.image.has_value(), c.want == CheckStatus::kSuccess);
  }
}

}  // namespace
}  // namespace modelwatch::probe
