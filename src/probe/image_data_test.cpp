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

TEST(ImageData, BadBase64InTheHeaderIsAnError) {
  auto info = DecodeImageBase64("!!!!" + EncodeBase64(Png(4, 4)));
  ASSERT_FALSE(info.has_value());
  EXPECT_NE(info.error().message().find("not valid base64"), std::string::npos);
}

}  // namespace
}  // namespace modelwatch::probe
