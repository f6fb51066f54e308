#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <tuple>
#include <vector>

#include "core/check_result.h"
#include "core/status.h"
#include "store/rollup.h"
#include "store/store.h"

namespace modelwatch::store {

// Rows older than these (ms since epoch) may be deleted.
struct PruneCutoffs {
  int64_t raw_ms = 0;
  int64_t minute_ms = 0;
  int64_t rollup_ms = 0;  // hour and day rollups
};

// A queued change to one outbox message: delivered (final), a claim
// renewed, or a failed attempt and when to retry.
struct OutboxUpdate {
  int64_t id = 0;
  std::optional<WallTime> delivered;    // set: delivered at this time
  std::optional<WallTime> renew_until;  // set: renew_owner's claim runs to then
  std::string renew_owner;
  WallTime renew_now{};  // claims of others that ended by then may be taken
  int attempts = 0;      // neither set: a failed attempt
  WallTime next_attempt{};
  std::string error;
};

// What one transaction writes. Write sets the id of each message in
// `messages` it inserted, and 0 for one whose key already existed.
struct WriteBatch {
  std::span<const CheckResult> results;
  std::span<const MonitorState> states;
  std::span<const AlertEvent> events;
  std::span<OutboxMessage> messages;
  std::span<const OutboxUpdate> updates;  // applied in order
  std::span<const SourceEvent> source_events;
};

// One row of the instance_lock table: who holds a named lock and until when.
// `owner` identifies the holder (host:pid:since_ms); the rest is for messages
// and for deciding whether a holder is gone.
struct LockRow {
  std::string name;
  std::string owner;
  std::string host;
  int64_t pid = 0;
  int64_t since_ms = 0;
  int64_t heartbeat_ms = 0;
  int64_t lease_until_ms = 0;
};
// Whether a holder other than the caller may be displaced (e.g. its process is
// known to be dead). Called inside the claiming transaction.
using MayTakeLock = std::function<bool(const LockRow& holder)>;

// One database engine. BufferedStore owns it, calls the write methods from
// its writer thread only, and the read methods from any thread: each engine
// keeps a separate read connection and serializes reads on it.
class Backend {
 public:
  virtual ~Backend() = default;

  // Opens the connections and brings the schema up to date; a no-op when
  // already connected. Write and the reads call it again after a failure.
  virtual Status Connect() = 0;

  // In one transaction: inserts `results`, adds them to their minute, hour
  // and day rollups, upserts `states`, appends `events`, inserts `messages`
  // (skipping those whose key exists) and applies `updates` (a delivered
  // message is never changed again). On failure nothing is written.
  virtual Status Write(WriteBatch& batch) = 0;

  // Deletes at most about `limit` rows older than the cutoffs, in one short
  // transaction, and returns how many it deleted (0: nothing left to prune).
  // Delivered outbox messages, alert events and ended silences go after
  // raw_ms (delivered, at, ends).
  virtual Result<int64_t> Prune(const PruneCutoffs& cutoffs, int limit) = 0;

  // Store::ClaimOutbox, AddSilence, RemoveSilence: blocking writes in their
  // own transaction, callable from any thread.
  virtual Result<std::vector<OutboxMessage>> ClaimOutbox(const std::string& owner, int64_t now_ms,
                                                         int64_t until_ms, size_t limit) = 0;
  virtual Result<int64_t> AddSilence(const Silence& silence) = 0;
  virtual Status RemoveSilence(int64_t id) = 0;

  virtual Status ScanResults(const ResultQuery& q, const ResultVisitor& fn) = 0;
  // Store::CountResults in ms since the epoch (until_ms: INT64_MAX for ever).
  // REQUIRES: since_ms is not empty.
  virtual Result<std::vector<ResultCount>> CountResults(const std::string& monitor, CheckMode mode,
                                                        const std::vector<int64_t>& since_ms,
                                                        int64_t until_ms) = 0;
  virtual Status ScanRollups(Resolution res, const std::vector<std::string>& monitors,
                             int64_t from_ms, int64_t to_ms, const RollupVisitor& fn) = 0;
  virtual Result<std::vector<std::string>> Monitors() = 0;
  virtual Result<std::vector<MonitorState>> States() = 0;
  virtual Result<std::vector<OutboxMessage>> Outbox(bool undelivered_only, size_t limit) = 0;
  virtual Result<std::vector<AlertEvent>> AlertEvents(const std::string& monitor, int64_t since_ms,
                                                      size_t limit) = 0;
  virtual Result<std::vector<Silence>> Silences(int64_t now_ms) = 0;
  virtual Result<std::vector<SourceEvent>> SourceEvents(int64_t since_ms, size_t limit) = 0;

  // In one transaction: when lock `mine.name` has no holder, is held by
  // mine.owner, has a lease that ended before `now_ms`, or `may_take` says so,
  // writes `mine` as its holder (keeping since_ms when mine.owner already held
  // it). Returns the holder afterwards: `mine` when taken, else the other.
  // Blocking, callable from any thread.
  virtual Result<LockRow> ClaimLock(const LockRow& mine, int64_t now_ms,
                                    const MayTakeLock& may_take) = 0;
  // Deletes lock `name` when `owner` holds it.
  virtual Status ReleaseLock(const std::string& name, const std::string& owner) = 0;

  // "sqlite PATH" or "postgres URL" with the password removed.
  virtual std::string Describe() const = 0;
};

// The rollup deltas of one batch, keyed (resolution, monitor, bucket start).
using RollupKey = std::tuple<Resolution, std::string, int64_t>;
std::map<RollupKey, Rollup> AggregateRollups(std::span<const CheckResult> results);

// The one statement both engines count results with (CountResults), for
// `windows` windows (at least 1). Placeholders are `mark` (? for SQLite, $
// for PostgreSQL) with a number: 1 the monitor's name, 2 light (0 or 1), 3
// the earliest since, 4 until, 4 + i since[i - 1]. Answers one row with, per
// window, the count and the count not failed (IsFailure decides, from the
// stored codes: store/codes.h). An unknown stored code counts as failed, as
// it reads back as invalid_response.
std::string CountResultsSql(size_t windows, char mark);

// The schema version this binary writes; a database with a newer one is
// refused (an older binary must not write a layout it does not know).
// 1: results, rollups, monitor states. 2: outbox, alert events, silences.
// 3: source events. 4: instance_lock (one `run` per database).
// 5: results.cost_usd.
inline constexpr int kSchemaVersion = 6;

// A disconnected engine for `options` (PostgreSQL when postgres_url is set,
// else SQLite); InvalidArgument when neither is set.
Result<std::unique_ptr<Backend>> MakeBackend(const Options& options);

}  // namespace modelwatch::store
