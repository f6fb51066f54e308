#include "sim/image.h"

#include <gtest/gtest.h>

#include <cstdint>

#include "core/base64.h"

namespace modelwatch::sim {
namespace {

uint32_t Be32(const std::string& s, size_t at) {
  auto b = [&](size_t i) { return static_cast<uint32_t>(static_cast<unsigned char>(s[at + i])); };
  return b(0) << 24 | b(1) << 16 | b(2) << 8 | b(3);
}
uint32_t Le32(const std::string& s, size_t at) {
  auto b = [&](size_t i) { return static_cast<uint32_t>(static_cast<unsigned char>(s[at + i])); };
  return b(3) << 24 | b(2) << 16 | b(1) << 8 | b(0);
}

// Independent bitwise CRC-32, to check the encoder's table version.
uint32_t SlowCrc(const std::string& s) {
  uint32_t c = 0xffffffffu;
  for (unsigned char ch : s) {
    c ^= ch;
    for (int k = 0; k < 8; ++k) {
      c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1)));
    }
  }
  return ~c;
}

TEST(EncodePng, HeaderChunksAndStoredStreamAreValid) {
  std::string png = EncodePng(70, 3);
  ASSERT_EQ(png.substr(0, 8), std::string("\x89PNG\r\n\x1a\n"));
  EXPECT_EQ(png.substr(12, 4), "IHDR");
  EXPECT_EQ(Be32(png, 16), 70u);
  EXPECT_EQ(Be32(png, 20), 3u);
  // Walk every chunk and check its CRC; gather IDAT.
  size_t pos = 8;
  std::string idat;
  std::string last;
  while (pos < png.size()) {
    uint32_t len = Be32(png, pos);
    std::string type_and_data = png.substr(pos + 4, 4 + len);
    EXPECT_EQ(Be32(png, pos + 8 + len), SlowCrc(type_and_data)) << type_and_data.substr(0, 4);
    last = type_and_data.substr(0, 4);
    if (last == "IDAT") {
      idat += type_and_data.substr(4);
    }
    pos += 12 + len;
  }
  EXPECT_EQ(pos, png.size());
  EXPECT_EQ(last, "IEND");
  // zlib header, one stored block, Adler-32 trailer.
  ASSERT_GE(idat.size(), 2u + 5u + 4u);
  EXPECT_EQ(static_cast<unsigned char>(idat[0]), 0x78);
  EXPECT_EQ((static_cast<unsigned char>(idat[0]) * 256 + static_cast<unsigned char>(idat[1])) % 31,
            0);
  size_t raw_len = 3 * (1 + 3 * 70);
  EXPECT_EQ(idat.size(), 2 + 5 + raw_len + 4);
}

TEST(EncodePng, LargeImageSpansSeveralStoredBlocks) {
  std::string png = EncodePng(1024, 1024);
  EXPECT_EQ(Be32(png, 16), 1024u);
  EXPECT_EQ(Be32(png, 20), 1024u);
  size_t raw = 1024 * (1 + 3 * 1024);
  size_t blocks = (raw + 65534) / 65535;
  EXPECT_EQ(png.size(), 8 + 25 + 12 + 2 + 5 * blocks + raw + 4 + 12);
}

TEST(EncodeJpeg, BaselineFrameCarriesTheSize) {
  std::string jpg = EncodeJpeg(1024, 768);
  ASSERT_EQ(jpg.substr(0, 2), "\xff\xd8");
  EXPECT_EQ(jpg.substr(jpg.size() - 2), "\xff\xd9");
  size_t sof = jpg.find("\xff\xc0");
  ASSERT_NE(sof, std::string::npos);
  auto u16 = [&](size_t at) {
    return static_cast<unsigned char>(jpg[at]) * 256 + static_cast<unsigned char>(jpg[at + 1]);
  };
  EXPECT_EQ(u16(sof + 5), 768);
  EXPECT_EQ(u16(sof + 7), 1024);
}

TEST(EncodeWebp, RiffAndLosslessHeaderCarryTheSize) {
  std::string w = EncodeWebp(300, 200);
  ASSERT_EQ(w.substr(0, 4), "RIFF");
  EXPECT_EQ(Le32(w, 4), w.size() - 8);
  EXPECT_EQ(w.substr(8, 8), "WEBPVP8L");
  EXPECT_EQ(static_cast<unsigned char>(w[20]), 0x2f);
  uint32_t bits = Le32(w, 21);
  EXPECT_EQ((bits & 0x3fff) + 1, 300u);
  EXPECT_EQ(((bits >> 14) & 0x3fff) + 1, 200u);
}

TEST(ImageCache, EncodesOncePerSpec) {
  ImageCache cache;
  ImageSpec spec{ImageFormat::kPng, 8, 8};
  const std::string& a = cache.Base64(spec);
  const std::string& b = cache.Base64(spec);
  EXPECT_EQ(&a, &b);
  EXPECT_EQ(*DecodeBase64(a), EncodePng(8, 8));
}

}  // namespace
}  // namespace modelwatch::sim
