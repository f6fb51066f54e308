#pragma once

#include <cstddef>
#include <string_view>

#include "core/status.h"

namespace modelwatch::config {

// Parses a size in bytes: "1048576", "512KB", "10MB", "1GB" (powers of 1000)
// or "64KiB", "64MiB", "1GiB" (powers of 1024); "B" is bytes, a space before
// the unit is allowed. Zero is allowed here; callers decide what it means.
Result<size_t> ParseByteSize(std::string_view text);

}  // namespace modelwatch::config
