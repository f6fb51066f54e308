#include "probe/retry_after.h"

#include <gtest/gtest.h>

namespace modelwatch::probe {
namespace {

using std::chrono::seconds;

TEST(RetryAfter, Header) {
  const std::string date = "Sun, 06 Nov 1994 08:49:37 GMT";
  const std::tuple<std::string, std::string, std::optional<seconds>> cases[] = {
      {"120", "", seconds(120)},
      {" 5 ", "", seconds(5)},
      {"Sun, 06 Nov 1994 08:50:37 GMT", date, seconds(60)},
      {"Mon, 07 Nov 1994 08:49:37 GMT", date, seconds(86400)},
      {"Sun, 06 Nov 1994 08:40:00 GMT", date, seconds(0)},
      {"Sun, 06 Nov 1994 08:50:37 GMT", "", std::nullopt},  // no clock to compare with
      {"Sun, 31 Feb 1994 08:50:37 GMT", date, std::nullopt},
      {"soon", "", std::nullopt},
      {"-1", "", std::nullopt},
      {"1.5", "", std::nullopt},
  };
  for (const auto& [value, date_header, want] : cases) {
    EXPECT_EQ(ParseRetryAfterHeader(value, date_header), want) << value;
  }
}

TEST(RetryAfter, HintInMessage) {
  const std::pair<std::string, std::optional<seconds>> cases[] = {
      {"Limit 5, Used 5, Requested 1. Please try again in 41.724s. Visit x", seconds(42)},
      {"Please retry in 47.884324799s.", seconds(48)},
      {"Please try again in 1m30s.", seconds(90)},
      {"Please try again in 500ms.", seconds(1)},
      {"Please try again in 6m0s", seconds(360)},
      {"Please try again later.", std::nullopt},
      {"try again in a moment", std::nullopt},
      {"", std::nullopt},
  };
  for (const auto& [message, want] : cases) {
    EXPECT_EQ(ParseRetryHint(message), want) << message;
  }
}

TEST(RetryAfter, HeaderWinsOverBodyHints) {
  net::Response r;
  r.headers = {{"retry-after", "3"}};
  ProviderError e;
  e.retry_delay = seconds(40);
  e.message = "Please retry in 50s";
  EXPECT_EQ(FindRetryAfter(r, &e), seconds(3));
  r.headers.clear();
  EXPECT_EQ(FindRetryAfter(r, &e), seconds(40));
  e.retry_delay.reset();
  EXPECT_EQ(FindRetryAfter(r, &e), seconds(50));
  EXPECT_EQ(FindRetryAfter(r, nullptr), std::nullopt);
}

}  // namespace
}  // namespace modelwatch::probe
