#include "probe/image_header.h"

#include <random>

#include <gtest/gtest.h>

#include "probe/test_fixtures.h"

namespace modelwatch::probe {
namespace {

using testing::Bytes;

struct HeaderCase {
  std::string name;
  std::string bytes;
  ImageFormat format;
  int width;
  int height;
};

std::vector<HeaderCase> ValidCases() {
  return {
      {"png", testing::Png(1024, 768), ImageFormat::kPng, 1024, 768},
      {"jpeg_baseline", testing::Jpeg(1536, 1024), ImageFormat::kJpeg, 1536, 1024},
      {"jpeg_progressive_sof2", testing::Jpeg(640, 480, 0xC2), ImageFormat::kJpeg, 640, 480},
      {"jpeg_sof15", testing::Jpeg(17, 9, 0xCF), ImageFormat::kJpeg, 17, 9},
      {"webp_lossy_vp8", testing::WebpVp8(1024, 1024), ImageFormat::kWebp, 1024, 1024},
      {"webp_lossless_vp8l", testing::WebpVp8l(1000, 563), ImageFormat::kWebp, 1000, 563},
      {"webp_extended_vp8x", testing::WebpVp8x(3840, 2160), ImageFormat::kWebp, 3840, 2160},
      {"webp_vp8l_max_14bit", testing::WebpVp8l(16384, 16384), ImageFormat::kWebp, 16384, 16384},
      {"gif", testing::Gif(320, 200), ImageFormat::kGif, 320, 200},
  };
}

TEST(ImageHeader, ReadsEveryFormat) {
  for (const auto& c : ValidCases()) {
    SCOPED_TRACE(c.name);
    auto info = ReadImageHeader(c.bytes);
    ASSERT_TRUE(info.has_value());
    EXPECT_EQ(info->format, c.format);
    EXPECT_EQ(info->width, c.width);
    EXPECT_EQ(info->height, c.height);
    EXPECT_EQ(info->bytes, c.bytes.size());
  }
}

// Cutting before the dimensions must never read past the end or invent a
// size; every strict prefix that ends inside the header is rejected.
TEST(ImageHeader, RejectsEveryTruncationOfTheHeader) {
  const std::pair<std::string, size_t> headers[] = {
      {testing::Png(5, 6), 24},      {testing::Jpeg(5, 6), 2 + 18 + 7 + 2 + 9},
      {testing::WebpVp8(5, 6), 30},  {testing::WebpVp8l(5, 6), 25},
      {testing::WebpVp8x(5, 6), 30}, {testing::Gif(5, 6), 10},
  };
  for (const auto& [bytes, needed] : headers) {
    for (size_t len = 0; len < needed; ++len) {
      EXPECT_EQ(ReadImageHeader(bytes.substr(0, len)), std::nullopt)
          << "prefix of " << len << " bytes of " << bytes.substr(0, 4);
    }
    EXPECT_TRUE(ReadImageHeader(bytes.substr(0, needed)).has_value()) << bytes.substr(0, 4);
  }
}

TEST(ImageHeader, RejectsMalformed) {
  std::string png_zero = testing::Png(0, 10);
  std::string png_not_ihdr = testing::Png(10, 10);
  png_not_ihdr.replace(12, 4, "IDAT");
  std::string vp8_bad_start = testing::WebpVp8(10, 10);
  vp8_bad_start[23] = 0;
  std::string vp8l_bad_sig = testing::WebpVp8l(10, 10);
  vp8l_bad_sig[20] = 0;
  std::string webp_unknown_chunk = testing::WebpVp8x(10, 10);
  webp_unknown_chunk.replace(12, 4, "ALPH");
  std::string jpeg_scan_first = Bytes({0xFF, 0xD8, 0xFF, 0xDA, 0x00, 0x08, 1, 2, 3, 4, 5, 6});
  std::string jpeg_garbage_marker =
      Bytes({0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x04, 0, 0, 0x12, 0x34, 0, 0, 0, 0, 0, 0});
  std::string jpeg_zero_length = Bytes({0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x00, 0, 0, 0, 0});
  const std::pair<std::string, std::string> cases[] = {
      {"empty", ""},
      {"text", "<html><body>Bad Gateway</body></html>"},
      {"json", R"({"error":{"message":"nope"}})"},
      {"png_zero_width", png_zero},
      {"png_chunk_not_ihdr", png_not_ihdr},
      {"webp_vp8_bad_start_code", vp8_bad_start},
      {"webp_vp8l_bad_signature", vp8l_bad_sig},
      {"webp_unknown_first_chunk", webp_unknown_chunk},
      {"riff_not_webp", std::string("RIFF\x10\0\0\0WAVEfmt xxxxxxxx", 24)},
      {"gif_zero_height", testing::Gif(10, 0)},
      {"gif_bad_version", "GIF88a" + Bytes({1, 0, 1, 0})},
      {"jpeg_scan_before_frame", jpeg_scan_first},
      {"jpeg_no_marker", jpeg_garbage_marker},
      {"jpeg_segment_length_zero", jpeg_zero_length},
  };
  for (const auto& [name, bytes] : cases) {
    EXPECT_EQ(ReadImageHeader(bytes), std::nullopt) << name;
  }
}

// Run under ASan this catches reads past the end: every mutation and cut of
// every valid header must either parse or be rejected, never crash.
TEST(ImageHeader, SurvivesMutatedInput) {
  std::mt19937 rng(42);
  for (const auto& c : ValidCases()) {
    for (int round = 0; round < 2000; ++round) {
      std::string bytes = c.bytes.substr(0, rng() % (c.bytes.size() + 1));
      for (int flips = rng() % 4; flips > 0 && !bytes.empty(); --flips) {
        bytes[rng() % bytes.size()] = static_cast<char>(rng());
      }
      auto info = ReadImageHeader(bytes);
      if (info) {
        EXPECT_GT(info->width, 0);
        EXPECT_GT(info->height, 0);
        EXPECT_EQ(info->bytes, bytes.size());
      }
    }
  }
}

TEST(ImageHeader, ReadsTheTruncatedPngOfTheGeminiSample) {
  // formats/samples/gemini-generatecontent-image-response-2025-11-09.json
  // carries only the signature and the start of IHDR.
  auto bytes = DecodeBase64("iVBORw0KGgoAAAANSUhEUgAABKAAAANg");
  ASSERT_TRUE(bytes.has_value());
  auto info = ReadImageHeader(*bytes);
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->format, ImageFormat::kPng);
  EXPECT_EQ(info->width, 1184);
  EXPECT_EQ(info->height, 864);
  EXPECT_EQ(info->bytes, 24u);
}

}  // namespace
}  // namespace modelwatch::probe
