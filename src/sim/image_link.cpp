#include "sim/image_link.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

namespace modelwatch::sim {
namespace {

constexpr std::string_view kPrefix = "img-";
constexpr size_t kSequenceDigits = 16;
constexpr int kMaxSide = 4096;  // the scenario's limit for image sizes

std::string_view Extension(ImageFormat f) {
  switch (f) {
    case ImageFormat::kJpeg:
      return "jpg";
    case ImageFormat::kWebp:
      return "webp";
    default:
      return "png";
  }
}

// A side length written the way ImageFileName writes it: no sign, no leading
// zero, 1..kMaxSide. One spelling per value keeps ids canonical.
std::optional<int> ParseSide(std::string_view s) {
  if (s.empty() || s.size() > 4 || s[0] == '0') {
    return std::nullopt;
  }
  int v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || v < 1 || v > kMaxSide) {
    return std::nullopt;
  }
  return v;
}

bool IsLowerHex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }

bool IsHostChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '-' || c == '_';
}

bool IsPort(std::string_view s) {
  return !s.empty() && s.size() <= 5 &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

std::string ImageFileName(const ImageSpec& spec, uint64_t sequence) {
  return fmt::format("{}{:016x}-{}x{}.{}", kPrefix, sequence, spec.width, spec.height,
                     Extension(spec.format));
}

std::optional<ImageSpec> ParseImageFileName(std::string_view file) {
  if (!file.starts_with(kPrefix)) {
    return std::nullopt;
  }
  file.remove_prefix(kPrefix.size());
  if (file.size() <= kSequenceDigits || file[kSequenceDigits] != '-' ||
      !std::all_of(file.begin(), file.begin() + kSequenceDigits, IsLowerHex)) {
    return std::nullopt;
  }
  file.remove_prefix(kSequenceDigits + 1);
  size_t x = file.find('x');
  size_t dot = file.find('.');
  if (x == std::string_view::npos || dot == std::string_view::npos || dot < x) {
    return std::nullopt;
  }
  std::optional<int> width = ParseSide(file.substr(0, x));
  std::optional<int> height = ParseSide(file.substr(x + 1, dot - x - 1));
  std::string_view ext = file.substr(dot + 1);
  if (!width || !height) {
    return std::nullopt;
  }
  ImageSpec spec;
  spec.width = *width;
  spec.height = *height;
  for (ImageFormat f : {ImageFormat::kPng, ImageFormat::kJpeg, ImageFormat::kWebp}) {
    if (ext == Extension(f)) {
      spec.format = f;
      return spec;
    }
  }
  return std::nullopt;
}

std::string LinkAuthority(std::string_view host_header, std::string_view own_host, int own_port) {
  std::string_view host = host_header;
  std::string_view port;
  if (host.starts_with('[')) {
    // An IPv6 literal: "[::1]" or "[::1]:8089".
    size_t close = host.find(']');
    if (close == std::string_view::npos) {
      host = {};
    } else {
      std::string_view inside = host.substr(1, close - 1);
      std::string_view rest = host.substr(close + 1);
      bool ok = !inside.empty() && std::all_of(inside.begin(), inside.end(), [](char c) {
        return IsLowerHex(c) || (c >= 'A' && c <= 'F') || c == ':' || c == '.';
      });
      if (!ok || (!rest.empty() && !(rest[0] == ':' && IsPort(rest.substr(1))))) {
        host = {};
      } else {
        port = rest.empty() ? std::string_view() : rest.substr(1);
        host = host.substr(0, close + 1);
      }
    }
  } else if (size_t colon = host.find(':'); colon != std::string_view::npos) {
    port = host.substr(colon + 1);
    host = host.substr(0, colon);
    if (!IsPort(port)) {
      host = {};
    }
  }
  if (host.empty() ||
      (!host.starts_with('[') && !std::all_of(host.begin(), host.end(), IsHostChar))) {
    return fmt::format("{}:{}", own_host, own_port);
  }
  return port.empty() ? fmt::format("{}:{}", host, own_port) : fmt::format("{}:{}", host, port);
}

}  // namespace modelwatch::sim
