#include <gtest/gtest.h>

#include "probe/json_body.h"
#include "probe/probe.h"
#include "probe/test_fixtures.h"

namespace modelwatch::probe {
namespace {

using std::chrono::milliseconds;

ProbePtr Make(config::Monitor m) {
  auto p = MakeProbe(m);
  EXPECT_TRUE(p.has_value()) << (p.has_value() ? "" : p.error().message());
  return std::move(p).value();
}

config::Monitor Monitor() { return testing::ImageMonitor("openai_images"); }

net::Response Ok(std::string body) {
  net::Response r;
  r.http_status = 200;
  r.body = std::move(body);
  return r;
}

TEST(OpenAiImages, BuildsTheRequest) {
  config::Monitor m = Monitor();
  m.size = "1024x1024";
  net::Request r = Make(m)->BuildRequest();
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.url, "https://api.openai.com/v1/images/generations");
  EXPECT_EQ(r.headers, (net::Headers{{"Authorization", "Bearer test-key-0123456789"},
                                     {"Content-Type", "application/json"}}));
  EXPECT_EQ(*ParseJson(r.body), Json::parse(R"({"model":"test-model","prompt":"a red fox",
                                                "n":1,"size":"1024x1024"})"));
  EXPECT_EQ(r.timeout, milliseconds(60'000));
}

TEST(OpenAiImages, QualityIsSent) {
  config::Monitor m = Monitor();
  m.quality = "low";
  EXPECT_EQ((*ParseJson(Make(m)->BuildRequest().body))["quality"], "low");
}

TEST(OpenAiImages, ABaseUrlWithoutV1GetsIt) {
  config::Monitor m = Monitor();
  m.base_url = "https://api.openai.com";
  EXPECT_EQ(Make(m)->BuildRequest().url, "https://api.openai.com/v1/images/generations");
}

TEST(OpenAiImages, CustomBaseAndNoSize) {
  config::Monitor m = Monitor();
  m.base_url = "https://gateway.example/openai/v1/";
  m.timeout = milliseconds(30'000);
  m.max_body_bytes = 1234;
  net::Request r = Make(m)->BuildRequest();
  EXPECT_EQ(r.url, "https://gateway.example/openai/v1/images/generations");
  EXPECT_FALSE(ParseJson(r.body)->contains("size"));
  EXPECT_EQ(r.timeout, milliseconds(30'000));
  EXPECT_EQ(r.max_body_bytes, 1234u);
}

TEST(OpenAiImages, InterpretsAnswers) {
  const std::string png = testing::PngBase64(1024, 1536);
  const std::string jpeg = EncodeBase64(testing::Jpeg(1536, 1024));
  struct Case {
    std::string name;
    int status;
    std::string body;
    CheckStatus want;
    std::string error;
  };
  const Case cases[] = {
      {"b64_png", 200, R"({"created":1,"data":[{"b64_json":")" + png + R"("}]})",
       CheckStatus::kSuccess, ""},
      {"b64_jpeg", 200, R"({"created":1,"data":[{"b64_json":")" + jpeg + R"("}]})",
       CheckStatus::kSuccess, ""},
      {"doc_sample_placeholder_b64", 200,
       testing::ReadSample("openai-images-generations-response-doc-example.json"),
       CheckStatus::kInvalidResponse, "data[0].b64_json: image data is not valid base64"},
      {"schema_sample_placeholder_b64", 200,
       testing::ReadSample("openai-images-response-schema-example.json"),
       CheckStatus::kInvalidResponse, "data[0].b64_json: image data is not valid base64"},
      {"url_sample_without_fetch", 200,
       testing::ReadSample("openai-images-generations-url-doc-example-2024.json"),
       CheckStatus::kSuccess, ""},
      {"b64_not_an_image", 200,
       R"({"data":[{"b64_json":")" + EncodeBase64("hello, not an image") + R"("}]})",
       CheckStatus::kInvalidResponse,
       "data[0].b64_json: 19 bytes are not a readable PNG, JPEG, WebP or GIF image"},
      {"empty_data", 200, R"({"created":1,"data":[]})", CheckStatus::kInvalidResponse,
       "no data[0] in response"},
      {"neither_field", 200, R"({"data":[{"revised_prompt":"x"}]})", CheckStatus::kInvalidResponse,
       "data[0] has neither b64_json nor url"},
      {"not_json", 200, "<html>ok</html>", CheckStatus::kInvalidResponse, "response is not JSON"},
      {"error_in_200_body", 200, R"({"error":{"message":"Upstream failed","code":502}})",
       CheckStatus::kServerError, "Upstream failed"},
      {"insufficient_quota_sample", 429,
       testing::ReadSample("openai-error-429-insufficient-quota-2023.json"),
       CheckStatus::kQuotaExhausted,
       "insufficient_quota: You exceeded your current quota, please check your plan and billing "
       "details."},
      {"moderation", 400,
       R"({"error":{"message":"Your request was rejected by the safety system.","type":"image_generation_user_error","code":"moderation_blocked"}})",
       CheckStatus::kInvalidResponse,
       "moderation_blocked: Your request was rejected by the safety system."},
      {"key_echoed", 401,
       R"({"error":{"message":"Incorrect API key provided: test-key-0123456789.","type":"invalid_request_error","code":"invalid_api_key"}})",
       CheckStatus::kAuthError, "invalid_api_key: Incorrect API key provided: ***."},
  };
  // With fetch_url off (it is on by default) a URL answer is judged as it is.
  config::Monitor m = Monitor();
  m.fetch_url = false;
  ProbePtr p = Make(m);
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    net::Response r = Ok(c.body);
    r.http_status = c.status;
    Verdict v = p->Interpret(r, 0, milliseconds(1000));
    EXPECT_EQ(ToString(v.status), ToString(c.want));
    EXPECT_EQ(v.error, c.error);
    EXPECT_FALSE(v.next.has_value());
  }
}

TEST(OpenAiImages, RecordsTheDecodedImage) {
  Verdict v = Make(Monitor())->Interpret(
      Ok(R"({"data":[{"b64_json":")" + testing::PngBase64(1024, 1536) + R"("}]})"), 0,
      milliseconds(10));
  ASSERT_TRUE(v.image.has_value());
  EXPECT_EQ(v.image->format, ImageFormat::kPng);
  EXPECT_EQ(v.image->width, 1024);
  EXPECT_EQ(v.image->height, 1536);
  EXPECT_EQ(v.image->bytes, testing::Png(1, 1).size());
}

TEST(OpenAiImages, FetchUrlAsksForAFollowUpWithoutTheKey) {
  config::Monitor m = Monitor();
  m.fetch_url = true;
  ProbePtr p = Make(m);
  Verdict v = p->Interpret(
      Ok(R"({"data":[{"url":"https://cdn.example/img.png?sig=abc","revised_prompt":"x"}]})"), 0,
      milliseconds(15'000));
  ASSERT_TRUE(v.next.has_value());
  EXPECT_EQ(v.next->method, "GET");
  EXPECT_EQ(v.next->url, "https://cdn.example/img.png?sig=abc");
  EXPECT_TRUE(v.next->headers.empty());
  EXPECT_EQ(v.next->timeout, milliseconds(45'000));

  Verdict fetched = p->Interpret(Ok(testing::WebpVp8x(1024, 1024)), 1, milliseconds(16'000));
  EXPECT_EQ(fetched.status, CheckStatus::kSuccess);
  ASSERT_TRUE(fetched.image.has_value());
  EXPECT_EQ(fetched.image->format, ImageFormat::kWebp);
  EXPECT_FALSE(fetched.next.has_value());

  Verdict html = p->Interpret(Ok("<html>expired</html>"), 1, milliseconds(16'000));
  EXPECT_EQ(html.status, CheckStatus::kInvalidResponse);
  EXPECT_EQ(html.error, "data[0].url: 20 bytes are not a readable PNG, JPEG, WebP or GIF image");

  net::Response gone;
  gone.http_status = 404;
  gone.body = "BlobNotFound";
  Verdict missing = p->Interpret(gone, 1, milliseconds(16'000));
  EXPECT_EQ(missing.status, CheckStatus::kClientError);
  EXPECT_EQ(missing.error, "fetching data[0].url: HTTP 404: BlobNotFound");
}

TEST(OpenAiImages, FetchUrlOutOfTimeIsATimeout) {
  config::Monitor m = Monitor();
  m.fetch_url = true;
  Verdict v = Make(m)->Interpret(Ok(R"({"data":[{"url":"https://cdn.example/i.png"}]})"), 0,
                                 milliseconds(60'000));
  EXPECT_EQ(v.status, CheckStatus::kTimeout);
  EXPECT_FALSE(v.next.has_value());
}

TEST(OpenAiImages, FetchUrlRejectsNonHttpUrls) {
  config::Monitor m = Monitor();
  m.fetch_url = true;
  Verdict v =
      Make(m)->Interpret(Ok(R"({"data":[{"url":"file:///etc/passwd"}]})"), 0, milliseconds(1));
  EXPECT_EQ(v.status, CheckStatus::kInvalidResponse);
  EXPECT_FALSE(v.next.has_value());
}

TEST(OpenAiImages, RequiresModelPromptAndKey) {
  config::Monitor m = Monitor();
  m.model.clear();
  m.api_key = Secret();
  auto p = MakeProbe(m);
  ASSERT_FALSE(p.has_value());
  EXPECT_EQ(p.error().message(), "monitor \"img\": kind openai_images: missing model, api_key");
}

}  // namespace
}  // namespace modelwatch::probe
