// Lossless WebP (VP8L) where each of the five prefix codes has a single
// symbol: a one-symbol code has length zero, so every pixel takes no bits and
// the file is about 30 bytes whatever its size. See the WebP lossless
// bitstream spec, sections 3.7.2.1 ("simple code length code") and 5.
#include <cstdint>
#include <string>

#include "sim/image.h"

namespace modelwatch::sim {
namespace {

class LsbBitWriter {
 public:
  void Put(uint32_t value, int length) {
    for (int i = 0; i < length; ++i) {
      if (n_ % 8 == 0) {
        out_ += '\0';
      }
      if ((value >> i) & 1) {
        out_.back() = static_cast<char>(out_.back() | (1 << (n_ % 8)));
      }
      ++n_;
    }
  }
  const std::string& bytes() const { return out_; }

 private:
  std::string out_;
  size_t n_ = 0;
};

// One prefix code holding the single 8-bit symbol `symbol`.
void PutSingleSymbolCode(LsbBitWriter& w, uint8_t symbol) {
  w.Put(1, 1);  // simple code
  w.Put(0, 1);  // num_symbols - 1
  w.Put(1, 1);  // is_first_8bits
  w.Put(symbol, 8);
}

void PutLe32(std::string& out, uint32_t v) {
  for (int i = 0; i < 4; ++i) {
    out += static_cast<char>((v >> (8 * i)) & 0xff);
  }
}

}  // namespace

std::string EncodeWebp(int width, int height) {
  LsbBitWriter w;
  w.Put(0x2f, 8);  // VP8L signature
  w.Put(static_cast<uint32_t>(width - 1), 14);
  w.Put(static_cast<uint32_t>(height - 1), 14);
  w.Put(0, 1);                   // alpha_is_used
  w.Put(0, 3);                   // version
  w.Put(0, 1);                   // no transform
  w.Put(0, 1);                   // no colour cache
  w.Put(0, 1);                   // no meta prefix codes
  PutSingleSymbolCode(w, 0x90);  // green
  PutSingleSymbolCode(w, 0x30);  // red
  PutSingleSymbolCode(w, 0xc0);  // blue
  PutSingleSymbolCode(w, 0xff);  // alpha
  PutSingleSymbolCode(w, 0);     // distance (never used)
  std::string vp8l = w.bytes();
  std::string out = "RIFF";
  size_t padded = vp8l.size() + (vp8l.size() & 1);
  PutLe32(out, static_cast<uint32_t>(4 + 8 + padded));
  out += "WEBPVP8L";
  PutLe32(out, static_cast<uint32_t>(vp8l.size()));
  out += vp8l;
  if (vp8l.size() & 1) {
    out += '\0';
  }
  return out;
}

}  // namespace modelwatch::sim
