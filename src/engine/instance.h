#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "config/config.h"
#include "source/source.h"
#include "core/clock.h"
#include "core/status.h"
#include "store/store.h"

namespace modelwatch::engine {

// The daemon's JSON log: one object per line (`run` prints them to stdout).
using LogSink = std::function<void(const nlohmann::ordered_json&)>;

struct InstanceOptions {
  std::chrono::milliseconds grace{10'000};  // checks in flight may finish this long at stop
  bool log_results = true;                  // a `result` line per check
  LogSink log;                              // required
};

// A running modelwatch: the one place that builds and owns the network
// loop, the store, the recorder, the scheduler and, when configured, the
// alert engine, the notifier and the web server, and wires them together.
// `cli/run.cpp` keeps only flags, config and signals.
//
// Threading: Create and Run on the thread that becomes the loop thread.
class Instance {
 public:
  // Opens the store and builds every part. `cfg` must outlive the instance.
  static Result<std::unique_ptr<Instance>> Create(const config::Config& cfg,
                                                  const store::Options& store_options,
                                                  InstanceOptions options);
  ~Instance();
  Instance(const Instance&) = delete;
  Instance& operator=(const Instance&) = delete;

  // Runs until a stop is asked for on `stop_fd` (a signalfd: each readable
  // event is one request; the first stops scheduling and lets checks in
  // flight finish within the grace, a second stops at once). Flushes the
  // store and returns the process exit code (0, or 1 when results could not
  // be written).
  int Run(int stop_fd);

  // The latest snapshot of every status source (config order); empty when
  // the config has no `sources:`. Thread-safe (engine/source_poller.h).
  std::vector<source::Snapshot> SourceSnapshots() const;

 private:
  struct Parts;
  explicit Instance(std::unique_ptr<Parts> parts);
  void StartBudget();
  std::unique_ptr<Parts> p_;
};

}  // namespace modelwatch::engine
