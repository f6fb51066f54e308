#include "probe/image_data.h"

#include <algorithm>

#include <fmt/format.h>

#include "core/base64.h"
#include "probe/image_header.h"

namespace modelwatch::probe {

namespace {

std::string NoHeaderIn(size_t kept, size_t total) {
  return fmt::format("no PNG, JPEG, WebP or GIF header in the first {} KiB of a {}-byte image",
                     kept >> 10, total);
}

// `base64` is the start of a text of `symbols` symbols when `clip` is set
// (ending as clip->tail says), else whole.
Result<ImageInfo> DecodeBase64Image(std::string_view base64, const net::ClippedString* clip,
                                    size_t symbols) {
  if (clip != nullptr) {
    base64 = base64.substr(0, base64.size() / 4 * 4);  // whole quanta only
  }
  // Only the header matters. PNG, GIF and WebP have it in the first few dozen
  // bytes and JPEG after its metadata segments, usually within a few KB; so
  // decode a little, and more only while the header is not found.
  for (size_t limit : {size_t{256}, size_t{8} << 10, size_t{64} << 10, std::string_view::npos}) {
    auto prefix = DecodeBase64Prefix(base64, limit);
    if (!prefix) {
      return Status::InvalidArgument("image data is not valid base64");
    }
    bool all_kept = prefix->size() < limit;
    if (all_kept && clip == nullptr) {
      return ReadImage(*prefix);
    }
    if (auto info = ReadImageHeader(*prefix)) {
      info->bytes = clip != nullptr ? clip->DecodedBase64Size(symbols) : DecodedBase64Size(base64);
      return *info;
    }
    if (all_kept) {
      return Status::InvalidArgument(NoHeaderIn(prefix->size(), clip->DecodedBase64Size(symbols)));
    }
  }
  return Status::InvalidArgument("image data is not valid base64");  // not reached
}

}  // namespace

Result<ImageInfo> ReadImage(std::string_view bytes, size_t total) {
  if (bytes.empty()) {
    return Status::InvalidArgument("image is empty");
  }
  if (auto info = ReadImageHeader(bytes)) {
    info->bytes = std::max(info->bytes, total);
    return *info;
  }
  if (total > bytes.size()) {
    return Status::InvalidArgument(NoHeaderIn(bytes.size(), total));
  }
  return Status::InvalidArgument(
      fmt::format("{} bytes are not a readable PNG, JPEG, WebP or GIF image", bytes.size()));
}

Result<ImageInfo> DecodeImageBase64(std::string_view base64, const net::Response* from) {
  const net::ClippedString* clip = from != nullptr ? from->ClippedFor(base64) : nullptr;
  return DecodeBase64Image(base64, clip, clip != nullptr ? clip->length : base64.size());
}

Result<ImageInfo> DecodeImageDataUrl(std::string_view url, const net::Response* from) {
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
  const net::ClippedString* clip = from != nullptr ? from->ClippedFor(url) : nullptr;
  std::string_view base64 = url.substr(comma + 1);
  return DecodeBase64Image(base64, clip, clip != nullptr ? clip->length - (comma + 1) : 0);
}

}  // namespace modelwatch::probe
