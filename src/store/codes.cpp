#include "store/codes.h"

#include <array>

namespace modelwatch::store {
namespace {

constexpr std::array<CheckStatus, kCheckStatusCount> kStatusCodes = {
    CheckStatus::kSuccess,         CheckStatus::kDegraded,  CheckStatus::kRateLimited,
    CheckStatus::kQuotaExhausted,  CheckStatus::kAuthError, CheckStatus::kClientError,
    CheckStatus::kServerError,     CheckStatus::kTimeout,   CheckStatus::kNetworkError,
    CheckStatus::kInvalidResponse, CheckStatus::kModelNotFound,
};

constexpr std::array<ImageFormat, 4> kImageCodes = {ImageFormat::kPng, ImageFormat::kJpeg,
                                                    ImageFormat::kWebp, ImageFormat::kGif};

}  // namespace

int StatusToDb(CheckStatus s) {
  for (size_t i = 0; i < kStatusCodes.size(); ++i) {
    if (kStatusCodes[i] == s) {
      return static_cast<int>(i);
    }
  }
  return 0;  // unreachable: every status has a code
}

std::optional<CheckStatus> StatusFromDb(int64_t code) {
  if (code < 0 || code >= static_cast<int64_t>(kStatusCodes.size())) {
    return std::nullopt;
  }
  return kStatusCodes[static_cast<size_t>(code)];
}

int ImageFormatToDb(ImageFormat f) {
  for (size_t i = 0; i < kImageCodes.size(); ++i) {
    if (kImageCodes[i] == f) {
      return static_cast<int>(i);
    }
  }
  return 0;
}

std::optional<ImageFormat> ImageFormatFromDb(int64_t code) {
  if (code < 0 || code >= static_cast<int64_t>(kImageCodes.size())) {
    return std::nullopt;
  }
  return kImageCodes[static_cast<size_t>(code)];
}

}  // namespace modelwatch::store
