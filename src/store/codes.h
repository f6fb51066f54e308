#pragma once

#include <cstdint>
#include <optional>

#include "core/check_result.h"
#include "core/check_status.h"

namespace modelwatch::store {

// Stable small integers for enums in the database (rows and rollup BLOBs).
// Append-only: never renumber, so old databases keep their meaning.
int StatusToDb(CheckStatus s);
std::optional<CheckStatus> StatusFromDb(int64_t code);  // nullopt: unknown code
int ImageFormatToDb(ImageFormat f);
std::optional<ImageFormat> ImageFormatFromDb(int64_t code);

}  // namespace modelwatch::store
