#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/check_result.h"

namespace modelwatch::net {

using Headers = std::vector<std::pair<std::string, std::string>>;

// One HTTP exchange to perform. Plain data; the loop copies what libcurl
// needs to keep alive into the transfer.
struct Request {
  std::string method = "GET";
  std::string url;
  Headers headers;
  std::string body;
  std::chrono::milliseconds timeout{60'000};
  size_t max_body_bytes = 64 * 1024 * 1024;
  int max_redirects = 5;
  bool verify_tls = true;
};

// Why a transfer produced no complete HTTP answer.
enum class TransferError {
  kNone,
  kTimeout,         // no complete answer within Request::timeout
  kDns,             // name did not resolve
  kConnect,         // refused, unreachable
  kTls,             // handshake or certificate
  kReset,           // connection reset / closed mid-answer
  kBodyTooLarge,    // more than Request::max_body_bytes
  kTooManyRedirects,
  kCancelled,       // the loop was stopped
  kOther,
};
std::string_view ToString(TransferError e);

// Bytes of spare capacity the loop leaves after a body whose length it knew
// in advance, so a SIMD parser may read past the end without a copy.
inline constexpr size_t kBodyPadding = 64;

struct Response {
  TransferError error = TransferError::kNone;
  std::string error_message;  // libcurl's text when error != kNone
  int http_status = 0;        // 0 when no status line arrived
  Headers headers;            // names lower-cased
  std::string body;
  Phases phases;

  // First header with this (lower-case) name.
  std::optional<std::string> Header(std::string_view lower_name) const;
};

}  // namespace modelwatch::net
