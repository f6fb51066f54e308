#include "probe/image_data.h"

#include <fmt/format.h>

#include "core/base64.h"
#include "probe/image_header.h"

namespace modelwatch::probe {

Result<ImageInfo> ReadImage(std::string_view bytes) {
  if (bytes.empty()) {
    return Status::InvalidArgument("image is empty");
  }
  if (auto info = ReadImageHeader(bytes)) {
    return *info;
  }
  return Status::InvalidArgument(
      fmt::format("{} bytes are not a readable PNG, JPEG, WebP or GIF image", bytes.size()));
}

Result<ImageInfo> DecodeImageBase64(std::string_view base64) {
  // Only the header matters. PNG, GIF and WebP have it in the first few dozen
  // bytes and JPEG after its metadata segments, usually within a few KB; so
  // decode a little, and more only while the header is not found.
  for (size_t limit : {size_t{256}, size_t{8} << 10, size_t{64} << 10, std::string_view::npos}) {
    auto prefix = DecodeBase64Prefix(base64, limit);
    if (!prefix) {
      return Status::InvalidArgument("image data is not valid base64");
    }
    bool whole = prefix->size() < limit;
    if (whole) {
      return ReadImage(*prefix);
    }
    if (auto info = ReadImageHeader(*prefix)) {
      info->bytes = DecodedBase64Size(base64);
      return *info;
    }
  }
  return Status::InvalidArgument("image data is not valid base64");  // not reached
}

Result<ImageInfo> DecodeImageDataUrl(std::string_view url) {
  if (!url.starts_with("data:")) {
    return Status::InvalidArgument("image URL is not a data: URL");
  }
  size_t comma = url.find(',');
  if (comma == std::string_view::npos) {
    return Status::InvalidArgument("data: URL has no ','");
  }
  std::string_view meta = url.substr(5, comma - 5);
  if (!meta.ends_with(";base64")) {
    return Status::InvalidArgument("data: URL is not base64");
  }
  std::string_view mime = meta.substr(0, meta.find(';'));
  if (!mime.empty() && !mime.starts_with("image/")) {
    return Status::InvalidArgument(fmt::format("data: URL holds {}, not an image", mime));
  }
  return DecodeImageBase64(url.substr(comma + 1));
}

}  // namespace modelwatch::probe
