#include "core/clock.h"

#include <thread>

namespace modelwatch {

MonoTime SystemClock::Now() const { return std::chrono::steady_clock::now(); }
WallTime SystemClock::WallNow() const { return std::chrono::system_clock::now(); }

FakeClock::FakeClock()
    : mono_(MonoTime{} + std::chrono::hours(1)),
      wall_(WallTime{} + std::chrono::seconds(1'700'000'000)) {}

MonoTime FakeClock::Now() const {
  std::lock_guard lock(mu_);
  return mono_;
}

WallTime FakeClock::WallNow() const {
  std::lock_guard lock(mu_);
  return wall_;
}

void FakeClock::Advance(std::chrono::nanoseconds d) {
  std::lock_guard lock(mu_);
  mono_ += d;
  wall_ += std::chrono::duration_cast<WallTime::duration>(d);
}

void SleepFor(std::chrono::nanoseconds d) { std::this_thread::sleep_for(d); }

}  // namespace modelwatch
