#pragma once

// The SQLite engine's schema and statements, shared by its writer
// (sqlite_backend.cpp) and its readers (sqlite_reads.cpp).

#include <iterator>

#include "store/backend.h"
#include "store/rollup.h"

namespace modelwatch::store::sqlite {

// Migration i (0-based) takes the schema from version i to i + 1.
inline constexpr const char* kMigrations[] = {
    R"sql(
CREATE TABLE monitors (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
CREATE TABLE results (
  id INTEGER PRIMARY KEY,
  monitor_id INTEGER NOT NULL,
  ts_ms INTEGER NOT NULL,
  status INTEGER NOT NULL,
  latency_ms INTEGER NOT NULL,
  http_status INTEGER NOT NULL,
  error TEXT,
  retry_after_s INTEGER,
  dns_us INTEGER NOT NULL,
  connect_us INTEGER NOT NULL,
  tls_us INTEGER NOT NULL,
  first_byte_us INTEGER NOT NULL,
  total_us INTEGER NOT NULL,
  image_format INTEGER,
  image_width INTEGER,
  image_height INTEGER,
  image_bytes INTEGER
);
CREATE INDEX results_by_monitor ON results (monitor_id, ts_ms);
CREATE TABLE rollup_minute (monitor_id INTEGER NOT NULL, start_ms INTEGER NOT NULL,
  data BLOB NOT NULL, PRIMARY KEY (monitor_id, start_ms)) WITHOUT ROWID;
CREATE TABLE rollup_hour (monitor_id INTEGER NOT NULL, start_ms INTEGER NOT NULL,
  data BLOB NOT NULL, PRIMARY KEY (monitor_id, start_ms)) WITHOUT ROWID;
CREATE TABLE rollup_day (monitor_id INTEGER NOT NULL, start_ms INTEGER NOT NULL,
  data BLOB NOT NULL, PRIMARY KEY (monitor_id, start_ms)) WITHOUT ROWID;
CREATE TABLE monitor_state (
  monitor_id INTEGER PRIMARY KEY,
  consecutive_failures INTEGER NOT NULL,
  consecutive_successes INTEGER NOT NULL,
  last_status INTEGER,
  last_check_ms INTEGER,
  last_alert_ms INTEGER,
  last_resolved_ms INTEGER,
  extra TEXT NOT NULL
);
)sql",
    R"sql(
CREATE TABLE outbox (
  id INTEGER PRIMARY KEY,
  key TEXT NOT NULL UNIQUE,
  channel TEXT NOT NULL,
  payload TEXT NOT NULL,
  created_ms INTEGER NOT NULL,
  attempts INTEGER NOT NULL,
  next_attempt_ms INTEGER NOT NULL,
  last_error TEXT NOT NULL,
  delivered_ms INTEGER,
  claimed_by TEXT NOT NULL,
  claim_until_ms INTEGER
);
CREATE INDEX outbox_pending ON outbox (created_ms, id) WHERE delivered_ms IS NULL;
CREATE INDEX outbox_delivered ON outbox (delivered_ms) WHERE delivered_ms IS NOT NULL;
CREATE TABLE alert_events (
  id INTEGER PRIMARY KEY,
  monitor TEXT NOT NULL,
  rule TEXT NOT NULL,
  level TEXT NOT NULL,
  kind TEXT NOT NULL,
  at_ms INTEGER NOT NULL,
  message TEXT NOT NULL,
  silenced INTEGER NOT NULL
);
CREATE INDEX alert_events_by_monitor ON alert_events (monitor, at_ms);
CREATE INDEX alert_events_by_time ON alert_events (at_ms);
CREATE TABLE silences (
  id INTEGER PRIMARY KEY,
  monitor TEXT NOT NULL,
  rule TEXT NOT NULL,
  starts_ms INTEGER NOT NULL,
  ends_ms INTEGER NOT NULL,
  reason TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_ms INTEGER NOT NULL
);
CREATE INDEX silences_by_end ON silences (ends_ms);
)sql",
    R"sql(
CREATE TABLE source_events (
  id INTEGER PRIMARY KEY,
  source TEXT NOT NULL,
  kind TEXT NOT NULL,
  at_ms INTEGER NOT NULL,
  subject TEXT NOT NULL,
  title TEXT NOT NULL,
  severity TEXT NOT NULL,
  from_status TEXT NOT NULL,
  to_status TEXT NOT NULL,
  link TEXT NOT NULL,
  message TEXT NOT NULL
);
CREATE INDEX source_events_by_time ON source_events (at_ms);
)sql",
    // 4: who runs on this database (one `run` per database; a row per named
    // lock, so a later multi-instance mode can hold one per shard).
    R"sql(
CREATE TABLE IF NOT EXISTS instance_lock (
  name TEXT PRIMARY KEY,
  owner TEXT NOT NULL,
  host TEXT NOT NULL,
  pid INTEGER NOT NULL,
  since_ms INTEGER NOT NULL,
  heartbeat_ms INTEGER NOT NULL,
  lease_until_ms INTEGER NOT NULL
);
)sql",
    // 5: what each check cost (USD; NULL: not billed or no price). Rollups
    // carry cost in their BLOB (encoding version 2), which needs no schema change.
    R"sql(
