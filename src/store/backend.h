#pragma once

#include <cstdint>
#include <map>
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
};

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
  virtual Status ScanRollups(Resolution res, const std::vector<std::string>& monitors,
                             int64_t from_ms, int64_t to_ms, const RollupVisitor& fn) = 0;
  virtual Result<std::vector<std::string>> Monitors() = 0;
  virtual Result<std::vector<MonitorState>> States() = 0;
  virtual Result<std::vector<OutboxMessage>> Outbox(bool undelivered_only, size_t limit) = 0;
  virtual Result<std::vector<AlertEvent>> AlertEvents(const std::string& monitor, int64_t since_ms,
                                                      size_t limit) = 0;
  virtual Result<std::vector<Silence>> Silences(int64_t now_ms) = 0;

  // "sqlite PATH" or "postgres URL" with the password removed.
  virtual std::string Describe() const = 0;
};

// The rollup deltas of one batch, keyed (resolution, monitor, bucket start).
using RollupKey = std::tuple<Resolution, std::string, int64_t>;
std::map<RollupKey, Rollup> AggregateRollups(std::span<const CheckResult> results);

// The schema version this binary writes; a database with a newer one is
// refused (an older binary must not write a layout it does not know).
// 1: results, rollups, monitor states. 2: outbox, alert events, silences.
inline constexpr int kSchemaVersion = 3;

}  // namespace modelwatch::store
