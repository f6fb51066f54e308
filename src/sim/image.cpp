#include "sim/image.h"

#include "core/base64.h"

namespace modelwatch::sim {

std::string EncodeImage(const ImageSpec& spec) {
  switch (spec.format) {
    case ImageFormat::kJpeg:
      return EncodeJpeg(spec.width, spec.height);
    case ImageFormat::kWebp:
      return EncodeWebp(spec.width, spec.height);
    default:
      return EncodePng(spec.width, spec.height);
  }
}

std::string_view MimeType(ImageFormat f) {
  switch (f) {
    case ImageFormat::kJpeg:
      return "image/jpeg";
    case ImageFormat::kWebp:
      return "image/webp";
    case ImageFormat::kGif:
      return "image/gif";
    default:
      return "image/png";
  }
}

const std::string& ImageCache::Base64(const ImageSpec& spec) {
  auto it = base64_.find(spec);
  if (it == base64_.end()) {
    it = base64_.emplace(spec, EncodeBase64(EncodeImage(spec))).first;
  }
  return it->second;
}

}  // namespace modelwatch::sim
