// A baseline JPEG encoder reduced to what a flat-block image needs: each 8x8
// block carries only its DC coefficient (a gradient from block to block) and
// an end-of-block. Quantisation is 1 everywhere, so the DC of a flat block of
// grey level v is exactly 8 * (v - 128).
#include <cstdint>
#include <string>
#include <vector>

#include "sim/image.h"

namespace modelwatch::sim {
namespace {

// ITU T.81 Annex K.3 table K.3 (luminance DC): code lengths and symbols 0..11.
constexpr uint8_t kDcBits[16] = {0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0};
constexpr uint8_t kDcSymbols = 12;

struct Code {
  uint16_t bits = 0;
  uint8_t length = 0;
};

// Canonical Huffman codes from the BITS list (T.81 Annex C).
std::vector<Code> CanonicalCodes(const uint8_t (&bits)[16]) {
  std::vector<Code> codes;
  uint16_t code = 0;
  for (int len = 1; len <= 16; ++len) {
    for (int i = 0; i < bits[len - 1]; ++i) {
      codes.push_back({code++, static_cast<uint8_t>(len)});
    }
    code <<= 1;
  }
  return codes;
}

class BitWriter {
 public:
  explicit BitWriter(std::string& out) : out_(out) {}
  void Put(uint32_t bits, int length) {
    for (int i = length - 1; i >= 0; --i) {
      acc_ = static_cast<uint8_t>(acc_ << 1 | ((bits >> i) & 1));
      if (++n_ == 8) {
        Emit();
      }
    }
  }
  // Pads the last byte with 1-bits, as T.81 F.1.2.3 requires.
  void Flush() {
    while (n_ != 0) {
      Put(1, 1);
    }
  }

 private:
  void Emit() {
    out_ += static_cast<char>(acc_);
    if (acc_ == 0xff) {
      out_ += '\0';  // byte stuffing
    }
    acc_ = 0;
    n_ = 0;
  }
  std::string& out_;
  uint8_t acc_ = 0;
  int n_ = 0;
};

void PutSegment(std::string& out, uint8_t marker, const std::string& payload) {
  out += '\xff';
  out += static_cast<char>(marker);
  size_t len = payload.size() + 2;
  out += static_cast<char>(len >> 8);
  out += static_cast<char>(len & 0xff);
  out += payload;
}

int Category(int v) {
  int a = v < 0 ? -v : v;
  int c = 0;
  while (a > 0) {
    ++c;
    a >>= 1;
  }
  return c;
}

}  // namespace

std::string EncodeJpeg(int width, int height) {
  std::string out = "\xff\xd8";
  PutSegment(out, 0xe0, std::string("JFIF\0\x01\x01\x00\x00\x01\x00\x01\x00\x00", 14));
  PutSegment(out, 0xdb, std::string(1, '\0') + std::string(64, '\x01'));
  std::string sof = {8,
                     static_cast<char>(height >> 8),
                     static_cast<char>(height & 0xff),
                     static_cast<char>(width >> 8),
                     static_cast<char>(width & 0xff),
                     1,
                     1,
                     0x11,
                     0};
  PutSegment(out, 0xc0, sof);
  std::string dht_dc(1, '\x00');
  dht_dc.append(reinterpret_cast<const char*>(kDcBits), 16);
  for (int i = 0; i < kDcSymbols; ++i) {
    dht_dc += static_cast<char>(i);
  }
  PutSegment(out, 0xc4, dht_dc);
  // AC table with a single symbol, end-of-block, coded as the 1-bit "0".
  std::string dht_ac = {0x10, 1};
  dht_ac.append(15, '\0');
  dht_ac += '\0';
  PutSegment(out, 0xc4, dht_ac);
  PutSegment(out, 0xda, std::string("\x01\x01\x00\x00\x3f\x00", 6));

  const std::vector<Code> dc = CanonicalCodes(kDcBits);
  BitWriter w(out);
  int bw = (width + 7) / 8;
  int bh = (height + 7) / 8;
  int span = bw + bh - 2 > 0 ? bw + bh - 2 : 1;
  int prev = 0;
  for (int by = 0; by < bh; ++by) {
    for (int bx = 0; bx < bw; ++bx) {
      int grey = 40 + 175 * (bx + by) / span;
      int value = 8 * (grey - 128);
      int diff = value - prev;
      prev = value;
      int cat = Category(diff);
      w.Put(dc[cat].bits, dc[cat].length);
      if (cat > 0) {
        uint32_t extra = diff > 0 ? diff : diff + (1 << cat) - 1;
        w.Put(extra, cat);
      }
      w.Put(0, 1);  // EOB
    }
  }
  w.Flush();
  out += "\xff\xd9";
  return out;
}

}  // namespace modelwatch::sim
