#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

#include "core/clock.h"

namespace modelwatch::web {

// Compares in time that depends only on the lengths, not on where the
// texts differ (tokens must not leak one byte per timing).
bool ConstantTimeEquals(std::string_view a, std::string_view b);

// The token of "Bearer <token>", or empty.
std::string_view BearerToken(std::string_view authorization);

// A token bucket per key (the client's address): `rate` requests a second
// on average, bursts of `burst`. Thread-safe. Keeps at most 10,000 keys
// (the oldest are forgotten first when full).
class RateLimiter {
 public:
  RateLimiter(const Clock& clock, double rate, double burst)
      : clock_(clock), rate_(rate), burst_(burst) {}
  // False when `key` has used up its allowance.
  bool Allow(const std::string& key);

 private:
  struct Bucket {
    double tokens = 0;
    MonoTime last{};
  };
  const Clock& clock_;
  double rate_;
  double burst_;
  std::mutex mu_;
  std::map<std::string, Bucket> buckets_;
};

}  // namespace modelwatch::web
