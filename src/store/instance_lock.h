#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "core/clock.h"
#include "core/status.h"
#include "store/backend.h"
#include "store/store.h"

namespace modelwatch::store {

// One `run` per database. The lock is a row of the instance_lock table
// (same code for SQLite and PostgreSQL): its holder (host, pid, since) for
// the message a second instance gets, and a lease the holder renews. A holder
// killed with -9 stops renewing, so its lease ends and the next instance takes
// over; on the same host a holder whose pid is gone is displaced at once.
// A row per lock name: a later multi-instance mode can hold one row per shard
// or a leader lease the same way.
struct InstanceLockOptions {
  std::string name = "run";  // the lock's row
  std::string host;          // this host's name, for the message and the pid check
  int64_t pid = 0;           // this process
  std::chrono::milliseconds lease{30'000};
  std::chrono::milliseconds renew_every{10'000};  // less than lease
  std::chrono::milliseconds retry_every{2'000};   // while the database is unreachable
  // Borrowed; must outlive the lock. Null: a SystemClock.
  const Clock* clock = nullptr;
  // Called once, on the lock's own thread, when another instance turns out
  // to hold the lock after Acquire returned (the database was unreachable at
  // start, or this instance's lease ran out while it was away). The Status
  // names the other holder. The caller should stop probing.
  std::function<void(const Status&)> on_lost;
};

class InstanceLock {
 public:
  // Claims the lock once, now, through its own connection to the database of
  // `store_options`. Held by another instance: an error naming it (host, pid,
  // since) and the database. Database unreachable: a lock that keeps claiming
  // in the background (held() false until it succeeds). Then renews it every
  // renew_every on its own thread.
  static Result<std::unique_ptr<InstanceLock>> Acquire(const Options& store_options,
                                                       InstanceLockOptions options);
  // Stops the thread and deletes the row when this instance holds it.
  ~InstanceLock();
  InstanceLock(const InstanceLock&) = delete;
  InstanceLock& operator=(const InstanceLock&) = delete;

  // Whether the last claim succeeded. Thread-safe.
  bool held() const;
  // The last claim's error (database unreachable), ok otherwise. Thread-safe.
  Status last_error() const;
  // "host:pid:since_ms", this instance's owner text.
  const std::string& owner() const { return mine_.owner; }

 private:
  enum class Claim { kHeld, kOther, kFailed };
  InstanceLock(std::unique_ptr<Backend> backend, InstanceLockOptions options);
  // One claim or renewal; sets held_/last_error_; on kOther sets *other.
  Claim ClaimOnce(Status* other);
  void Run();

  std::unique_ptr<Backend> backend_;
  InstanceLockOptions options_;
  SystemClock system_clock_;
  const Clock* clock_;
  LockRow mine_;

  mutable std::mutex mu_;
  std::condition_variable wake_;
  bool stop_ = false;   // GUARDED_BY(mu_)
  bool held_ = false;   // GUARDED_BY(mu_)
  bool lost_ = false;   // GUARDED_BY(mu_)
  Status last_error_;   // GUARDED_BY(mu_)
  std::thread thread_;  // last: starts once the rest exists
};

// The refusal text for `holder` of the database `describe` ("sqlite PATH").
std::string HeldByMessage(const LockRow& holder, const std::string& describe, WallTime now);

}  // namespace modelwatch::store
