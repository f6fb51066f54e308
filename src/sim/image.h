#pragma once

// Real, decodable images for the simulated providers. The monitor reads only
// the header, but a file that a real decoder rejects would hide bugs in
// anything that goes further (thumbnails on the dashboard, saved samples).

#include <map>
#include <string>
#include <string_view>

#include "core/check_result.h"
#include "sim/scenario.h"

namespace modelwatch::sim {

// RGB gradient, 8-bit, zlib stored blocks (no compression): about 3*w*h bytes.
std::string EncodePng(int width, int height);

// Baseline greyscale JPEG whose 8x8 blocks form a gradient; a few bytes per block.
std::string EncodeJpeg(int width, int height);

// Lossless (VP8L) WebP of one colour: every pixel costs zero bits.
std::string EncodeWebp(int width, int height);

std::string EncodeImage(const ImageSpec& spec);

// "image/png", "image/jpeg", "image/webp".
std::string_view MimeType(ImageFormat f);

// Encoded images and their base64, built once per spec. Not thread-safe: one
// owner (the server's loop thread). References stay valid for its lifetime.
class ImageCache {
 public:
  const std::string& Base64(const ImageSpec& spec);

 private:
  std::map<ImageSpec, std::string> base64_;
};

}  // namespace modelwatch::sim