ALTER TABLE results ADD COLUMN cost_usd REAL;
)sql",
    // 6: whether a check was a full generation (0) or a free light check (1,
    // full_every), and an asynchronous check's phases (NULL: not a job).
    R"sql(
ALTER TABLE results ADD COLUMN light SMALLINT NOT NULL DEFAULT 0;
ALTER TABLE results ADD COLUMN async_accept_ms INTEGER;
ALTER TABLE results ADD COLUMN async_queue_ms INTEGER;
ALTER TABLE results ADD COLUMN async_fetch_ms INTEGER;
ALTER TABLE results ADD COLUMN async_polls INTEGER;
)sql",
};
static_assert(std::size(kMigrations) == kSchemaVersion);

inline constexpr const char* kInsertMonitor =
    "INSERT INTO monitors (name) VALUES (?1) ON CONFLICT (name) DO NOTHING";
inline constexpr const char* kSelectMonitorId = "SELECT id FROM monitors WHERE name = ?1";
inline constexpr const char* kSelectMonitors = "SELECT id, name FROM monitors ORDER BY name";
inline constexpr const char* kInsertResult =
    "INSERT INTO results (monitor_id, ts_ms, status, latency_ms, http_status, error, "
    "retry_after_s, dns_us, connect_us, tls_us, first_byte_us, total_us, image_format, "
    "image_width, image_height, image_bytes, cost_usd, light, async_accept_ms, async_queue_ms, "
    "async_fetch_ms, async_polls) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, "
    "?20, ?21, ?22)";
#define MW_RESULT_COLUMNS                                                                \
  "r.ts_ms, r.status, r.latency_ms, r.http_status, r.error, r.retry_after_s, r.dns_us, " \
  "r.connect_us, r.tls_us, r.first_byte_us, r.total_us, r.image_format, r.image_width, " \
  "r.image_height, r.image_bytes, r.cost_usd, r.light, r.async_accept_ms, r.async_queue_ms, " \
  "r.async_fetch_ms, r.async_polls"
inline constexpr const char* kScanMonitorResults =
    "SELECT " MW_RESULT_COLUMNS
    " FROM results r WHERE r.monitor_id = ?1 AND r.ts_ms >= ?2 AND r.ts_ms < ?3"
    " ORDER BY r.ts_ms, r.id";
inline constexpr const char* kScanAllResults =
    "SELECT " MW_RESULT_COLUMNS
    ", m.name FROM results r JOIN monitors m ON m.id = r.monitor_id"
    " WHERE r.ts_ms >= ?1 AND r.ts_ms < ?2 ORDER BY r.id";
#undef MW_RESULT_COLUMNS

#define MW_ROLLUP_SQL(table)                                                             \
  {                                                                                      \
    "SELECT data FROM " table " WHERE monitor_id = ?1 AND start_ms = ?2",                \
        "INSERT INTO " table                                                             \
        " (monitor_id, start_ms, data) VALUES (?1, ?2, ?3)"                              \
        " ON CONFLICT (monitor_id, start_ms) DO UPDATE SET data = excluded.data",        \
        "SELECT start_ms, data FROM " table                                              \
        " WHERE monitor_id = ?1 AND start_ms >= ?2 AND start_ms < ?3 ORDER BY start_ms", \
        "SELECT start_ms, data FROM " table                                              \
        " WHERE monitor_id = ?1 ORDER BY start_ms DESC LIMIT 1",                         \
        "DELETE FROM " table                                                             \
        " WHERE monitor_id = ?1 AND start_ms < min(?2, (SELECT min(start_ms)"            \
        " FROM " table " WHERE monitor_id = ?1) + ?3)"                                   \
  }
struct RollupSql {
  const char* select;
  const char* upsert;
  const char* scan;
  const char* latest;
  const char* prune;
};
inline constexpr RollupSql kRollupSql[kResolutionCount] = {
    MW_ROLLUP_SQL("rollup_minute"), MW_ROLLUP_SQL("rollup_hour"), MW_ROLLUP_SQL("rollup_day")};
#undef MW_ROLLUP_SQL

inline constexpr const char* kPruneScan =
    "SELECT max(id), total(ts_ms < ?3) FROM "
    "(SELECT id, ts_ms FROM results WHERE id >= ?1 ORDER BY id LIMIT ?2)";
inline constexpr const char* kPruneResults =
    "DELETE FROM results WHERE id >= ?1 AND id <= ?2 AND ts_ms < ?3";
inline constexpr const char* kUpsertState =
    "INSERT INTO monitor_state (monitor_id, consecutive_failures, consecutive_successes, "
    "last_status, last_check_ms, last_alert_ms, last_resolved_ms, extra) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT (monitor_id) DO UPDATE SET "
    "consecutive_failures = excluded.consecutive_failures, "
    "consecutive_successes = excluded.consecutive_successes, "
    "last_status = excluded.last_status, last_check_ms = excluded.last_check_ms, "
    "last_alert_ms = excluded.last_alert_ms, last_resolved_ms = excluded.last_resolved_ms, "
    "extra = excluded.extra";
