#include "probe/image_data.h"

#include <gtest/gtest.h>

#include "core/base64.h"
#include "probe/test_fixtures.h"

namespace modelwatch::probe {
namespace {

using testing::Jpeg;
using testing::Png;

TEST(ImageData, LargeImageReadsTheHeaderAndCountsEveryByte) {
  std::string png = Png(2048, 1536) + std::string(1'000'000, '\x7f');  // pixel data
  auto info = DecodeImageBase64(EncodeBase64(png));
  ASSERT_TRUE(info.has_value()) << info.error().message();
  EXPECT_EQ(info->format, ImageFormat::kPng);
  EXPECT_EQ(info->width, 2048);
  EXPECT_EQ(info->height, 1536);
  EXPECT_EQ(info->bytes, png.size());
}

TEST(ImageData, JpegWhoseFrameHeaderComesAfterLargeMetadataIsDecodedWhole) {
  // SOI, then 100 KB of APP1 segments (EXIF-like), then the frame header.
  std::string jpeg = Jpeg(640, 480);
  std::string app;
  for (int i = 0; i < 2; ++i) {
    app += std::string("\xFF\xE1\xFF\xFF", 4) + std::string(0xFFFD, 'e');
  }
  jpeg.insert(2, app);
  auto info = DecodeImageBase64(EncodeBase64(jpeg));
  ASSERT_TRUE(info.has_value()) << info.error().message();
  EXPECT_EQ(info->format, ImageFormat::kJpeg);
  EXPECT_EQ(info->width, 640);
  EXPECT_EQ(info->bytes, jpeg.size());
}

// The response net::Loop would hand over for `body`, received with
// keep_bytes = kImageKeepBytes in pieces of 16 KiB, as libcurl delivers.
net::Response Received(const std::string& body) {
  net::Response r;
  net::JsonClipper clipper(kImageKeepBytes);
  for (size_t i = 0; i < body.size(); i += 16384) {
    clipper.Feed(std::string_view(body).substr(i, 16384), r.body, r.clipped);
  }
  r.body_bytes = body.size();
  return r;
}

TEST(ImageData, ClippedBase64CountsTheWholeImage) {
  for (size_t extra : {3'000'000, 3'000'001, 3'000'002}) {  // every padding
    std::string png = Png(1024, 1024) + std::string(extra, '\x11');
    net::Response r = Received(R"({"data":[{"b64_json":")" + EncodeBase64(png) + R"("}]})");
    ASSERT_EQ(r.clipped.size(), 1u);
    std::string_view kept = std::string_view(r.body).substr(r.clipped[0].offset, r.clipped[0].kept);
    auto info = DecodeImageBase64(kept, &r);
    ASSERT_TRUE(info.has_value()) << info.error().message();
    EXPECT_EQ(info->width, 1024);
    EXPECT_EQ(info->bytes, png.size());
    // Without the response the kept start looks like a small image.
    EXPECT_LT(DecodeImageBase64(kept)->bytes, kImageKeepBytes);
  }
}

TEST(ImageData, ClippedDataUrlCountsTheWholeImage) {
  std::string webp = testing::WebpVp8(800, 600) + std::string(2'000'000, 'w');
  std::string url = "data:image/webp;base64," + EncodeBase64(webp);
  net::Response r = Received(R"({"images":[{"image_url":{"url":")" + url + R"("}}]})");
  ASSERT_EQ(r.clipped.size(), 1u);
  std::string_view kept = std::string_view(r.body).substr(r.clipped[0].offset, r.clipped[0].kept);
  auto info = DecodeImageDataUrl(kept, &r);
  ASSERT_TRUE(info.has_value()) << info.error().message();
  EXPECT_EQ(info->format, ImageFormat::kWebp);
  EXPECT_EQ(info->bytes, webp.size());
}

TEST(ImageData, NoHeaderInTheKeptStartSaysHowFarItLooked) {
  std::string junk(1'000'000, 'j');
  net::Response r = Received(R"({"b64_json":")" + EncodeBase64(junk) + R"("})");
  ASSERT_EQ(r.clipped.size(), 1u);
  std::string_view kept = std::string_view(r.body).substr(r.clipped[0].offset, r.clipped[0].kept);
  auto info = DecodeImageBase64(kept, &r);
  ASSERT_FALSE(info.has_value());
  EXPECT_EQ(info.error().message(),
            "no PNG, JPEG, WebP or GIF header in the first 192 KiB of a 1000000-byte image");
  // A raw image cut the same way.
  auto raw = ReadImage(std::string_view(junk).substr(0, kImageKeepBytes), junk.size());
  ASSERT_FALSE(raw.has_value());
  EXPECT_EQ(raw.error().message(),
            "no PNG, JPEG, WebP or GIF header in the first 256 KiB of a 1000000-byte image");
  std::string png = Png(10, 10) + junk;
  EXPECT_EQ(ReadImage(std::string_view(png).substr(0, kImageKeepBytes), png.size())->bytes,
            png.size());
}

TEST(ImageData, BadBase64InTheHeaderIsAnError) {
  auto info = DecodeImageBase64("!!!!" + EncodeBase64(Png(4, 4)));
  ASSERT_FALSE(info.has_value());
  EXPECT_NE(info.error().message().find("not valid base64"), std::string::npos);
}

}  // namespace
}  // namespace modelwatch::probe
