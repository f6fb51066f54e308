// ClassifyTransfer, declared in probe.h.
#include <fmt/format.h>

#include <string>

#include "probe/error_text.h"
#include "probe/probe.h"

namespace modelwatch::probe {

std::optional<Verdict> ClassifyTransfer(const net::Response& response, size_t max_body_bytes) {
  using net::TransferError;
  if (response.error == TransferError::kNone && response.http_status != 0) {
    return std::nullopt;
  }
  Verdict v;
  v.status = CheckStatus::kNetworkError;
  std::string what;
  switch (response.error) {
    case TransferError::kTimeout:
      v.status = CheckStatus::kTimeout;
      what = "timed out";
      break;
    case TransferError::kDns:
      what = "DNS lookup failed";
      break;
    case TransferError::kConnect:
      what = "connection failed";
      break;
    case TransferError::kTls:
      what = "TLS handshake failed";
      break;
    case TransferError::kReset:
      what = "connection reset";
      break;
    case TransferError::kBodyTooLarge:
      // The server answered, but not with anything we could check: the
      // answer is unusable rather than the network being down.
      v.status = CheckStatus::kInvalidResponse;
      // The loop says which limit: the body's size or, for a clipped image
      // answer, what it kept besides the images.
      what = !response.error_message.empty() ? response.error_message
             : max_body_bytes > 0
                 ? fmt::format("response body larger than {} bytes", max_body_bytes)
                 : std::string("response body too large");
      break;
    case TransferError::kTooManyRedirects:
      what = "too many redirects";
      break;
    case TransferError::kProxy:
      // The way out failed, not the provider: say so first.
      what = "proxy failed";
      break;
    case TransferError::kCancelled:
      what = "cancelled";
      break;
    case TransferError::kOther:
      what = "transfer failed";
      break;
    case TransferError::kNone:
      what = "no HTTP status line received";
      break;
  }
  // libcurl's text says what exactly ("Connection reset by peer",
  // "Could not resolve host: x"); cancelled has nothing to add.
  if (!response.error_message.empty() && response.error != TransferError::kCancelled &&
      response.error != TransferError::kBodyTooLarge) {
    what += ": " + response.error_message;
  }
  v.error = CleanErrorText(what);
  return v;
}

}  // namespace modelwatch::probe
