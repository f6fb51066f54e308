#include "store/instance_lock.h"

#include <fmt/format.h>
#include <signal.h>

#include <cerrno>

#include "core/check_result.h"

namespace modelwatch::store {
namespace {

// A holder on this host whose process no longer exists (kill -9, a crash):
// its lease would only make the successor wait.
bool DeadOnThisHost(const LockRow& holder, const std::string& host, int64_t pid) {
  if (holder.host != host || holder.pid <= 0) {
    return false;
  }
  if (holder.pid == pid) {
    return true;  // this process under an earlier owner text: not another instance
  }
  return kill(static_cast<pid_t>(holder.pid), 0) != 0 && errno == ESRCH;
}

}  // namespace

std::string HeldByMessage(const LockRow& holder, const std::string& describe, WallTime now) {
  auto ago =
      std::chrono::duration_cast<std::chrono::seconds>(now - FromUnixMillis(holder.heartbeat_ms));
  return fmt::format(
      "{}: another modelwatch run is using this database (host {}, pid {}, since {}; last "
      "heartbeat {} s ago): two would probe every monitor twice. Stop it first; if it was "
      "killed, its lock expires at {}",
      describe, holder.host, holder.pid, FormatIso8601(FromUnixMillis(holder.since_ms)),
      std::max<int64_t>(0, ago.count()), FormatIso8601(FromUnixMillis(holder.lease_until_ms)));
}

Result<std::unique_ptr<InstanceLock>> InstanceLock::Acquire(const Options& store_options,
                                                            InstanceLockOptions options) {
  auto backend = MakeBackend(store_options);
  if (!backend) {
    return backend.error();
  }
  std::unique_ptr<InstanceLock> lock(
      new InstanceLock(std::move(backend).value(), std::move(options)));
  Status other;
  if (lock->ClaimOnce(&other) == Claim::kOther) {
    return other;
  }
  if (Status err = lock->last_error(); err.code() == Status::Code::kInvalidArgument) {
    return err;  // a schema newer than this binary: never worth waiting for
  }
  lock->thread_ = std::thread([l = lock.get()] { l->Run(); });
  return lock;
}

InstanceLock::InstanceLock(std::unique_ptr<Backend> backend, InstanceLockOptions options)
    : backend_(std::move(backend)),
      options_(std::move(options)),
      clock_(options_.clock != nullptr ? options_.clock : &system_clock_) {
  mine_.name = options_.name;
  mine_.host = options_.host;
  mine_.pid = options_.pid;
  mine_.since_ms = ToUnixMillis(clock_->WallNow());
  mine_.owner = fmt::format("{}:{}:{}", mine_.host, mine_.pid, mine_.since_ms);
}

InstanceLock::~InstanceLock() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) {
    thread_.join();
  }
  if (held()) {
    (void)backend_->ReleaseLock(mine_.name, mine_.owner);
  }
}

bool InstanceLock::held() const {
  std::lock_guard lock(mu_);
  return held_;
}

Status InstanceLock::last_error() const {
  std::lock_guard lock(mu_);
  return last_error_;
}

InstanceLock::Claim InstanceLock::ClaimOnce(Status* other) {
  int64_t now = ToUnixMillis(clock_->WallNow());
  LockRow row = mine_;
  row.heartbeat_ms = now;
  row.lease_until_ms = now + options_.lease.count();
  auto got = backend_->ClaimLock(
      row, now, [this](const LockRow& h) { return DeadOnThisHost(h, mine_.host, mine_.pid); });
  std::lock_guard lock(mu_);
  if (!got) {
    last_error_ = got.error();
    return Claim::kFailed;
  }
  last_error_ = Status::Ok();
  if (got->owner != mine_.owner) {
    held_ = false;
    *other = Status::Unavailable(HeldByMessage(*got, backend_->Describe(), clock_->WallNow()));
    return Claim::kOther;
  }
  held_ = true;
  return Claim::kHeld;
}

void InstanceLock::Run() {
  std::unique_lock lock(mu_);
  while (!stop_) {
    auto wait = held_ ? options_.renew_every : options_.retry_every;
    if (wake_.wait_for(lock, wait, [this] { return stop_; })) {
      break;
    }
    lock.unlock();
    Status other;
    Claim c = ClaimOnce(&other);
    lock.lock();
    if (c == Claim::kOther && !lost_) {
      lost_ = true;
      lock.unlock();
      if (options_.on_lost) {
        options_.on_lost(other);
      }
      lock.lock();
    }
  }
}

}  // namespace modelwatch::store
