#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/check_result.h"
#include "core/clock.h"
#include "core/status.h"
#include "store/rollup.h"

namespace modelwatch {
struct Notification;  // core/notification.h
}  // namespace modelwatch

namespace modelwatch::store {

struct Options {
  std::string sqlite_path;      // used when postgres_url is empty
  std::string postgres_url;     // holds a password: never log it (see RedactUrl)
  std::string postgres_schema;  // empty: the server's search_path; created if missing
  std::chrono::milliseconds retention{30LL * 86'400'000};  // raw results
  // Hour and day rollups. Minute rollups are kept as long as raw results (or
  // minute_rollup_retention when longer): they only serve the last hour and
  // window edges, and take ~35x the space of hour + day rollups.
  std::chrono::milliseconds rollup_retention{400LL * 86'400'000};
  std::chrono::milliseconds minute_rollup_retention{30LL * 86'400'000};
  size_t queue_capacity = 100'000;  // results held while the database is unreachable
  // The writer wakes when wake_batch results are queued or flush_interval
  // passed, and writes at most max_batch results per transaction (bigger
  // transactions drain a backlog faster: ~1.7x at 5000 than at 1000).
  size_t wake_batch = 1000;
  size_t max_batch = 5000;
  std::chrono::milliseconds flush_interval{200};  // longest a result waits in the queue
  int prune_batch = 5000;                         // rows deleted per pruning transaction
  std::chrono::milliseconds prune_interval{60'000};
  bool prune = true;                         // false for read-only commands (report, export, stats)
  std::chrono::milliseconds retry_min{100};  // store retries back off from here...
  std::chrono::milliseconds retry_max{30'000};  // ...up to here
  // false: Open fails when the database cannot be reached. true (`run`): Open
  // returns a store that keeps trying in the background, queueing results.
  bool start_unavailable = false;
  // Borrowed; must outlive the store. Null: the store uses a SystemClock.
  const Clock* clock = nullptr;
};

// What must survive a restart for one monitor (alerting state). Written
// through the same queue and transaction as results.
struct MonitorState {
  std::string monitor;
  int consecutive_failures = 0;
  int consecutive_successes = 0;
  std::optional<CheckStatus> last_status;
  std::optional<WallTime> last_check;
  std::optional<WallTime> last_alert;     // when an alert last fired
  std::optional<WallTime> last_resolved;  // when it last resolved
  std::string extra;  // opaque text (JSON) owned by the alert engine; no secrets
};

// One message waiting for, or done with, delivery to one channel: the
// durable outbox. Written in the same transaction as the alert state change
// that made it (Store::Commit), so a restart neither loses nor repeats it.
// Holds no secret: `payload` is a Notification as JSON (core/notification.h);
// the channel's URL and keys come from config when it is sent.
struct OutboxMessage {
  int64_t id = 0;       // assigned by the store when written
  std::string key;      // idempotency key, unique: a second message with it is not inserted
  std::string channel;  // name of a `channels` entry ("log" for the built-in one)
  std::string payload;  // Notification JSON
  WallTime created{};
  int attempts = 0;
  WallTime next_attempt{};       // not sent before this
  std::string last_error;        // redacted answer of the last failed attempt
  std::optional<WallTime> delivered;
  // Claims, so several senders can share one database: a sender owns a claimed
  // message until claim_until; a crashed sender's claims expire.
  std::string claimed_by;
  std::optional<WallTime> claim_until;
  // Not stored: the Notification the payload was made from, handed in
  // memory from the engine through Store::Commit's callback to the notifier,
  // so a message is not parsed back before it is rendered. Null for a
  // message read from the store (the payload is then parsed).
  std::shared_ptr<const Notification> notification;
};

// One entry in an alert's history (fired, repeated, resolved, flapping, ...),
// kept for the dashboard's timeline and the API.
struct AlertEvent {
  int64_t id = 0;  // assigned by the store
  std::string monitor;
  std::string rule;
  std::string level;  // "info" | "warning" | "critical"
  std::string kind;   // AlertEventKind's text: "firing", "resolved", ...
  WallTime at{};
  std::string message;  // one line, redacted
  bool silenced = false;  // recorded, not sent (silence or maintenance)
};

// An ad-hoc silence: alerts of `monitor` (every monitor when empty) whose
// rule matches `rule` (every rule when empty) are recorded, not sent, while
// starts <= now < ends.
struct Silence {
  int64_t id = 0;  // assigned by the store
  std::string monitor;
  std::string rule;
  WallTime starts{};
  WallTime ends{};
  std::string reason;
  std::string created_by;  // "cli", "api"
  WallTime created{};
};

// A change an official status source showed (source/diff.h): an incident
// opened, updated or resolved, a component's status, an OpenRouter
// provider's uptime, the source itself unreadable or readable again.
struct SourceEvent {
  int64_t id = 0;        // assigned when written
  std::string source;    // the config name
  std::string kind;      // "incident_opened", "component_changed", "source_unknown", ...
  WallTime at{};
  std::string subject;   // incident id, component or provider; empty for the source
  std::string title;
  std::string severity;
  std::string from;
  std::string to;
  std::string link;
  std::string message;   // one line, as logged
};

// What one alert state change writes, all in one transaction.
struct AlertChange {
  std::vector<MonitorState> states;
  std::vector<AlertEvent> events;
  std::vector<OutboxMessage> messages;
  bool empty() const { return states.empty() && events.empty() && messages.empty(); }
};

// Filters for raw results. Empty `monitors` means all.
struct ResultQuery {
  std::vector<std::string> monitors;
  WallTime since{};
  WallTime until = WallTime::max();
};

// Raw results counted in one window (Store::CountResults).
struct ResultCount {
  uint64_t checks = 0;
  uint64_t not_failed = 0;  // not IsFailure: up, degraded or rate limited
};

// Receives one rollup bucket; `rollup` is only valid during the call.
using RollupVisitor =
    std::function<void(const std::string& monitor, WallTime bucket_start, const Rollup& rollup)>;
// Receives one raw result; return false to stop the scan.
using ResultVisitor = std::function<bool(const CheckResult& result)>;

// Durable history of check results. Append is called from the network thread
// and must never block on I/O: results are queued and written in batches by
// the store's own writer thread, raw rows and rollups in one transaction.
// Read methods may be called from any thread; they see what has been written
// (call Flush first to see everything appended).
class Store {
 public:
  virtual ~Store() = default;

  // Queues one result. Thread-safe, non-blocking. When the queue is full the
  // oldest queued result is dropped and counted (see dropped()).
  virtual void Append(CheckResult result) = 0;

  // Queues a monitor's state; written with the next batch (the latest state
  // of a monitor wins). Thread-safe, non-blocking.
  virtual void PutState(MonitorState state) = 0;

  // Blocks until every result appended before the call is written, or the
  // writer gave up on them; returns the last write error if any.
  virtual Status Flush() = 0;

  // Results of one monitor (all when empty) with timestamp >= since, oldest
  // first. Reads raw rows.
  virtual Result<std::vector<CheckResult>> Results(const std::string& monitor, WallTime since) = 0;

  // Streams raw results matching `q`: for each monitor of q.monitors in
  // turn, oldest first; for all monitors (empty), in the order written (time
  // order except results written late). `fn` must not call the store.
  virtual Status ScanResults(const ResultQuery& q, const ResultVisitor& fn) = 0;

  // For each since[i] (answer i): how many raw results of `monitor` in
  // `mode` have since[i] <= timestamp < until, and how many of those are not
  // a failure. Counted by the database in one query (no row leaves it), so a
  // page can show counts over 30 days of raw rows cheaply. A monitor unknown
  // to the store counts zeros; an empty `since` gives an empty answer.
  virtual Result<std::vector<ResultCount>> CountResults(const std::string& monitor, CheckMode mode,
                                                        const std::vector<WallTime>& since,
                                                        WallTime until) = 0;

  // Streams rollup buckets with from <= bucket_start < to of `monitors` (all
  // when empty), grouped by monitor and oldest first within a monitor.
  virtual Status ScanRollups(Resolution res, const std::vector<std::string>& monitors,
                             WallTime from, WallTime to, const RollupVisitor& fn) = 0;

  // Names of every monitor that has ever written a result, sorted.
  virtual Result<std::vector<std::string>> Monitors() = 0;

  // Every stored monitor state.
  virtual Result<std::vector<MonitorState>> States() = 0;

  // --- Alerting: outbox, history, silences -------------------------------

  // Queues `change` to be written in one transaction with the next batch.
  // Thread-safe, non-blocking; wakes the writer at once (alert latency
  // matters more than batching here). After the commit `written` (if set) is
  // called on the writer thread with the messages as written (ids assigned;
  // a message whose key already existed is left out). If the write fails the
  // change stays queued and is retried; it is never dropped for space.
  using MessagesWritten = std::function<void(std::vector<OutboxMessage>&&)>;
  virtual void Commit(AlertChange change, MessagesWritten written) = 0;

  // Claims up to `limit` undelivered messages with next_attempt <= now whose
  // claim is free or expired, for `owner` until now + lease; oldest first.
  // Blocking (call it off the network thread, or at start). PostgreSQL
  // claims with FOR UPDATE SKIP LOCKED, so two senders never claim one row.
  virtual Result<std::vector<OutboxMessage>> ClaimOutbox(const std::string& owner, WallTime now,
                                                         std::chrono::milliseconds lease,
                                                         size_t limit) = 0;
  // Queued like results (non-blocking, written by the writer thread):
  // delivered marks the message done for ever; failed records the attempt and
  // when to retry, and keeps the claim.
  virtual void OutboxDelivered(int64_t id, WallTime when) = 0;
  virtual void OutboxFailed(int64_t id, int attempts, WallTime next_attempt,
                            std::string error) = 0;
  // Extends `owner`'s claim on each undelivered message of `ids` to `until`,
  // claiming it when unclaimed or its claim expired; a message claimed by
  // another owner until later is left alone. Queued like OutboxFailed
  // (non-blocking). The notifier renews what it holds more often than the
  // lease, so a message waiting long for a retry (or a rate limit, or a
  // channel missing from config) stays its own and is not sent twice.
  virtual void OutboxRenewClaims(std::vector<int64_t> ids, std::string owner, WallTime until) = 0;
  // Messages, newest first: undelivered only, or all; at most `limit`.
  virtual Result<std::vector<OutboxMessage>> Outbox(bool undelivered_only, size_t limit) = 0;

  // Alert history of `monitor` (all when empty) with at >= since, newest
  // first, at most `limit`.
  virtual Result<std::vector<AlertEvent>> AlertEvents(const std::string& monitor,
                                                      WallTime since, size_t limit) = 0;

  // Silences are written at once (blocking: the CLI and the API call them,
  // and a running daemon reads them back). AddSilence returns the id.
  virtual Result<int64_t> AddSilence(const Silence& silence) = 0;
  // NotFound when no silence has that id.
  virtual Status RemoveSilence(int64_t id) = 0;
  // Silences with ends > now, by start.
  virtual Result<std::vector<Silence>> Silences(WallTime now) = 0;

  // --- Status sources -------------------------------------------------------

  // Queues events of the status sources, written with the next batch like
  // an alert change (non-blocking, thread-safe, never dropped for space;
  // retried while the database fails). Pruned after the raw retention.
  // The default (stores used in tests of other parts) drops them.
  virtual void AppendSourceEvents(std::vector<SourceEvent> events) {}
  // Source events with at >= since, newest first, at most `limit`.
  virtual Result<std::vector<SourceEvent>> SourceEvents(WallTime since, size_t limit) {
    return std::vector<SourceEvent>{};
  }

  // Results dropped because the queue overflowed, since Open.
  virtual uint64_t dropped() const = 0;
  // Results waiting to be written.
  virtual size_t queued() const = 0;
  // The last write error, or ok once a later write succeeded.
  virtual Status last_error() const = 0;
  // "sqlite /path/to.db" or "postgres postgresql://user@host/db" (no password).
  virtual std::string Describe() const = 0;
};
using StorePtr = std::unique_ptr<Store>;

// Opens (creating and migrating if needed) the store described by `options`.
// The error names the path or URL (password removed) and what to do.
Result<StorePtr> Open(const Options& options);

// `url` with any password replaced by "***".
std::string RedactUrl(const std::string& url);

}  // namespace modelwatch::store
