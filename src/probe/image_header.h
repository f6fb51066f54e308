#pragma once

#include <optional>
#include <string_view>

#include "core/check_result.h"

namespace modelwatch::probe {

// Reads format, width and height from the start of an encoded image: PNG
// (IHDR), JPEG (the first SOFn frame header), WebP (VP8, VP8L and VP8X
// chunks) or GIF (logical screen descriptor). Only the header is examined,
// never the pixel data; `bytes` is recorded as ImageInfo::bytes.
//
// Returns nullopt when the bytes are not one of these formats, are truncated
// before the dimensions, or claim a zero width or height.
std::optional<ImageInfo> ReadImageHeader(std::string_view bytes);

}  // namespace modelwatch::probe
