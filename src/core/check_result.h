#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "core/check_status.h"
#include "core/clock.h"

namespace modelwatch {

// Where the time of one HTTP exchange went, each measured from the start of
// the transfer (libcurl's cumulative *_TIME_T values).
struct Phases {
  std::chrono::microseconds dns{0};
  std::chrono::microseconds connect{0};
  std::chrono::microseconds tls{0};
  std::chrono::microseconds first_byte{0};
  std::chrono::microseconds total{0};
};

enum class ImageFormat { kPng, kJpeg, kWebp, kGif };
std::string_view ToString(ImageFormat f);

struct ImageInfo {
  ImageFormat format = ImageFormat::kPng;
  int width = 0;
  int height = 0;
  size_t bytes = 0;  // decoded size
};

// Where the time of an asynchronous check went (a job submitted, polled until
// done, then its result fetched), each part measured on the check's clock.
struct AsyncPhases {
  std::chrono::milliseconds accept{0};  // from the start until the job was accepted
  std::chrono::milliseconds queue{0};   // accepted until done: in queue and generating
  std::chrono::milliseconds fetch{0};   // done until the result (the image) was read
  int polls = 0;                        // poll requests sent
};

// Whether a check was a real (paid) generation or a free light check: a
// metadata call proving key, network and the model's presence (`full_every`,
// docs/cost.md). A light check says nothing about generation: its latency
// is not an image latency and its success not an image's availability.
enum class CheckMode { kFull, kLight };
std::string_view ToString(CheckMode m);  // "full", "light"

// One probe's outcome. Plain data, copied freely between threads.
struct CheckResult {
  std::string monitor;
  CheckStatus status = CheckStatus::kSuccess;
  WallTime timestamp{};                  // when the check started
  std::chrono::milliseconds latency{0};  // whole check, all requests
  int http_status = 0;                   // 0 when no HTTP answer came
  std::string error;                     // provider's message, trimmed, secrets removed
  std::optional<std::chrono::seconds> retry_after;
  Phases phases;
  std::optional<ImageInfo> image;
  // Set for checks that polled a job (flux, http with poll:).
  std::optional<AsyncPhases> async;
  CheckMode mode = CheckMode::kFull;
  // What the check cost in USD (docs/cost.md): the answer's usage times the
  // model's price, a per-image price, or the monitor's cost_per_call.
  // nullopt when nothing was billed or no price is known.
  std::optional<double> cost;
};

// "2026-11-28T04:04:26.123Z".
std::string FormatIso8601(WallTime t);
int64_t ToUnixMillis(WallTime t);
WallTime FromUnixMillis(int64_t ms);

}  // namespace modelwatch
