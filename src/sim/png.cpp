// PNG by hand because zlib is not linked: stored deflate blocks need only
// CRC-32 (for chunks) and Adler-32 (for the zlib stream), both a few lines.
#include <array>
#include <cstdint>
#include <string>

#include "sim/image.h"

namespace modelwatch::sim {
namespace {

constexpr std::array<uint32_t, 256> MakeCrcTable() {
  std::array<uint32_t, 256> t{};
  for (uint32_t n = 0; n < 256; ++n) {
    uint32_t c = n;
    for (int k = 0; k < 8; ++k) {
      c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
    }
    t[n] = c;
  }
  return t;
}
constexpr auto kCrcTable = MakeCrcTable();

uint32_t Crc32(std::string_view data) {
  uint32_t c = 0xffffffffu;
  for (unsigned char b : data) {
    c = kCrcTable[(c ^ b) & 0xff] ^ (c >> 8);
  }
  return c ^ 0xffffffffu;
}

uint32_t Adler32(std::string_view data) {
  uint32_t a = 1;
  uint32_t b = 0;
  for (unsigned char c : data) {
    a = (a + c) % 65521;
    b = (b + a) % 65521;
  }
  return b << 16 | a;
}

void PutBe32(std::string& out, uint32_t v) {
  out += static_cast<char>(v >> 24);
  out += static_cast<char>(v >> 16);
  out += static_cast<char>(v >> 8);
  out += static_cast<char>(v);
}

void PutChunk(std::string& out, std::string_view type, std::string_view data) {
  PutBe32(out, static_cast<uint32_t>(data.size()));
  std::string body(type);
  body += data;
  out += body;
  PutBe32(out, Crc32(body));
}

// A zlib stream of stored (uncompressed) deflate blocks of at most 65535 bytes.
std::string ZlibStored(std::string_view raw) {
  std::string z = "\x78\x01";
  size_t pos = 0;
  do {
    size_t n = std::min<size_t>(65535, raw.size() - pos);
    bool final_block = pos + n == raw.size();
    z += static_cast<char>(final_block ? 1 : 0);
    z += static_cast<char>(n & 0xff);
    z += static_cast<char>(n >> 8);
    z += static_cast<char>(~n & 0xff);
    z += static_cast<char>((~n >> 8) & 0xff);
    z.append(raw.substr(pos, n));
    pos += n;
  } while (pos < raw.size());
  PutBe32(z, Adler32(raw));
  return z;
}

}  // namespace

std::string EncodePng(int width, int height) {
  std::string raw;
  raw.reserve(static_cast<size_t>(height) * (1 + 3 * static_cast<size_t>(width)));
  for (int y = 0; y < height; ++y) {
    raw += '\0';  // filter type None
    for (int x = 0; x < width; ++x) {
      raw += static_cast<char>(width > 1 ? x * 255 / (width - 1) : 128);
      raw += static_cast<char>(height > 1 ? y * 255 / (height - 1) : 128);
      raw += static_cast<char>(160);
    }
  }
  std::string png = "\x89PNG\r\n\x1a\n";
  std::string ihdr;
  PutBe32(ihdr, static_cast<uint32_t>(width));
  PutBe32(ihdr, static_cast<uint32_t>(height));
  ihdr += std::string("\x08\x02\x00\x00\x00", 5);  // 8-bit RGB, deflate, no interlace
  PutChunk(png, "IHDR", ihdr);
  PutChunk(png, "IDAT", ZlibStored(raw));
  PutChunk(png, "IEND", "");
  return png;
}

}  // namespace modelwatch::sim
