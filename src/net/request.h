#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/check_result.h"
#include "net/json_clip.h"

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
  // CAs to check the server's certificate against (config `tls:`): a bundle
  // file and/or a hashed directory. Both empty: the environment's
  // (CURL_CA_BUNDLE, SSL_CERT_FILE, SSL_CERT_DIR), else libcurl's default.
  std::string ca_file;
  std::string ca_path;
  // When set, a JSON answer (its first byte is '{' or '[') keeps at most this
  // many bytes of each string value (net/json_clip.h), and any other answer
  // its first this many bytes: for checks that read only an image's header.
  // max_body_bytes still applies to everything received.
  size_t keep_bytes = 0;
  // With keep_bytes, a JSON answer may keep at most this many bytes once its
  // long strings are clipped: a real image answer is its images plus a few
  // kilobytes, so millions of small values in front of or behind one are
  // hostile, and reading them would cost the network thread seconds and
  // gigabytes. More ends the transfer as kBodyTooLarge, saying why.
  size_t max_kept_bytes = 4 * 1024 * 1024;

  // SMTP (url smtp://host:port or smtps://host:port): the envelope and
  // login; `body` is the whole RFC 5322 message, uploaded as DATA.
  // require_tls: STARTTLS must succeed on smtp:// (CURLUSESSL_ALL).
  std::string mail_from;
  std::vector<std::string> mail_rcpt;
  std::string username;
  std::string password;  // a secret: never logged
  bool require_tls = false;
};

// Why a transfer produced no complete HTTP answer.
enum class TransferError {
  kNone,
  kTimeout,       // no complete answer within Request::timeout
  kDns,           // name did not resolve
  kConnect,       // refused, unreachable
  kTls,           // handshake or certificate
  kReset,         // connection reset / closed mid-answer
  kBodyTooLarge,  // more than Request::max_body_bytes (or max_kept_bytes kept)
  kTooManyRedirects,
  kProxy,      // the proxy: unresolvable, unreachable, or refused CONNECT
  kCancelled,  // the loop was stopped
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
  std::string body;           // what was kept of it (see Request::keep_bytes)
  size_t body_bytes = 0;      // bytes of body received
  // The JSON strings shortened in `body`.
  std::vector<ClippedString> clipped;
  Phases phases;
  // The origin ("https://host:443") of a redirect that was not followed
  // because the request carries credentials and the target is elsewhere
  // (net/redirect.h); the answer is then the redirect itself.
  std::string refused_redirect;

  // First header with this (lower-case) name.
  std::optional<std::string> Header(std::string_view lower_name) const;
  // The record of a string value read from `body` that was shortened, found
  // by its kept content; nullptr when `kept` was not shortened.
  const ClippedString* ClippedFor(std::string_view kept) const;
};

}  // namespace modelwatch::net
