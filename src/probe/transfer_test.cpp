#include <gtest/gtest.h>

#include "probe/probe.h"

namespace modelwatch::probe {
namespace {

using net::TransferError;

TEST(ClassifyTransfer, CompleteAnswersAreNotTransferErrors) {
  net::Response r;
  r.http_status = 503;
  EXPECT_EQ(ClassifyTransfer(r), std::nullopt);
}

TEST(ClassifyTransfer, MapsEveryTransferError) {
  struct Case {
    TransferError error;
    std::string curl_message;
    CheckStatus want;
    std::string text;
  };
  const Case cases[] = {
      {TransferError::kTimeout,
       "Operation timed out after 30001 milliseconds with 0 bytes received", CheckStatus::kTimeout,
       "timed out: Operation timed out after 30001 milliseconds with 0 bytes received"},
      {TransferError::kDns, "Could not resolve host: api.example", CheckStatus::kNetworkError,
       "DNS lookup failed: Could not resolve host: api.example"},
      {TransferError::kConnect, "Failed to connect to 127.0.0.1 port 9: Connection refused",
       CheckStatus::kNetworkError,
       "connection failed: Failed to connect to 127.0.0.1 port 9: Connection refused"},
      {TransferError::kTls, "SSL certificate problem: certificate has expired",
       CheckStatus::kNetworkError,
       "TLS handshake failed: SSL certificate problem: certificate has expired"},
      {TransferError::kReset, "Recv failure: Connection reset by peer", CheckStatus::kNetworkError,
       "connection reset: Recv failure: Connection reset by peer"},
      {TransferError::kTooManyRedirects, "Maximum (5) redirects followed",
       CheckStatus::kNetworkError, "too many redirects: Maximum (5) redirects followed"},
      {TransferError::kCancelled, "Callback aborted", CheckStatus::kNetworkError, "cancelled"},
      {TransferError::kOther, "", CheckStatus::kNetworkError, "transfer failed"},
      {TransferError::kOther, "Could not resolve proxy: https://p/?key=AIzaSecretSecret1234",
       CheckStatus::kNetworkError,
       "transfer failed: Could not resolve proxy: https://p/?key=AIza***"},
      {TransferError::kNone, "", CheckStatus::kNetworkError, "no HTTP status line received"},
  };
  for (const auto& c : cases) {
    net::Response r;
    r.error = c.error;
    r.error_message = c.curl_message;
    auto v = ClassifyTransfer(r);
    ASSERT_TRUE(v.has_value()) << ToString(c.error);
    EXPECT_EQ(v->status, c.want) << ToString(c.error);
    EXPECT_EQ(v->error, c.text);
    EXPECT_FALSE(v->next.has_value());
  }
}

TEST(ClassifyTransfer, BodyTooLargeIsAnUnusableAnswer) {
  net::Response r;
  r.error = TransferError::kBodyTooLarge;
  r.http_status = 200;
  auto v = ClassifyTransfer(r, 1024);
  ASSERT_TRUE(v.has_value());
  EXPECT_EQ(v->status, CheckStatus::kInvalidResponse);
  EXPECT_EQ(v->error, "response body larger than 1024 bytes");
  EXPECT_EQ(ClassifyTransfer(r)->error, "response body too large");
}

}  // namespace
}  // namespace modelwatch::probe
