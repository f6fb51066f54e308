#include "sim/image_link.h"

#include <gtest/gtest.h>

namespace modelwatch::sim {
namespace {

TEST(ImageFileName, CarriesFormatAndSizeAndParsesBack) {
  for (ImageFormat f : {ImageFormat::kPng, ImageFormat::kJpeg, ImageFormat::kWebp}) {
    ImageSpec spec{f, 1792, 1024};
    std::string name = ImageFileName(spec, 0x2a);
    auto back = ParseImageFileName(name);
    ASSERT_TRUE(back.has_value()) << name;
    EXPECT_EQ(back->format, f);
    EXPECT_EQ(back->width, 1792);
    EXPECT_EQ(back->height, 1024);
  }
  EXPECT_EQ(ImageFileName(ImageSpec{ImageFormat::kPng, 32, 16}, 1),
            "img-0000000000000001-32x16.png");
  EXPECT_EQ(ImageFileName(ImageSpec{ImageFormat::kJpeg, 8, 8}, 255),
            "img-00000000000000ff-8x8.jpg");
}

TEST(ImageFileName, RejectsNamesItDoesNotMake) {
  for (const char* name : {
           "", "nope.png",
           "img-0000000000000001-32x16",          // no extension
           "img-0000000000000001-32x16.gif",      // not a served format
           "img-0000000000000001-32x16.png.png",  // trailing junk
           "img-000000000000001-32x16.png",       // 15 digits
           "img-000000000000000G-32x16.png",      // not hex
           "img-00000000000000FF-32x16.png",      // upper-case hex
           "img-0000000000000001-0x16.png",       // zero side
           "img-0000000000000001-032x16.png",     // leading zero
           "img-0000000000000001-4097x16.png",    // over the scenario's limit
           "img-0000000000000001-+32x16.png",     // sign
           "img-0000000000000001-32x.png",        // missing height
           "img-0000000000000001-32y16.png",      // no 'x'
       }) {
    EXPECT_FALSE(ParseImageFileName(name).has_value()) << name;
  }
  EXPECT_TRUE(ParseImageFileName("img-0000000000000001-4096x1.webp").has_value());
}

TEST(LinkAuthority, UsesTheHostHeaderAndFallsBackToTheServer) {
  EXPECT_EQ(LinkAuthority("sim.test:8089", "127.0.0.1", 9000), "sim.test:8089");
  EXPECT_EQ(LinkAuthority("127.0.0.1", "127.0.0.1", 9000), "127.0.0.1:9000");
  EXPECT_EQ(LinkAuthority("[::1]:8089", "127.0.0.1", 9000), "[::1]:8089");
  EXPECT_EQ(LinkAuthority("[::1]", "127.0.0.1", 9000), "[::1]:9000");
  EXPECT_EQ(LinkAuthority("", "127.0.0.1", 9000), "127.0.0.1:9000");
  for (const char* bad : {"evil.test/x", "a b", "h:port", "h:", "[::1", "[zz]:1", "h:123456"}) {
    EXPECT_EQ(LinkAuthority(bad, "10.0.0.2", 80), "10.0.0.2:80") << bad;
  }
}

}  // namespace
}  // namespace modelwatch::sim
