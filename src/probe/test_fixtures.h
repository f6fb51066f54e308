#pragma once

// Test-only helpers shared by the probe module's *_test.cpp files: minimal
// image headers built byte by byte, and the real samples in formats/.

#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>

#include "config/config.h"
#include "core/base64.h"
#include "core/sample_file.h"

namespace modelwatch::probe::testing {

inline std::string Bytes(std::initializer_list<int> b) {
  std::string s;
  for (int v : b) {
    s += static_cast<char>(v);
  }
  return s;
}

inline std::string Be32(uint32_t v) {
  return Bytes({int(v >> 24), int(v >> 16 & 255), int(v >> 8 & 255), int(v & 255)});
}

// Signature and a full IHDR chunk (CRC not checked, zeroed).
inline std::string Png(uint32_t w, uint32_t h) {
  return std::string("\x89PNG\r\n\x1a\n", 8) + Be32(13) + "IHDR" + Be32(w) + Be32(h) +
         Bytes({8, 6, 0, 0, 0}) + Be32(0);
}

// SOI, APP0 (JFIF), a DHT (C4: inside the SOF range but not a frame), fill
// bytes, then the frame header `sof` (C0 baseline, C2 progressive, ...).
inline std::string Jpeg(uint16_t w, uint16_t h, int sof = 0xC0) {
  std::string s = Bytes({0xFF, 0xD8});
  s += Bytes({0xFF, 0xE0, 0x00, 0x10}) + "JFIF" + Bytes({0, 1, 1, 0, 0, 1, 0, 1, 0, 0});
  s += Bytes({0xFF, 0xC4, 0x00, 0x05, 0x00, 0x01, 0x02});
  s += Bytes({0xFF, 0xFF});
  s += Bytes({0xFF, sof, 0x00, 0x11, 0x08, h >> 8, h & 255, w >> 8, w & 255, 0x03});
  s += std::string(9, '\x01');
  return s + Bytes({0xFF, 0xD9});
}

inline std::string Riff(std::string_view fourcc, const std::string& payload) {
  uint32_t n = static_cast<uint32_t>(payload.size());
  std::string size = Bytes({int(n & 255), int(n >> 8 & 255), int(n >> 16 & 255), int(n >> 24)});
  std::string chunk = std::string(fourcc) + size + payload;
  uint32_t total = static_cast<uint32_t>(4 + chunk.size());
  return "RIFF" +
         Bytes(
             {int(total & 255), int(total >> 8 & 255), int(total >> 16 & 255), int(total >> 24)}) +
         "WEBP" + chunk;
}

// Lossy: frame tag, start code 9D 01 2A, 14-bit dimensions.
inline std::string WebpVp8(uint16_t w, uint16_t h) {
  return Riff("VP8 ",
              Bytes({0x30, 0x01, 0x00, 0x9D, 0x01, 0x2A, w & 255, w >> 8, h & 255, h >> 8, 0, 0}));
}

// Lossless: signature 2F, then (w-1) and (h-1) in 14 bits each, LSB first.
inline std::string WebpVp8l(uint32_t w, uint32_t h) {
  uint32_t bits = (w - 1) | (h - 1) << 14;
  return Riff("VP8L", Bytes({0x2F, int(bits & 255), int(bits >> 8 & 255), int(bits >> 16 & 255),
                             int(bits >> 24), 0, 0, 0}));
}

// Extended: flags, then 24-bit canvas (w-1) and (h-1).
inline std::string WebpVp8x(uint32_t w, uint32_t h) {
  uint32_t a = w - 1, b = h - 1;
  return Riff("VP8X", Bytes({0x10, 0, 0, 0, int(a & 255), int(a >> 8 & 255), int(a >> 16),
                             int(b & 255), int(b >> 8 & 255), int(b >> 16)}));
}

inline std::string Gif(uint16_t w, uint16_t h) {
  return "GIF89a" + Bytes({w & 255, w >> 8, h & 255, h >> 8, 0xF7, 0, 0});
}

inline std::string PngBase64(uint32_t w, uint32_t h) { return EncodeBase64(Png(w, h)); }

// A file from formats/samples/ (tests/data/formats); a missing one fails
// the test, naming the file.
inline std::string ReadSample(std::string_view name) {
  return modelwatch::testing::ReadFormatsFile("samples/" + std::string(name));
}

// A monitor with what the image kinds need.
inline config::Monitor ImageMonitor(std::string kind) {
  config::Monitor m;
  m.name = "img";
  m.kind = std::move(kind);
  m.model = "test-model";
  m.prompt = "a red fox";
  m.api_key = Secret("test-key-0123456789");
  m.timeout = std::chrono::seconds(60);
  return m;
}

}  // namespace modelwatch::probe::testing
