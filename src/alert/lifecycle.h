#pragma once

// Model lifecycle warnings: a monitored model with a shutdown date is warned
// of 30, 7 and 1 day before it, and a model gone from its provider's list is
// warned of once. Pure; Engine::OnModelLifecycle sends them.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "source/source.h"

namespace modelwatch::alert {

// The days before a shutdown date at which a warning goes out.
inline constexpr int kLifecycleThresholds[] = {30, 7, 1};

enum class LifecycleKind { kShutdown, kDisappeared };

struct LifecycleWarning {
  LifecycleKind kind = LifecycleKind::kShutdown;
  std::string model;
  // kShutdown: the most urgent threshold crossed (30, 7 or 1; 1 also once
  // the date has passed) and the date.
  int threshold_days = 0;
  WallTime shutdown{};
  // Whole days from `now` to the shutdown date, rounded up (<= 0: passed).
  int days_left = 0;

  // The key of what was told: a warning whose key was already sent is not
  // sent again ("2026-12-01/7", "gone").
  std::string Key() const;
};

// The warning `listing` calls for at `now`, or nullopt: a model not listed
// has disappeared; a listed one with a shutdown date within 30 days (or
// past) gets the most urgent threshold crossed. A listed model with a date
// further out, or none, gets nothing.
std::optional<LifecycleWarning> LifecycleWarningFor(const source::ModelListing& listing,
                                                    WallTime now);

// The listing of `model` in `snapshots` (models sources), or nullptr. IDs
// compare without Gemini's "models/" prefix. The pointer borrows from
// `snapshots`.
const source::ModelListing* FindListing(const std::vector<source::Snapshot>& snapshots,
                                        std::string_view model);

// One line, in `language` ("en" or "zh"), for messages and the CLI:
// "gpt-image-1.5 shuts down in 7 days (2026-12-01): move the monitor to a
// current model".
std::string LifecycleText(const LifecycleWarning& w, std::string_view language);

// A monitor and the model it calls, for LifecycleLines.
struct MonitoredModel {
  std::string monitor;
  std::string model;
};

// What `validate` and `check` print: one line per monitor whose model has a
// shutdown date (however far) or is missing from a list it is watched in,
// "MONITOR: TEXT". Models no snapshot lists are skipped; a snapshot that
// could not be read says nothing.
std::vector<std::string> LifecycleLines(const std::vector<MonitoredModel>& monitors,
                                        const std::vector<source::Snapshot>& snapshots,
                                        WallTime now, std::string_view language = "en");

}  // namespace modelwatch::alert
