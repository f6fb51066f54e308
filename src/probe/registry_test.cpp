#include <gtest/gtest.h>

#include "probe/probe.h"
#include "probe/test_fixtures.h"

namespace modelwatch::probe {
namespace {

TEST(Registry, ListsEveryKind) {
  EXPECT_EQ(ProbeKinds(),
            (std::vector<std::string_view>{"openai_images", "gemini", "openrouter_image", "stability",
                                           "flux", "vertex", "http"}));
}

TEST(Registry, MakesEveryImageKind) {
  for (std::string_view kind : {"openai_images", "gemini", "openrouter_image"}) {
    auto p = MakeProbe(testing::ImageMonitor(std::string(kind)));
    EXPECT_TRUE(p.has_value()) << kind;
  }
}

TEST(Registry, UnknownKindNamesTheKnownOnes) {
  config::Monitor m = testing::ImageMonitor("dalle");
  m.mark = {"modelwatch.yaml", 7, 3};
  auto p = MakeProbe(m);
  ASSERT_FALSE(p.has_value());
  EXPECT_EQ(p.error().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(p.error().message(),
            "monitor \"img\" (modelwatch.yaml:7:3): unknown kind \"dalle\" (known: "
            "openai_images, gemini, openrouter_image, stability, flux, vertex, http)");
}

TEST(Registry, MissingFieldsAreAllNamed) {
  config::Monitor m;
  m.name = "bare";
  m.kind = "openrouter_image";
  auto p = MakeProbe(m);
  ASSERT_FALSE(p.has_value());
  EXPECT_EQ(p.error().message(),
            "monitor \"bare\": kind openrouter_image: missing model, prompt, api_key");
}

}  // namespace
}  // namespace modelwatch::probe
