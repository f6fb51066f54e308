#include "core/base64.h"

#include <algorithm>
#include <array>
#include <cstdint>

namespace modelwatch {
namespace {

constexpr uint8_t kInvalid = 0xFF;
constexpr uint8_t kSpace = 0xFE;
constexpr uint8_t kPad = 0xFD;

constexpr std::array<uint8_t, 256> MakeTable() {
  std::array<uint8_t, 256> t{};
  for (auto& v : t) {
    v = kInvalid;
  }
  constexpr std::string_view kStd =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  for (size_t i = 0; i < kStd.size(); ++i) {
    t[static_cast<uint8_t>(kStd[i])] = static_cast<uint8_t>(i);
  }
  t['-'] = 62;
  t['_'] = 63;
  t[' '] = t['\t'] = t['\r'] = t['\n'] = kSpace;
  t['='] = kPad;
  return t;
}

constexpr std::array<uint8_t, 256> kTable = MakeTable();

}  // namespace

std::optional<std::string> DecodeBase64(std::string_view text) {
  return DecodeBase64Prefix(text, std::string_view::npos);
}

std::optional<std::string> DecodeBase64Prefix(std::string_view text, size_t max_bytes) {
  std::string out;
  out.resize(std::min(text.size() / 4 * 3 + 3, max_bytes == std::string_view::npos
                                                    ? text.size() / 4 * 3 + 3
                                                    : max_bytes + 3));
  char* dst = out.data();
  const auto* p = reinterpret_cast<const uint8_t*>(text.data());
  const uint8_t* end = p + text.size();

  // Fast path: four clean symbols at a time, the common case for unwrapped
  // payloads. Falls through to the slow loop at the first special byte.
  uint32_t acc = 0;
  int n = 0;  // symbols in acc
  while (p < end) {
    if (n == 0 && static_cast<size_t>(dst - out.data()) >= max_bytes) {
      out.resize(static_cast<size_t>(dst - out.data()));
      return out;  // enough whole quanta; the rest is not looked at
    }
    if (n == 0 && end - p >= 4) {
      uint8_t a = kTable[p[0]], b = kTable[p[1]], c = kTable[p[2]], d = kTable[p[3]];
      if ((a | b | c | d) < 64) {
        uint32_t v = (uint32_t{a} << 18) | (uint32_t{b} << 12) | (uint32_t{c} << 6) | d;
        dst[0] = static_cast<char>(v >> 16);
        dst[1] = static_cast<char>(v >> 8);
        dst[2] = static_cast<char>(v);
        dst += 3;
        p += 4;
        continue;
      }
    }
    uint8_t v = kTable[*p++];
    if (v < 64) {
      acc = (acc << 6) | v;
      if (++n == 4) {
        dst[0] = static_cast<char>(acc >> 16);
        dst[1] = static_cast<char>(acc >> 8);
        dst[2] = static_cast<char>(acc);
        dst += 3;
        acc = 0;
        n = 0;
      }
    } else if (v == kSpace) {
      continue;
    } else if (v == kPad) {
      // Only padding and whitespace may follow, and at most enough of it to
      // complete the quantum.
      int pads = 1;
      for (; p < end; ++p) {
        uint8_t w = kTable[*p];
        if (w == kPad) {
          ++pads;
        } else if (w != kSpace) {
          return std::nullopt;
        }
      }
      if (n < 2 || n + pads > 4) {
        return std::nullopt;
      }
      break;
    } else {
      return std::nullopt;
    }
  }
  if (n == 1) {
    return std::nullopt;
  }
  if (n == 2) {
    *dst++ = static_cast<char>(acc >> 4);
  } else if (n == 3) {
    *dst++ = static_cast<char>(acc >> 10);
    *dst++ = static_cast<char>(acc >> 2);
  }
  out.resize(static_cast<size_t>(dst - out.data()));
  return out;
}

size_t DecodedBase64Size(std::string_view text) {
  size_t symbols = 0;
  bool spaced = false;
  for (char c : {' ', '\t', '\r', '\n'}) {
    spaced = spaced || text.find(c) != std::string_view::npos;
  }
  if (!spaced) {
    symbols = text.size();  // the common case: one unbroken line
    while (symbols > 0 && text[symbols - 1] == '=') {
      --symbols;
    }
  } else {
    for (char c : text) {
      symbols += kTable[static_cast<uint8_t>(c)] < 64;
    }
  }
  size_t rest = symbols % 4;
  return symbols / 4 * 3 + (rest == 3 ? 2 : rest == 2 ? 1 : 0);
}

std::string EncodeBase64(std::string_view bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    uint32_t v = (uint32_t{static_cast<uint8_t>(bytes[i])} << 16) |
                 (uint32_t{static_cast<uint8_t>(bytes[i + 1])} << 8) |
                 static_cast<uint8_t>(bytes[i + 2]);
    out += kAlphabet[v >> 18];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += kAlphabet[v & 63];
  }
  size_t rest = bytes.size() - i;
  if (rest > 0) {
    uint32_t v = uint32_t{static_cast<uint8_t>(bytes[i])} << 16;
    if (rest == 2) {
      v |= uint32_t{static_cast<uint8_t>(bytes[i + 1])} << 8;
    }
    out += kAlphabet[v >> 18];
    out += kAlphabet[(v >> 12) & 63];
    out += rest == 2 ? kAlphabet[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

}  // namespace modelwatch
