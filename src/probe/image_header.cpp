#include "probe/image_header.h"

#include <cstdint>

namespace modelwatch::probe {
namespace {

uint32_t Byte(std::string_view b, size_t i) { return static_cast<uint8_t>(b[i]); }
uint32_t Be16(std::string_view b, size_t i) { return Byte(b, i) << 8 | Byte(b, i + 1); }
uint32_t Le16(std::string_view b, size_t i) { return Byte(b, i) | Byte(b, i + 1) << 8; }
uint32_t Le24(std::string_view b, size_t i) { return Le16(b, i) | Byte(b, i + 2) << 16; }
uint32_t Be32(std::string_view b, size_t i) { return Be16(b, i) << 16 | Be16(b, i + 2); }

std::optional<ImageInfo> Make(ImageFormat f, uint32_t w, uint32_t h, size_t bytes) {
  // Real encoders never write zero dimensions; a zero means a corrupt or
  // placeholder payload, which must not count as a generated image.
  if (w == 0 || h == 0 || w > 0x7FFFFFFF || h > 0x7FFFFFFF) {
    return std::nullopt;
  }
  return ImageInfo{f, static_cast<int>(w), static_cast<int>(h), bytes};
}

// Signature (8) + IHDR length (4) + "IHDR" (4) + width (4) + height (4). The
// rest of IHDR is not needed, so a payload cut right after the dimensions
// still reads (the Gemini sample in formats/ is exactly that).
std::optional<ImageInfo> ReadPng(std::string_view b) {
  if (b.size() < 24 || b.substr(12, 4) != "IHDR") {
    return std::nullopt;
  }
  return Make(ImageFormat::kPng, Be32(b, 16), Be32(b, 20), b.size());
}

bool IsJpegSof(uint32_t marker) {
  // SOF0..SOF15 are C0..CF, except C4 (DHT), C8 (JPG) and CC (DAC), which
  // share the range but are not frame headers.
  return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
}

std::optional<ImageInfo> ReadJpeg(std::string_view b) {
  size_t i = 2;  // after SOI
  while (i + 4 <= b.size()) {
    if (Byte(b, i) != 0xFF) {
      return std::nullopt;
    }
    uint32_t marker = Byte(b, i + 1);
    if (marker == 0xFF) {  // fill byte before a marker
      ++i;
      continue;
    }
    // Markers without a length field.
    if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD8)) {
      i += 2;
      continue;
    }
    if (marker == 0xD9 || marker == 0xDA) {  // EOI or scan data before any frame
      return std::nullopt;
    }
    uint32_t len = Be16(b, i + 2);
    if (len < 2) {
      return std::nullopt;
    }
    if (IsJpegSof(marker)) {
      // Length (2), precision (1), height (2), width (2).
      if (len < 7 || i + 9 > b.size()) {
        return std::nullopt;
      }
      return Make(ImageFormat::kJpeg, Be16(b, i + 7), Be16(b, i + 5), b.size());
    }
    i += 2 + len;
  }
  return std::nullopt;
}

// RIFF (4) size (4) "WEBP" (4), then the first chunk: fourcc (4) size (4).
std::optional<ImageInfo> ReadWebp(std::string_view b) {
  if (b.size() < 16) {
    return std::nullopt;
  }
  std::string_view chunk = b.substr(12, 4);
  const size_t d = 20;  // chunk payload
  if (chunk == "VP8 ") {
    // Frame tag (3), start code 9D 01 2A, then 14-bit width and height.
    if (b.size() < d + 10 || Byte(b, d + 3) != 0x9D || Byte(b, d + 4) != 0x01 ||
        Byte(b, d + 5) != 0x2A) {
      return std::nullopt;
    }
    return Make(ImageFormat::kWebp, Le16(b, d + 6) & 0x3FFF, Le16(b, d + 8) & 0x3FFF, b.size());
  }
  if (chunk == "VP8L") {
    // Signature 0x2F, then 14 bits width-1 and 14 bits height-1, LSB first.
    if (b.size() < d + 5 || Byte(b, d) != 0x2F) {
      return std::nullopt;
    }
    uint32_t bits =
        Byte(b, d + 1) | Byte(b, d + 2) << 8 | Byte(b, d + 3) << 16 | Byte(b, d + 4) << 24;
    return Make(ImageFormat::kWebp, (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1, b.size());
  }
  if (chunk == "VP8X") {
    // Flags (4), then 24-bit canvas width-1 and height-1.
    if (b.size() < d + 10) {
      return std::nullopt;
    }
    return Make(ImageFormat::kWebp, Le24(b, d + 4) + 1, Le24(b, d + 7) + 1, b.size());
  }
  return std::nullopt;
}

std::optional<ImageInfo> ReadGif(std::string_view b) {
  if (b.size() < 10) {
    return std::nullopt;
  }
  return Make(ImageFormat::kGif, Le16(b, 6), Le16(b, 8), b.size());
}

}  // namespace

std::optional<ImageInfo> ReadImageHeader(std::string_view b) {
  if (b.starts_with("\x89PNG\r\n\x1a\n")) {
    return ReadPng(b);
  }
  if (b.starts_with("\xFF\xD8\xFF")) {
    return ReadJpeg(b);
  }
  if (b.starts_with("RIFF") && b.size() >= 12 && b.substr(8, 4) == "WEBP") {
    return ReadWebp(b);
  }
  if (b.starts_with("GIF87a") || b.starts_with("GIF89a")) {
    return ReadGif(b);
  }
  return std::nullopt;
}

}  // namespace modelwatch::probe
