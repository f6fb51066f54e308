#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/check_result.h"
#include "core/status.h"

namespace modelwatch::store {

struct Options {
  std::string sqlite_path;   // used when postgres_url is empty
  std::string postgres_url;  // holds a password: never log it
  std::chrono::milliseconds retention{30LL * 86'400'000};
  size_t queue_capacity = 100'000;  // results held while the database is unreachable
};

// Durable history of check results. Append is called from the network thread
// and must never block on I/O: results are queued and written in batches by
// the store's own writer thread.
class Store {
 public:
  virtual ~Store() = default;

  // Queues one result. Thread-safe, non-blocking. When the queue is full the
  // oldest queued result is dropped and counted (see dropped()).
  virtual void Append(CheckResult result) = 0;

  // Blocks until every result appended before the call is written, or the
  // writer gave up on them; returns the last write error if any.
  virtual Status Flush() = 0;

  // Results of one monitor (all when empty) with timestamp >= since, oldest
  // first. Reads raw rows.
  virtual Result<std::vector<CheckResult>> Results(const std::string& monitor,
                                                   WallTime since) = 0;

  virtual uint64_t dropped() const = 0;
};
using StorePtr = std::unique_ptr<Store>;

// Opens (creating and migrating if needed) the store described by `options`.
// The error names the path or URL (password removed) and what to do.
Result<StorePtr> Open(const Options& options);

}  // namespace modelwatch::store