inline constexpr const char* kSelectStates =
    "SELECT m.name, s.consecutive_failures, s.consecutive_successes, s.last_status, "
    "s.last_check_ms, s.last_alert_ms, s.last_resolved_ms, s.extra "
    "FROM monitor_state s JOIN monitors m ON m.id = s.monitor_id ORDER BY m.name";

// Outbox, alert events and silences (sqlite_alerts.cpp).
#define MW_OUTBOX_COLUMNS                                                                    \
  "id, key, channel, payload, created_ms, attempts, next_attempt_ms, last_error, delivered_ms, " \
  "claimed_by, claim_until_ms"
inline constexpr const char* kInsertMessage =
    "INSERT INTO outbox (key, channel, payload, created_ms, attempts, next_attempt_ms, "
    "last_error, delivered_ms, claimed_by, claim_until_ms) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) ON CONFLICT (key) DO NOTHING";
inline constexpr const char* kMarkDelivered =
    "UPDATE outbox SET delivered_ms = ?2 WHERE id = ?1 AND delivered_ms IS NULL";
inline constexpr const char* kRenewClaim =
    "UPDATE outbox SET claimed_by = ?2, claim_until_ms = ?3 WHERE id = ?1 AND delivered_ms IS NULL"
    " AND (claimed_by = ?2 OR claim_until_ms IS NULL OR claim_until_ms <= ?4)";
inline constexpr const char* kMarkFailed =
    "UPDATE outbox SET attempts = ?2, next_attempt_ms = ?3, last_error = ?4 "
    "WHERE id = ?1 AND delivered_ms IS NULL";
inline constexpr const char* kSelectClaimable =
    "SELECT " MW_OUTBOX_COLUMNS
    " FROM outbox WHERE delivered_ms IS NULL AND next_attempt_ms <= ?1"
    " AND (claim_until_ms IS NULL OR claim_until_ms <= ?1) ORDER BY created_ms, id LIMIT ?2";
inline constexpr const char* kClaim =
    "UPDATE outbox SET claimed_by = ?2, claim_until_ms = ?3 WHERE id = ?1";
inline constexpr const char* kSelectOutbox =
    "SELECT " MW_OUTBOX_COLUMNS " FROM outbox ORDER BY id DESC LIMIT ?1";
inline constexpr const char* kSelectUndelivered =
    "SELECT " MW_OUTBOX_COLUMNS " FROM outbox WHERE delivered_ms IS NULL ORDER BY id DESC LIMIT ?1";
#undef MW_OUTBOX_COLUMNS
inline constexpr const char* kInsertEvent =
    "INSERT INTO alert_events (monitor, rule, level, kind, at_ms, message, silenced) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
#define MW_EVENT_COLUMNS "id, monitor, rule, level, kind, at_ms, message, silenced"
inline constexpr const char* kSelectEvents =
    "SELECT " MW_EVENT_COLUMNS
    " FROM alert_events WHERE at_ms >= ?1 ORDER BY at_ms DESC, id DESC LIMIT ?2";
inline constexpr const char* kSelectMonitorEvents =
    "SELECT " MW_EVENT_COLUMNS
    " FROM alert_events WHERE monitor = ?3 AND at_ms >= ?1 ORDER BY at_ms DESC, id DESC LIMIT ?2";
#undef MW_EVENT_COLUMNS
inline constexpr const char* kInsertSilence =
    "INSERT INTO silences (monitor, rule, starts_ms, ends_ms, reason, created_by, created_ms) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
inline constexpr const char* kDeleteSilence = "DELETE FROM silences WHERE id = ?1";
inline constexpr const char* kSelectSilences =
    "SELECT id, monitor, rule, starts_ms, ends_ms, reason, created_by, created_ms "
    "FROM silences WHERE ends_ms > ?1 ORDER BY starts_ms, id";
inline constexpr const char* kPruneOutbox =
    "DELETE FROM outbox WHERE id IN (SELECT id FROM outbox WHERE delivered_ms < ?1 LIMIT ?2)";
inline constexpr const char* kInsertSourceEvent =
    "INSERT INTO source_events (source, kind, at_ms, subject, title, severity, from_status, "
    "to_status, link, message) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";
inline constexpr const char* kSelectSourceEvents =
    "SELECT id, source, kind, at_ms, subject, title, severity, from_status, to_status, link, "
    "message FROM source_events WHERE at_ms >= ?1 ORDER BY at_ms DESC, id DESC LIMIT ?2";
inline constexpr const char* kPruneSourceEvents =
    "DELETE FROM source_events WHERE id IN (SELECT id FROM source_events WHERE at_ms < ?1 "
    "LIMIT ?2)";
inline constexpr const char* kPruneEvents =
    "DELETE FROM alert_events WHERE id IN (SELECT id FROM alert_events WHERE at_ms < ?1 LIMIT ?2)";
inline constexpr const char* kPruneSilences =
    "DELETE FROM silences WHERE id IN (SELECT id FROM silences WHERE ends_ms < ?1 LIMIT ?2)";

}  // namespace modelwatch::store::sqlite
