// `modelwatch check` on a dall-e model against the simulator: the API answers
// with data[0].url, and by default the image behind it is downloaded (without
// the key) from the simulator's /sim-images/ route; `fetch_url: false` opts out.
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "sim/image.h"
#include "sim/server.h"
#include "subprocess.h"

namespace modelwatch {
namespace {

using testing::Binary;
using testing::RunProcess;
using testing::TempDir;
using testing::WriteFile;

constexpr const char* kGeneration = R"(
  - {route: openai_images, timeline: [{behaviour: ok, image: {format: png, width: 1024, height: 768}}]}
)";

class FetchUrlTest : public ::testing::Test {
 protected:
  // Serves dall-e answers, plus `image_route` (a timeline for the image files)
  // when given.
  void Start(const std::string& image_route = "") {
    auto scenario =
        sim::ParseScenario("routes:" + std::string(kGeneration) + image_route, "fetch_url_test");
    ASSERT_TRUE(scenario.has_value()) << scenario.error().message();
    auto server = sim::Server::Start("127.0.0.1", 0, std::move(scenario).value());
    ASSERT_TRUE(server.has_value()) << server.error().message();
    server_ = std::move(server).value();
    dir_ = TempDir();
  }

  // Runs `check --json` on one dall-e-3 monitor and returns its result line.
  nlohmann::json Check(bool fetch_url, int expected_exit) {
    std::string base = "http://127.0.0.1:" + std::to_string(server_->port()) + "/v1";
    std::string yaml = "providers:\n  sim-openai: {base_url: \"" + base +
                       "\", api_key: sk-test-secret-0123456789}\n"
                       "storage: {sqlite: \"" +
                       dir_ + "/mw.db\"}\nmonitors:\n" +
                       "  - {name: dalle, kind: openai_images, provider: sim-openai, "
                       "model: dall-e-3, timeout: 5s" +
                       (fetch_url ? "" : ", fetch_url: false") + "}\n";
    std::string path = dir_ + "/modelwatch.yaml";
    WriteFile(path, yaml);
    auto r = RunProcess({Binary(), "check", "-c", path, "--json"});
    EXPECT_EQ(r.code, expected_exit) << r.out << r.err;
    auto j = nlohmann::json::parse(r.out, nullptr, /*allow_exceptions=*/false);
    EXPECT_TRUE(j.is_object()) << r.out << r.err;
    // No secret reaches the output.
    EXPECT_EQ(r.out.find("0123456789"), std::string::npos) << r.out;
    return j.is_object() ? j : nlohmann::json::object();
  }

  std::unique_ptr<sim::Server> server_;
  std::string dir_;
};

TEST_F(FetchUrlTest, OptedOutAUrlIsASuccessWithoutFetching) {
  Start();
  nlohmann::json j = Check(/*fetch_url=*/false, 0);
  EXPECT_EQ(j["status"], "success") << j.dump();
  EXPECT_TRUE(j["image"].is_null()) << j.dump();
  EXPECT_EQ(server_->requests(sim::RouteKind::kOpenAiImages), 1u);
  EXPECT_EQ(server_->requests(sim::RouteKind::kOpenAiImageFiles), 0u);
}

TEST_F(FetchUrlTest, ByDefaultTheImageBehindTheLinkIsRead) {
  Start();
  nlohmann::json j = Check(/*fetch_url=*/true, 0);
  EXPECT_EQ(j["status"], "success") << j.dump();
  ASSERT_TRUE(j["image"].is_object()) << j.dump();
  EXPECT_EQ(j["image"]["format"], "png");
  EXPECT_EQ(j["image"]["width"], 1024);
  EXPECT_EQ(j["image"]["height"], 768);
  // Only the image's start is kept; every byte is counted.
  EXPECT_EQ(j["image"]["bytes"], sim::EncodePng(1024, 768).size());
  EXPECT_EQ(server_->requests(sim::RouteKind::kOpenAiImages), 1u);
  EXPECT_EQ(server_->requests(sim::RouteKind::kOpenAiImageFiles), 1u);
}

TEST_F(FetchUrlTest, AMissingImageIsAClientError) {
  // The probe files a 4xx on the link under client_error
  // (src/probe/kinds/openai_images_test.cpp pins that).
  Start("  - {route: openai_image_files, timeline: [{behaviour: not_found}]}\n");
  nlohmann::json j = Check(/*fetch_url=*/true, 1);
  EXPECT_EQ(j["status"], "client_error") << j.dump();
  EXPECT_NE(j["error"].get<std::string>().find("fetching data[0].url: HTTP 404"), std::string::npos)
      << j.dump();
  EXPECT_EQ(server_->requests(sim::RouteKind::kOpenAiImageFiles), 1u);
}

TEST_F(FetchUrlTest, ALinkWithoutAnImageIsAnInvalidResponse) {
  Start("  - {route: openai_image_files, timeline: [{behaviour: no_image}]}\n");
  nlohmann::json j = Check(/*fetch_url=*/true, 1);
  EXPECT_EQ(j["status"], "invalid_response") << j.dump();
  EXPECT_NE(j["error"].get<std::string>().find("data[0].url"), std::string::npos) << j.dump();
}

}  // namespace
}  // namespace modelwatch
