#include "net/request.h"

namespace modelwatch::net {

std::string_view ToString(TransferError e) {
  switch (e) {
    case TransferError::kNone:
      return "none";
    case TransferError::kTimeout:
      return "timeout";
    case TransferError::kDns:
      return "dns";
    case TransferError::kConnect:
      return "connect";
    case TransferError::kTls:
      return "tls";
    case TransferError::kReset:
      return "reset";
    case TransferError::kBodyTooLarge:
      return "body_too_large";
    case TransferError::kTooManyRedirects:
      return "too_many_redirects";
    case TransferError::kProxy:
      return "proxy";
    case TransferError::kCancelled:
      return "cancelled";
    case TransferError::kOther:
      return "other";
  }
  return "other";
}

std::optional<std::string> Response::Header(std::string_view lower_name) const {
  for (const auto& [k, v] : headers) {
    if (k == lower_name) {
      return v;
    }
  }
  return std::nullopt;
}

const ClippedString* Response::ClippedFor(std::string_view kept) const {
  for (const ClippedString& c : clipped) {
    if (c.kept == kept.size() && c.length > c.kept && c.offset + c.kept <= body.size() &&
        std::string_view(body).substr(c.offset, c.kept) == kept) {
      return &c;
    }
  }
  return nullptr;
}

}  // namespace modelwatch::net
